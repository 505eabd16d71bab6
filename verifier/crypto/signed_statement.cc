#include "verifier/crypto/signed_statement.h"

#include "absl/strings/str_cat.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

void AppendLengthPrefixed(std::string& out, absl::string_view bytes) {
  uint32_t n = static_cast<uint32_t>(bytes.size());
  char length[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                    static_cast<char>(n >> 8), static_cast<char>(n)};
  out.append(length, 4);
  out.append(bytes.data(), bytes.size());
}

bool ReadLengthPrefixed(absl::string_view& in, std::string& out) {
  if (in.size() < 4) return false;
  uint32_t n = (uint32_t{static_cast<uint8_t>(in[0])} << 24) |
               (uint32_t{static_cast<uint8_t>(in[1])} << 16) |
               (uint32_t{static_cast<uint8_t>(in[2])} << 8) |
               uint32_t{static_cast<uint8_t>(in[3])};
  in.remove_prefix(4);
  if (in.size() < n) return false;
  out.assign(in.data(), n);
  in.remove_prefix(n);
  return true;
}

}  // namespace

absl::StatusOr<v1::SignedStatement> SignStatement(
    const v1::Statement& statement, const Signer& signer) {
  v1::SignedStatement out;
  if (!statement.SerializeToString(out.mutable_statement())) {
    return absl::InvalidArgumentError("statement: cannot be serialized");
  }
  absl::StatusOr<std::string> signature =
      signer.Sign(DomainSeparated(kStatementSignatureDomain, out.statement()));
  if (!signature.ok()) return signature.status();
  out.set_signature(*std::move(signature));
  out.set_key_id(signer.key_id());
  return out;
}

absl::StatusOr<v1::Statement> ParseSignedStatement(
    const v1::SignedStatement& signed_statement) {
  if (signed_statement.statement().empty()) {
    return absl::InvalidArgumentError(
        "signed_statement.statement: is required");
  }
  if (signed_statement.statement().size() > kMaxStatementBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "signed_statement.statement: ", signed_statement.statement().size(),
        " bytes exceeds the limit of ", kMaxStatementBytes));
  }
  if (signed_statement.signature().size() != kEd25519SignatureBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed_statement.signature: must be 64 bytes, got ",
                     signed_statement.signature().size()));
  }
  if (signed_statement.key_id().size() != kKeyIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed_statement.key_id: must be 32 bytes, got ",
                     signed_statement.key_id().size()));
  }
  v1::Statement statement;
  if (!statement.ParseFromString(signed_statement.statement())) {
    return absl::InvalidArgumentError(
        "signed_statement.statement: is not a serialized certreg.v1.Statement");
  }
  if (statement.kind_case() == v1::Statement::KIND_NOT_SET) {
    return absl::InvalidArgumentError(
        "statement.kind: is required (issue, suspend, accredit_body, ...)");
  }
  return statement;
}

absl::Status VerifyStatementSignature(
    const v1::SignedStatement& signed_statement, const SignatureVerifier& key) {
  return key.Verify(
      DomainSeparated(kStatementSignatureDomain, signed_statement.statement()),
      signed_statement.signature());
}

std::string StatementHash(const v1::SignedStatement& signed_statement) {
  return Sha256(signed_statement.statement());
}

v1::StatementKind KindOf(const v1::Statement& statement) {
  switch (statement.kind_case()) {
    case v1::Statement::kIssue:
      return v1::STATEMENT_KIND_ISSUE;
    case v1::Statement::kSurveillance:
      return v1::STATEMENT_KIND_SURVEILLANCE;
    case v1::Statement::kSuspend:
      return v1::STATEMENT_KIND_SUSPEND;
    case v1::Statement::kReinstate:
      return v1::STATEMENT_KIND_REINSTATE;
    case v1::Statement::kRevoke:
      return v1::STATEMENT_KIND_REVOKE;
    case v1::Statement::kWithdraw:
      return v1::STATEMENT_KIND_WITHDRAW;
    case v1::Statement::kRenew:
      return v1::STATEMENT_KIND_RENEW;
    case v1::Statement::kChangeScope:
      return v1::STATEMENT_KIND_CHANGE_SCOPE;
    case v1::Statement::kChangeHolder:
      return v1::STATEMENT_KIND_CHANGE_HOLDER;
    case v1::Statement::kPublishRules:
      return v1::STATEMENT_KIND_PUBLISH_RULES;
    case v1::Statement::kAccreditBody:
      return v1::STATEMENT_KIND_ACCREDIT_BODY;
    case v1::Statement::kRotateBodyKey:
      return v1::STATEMENT_KIND_ROTATE_BODY_KEY;
    case v1::Statement::kRetireBodyKey:
      return v1::STATEMENT_KIND_RETIRE_BODY_KEY;
    case v1::Statement::KIND_NOT_SET:
      break;
  }
  return v1::STATEMENT_KIND_UNSPECIFIED;
}

absl::string_view KindName(v1::StatementKind kind) {
  switch (kind) {
    case v1::STATEMENT_KIND_ISSUE:
      return "issue";
    case v1::STATEMENT_KIND_SURVEILLANCE:
      return "surveillance";
    case v1::STATEMENT_KIND_SUSPEND:
      return "suspend";
    case v1::STATEMENT_KIND_REINSTATE:
      return "reinstate";
    case v1::STATEMENT_KIND_REVOKE:
      return "revoke";
    case v1::STATEMENT_KIND_WITHDRAW:
      return "withdraw";
    case v1::STATEMENT_KIND_RENEW:
      return "renew";
    case v1::STATEMENT_KIND_CHANGE_SCOPE:
      return "change scope";
    case v1::STATEMENT_KIND_CHANGE_HOLDER:
      return "change holder";
    case v1::STATEMENT_KIND_PUBLISH_RULES:
      return "publish rules";
    case v1::STATEMENT_KIND_ACCREDIT_BODY:
      return "accredit body";
    case v1::STATEMENT_KIND_ROTATE_BODY_KEY:
      return "rotate body key";
    case v1::STATEMENT_KIND_RETIRE_BODY_KEY:
      return "retire body key";
    default:
      return "unspecified";
  }
}

bool IsAuthorityKind(v1::StatementKind kind) {
  return kind == v1::STATEMENT_KIND_ACCREDIT_BODY ||
         kind == v1::STATEMENT_KIND_ROTATE_BODY_KEY ||
         kind == v1::STATEMENT_KIND_RETIRE_BODY_KEY;
}

bool IsOperatorKind(v1::StatementKind kind) {
  return IsAuthorityKind(kind) || kind == v1::STATEMENT_KIND_PUBLISH_RULES;
}

std::string LeafData(const v1::SignedStatement& signed_statement) {
  std::string out;
  out.reserve(12 + signed_statement.statement().size() +
              signed_statement.signature().size() +
              signed_statement.key_id().size());
  AppendLengthPrefixed(out, signed_statement.statement());
  AppendLengthPrefixed(out, signed_statement.signature());
  AppendLengthPrefixed(out, signed_statement.key_id());
  return out;
}

absl::StatusOr<v1::SignedStatement> ParseLeafData(absl::string_view data) {
  v1::SignedStatement out;
  if (!ReadLengthPrefixed(data, *out.mutable_statement()) ||
      !ReadLengthPrefixed(data, *out.mutable_signature()) ||
      !ReadLengthPrefixed(data, *out.mutable_key_id()) || !data.empty()) {
    return absl::InvalidArgumentError("leaf data: malformed");
  }
  return out;
}

}  // namespace certreg
