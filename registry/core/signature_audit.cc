#include "registry/core/signature_audit.h"

#include "absl/strings/str_cat.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/authority_rules.h"

namespace certreg {
namespace {

std::string LeafProblem(uint64_t index, absl::string_view problem) {
  return absl::StrCat("log leaf ", index, ": ", problem);
}

}  // namespace

std::optional<std::string> SignatureAudit::Check(
    uint64_t index, const v1::SignedStatement& signed_statement) {
  absl::StatusOr<v1::Statement> statement =
      ParseSignedStatement(signed_statement);
  if (!statement.ok()) {
    return LeafProblem(index, statement.status().message());
  }
  const bool by_operator =
      !AuthoritySubject(*statement).empty() || statement->has_publish_rules();
  return by_operator ? CheckAuthority(index, signed_statement, *statement)
                     : CheckCertificate(index, signed_statement, *statement);
}

std::optional<std::string> SignatureAudit::CheckAuthority(
    uint64_t index, const v1::SignedStatement& signed_statement,
    const v1::Statement& statement) {
  if (absl::Status verified =
          VerifyStatementSignature(signed_statement, operator_key_);
      !verified.ok()) {
    return LeafProblem(
        index, absl::StrCat("an operator statement without the operator's "
                            "signature: ",
                            verified.message()));
  }
  const std::string subject(AuthoritySubject(statement));
  if (subject.empty()) return std::nullopt;  // rules
  auto found = bodies_.find(subject);
  std::optional<v1::CertificationBody> current;
  if (found != bodies_.end()) current = found->second;
  absl::StatusOr<v1::CertificationBody> after =
      ApplyAuthorityStatement(current, statement);
  if (!after.ok()) return LeafProblem(index, after.status().message());
  for (const v1::BodyKey& key : after->keys()) {
    key_bodies_[key.key_id()] = subject;
  }
  bodies_[subject] = *std::move(after);
  return std::nullopt;
}

std::optional<std::string> SignatureAudit::CheckCertificate(
    uint64_t index, const v1::SignedStatement& signed_statement,
    const v1::Statement& statement) {
  const std::string& number = statement.certificate_number();
  std::string body;
  if (statement.has_issue()) {
    body = statement.issue().certificate().body_approval_number();
  } else if (auto issued = certificate_bodies_.find(number);
             issued != certificate_bodies_.end()) {
    body = issued->second;
  } else {
    return LeafProblem(index,
                       absl::StrCat("a statement about certificate ", number,
                                    ", which no earlier leaf "
                                    "issued"));
  }
  auto owner = key_bodies_.find(signed_statement.key_id());
  if (owner == key_bodies_.end() || owner->second != body) {
    return LeafProblem(
        index, absl::StrCat("certificate ", number,
                            ": signed with a key no earlier leaf registered "
                            "for its body ",
                            body));
  }
  bool verified = false;
  const v1::CertificationBody& signer_body = bodies_.at(body);
  for (const v1::BodyKey& key : signer_body.keys()) {
    if (key.key_id() != signed_statement.key_id()) continue;
    absl::StatusOr<Ed25519PublicKey> public_key =
        Ed25519PublicKey::FromRaw(key.public_key());
    absl::Status status = public_key.ok() ? VerifyStatementSignature(
                                                signed_statement, *public_key)
                                          : public_key.status();
    if (!status.ok()) {
      return LeafProblem(
          index, absl::StrCat("certificate ", number, ": ", status.message()));
    }
    verified = true;
  }
  if (!verified) {
    return LeafProblem(index, absl::StrCat("certificate ", number,
                                           ": its key is not among its "
                                           "body's keys"));
  }
  if (statement.has_issue()) certificate_bodies_[number] = body;
  return std::nullopt;
}

}  // namespace certreg
