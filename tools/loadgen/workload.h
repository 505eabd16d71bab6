#ifndef CERTREG_TOOLS_LOADGEN_WORKLOAD_H_
#define CERTREG_TOOLS_LOADGEN_WORKLOAD_H_

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "tools/loadgen/operation.h"
#include "verifier/grpc/registry_client.h"

namespace certreg::loadgen {

// What certreg-loadgen sends: the numbers, queries and pre-signed statements
// the operations of --mix (operation.h) draw from, and the requests built
// from them. The engine (engine.h) decides when; this decides what.
//
// Example:
//   absl::StatusOr<OpWeights> weights = ParseMix("get=90,search=10");
//   Workload workload;
//   workload.weights = *weights;
//   workload.numbers = {"90126Q21540R2M"};
//   workload.queries = DefaultQueries();
//   OperationMix mix(workload.weights);
//   std::mt19937_64 rng(1);
//   if (mix.Pick(rng) == kGet) {
//     v1::GetCertificateRequest request;
//     FillLookup(workload, rng, &request);
//   }

// Everything a run sends, prepared before the clock starts. Read-only while
// the run lasts.
struct Workload {
  OpWeights weights{};
  // Certificate numbers looked up and verified (one at random each time).
  std::vector<std::string> numbers;
  // Search queries (one at random each time).
  std::vector<std::string> queries;
  // Pre-signed statements (presigned_writes.h), each sent once, in order.
  std::vector<v1::SignedStatement> writes;
  // Claims per BatchVerify request.
  int batch_size = 100;
  // Statements per write request: 1 is IssueCertificate, more is one
  // SubmitStatements call.
  int write_batch = 1;
  v1::CertificateView view = v1::CERTIFICATE_VIEW_FULL;
  // Lookups over LookupCertificates streams instead of GetCertificate calls.
  bool lookup_stream = false;

  // Whether the operations with weight draw from `numbers`.
  bool NeedsNumbers() const;
  // Whether any operation with weight goes to the verifier.
  bool NeedsVerifier() const;
};

// The requests of each operation. The random choices are drawn from `rng`,
// so the same seed sends the same requests. `numbers` (lookups and
// verifications) and `queries` (searches) must not be empty.
const std::string& RandomNumber(const Workload& workload, std::mt19937_64& rng);
void FillLookup(const Workload& workload, std::mt19937_64& rng,
                v1::GetCertificateRequest* request);
void FillSearch(const Workload& workload, std::mt19937_64& rng,
                v1::SearchCertificatesRequest* request);
void FillVerify(const Workload& workload, std::mt19937_64& rng,
                v1::VerifyRequest* request);
void FillBatchVerify(const Workload& workload, std::mt19937_64& rng,
                     v1::BatchVerifyRequest* request);
// Pre-signed writes [first, first + count); requires first + count <=
// workload.writes.size().
void FillIssue(const Workload& workload, size_t first,
               v1::SubmitStatementRequest* request);
void FillSubmitMany(const Workload& workload, size_t first, size_t count,
                    v1::SubmitStatementsRequest* request);

// Fragments of Chinese company names, 2-4 characters (places, trades, legal
// forms): the searches when no --queries_file is given.
const std::vector<std::string>& DefaultQueries();

// The entries of a list file, one per line: lines trimmed, blank lines and
// lines starting with # skipped, a UTF-8 BOM skipped. With
// `first_csv_column`, a certreg CSV works too: a header starting with
// "number" is skipped and each line's first field (unquoted) is the entry.
// INVALID_ARGUMENT "--FLAG: ..." when the file cannot be read or holds no
// entry.
absl::StatusOr<std::vector<std::string>> ReadListFile(const std::string& path,
                                                      absl::string_view flag,
                                                      bool first_csv_column);

// Up to `limit` certificate numbers as the registry lists them
// (SearchCertificates, 100 a page); the client's error if a page fails.
absl::StatusOr<std::vector<std::string>> ListNumbers(RegistryClient& client,
                                                     size_t limit);

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_WORKLOAD_H_
