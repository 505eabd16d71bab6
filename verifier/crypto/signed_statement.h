#ifndef CERTREG_VERIFIER_CRYPTO_SIGNED_STATEMENT_H_
#define CERTREG_VERIFIER_CRYPTO_SIGNED_STATEMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/statement.pb.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Signing, parsing and hashing of certreg.v1 statements.

// What every statement signature covers before the statement bytes.
inline constexpr absl::string_view kStatementSignatureDomain{
    "certreg.v1.Statement\0", 21};

// Largest statement accepted, in bytes.
inline constexpr size_t kMaxStatementBytes = 64 << 10;

// Serializes `statement` once and signs those bytes.
absl::StatusOr<v1::SignedStatement> SignStatement(
    const v1::Statement& statement, const Signer& signer);

// Checks the envelope's shape (sizes of the three fields) and parses the
// statement bytes. INVALID_ARGUMENT naming the field otherwise.
absl::StatusOr<v1::Statement> ParseSignedStatement(
    const v1::SignedStatement& signed_statement);

// OK when the signature over the statement bytes verifies with `key`;
// PERMISSION_DENIED otherwise.
absl::Status VerifyStatementSignature(
    const v1::SignedStatement& signed_statement, const SignatureVerifier& key);

// SHA-256 of the statement bytes: what the next event of the same
// certificate names as previous_event_hash.
std::string StatementHash(const v1::SignedStatement& signed_statement);

// The statement's kind (STATEMENT_KIND_UNSPECIFIED when no kind is set).
v1::StatementKind KindOf(const v1::Statement& statement);

// Short English name of a kind, e.g. "issue", "suspend", "accredit body".
absl::string_view KindName(v1::StatementKind kind);

// True for the kinds the registry operator signs (accredit, rotate, retire).
bool IsAuthorityKind(v1::StatementKind kind);

// True for every kind the operator signs: the authority kinds and the scheme
// rules (publish rules).
bool IsOperatorKind(v1::StatementKind kind);

// The Merkle log's leaf data for a statement: statement, signature and key id,
// each as a 4-byte big-endian length and the bytes.
std::string LeafData(const v1::SignedStatement& signed_statement);

// Inverse of LeafData; INVALID_ARGUMENT on malformed data.
absl::StatusOr<v1::SignedStatement> ParseLeafData(absl::string_view data);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CRYPTO_SIGNED_STATEMENT_H_
