#include "registry/core/published_rules.h"

#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {

absl::StatusOr<std::unique_ptr<RulesInForce>> RulesInForce::Load(
    const ReadableStore& store, const MerkleLog& log) {
  auto published = std::make_shared<PublishedRules>();
  published->rules = DefaultSchemeRules();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> leaf,
                           store.Get(Column::kMeta, kMetaRulesLeaf));
  if (leaf.has_value()) {
    const std::optional<uint64_t> index = DecodeUint64(*leaf);
    if (!index.has_value()) {
      return absl::DataLossError("the scheme rules' log index is corrupt");
    }
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(log, *index));
    CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                             ParseSignedStatement(signed_statement));
    if (statement.kind_case() != v1::Statement::kPublishRules ||
        !ValidateSchemeRules(statement.publish_rules()).ok()) {
      return absl::DataLossError(
          absl::StrCat("log entry ", *index,
                       " is not the scheme rules statement the "
                       "metadata names"));
    }
    published->rules = statement.publish_rules();
    published->leaf_index = *index;
    published->statement_hash = StatementHash(signed_statement);
  }
  return absl::WrapUnique(new RulesInForce(std::move(published)));
}

std::shared_ptr<const PublishedRules> RulesInForce::current() const {
  absl::MutexLock lock(&mu_);
  return rules_;
}

void RulesInForce::Replace(std::shared_ptr<const PublishedRules> next) {
  absl::MutexLock lock(&mu_);
  rules_ = std::move(next);
}

}  // namespace certreg
