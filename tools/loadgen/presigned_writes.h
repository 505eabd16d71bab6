#ifndef CERTREG_TOOLS_LOADGEN_PRESIGNED_WRITES_H_
#define CERTREG_TOOLS_LOADGEN_PRESIGNED_WRITES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"
#include "tools/loadgen/operation.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/grpc/registry_client.h"

namespace certreg::loadgen {

// The write operation's statements, signed before the clock starts so that a
// run measures the registry's ingestion, not the load generator's signing:
// issue statements of new certificates, each a copy of one of the body's
// certificates (the template) with a fresh number, holder credit code and
// dates, signed with the body's key.
//
// Example:
//   PresignOptions options{.key_file = "CNCA-R-2002-901.key",
//                          .body = "CNCA-R-2002-901"};
//   absl::StatusOr<std::vector<v1::SignedStatement>> writes =
//       PresignWrites(client, options, numbers, 10000);

// Who signs: --write_key, --write_body, --write_body_name.
struct PresignOptions {
  // PEM private key of the certification body.
  std::string key_file;
  // The body's approval number, e.g. CNCA-R-2002-901.
  std::string body;
  // The body's name in the certificates; empty: as the registry lists it.
  std::string body_name;
};

// How many statements to sign when --write_count is 0: the write share of
// `weights` at `rate` requests/s (closed loop, rate 0: 20,000 statements/s)
// of `write_batch` statements each, over warmup + duration, with 10% and 16
// to spare; at most 1,000,000.
size_t DefaultWriteCount(const OpWeights& weights, double rate, int write_batch,
                         double warmup_seconds, double duration_seconds);

// Signs `count` issue statements as `options` says. Checks first that the
// key can be read (INVALID_ARGUMENT "--write_key: ...") and that the
// registry lists the body (INVALID_ARGUMENT "--write_body: ...") with the
// key active (INVALID_ARGUMENT "--write_key: ..."). The template is the
// first of `numbers` (up to 1,000 looked up) that the body issued, else the
// first certificate the registry lists for the body; INVALID_ARGUMENT
// "--write_body: ..." when there is none. The registry's errors otherwise.
absl::StatusOr<std::vector<v1::SignedStatement>> PresignWrites(
    RegistryClient& client, const PresignOptions& options,
    const std::vector<std::string>& numbers, size_t count);

// The signing alone: `count` issue statements dated today in China as of
// `now`, copies of `base` by `body` (named `body_name`), numbered from a
// prefix of `now` and the index (for a management-system template, a number
// with the body's code, the template's system and size letters and
// recertification count 0, as ValidateCertificateNumberStructure wants),
// each holder with its own credit code in the template holder's division,
// valid for 36 months. INVALID_ARGUMENT when `body` has no body code and
// the template is a management-system certificate.
absl::StatusOr<std::vector<v1::SignedStatement>> SignIssueStatements(
    const v1::Certificate& base, const Ed25519PrivateKey& key,
    const std::string& body, const std::string& body_name, absl::Time now,
    size_t count);

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_PRESIGNED_WRITES_H_
