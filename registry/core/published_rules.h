#ifndef CERTREG_REGISTRY_CORE_PUBLISHED_RULES_H_
#define CERTREG_REGISTRY_CORE_PUBLISHED_RULES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "certreg/v1/statement.pb.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"

namespace certreg {

// Scheme rules as the registry holds them: the latest published rules
// statement's, or the built-in version 1 rules (scheme_rules.h) until one is
// published.
struct PublishedRules {
  v1::SchemeRules rules;
  // Where the rules statement is in the log; unset for the built-in rules.
  std::optional<uint64_t> leaf_index;
  std::string statement_hash;
};

// The scheme rules in force, which the writer replaces when it writes a rules
// statement and every reader computes statuses under. Thread-safe: a caller
// keeps the rules it got for as long as it needs them, whatever replaces
// them meanwhile.
class RulesInForce {
 public:
  // The rules the store's metadata names, read back from `log`, or the
  // built-in rules when none was published. DATA_LOSS when the entry named
  // is not a valid rules statement.
  static absl::StatusOr<std::unique_ptr<RulesInForce>> Load(
      const ReadableStore& store, const MerkleLog& log);

  std::shared_ptr<const PublishedRules> current() const;
  // Called by the writer once a rules statement is written.
  void Replace(std::shared_ptr<const PublishedRules> next);

 private:
  explicit RulesInForce(std::shared_ptr<const PublishedRules> rules)
      : rules_(std::move(rules)) {}

  mutable absl::Mutex mu_;
  std::shared_ptr<const PublishedRules> rules_ ABSL_GUARDED_BY(mu_);
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_PUBLISHED_RULES_H_
