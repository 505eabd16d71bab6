#include "verifier/bundle/signed_head.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {

bool HasSignedHead(const v1::VerificationBundle& bundle) {
  return bundle.has_head() || bundle.has_head_in_tree();
}

absl::StatusOr<v1::CertificateHead> VerifyBundleHead(
    const v1::VerificationBundle& bundle, const SignatureVerifier& log_key) {
  return bundle.has_head()
             ? VerifyCertificateHead(bundle.head(), log_key)
             : VerifyCertificateHeadInTree(bundle.head_in_tree(), log_key);
}

absl::Status CheckBundleComplete(const v1::CertificateHead& head,
                                 const v1::VerificationBundle& bundle,
                                 const v1::Checkpoint& checkpoint) {
  const auto& certificate = bundle.certificate_statements();
  const auto& authority = bundle.authority_statements();
  if (head.tree_size() != checkpoint.tree_size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the head is for tree size ", head.tree_size(),
                     ", the checkpoint's is ", checkpoint.tree_size()));
  }
  if (head.certificate_number() != bundle.certificate_number()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the head is for certificate ", head.certificate_number()));
  }
  if (head.certificate_statement_count() !=
          static_cast<uint32_t>(certificate.size()) ||
      certificate.empty() ||
      head.latest_statement_hash() !=
          StatementHash(certificate.rbegin()->signed_statement())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the registry signed that the certificate has ",
        head.certificate_statement_count(), " statement(s); the bundle has ",
        certificate.size(), " or a different latest one"));
  }
  if (head.authority_statement_count() !=
          static_cast<uint32_t>(authority.size()) ||
      authority.empty() ||
      head.latest_authority_leaf_index() !=
          authority.rbegin()->inclusion_proof().leaf_index()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the registry signed that the body has ",
                     head.authority_statement_count(),
                     " authority statement(s); the bundle has ",
                     authority.size(), " or a different latest one"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SchemeRules> VerifyRulesStatement(
    const v1::ProvenStatement& proven, absl::string_view named_hash,
    const SignatureVerifier& operator_key, const v1::Checkpoint& checkpoint) {
  const v1::SignedStatement& signed_statement = proven.signed_statement();
  if (StatementHash(signed_statement) != named_hash) {
    return absl::FailedPreconditionError(
        "it is not the rules statement the signed head names");
  }
  if (signed_statement.key_id() != operator_key.key_id()) {
    return absl::PermissionDeniedError(
        "it is not signed by the pinned operator key");
  }
  CERTREG_RETURN_IF_ERROR(
      VerifyStatementSignature(signed_statement, operator_key));
  const v1::InclusionProof& proof = proven.inclusion_proof();
  if (proof.tree_size() != checkpoint.tree_size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("its proof is for tree size ", proof.tree_size()));
  }
  const std::vector<absl::string_view> path(proof.hashes().begin(),
                                            proof.hashes().end());
  CERTREG_RETURN_IF_ERROR(VerifyInclusion(proof.leaf_index(), proof.tree_size(),
                                          LeafHash(LeafData(signed_statement)),
                                          path, checkpoint.root_hash()));
  CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                           ParseSignedStatement(signed_statement));
  if (statement.kind_case() != v1::Statement::kPublishRules) {
    return absl::InvalidArgumentError("it is not a rules statement");
  }
  CERTREG_RETURN_IF_ERROR(ValidateSchemeRules(statement.publish_rules()));
  return std::move(*statement.mutable_publish_rules());
}

}  // namespace certreg
