#ifndef CERTREG_TOOLS_CLI_CERTCTL_IMPORT_QUEUE_H_
#define CERTREG_TOOLS_CLI_CERTCTL_IMPORT_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "certreg/v1/statement.pb.h"
#include "tools/cli/certificate_csv.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// A row of a certctl import, read and checked, waiting to be signed and
// submitted.
struct ImportJob {
  int64_t row = 0;   // its row number in the file
  int64_t line = 0;  // the file line it starts on
  CertificateRecord record;
  // The certificate's issue statement, dated on its issue date.
  v1::Statement issue;
  // The body's key from --keys_dir; none if it has no readable key there.
  std::optional<Ed25519PrivateKey> key;
};

// Rows to be submitted in one SubmitStatements call.
struct ImportGroup {
  std::vector<ImportJob> jobs;
  int64_t bytes_read = 0;  // of the file, once its last row was read
};

// The groups read but not yet submitted, between the one thread that reads
// the file and the workers that submit: the reader waits while the queue
// is full, so memory stays flat for any file. Thread-safe.
//
// Example:
//   ImportQueue queue(16);
//   // Workers:
//   while (std::optional<ImportGroup> group = queue.Pop()) Submit(*group);
//   // Reader:
//   queue.Push(std::move(group));
//   ...
//   queue.Close();
class ImportQueue {
 public:
  // At most `capacity` groups wait (at least one).
  explicit ImportQueue(size_t capacity);

  // Adds `group` at the back, first waiting while `capacity` groups wait.
  // Not after Close.
  void Push(ImportGroup group);

  // No more groups will be pushed.
  void Close();

  // The group at the front, waiting for one; nothing once the queue is
  // closed and empty.
  std::optional<ImportGroup> Pop();

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  std::deque<ImportGroup> groups_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_IMPORT_QUEUE_H_
