#include "registry/core/registry.h"

#include <algorithm>

#include "absl/memory/memory.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_answer.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/rules/admission_rules.h"
#include "verifier/rules/authority_rules.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/text_normalize.h"

namespace certreg {
namespace {

constexpr int kDefaultSearchPageSize = 20;
constexpr int kMaxSearchPageSize = 100;
constexpr int kDefaultBodiesPageSize = 50;
constexpr int kMaxBodiesPageSize = 100;
// Certificates examined per search call at most, so one call stays bounded
// even when filters reject most candidates; the page token resumes.
constexpr int kMaxSearchCandidates = 5000;
// Name n-grams: bigrams of the normalised holder name.
constexpr int kNameGramLength = 2;

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size,
                             absl::string_view field) {
  if (requested < 0 || requested > max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", requested, " is outside 1-", max_size,
                     " (0 means ", default_size, ")"));
  }
  return requested == 0 ? default_size : requested;
}

std::string EncodePageToken(absl::string_view last_key) {
  return absl::WebSafeBase64Escape(last_key);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  std::string out;
  if (!absl::WebSafeBase64Unescape(token, &out)) {
    return absl::InvalidArgumentError(
        "page_token: not a token from a previous response");
  }
  return out;
}

// The smallest string greater than `key` (for resuming after it).
std::string After(absl::string_view key) {
  return absl::StrCat(key, absl::string_view("\0", 1));
}

// The history entry of `statement`, stored in its certificate's record.
v1::RecordedStatement Recorded(const v1::Statement& statement,
                               std::string statement_hash,
                               uint64_t leaf_index) {
  v1::RecordedStatement recorded;
  recorded.set_kind(KindOf(statement));
  *recorded.mutable_date() = statement.date();
  recorded.set_details(DescribeStatement(statement));
  recorded.set_statement_hash(std::move(statement_hash));
  recorded.set_leaf_index(leaf_index);
  return recorded;
}

// The certificate numbers under one term of a posting column (or, with the
// kCertificates column and an empty term, every number) in order, through
// one cursor. Asked for ever larger numbers, it steps and seeks forward.
class NumberStream {
 public:
  NumberStream(const ReadableStore& store, Column column,
               absl::string_view term)
      : prefix_(column == Column::kCertificates ? std::string()
                                                : PostingPrefix(term)),
        cursor_(store.NewCursor(column, PrefixEnd(prefix_))) {}

  // The first number >= `from`, or "" when there is none. `from` must not
  // be smaller than in the previous call.
  absl::StatusOr<std::string> AtOrAfter(const std::string& from) {
    if (exhausted_) return std::string();
    if (!current_.empty()) {
      if (current_ >= from) return current_;
      // The next few postings are cheaper to step through than a seek.
      for (int step = 0; step < kSteps; ++step) {
        CERTREG_ASSIGN_OR_RETURN(bool more, cursor_->Next());
        if (!Take(more)) return std::string();
        if (current_ >= from) return current_;
      }
    }
    CERTREG_ASSIGN_OR_RETURN(bool found,
                             cursor_->Seek(absl::StrCat(prefix_, from)));
    Take(found);
    return current_;
  }

 private:
  static constexpr int kSteps = 4;

  bool Take(bool found) {
    exhausted_ = !found;
    current_ = found ? std::string(cursor_->key().substr(prefix_.size()))
                     : std::string();
    return found;
  }

  const std::string prefix_;
  std::unique_ptr<Cursor> cursor_;
  // The number the cursor is at; empty before the first call and at the end.
  std::string current_;
  bool exhausted_ = false;
};

absl::Status NotInRegistry(absl::string_view number) {
  return absl::NotFoundError(
      absl::StrCat("certificate ", number, " is not in the registry"));
}

// DATA_LOSS for a stored record whose chain state `problem` refused.
absl::Status CorruptRecord(absl::string_view number,
                           const absl::Status& problem) {
  return absl::DataLossError(absl::StrCat("certificate record ", number,
                                          " is corrupt: ", problem.message()));
}

// The chain of a stored record (moved out of it); DATA_LOSS when the record
// is malformed.
absl::StatusOr<CertificateChain> RestoreChain(v1::CertificateRecord& record) {
  const std::string number = record.chain().certificate().number();
  absl::StatusOr<CertificateChain> chain =
      CertificateChain::Restore(std::move(*record.mutable_chain()));
  if (!chain.ok()) return CorruptRecord(number, chain.status());
  return chain;
}

bool LooksLikeCreditCode(absl::string_view query) {
  return query.size() == 18 &&
         ValidateUnifiedSocialCreditCode(query, "query").ok();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Registry>> Registry::Open(
    Store* store, RegistryOptions options) {
  if (options.operator_key == nullptr) {
    return absl::InvalidArgumentError("operator_key: is required");
  }
  if (options.log_key == nullptr) {
    return absl::InvalidArgumentError("log_key: is required");
  }
  auto registry = absl::WrapUnique(new Registry(store, std::move(options)));
  const std::string& operator_key_id =
      registry->options_.operator_key->key_id();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> stored_key_id,
                           store->Get(Column::kMeta, kMetaOperatorKeyId));
  if (stored_key_id.has_value() && *stored_key_id != operator_key_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this data directory belongs to operator key ", ToHex(*stored_key_id),
        " but the configured operator key is ", ToHex(operator_key_id)));
  }
  if (!stored_key_id.has_value()) {
    WriteBatch batch;
    batch.Put(Column::kMeta, kMetaOperatorKeyId, operator_key_id);
    batch.Put(Column::kMeta, kMetaRecordFormat, kRecordFormat);
    CERTREG_RETURN_IF_ERROR(store->Write(batch));
  }
  MerkleLogOptions log_options;
  log_options.log_key = registry->options_.log_key;
  log_options.origin = registry->options_.log_origin;
  log_options.now = registry->options_.now;
  CERTREG_ASSIGN_OR_RETURN(registry->log_,
                           MerkleLog::Open(store, std::move(log_options)));
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> record_format,
                           store->Get(Column::kMeta, kMetaRecordFormat));
  if (!record_format.has_value()) {
    CERTREG_RETURN_IF_ERROR(registry->UpgradeCertificateRecords());
  } else if (*record_format != kRecordFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this data directory's certificate records are in format \"",
        *record_format, "\", which this registry does not read (it reads ",
        kRecordFormat, "; a newer certreg may have written them)"));
  }
  CERTREG_RETURN_IF_ERROR(registry->LoadRules());
  registry->commits_ =
      std::make_unique<CommitQueue>([store] { return store->Sync(); });
  return registry;
}

absl::Status Registry::LoadRules() {
  auto published = std::make_shared<PublishedRules>();
  published->rules = DefaultSchemeRules();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> leaf,
                           store_->Get(Column::kMeta, kMetaRulesLeaf));
  if (leaf.has_value()) {
    const std::optional<uint64_t> index = DecodeUint64(*leaf);
    if (!index.has_value()) {
      return absl::DataLossError("the scheme rules' log index is corrupt");
    }
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(*index));
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
  absl::MutexLock lock(&rules_mu_);
  rules_ = std::move(published);
  return absl::OkStatus();
}

std::shared_ptr<const Registry::PublishedRules> Registry::rules() const {
  absl::MutexLock lock(&rules_mu_);
  return rules_;
}

absl::Status Registry::UpgradeCertificateRecords() {
  constexpr size_t kPage = 1000;
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> done,
                           store_->Get(Column::kMeta, kMetaRecordUpgradeAfter));
  std::string start = done.has_value() ? After(*done) : "";
  auto tell = [this](absl::string_view what) {
    if (options_.progress) options_.progress(what);
  };
  tell(done.has_value()
           ? absl::StrCat("resuming the upgrade of certificate records after ",
                          *done)
           : "upgrading certificate records to the current format (once; "
             "every chain is replayed from the log)");
  uint64_t upgraded = 0;
  while (true) {
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<KeyValue> rows,
        store_->Scan(Column::kCertificates, start, "", kPage));
    if (rows.empty()) break;
    WriteBatch batch;
    for (const auto& [number, value] : rows) {
      std::optional<std::vector<uint64_t>> indexes = DecodeLeafIndexes(value);
      if (!indexes.has_value()) {
        return absl::DataLossError(
            absl::StrCat("certificate record ", number, " is corrupt"));
      }
      absl::StatusOr<v1::CertificateRecord> record = ReplayRecord(*indexes);
      if (!record.ok()) {
        // Name the certificate: its chain no longer replays (a missing leaf,
        // or rules that refuse what was once accepted).
        return absl::DataLossError(
            absl::StrCat("upgrading the record of certificate ", number, ": ",
                         record.status().message()));
      }
      batch.Put(Column::kCertificates, number, record->SerializeAsString());
    }
    // The page and how far the upgrade got, together: a crash resumes after
    // the last page written and never reads a record as the old format.
    batch.Put(Column::kMeta, kMetaRecordUpgradeAfter, rows.back().first);
    CERTREG_RETURN_IF_ERROR(store_->Write(batch));
    start = After(rows.back().first);
    upgraded += rows.size();
    if (upgraded % 100000 == 0) {
      tell(absl::StrCat(upgraded, " certificate records upgraded"));
    }
  }
  tell(absl::StrCat("certificate records upgraded: ", upgraded));
  WriteBatch finish;
  finish.Put(Column::kMeta, kMetaRecordFormat, kRecordFormat);
  finish.Delete(Column::kMeta, kMetaRecordUpgradeAfter);
  return store_->Write(finish);
}

absl::StatusOr<v1::CertificateRecord> Registry::ReplayRecord(
    const std::vector<uint64_t>& indexes) const {
  v1::CertificateRecord record;
  std::optional<CertificateChain> chain;
  for (uint64_t index : indexes) {
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(index));
    CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                             ParseSignedStatement(signed_statement));
    std::string hash = StatementHash(signed_statement);
    if (!chain.has_value()) {
      CERTREG_ASSIGN_OR_RETURN(CertificateChain started,
                               CertificateChain::Start(statement, hash));
      chain.emplace(std::move(started));
    } else {
      CERTREG_RETURN_IF_ERROR(chain->Apply(statement, hash));
    }
    *record.add_statements() = Recorded(statement, std::move(hash), index);
  }
  if (!chain.has_value()) {
    return absl::DataLossError("a certificate record lists no statements");
  }
  *record.mutable_chain() = chain->State();
  return record;
}

absl::CivilDay Registry::Today() const { return TodayInChina(options_.now()); }

absl::StatusOr<std::optional<v1::CertificationBody>> Registry::LoadBody(
    absl::string_view approval_number) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           store_->Get(Column::kBodies, approval_number));
  if (!bytes.has_value()) return std::nullopt;
  v1::CertificationBody body;
  if (!body.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("body record ", approval_number, " is corrupt"));
  }
  return body;
}

absl::StatusOr<v1::SignedStatement> Registry::LoadStatement(
    uint64_t index) const {
  CERTREG_ASSIGN_OR_RETURN(std::string data, log_->LeafDataAt(index));
  return ParseLeafData(data);
}

absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> Registry::PublicKeyOf(
    absl::string_view key_id) const {
  {
    absl::MutexLock lock(&key_cache_mu_);
    auto it = key_cache_.find(key_id);
    if (it != key_cache_.end()) return it->second;
  }
  // A key id names one raw key forever, so a parsed key never goes stale.
  CERTREG_ASSIGN_OR_RETURN(const v1::CertificationBody body,
                           SignerBody(key_id));
  for (const v1::BodyKey& key : body.keys()) {
    if (key.key_id() != key_id) continue;
    CERTREG_ASSIGN_OR_RETURN(Ed25519PublicKey parsed,
                             Ed25519PublicKey::FromRaw(key.public_key()));
    auto shared = std::make_shared<const Ed25519PublicKey>(std::move(parsed));
    absl::MutexLock lock(&key_cache_mu_);
    key_cache_.emplace(std::string(key_id), shared);
    return shared;
  }
  return absl::PermissionDeniedError(absl::StrCat("signer: key ", ToHex(key_id),
                                                  " is not a key of ",
                                                  body.approval_number()));
}

absl::Status Registry::Authenticate(
    const v1::Statement& statement,
    const v1::SignedStatement& signed_statement) const {
  if (IsOperatorKind(KindOf(statement))) {
    if (signed_statement.key_id() != options_.operator_key->key_id()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "signer: ", KindName(KindOf(statement)),
          " statements must be signed by the registry operator's key ",
          ToHex(options_.operator_key->key_id()), ", not ",
          ToHex(signed_statement.key_id())));
    }
    return VerifyStatementSignature(signed_statement, *options_.operator_key);
  }
  // The key must be registered for some body; whether it may sign for this
  // certificate on this date is decided under the write lock.
  CERTREG_ASSIGN_OR_RETURN(std::shared_ptr<const Ed25519PublicKey> key,
                           PublicKeyOf(signed_statement.key_id()));
  return VerifyStatementSignature(signed_statement, *key);
}

absl::StatusOr<v1::CertificationBody> Registry::SignerBody(
    absl::string_view key_id) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                           store_->Get(Column::kKeys, key_id));
  if (!owner.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer: key ", ToHex(key_id),
                     " is not registered for any certification body"));
  }
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificationBody> body,
                           LoadBody(*owner));
  if (!body.has_value()) {
    return absl::DataLossError(
        absl::StrCat("body record ", *owner, " missing"));
  }
  return *std::move(body);
}

absl::StatusOr<std::shared_ptr<const v1::CertificationBody>>
Registry::CachedSignerBody(absl::string_view key_id) {
  auto cached = signer_bodies_.find(key_id);
  if (cached != signer_bodies_.end()) return cached->second;
  CERTREG_ASSIGN_OR_RETURN(v1::CertificationBody body, SignerBody(key_id));
  auto shared = std::make_shared<const v1::CertificationBody>(std::move(body));
  signer_bodies_.emplace(std::string(key_id), shared);
  return shared;
}

absl::StatusOr<v1::StatementReceipt> Registry::Apply(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement) {
  CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                           ParseSignedStatement(signed_statement));
  const v1::StatementKind kind = KindOf(statement);
  if (expected_kind != v1::STATEMENT_KIND_UNSPECIFIED &&
      kind != expected_kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("statement.kind: is ", KindName(kind),
                     " but this call takes ", KindName(expected_kind)));
  }
  CERTREG_RETURN_IF_ERROR(ValidateDate(statement.date(), "statement.date"));
  const absl::CivilDay today = Today();
  if (ToCivilDay(statement.date()) > today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement.date: ", FormatDate(statement.date()),
        " is in the future (today is ", FormatDate(ToProtoDate(today)),
        " in China Standard Time)"));
  }
  // The signature is checked before anything else is said, and outside the
  // write lock so that writers verify in parallel: a key id names one raw
  // key forever, so no concurrent write can change the answer.
  CERTREG_RETURN_IF_ERROR(Authenticate(statement, signed_statement));
  const std::string statement_hash = StatementHash(signed_statement);

  absl::MutexLock lock(&write_mu_);
  if (!write_failure_.ok()) return write_failure_;
  const uint64_t index = log_->size();
  WriteBatch batch;
  std::shared_ptr<const PublishedRules> next_rules;
  if (kind == v1::STATEMENT_KIND_PUBLISH_RULES) {
    CERTREG_RETURN_IF_ERROR(
        AddRulesStatement(statement, statement_hash, batch, next_rules));
  } else if (IsAuthorityKind(kind)) {
    // It may change a body or a key's owner, whether or not it is stored.
    signer_bodies_.clear();
    CERTREG_RETURN_IF_ERROR(AddAuthorityStatement(statement, batch));
  } else {
    CERTREG_RETURN_IF_ERROR(AddCertificateStatement(statement, signed_statement,
                                                    statement_hash, batch));
  }
  CERTREG_ASSIGN_OR_RETURN(
      std::string leaf_hash,
      log_->AppendToBatch(LeafData(signed_statement), batch));
  CERTREG_RETURN_IF_ERROR(store_->WriteUnsynced(batch));
  log_->Committed();
  if (next_rules != nullptr) {
    absl::MutexLock rules_lock(&rules_mu_);
    rules_ = std::move(next_rules);
  }
  v1::StatementReceipt receipt;
  receipt.set_statement_hash(statement_hash);
  receipt.set_leaf_index(index);
  receipt.set_leaf_hash(leaf_hash);
  return receipt;
}

absl::Status Registry::WriteFailure(const absl::Status& sync_status) {
  // The statements are written but may not survive a crash. Whether they
  // will is unknown, so stop taking writes rather than build on them; a
  // restart recovers from what the disk really holds.
  absl::MutexLock lock(&write_mu_);
  if (write_failure_.ok()) {
    write_failure_ = absl::UnavailableError(absl::StrCat(
        "the registry stopped accepting writes after a storage failure "
        "(restart it once the disk is fixed): ",
        sync_status.message()));
  }
  return write_failure_;
}

void Registry::SubmitAsync(v1::StatementKind expected_kind,
                           const v1::SignedStatement& signed_statement,
                           SubmitDone done) {
  absl::StatusOr<v1::StatementReceipt> receipt =
      Apply(expected_kind, signed_statement);
  if (!receipt.ok()) {
    done(std::move(receipt));
    return;
  }
  // Acknowledge only once durable. A later statement of the same chain is
  // acknowledged only after this one: the queue keeps order.
  commits_->WhenDurable([this, receipt = *std::move(receipt),
                         done = std::move(done)](absl::Status durable) {
    if (!durable.ok()) {
      done(WriteFailure(durable));
    } else {
      done(receipt);
    }
  });
}

absl::StatusOr<v1::StatementReceipt> Registry::Submit(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement) {
  absl::StatusOr<v1::StatementReceipt> receipt =
      Apply(expected_kind, signed_statement);
  if (!receipt.ok()) return receipt;
  if (absl::Status durable = commits_->WaitDurable(); !durable.ok()) {
    return WriteFailure(durable);
  }
  return receipt;
}

absl::Status Registry::SubmitBatchAsync(
    const std::vector<const v1::SignedStatement*>& statements, BatchDone done) {
  if (statements.size() > kMaxBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed_statements: ", statements.size(),
                     " statements in one call; the limit is ", kMaxBatch));
  }
  auto receipts =
      std::make_shared<std::vector<absl::StatusOr<v1::StatementReceipt>>>();
  receipts->reserve(statements.size());
  bool any_applied = false;
  for (const v1::SignedStatement* statement : statements) {
    receipts->push_back(Apply(v1::STATEMENT_KIND_UNSPECIFIED, *statement));
    any_applied = any_applied || receipts->back().ok();
  }
  if (!any_applied) {
    done(std::move(*receipts));
    return absl::OkStatus();
  }
  commits_->WhenDurable(
      [this, receipts, done = std::move(done)](absl::Status durable) {
        if (!durable.ok()) {
          const absl::Status failure = WriteFailure(durable);
          for (auto& receipt : *receipts) {
            if (receipt.ok()) receipt = failure;
          }
        }
        done(std::move(*receipts));
      });
  return absl::OkStatus();
}

absl::Status Registry::AddAuthorityStatement(const v1::Statement& statement,
                                             WriteBatch& batch) {
  if (!statement.certificate_number().empty() ||
      !statement.previous_event_hash().empty()) {
    return absl::InvalidArgumentError(
        "statement.certificate_number: must be empty for a body statement");
  }
  const std::string approval_number(AuthoritySubject(statement));
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificationBody> current,
                           LoadBody(approval_number));
  CERTREG_ASSIGN_OR_RETURN(v1::CertificationBody updated,
                           ApplyAuthorityStatement(current, statement));
  // A key belongs to one body only.
  for (const v1::BodyKey& key : updated.keys()) {
    CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                             store_->Get(Column::kKeys, key.key_id()));
    if (owner.has_value() && *owner != approval_number) {
      return absl::AlreadyExistsError(
          absl::StrCat("public key ", ToHex(key.key_id()),
                       " is already registered for ", *owner));
    }
    if (!owner.has_value()) {
      batch.Put(Column::kKeys, key.key_id(), approval_number);
    }
  }
  batch.Put(Column::kBodies, approval_number, updated.SerializeAsString());
  CERTREG_ASSIGN_OR_RETURN(
      std::optional<std::string> history,
      store_->Get(Column::kBodyStatements, approval_number));
  batch.Put(Column::kBodyStatements, approval_number,
            history.value_or("") + EncodeUint64(log_->size()));
  return absl::OkStatus();
}

absl::Status Registry::AddRulesStatement(
    const v1::Statement& statement, const std::string& statement_hash,
    WriteBatch& batch, std::shared_ptr<const PublishedRules>& next) {
  if (!statement.certificate_number().empty() ||
      !statement.previous_event_hash().empty()) {
    return absl::InvalidArgumentError(
        "statement.certificate_number: must be empty for a rules statement");
  }
  CERTREG_RETURN_IF_ERROR(ValidateSchemeRules(statement.publish_rules()));
  const uint32_t current = rules()->rules.version();
  if (statement.publish_rules().version() <= current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "publish_rules.version: ", statement.publish_rules().version(),
        " is not above the rules in force (version ", current, ")"));
  }
  auto published = std::make_shared<PublishedRules>();
  published->rules = statement.publish_rules();
  published->leaf_index = log_->size();
  published->statement_hash = statement_hash;
  batch.Put(Column::kMeta, kMetaRulesLeaf, EncodeUint64(log_->size()));
  next = std::move(published);
  return absl::OkStatus();
}

absl::Status Registry::AddCertificateStatement(
    const v1::Statement& statement, const v1::SignedStatement& signed_statement,
    const std::string& statement_hash, WriteBatch& batch) {
  // Who signed (Authenticate checked the signature): the key's body as it
  // stands now...
  CERTREG_ASSIGN_OR_RETURN(
      const std::shared_ptr<const v1::CertificationBody> signer,
      CachedSignerBody(signed_statement.key_id()));
  const v1::CertificationBody& body = *signer;

  const std::string& number = statement.certificate_number();
  CERTREG_RETURN_IF_ERROR(
      ValidateCertificateNumber(number, "statement.certificate_number"));
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificateRecord> stored,
                           LoadRecord(*store_, number));
  v1::CertificateRecord record;
  const v1::Certificate* certificate = nullptr;
  std::optional<CertificateChain> chain;
  if (statement.kind_case() == v1::Statement::kIssue) {
    if (stored.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("certificate.number: ", number, " is already issued"));
    }
    CERTREG_ASSIGN_OR_RETURN(
        CertificateChain started,
        CertificateChain::Start(statement, statement_hash));
    CERTREG_RETURN_IF_ERROR(CheckIssueAdmission(
        statement,
        RulesFor(rules()->rules, statement.issue().certificate().type())));
    chain.emplace(std::move(started));
    certificate = &statement.issue().certificate();
    // Indexes: credit code and name n-grams, written at issue (a holder
    // change adds its new name's).
    batch.Put(
        Column::kCreditCodeIndex,
        PostingKey(certificate->holder().unified_social_credit_code(), number),
        "");
    for (const std::string& gram : CharacterNGrams(
             NormalizeText(certificate->holder().name()), kNameGramLength)) {
      batch.Put(Column::kNameIndex, PostingKey(gram, number), "");
    }
  } else {
    if (!stored.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "statement.certificate_number: ", number, " is not in the registry"));
    }
    record = *std::move(stored);
    CERTREG_ASSIGN_OR_RETURN(CertificateChain restored, RestoreChain(record));
    chain.emplace(std::move(restored));
    CERTREG_RETURN_IF_ERROR(CheckEventAdmission(
        *chain, statement,
        RulesFor(rules()->rules, chain->certificate().type())));
    CERTREG_RETURN_IF_ERROR(chain->Apply(statement, statement_hash));
    certificate = &chain->certificate();
    // A new name is found by search too (a search as of a day before the
    // change finds the former one).
    if (statement.kind_case() == v1::Statement::kChangeHolder &&
        !statement.change_holder().new_name().empty()) {
      for (const std::string& gram :
           CharacterNGrams(NormalizeText(statement.change_holder().new_name()),
                           kNameGramLength)) {
        batch.Put(Column::kNameIndex, PostingKey(gram, number), "");
      }
    }
  }
  // The signer's body must be the certificate's body, under its accredited
  // name, with this key usable on the statement's date...
  CERTREG_RETURN_IF_ERROR(CheckSignerMayWriteFor(body, *certificate,
                                                 signed_statement.key_id(),
                                                 ToCivilDay(statement.date())));
  // ...and still usable today: a key retired since, or a body no longer
  // accredited, cannot add anything by dating it back.
  const absl::CivilDay today = Today();
  if (ToCivilDay(statement.date()) != today) {
    absl::Status now_usable =
        CheckSignerAccredited(body, signed_statement.key_id(), today);
    if (!now_usable.ok()) {
      return absl::PermissionDeniedError(
          absl::StrCat(now_usable.message(), " (checked for today, ",
                       FormatDate(ToProtoDate(today)),
                       ", the day the statement is submitted)"));
    }
  }
  *record.mutable_chain() = chain->State();
  *record.add_statements() = Recorded(statement, statement_hash, log_->size());
  batch.Put(Column::kCertificates, number, record.SerializeAsString());
  return absl::OkStatus();
}

absl::StatusOr<bool> Registry::ParseRecord(
    absl::string_view number, const std::optional<std::string>& bytes,
    v1::CertificateRecord& record) {
  if (!bytes.has_value()) return false;
  if (!record.ParseFromString(*bytes) || record.statements_size() == 0) {
    return absl::DataLossError(
        absl::StrCat("certificate record ", number, " is corrupt"));
  }
  return true;
}

absl::StatusOr<std::optional<v1::CertificateRecord>> Registry::LoadRecord(
    const ReadableStore& from, absl::string_view number) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           from.Get(Column::kCertificates, number));
  v1::CertificateRecord record;
  CERTREG_ASSIGN_OR_RETURN(bool found, ParseRecord(number, bytes, record));
  if (!found) return std::nullopt;
  return record;
}

absl::StatusOr<v1::CertificateRecord> Registry::RequireRecord(
    const ReadableStore& from, absl::string_view number) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificateRecord> record,
                           LoadRecord(from, number));
  if (!record.has_value()) return NotInRegistry(number);
  return *std::move(record);
}

absl::StatusOr<v1::GetCertificateResponse> Registry::GetCertificate(
    const v1::GetCertificateRequest& request) const {
  CERTREG_RETURN_IF_ERROR(
      ValidateCertificateNumber(request.number(), "number"));
  absl::CivilDay as_of = Today();
  if (request.has_as_of()) {
    CERTREG_RETURN_IF_ERROR(ValidateDate(request.as_of(), "as_of"));
    as_of = ToCivilDay(request.as_of());
  }
  if (!v1::CertificateView_IsValid(request.view())) {
    return absl::InvalidArgumentError(
        absl::StrCat("view: ", request.view(), " is not a CertificateView"));
  }
  const bool full = request.view() != v1::CERTIFICATE_VIEW_BASIC;
  // What a crash could still take away is not shown.
  const std::shared_ptr<const ReadableStore> durable = store_->DurableView();
  CERTREG_ASSIGN_OR_RETURN(v1::CertificateRecord record,
                           RequireRecord(*durable, request.number()));
  v1::GetCertificateResponse response;
  CERTREG_RETURN_IF_ERROR(FillAsOf(record, as_of, full, response));
  return response;
}

namespace {

void SetStarLevelNames(v1::StarLevel level, std::string* zh, std::string* en) {
  if (level == v1::STAR_LEVEL_UNSPECIFIED) return;
  *zh = std::string(StarLevelNameZh(level));
  *en = std::string(StarLevelNameEn(level));
}

}  // namespace

namespace {

// How many of `record`'s statements are dated on or before `as_of`: they are
// in chain order with dates never going backwards, so those are a prefix
// (the issue statement always counts).
int StatementsUpTo(const v1::CertificateRecord& record, absl::CivilDay as_of) {
  int shown = 1;
  while (shown < record.statements_size() &&
         ToCivilDay(record.statements(shown).date()) <= as_of) {
    ++shown;
  }
  return shown;
}

// The certificate its issue statement, `statements.front()`, and the later
// ones make.
absl::StatusOr<v1::Certificate> FoldStatements(
    const std::vector<v1::Statement>& statements) {
  if (statements.empty() ||
      statements.front().kind_case() != v1::Statement::kIssue) {
    return absl::DataLossError("its first statement is not an issue");
  }
  v1::Certificate certificate = statements.front().issue().certificate();
  for (size_t i = 1; i < statements.size(); ++i) {
    FoldIntoCertificate(statements[i], certificate);
  }
  return certificate;
}

}  // namespace

absl::StatusOr<v1::Certificate> Registry::CertificateAsOf(
    const v1::CertificateRecord& record, absl::CivilDay as_of) const {
  const int shown = StatementsUpTo(record, as_of);
  std::vector<v1::Statement> statements;
  for (int i = 0; i < shown; ++i) {
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(record.statements(i).leaf_index()));
    CERTREG_ASSIGN_OR_RETURN(statements.emplace_back(),
                             ParseSignedStatement(signed_statement));
  }
  absl::StatusOr<v1::Certificate> certificate = FoldStatements(statements);
  if (!certificate.ok()) {
    return CorruptRecord(record.chain().certificate().number(),
                         certificate.status());
  }
  return certificate;
}

absl::Status Registry::FillAsOf(v1::CertificateRecord& record,
                                absl::CivilDay as_of, bool full,
                                v1::GetCertificateResponse& response) const {
  const int shown = StatementsUpTo(record, as_of);
  const bool replay = shown < record.statements_size();
  response.set_later_event_count(record.statements_size() - shown);
  std::vector<v1::Statement> statements;
  response.mutable_history()->Reserve(shown);
  for (int i = 0; i < shown; ++i) {
    v1::RecordedStatement& recorded = *record.mutable_statements(i);
    v1::HistoryEntry* entry = response.add_history();
    entry->set_kind(recorded.kind());
    *entry->mutable_date() = recorded.date();
    entry->set_details(std::move(*recorded.mutable_details()));
    entry->set_statement_hash(std::move(*recorded.mutable_statement_hash()));
    entry->set_leaf_index(recorded.leaf_index());
    if (!full && !replay) continue;
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(recorded.leaf_index()));
    if (replay) {
      CERTREG_ASSIGN_OR_RETURN(statements.emplace_back(),
                               ParseSignedStatement(signed_statement));
    }
    if (full) *entry->mutable_signed_statement() = std::move(signed_statement);
  }
  CERTREG_ASSIGN_OR_RETURN(CertificateChain chain, RestoreChain(record));
  if (std::optional<absl::CivilDay> last = chain.LastSurveillance(as_of)) {
    *response.mutable_last_surveillance_date() = ToProtoDate(*last);
  }
  response.set_surveillance_count(chain.SurveillanceCount(as_of));
  *response.mutable_status() = chain.StatusAsOf(as_of, rules()->rules);
  response.set_head_event_hash(chain.head_hash());
  if (!replay) {
    *response.mutable_certificate() = std::move(chain).TakeCertificate();
  } else {
    // The certificate as issued, with what changed it up to as_of.
    absl::StatusOr<v1::Certificate> certificate = FoldStatements(statements);
    if (!certificate.ok()) {
      return CorruptRecord(record.chain().certificate().number(),
                           certificate.status());
    }
    *response.mutable_certificate() = *std::move(certificate);
  }
  SetStarLevelNames(response.certificate().service_grade().star_level(),
                    response.mutable_star_level_name_zh(),
                    response.mutable_star_level_name_en());
  return absl::OkStatus();
}

absl::StatusOr<v1::CertificateSummary> Registry::Summarize(
    absl::string_view number, const std::optional<std::string>& stored,
    absl::CivilDay as_of, const v1::SearchCertificatesRequest& filters,
    bool* matches) const {
  // Parsed on an arena that starts on the stack, the record costs (nearly)
  // no allocations; only what the summary shows is copied out of it.
  alignas(8) char initial_block[8192];
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = initial_block;
  arena_options.initial_block_size = sizeof(initial_block);
  google::protobuf::Arena arena(arena_options);
  auto* record =
      google::protobuf::Arena::CreateMessage<v1::CertificateRecordChain>(
          &arena);
  if (!stored.has_value()) return NotInRegistry(number);
  if (!record->ParseFromString(*stored) || !record->has_chain()) {
    return CorruptRecord(
        number, absl::DataLossError("not a CertificateRecord with a chain"));
  }
  absl::StatusOr<v1::EffectiveStatus> status =
      StatusOfState(record->chain(), as_of, rules()->rules);
  if (!status.ok()) return CorruptRecord(number, status.status());
  const v1::Certificate* current = &record->chain().certificate();
  // As of a day before its latest statement, the certificate as it stood.
  std::optional<v1::Certificate> then;
  if (as_of < ToCivilDay(record->chain().last_event_date())) {
    v1::CertificateRecord full;
    if (!full.ParseFromString(*stored)) {
      return CorruptRecord(number, absl::DataLossError("unreadable"));
    }
    CERTREG_ASSIGN_OR_RETURN(then, CertificateAsOf(full, as_of));
    current = &*then;
  }
  const v1::Certificate& c = *current;
  v1::CertificateSummary summary;
  summary.set_number(c.number());
  summary.set_holder_name(c.holder().name());
  summary.set_unified_social_credit_code(
      c.holder().unified_social_credit_code());
  summary.set_type(c.type());
  *summary.mutable_item() = c.item();
  summary.set_body_approval_number(c.body_approval_number());
  summary.set_body_name(c.body_name());
  *summary.mutable_issue_date() = c.issue_date();
  *summary.mutable_expiry_date() = c.expiry_date();
  summary.set_star_level(c.service_grade().star_level());
  SetStarLevelNames(c.service_grade().star_level(),
                    summary.mutable_star_level_name_zh(),
                    summary.mutable_star_level_name_en());
  *summary.mutable_status() = *std::move(status);

  *matches = (filters.type() == v1::CERTIFICATION_TYPE_UNSPECIFIED ||
              filters.type() == c.type()) &&
             (filters.item_code().empty() ||
              c.item().code().rfind(filters.item_code(), 0) == 0) &&
             (filters.body_approval_number().empty() ||
              filters.body_approval_number() == c.body_approval_number()) &&
             (filters.status() == v1::CERTIFICATE_STATUS_UNSPECIFIED ||
              filters.status() == summary.status().status());
  return summary;
}

absl::StatusOr<v1::SearchCertificatesResponse> Registry::SearchCertificates(
    const v1::SearchCertificatesRequest& request) const {
  CERTREG_ASSIGN_OR_RETURN(int page_size,
                           PageSize(request.page_size(), kDefaultSearchPageSize,
                                    kMaxSearchPageSize, "page_size"));
  CERTREG_RETURN_IF_ERROR(
      ValidateText(request.query(), "query", kMaxHolderNameChars, false));
  if (!request.item_code().empty()) {
    CERTREG_RETURN_IF_ERROR(ValidateItemCode(request.item_code(), "item_code"));
  }
  if (!request.body_approval_number().empty()) {
    CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(
        request.body_approval_number(), "body_approval_number"));
  }
  absl::CivilDay as_of = Today();
  if (request.has_as_of()) {
    CERTREG_RETURN_IF_ERROR(ValidateDate(request.as_of(), "as_of"));
    as_of = ToCivilDay(request.as_of());
  }
  CERTREG_ASSIGN_OR_RETURN(std::string resume_after,
                           DecodePageToken(request.page_token()));
  const std::string query = NormalizeText(request.query());

  // Postings and records as made durable: no result a crash could take
  // away, none half written.
  const std::shared_ptr<const ReadableStore> durable = store_->DurableView();
  // Candidates come in certificate-number order from the postings of the
  // credit code, of every bigram of the name, or from every certificate.
  const bool by_credit_code = LooksLikeCreditCode(request.query());
  std::vector<NumberStream> streams;
  if (by_credit_code) {
    streams.emplace_back(*durable, Column::kCreditCodeIndex, request.query());
  } else if (!query.empty() && SplitCodePoints(query).size() >= 2) {
    for (const std::string& gram : CharacterNGrams(query, kNameGramLength)) {
      streams.emplace_back(*durable, Column::kNameIndex, gram);
    }
  } else {
    // A one-character query, filters only or nothing (list everything):
    // walk every certificate.
    streams.emplace_back(*durable, Column::kCertificates, "");
  }
  // `next_candidate(after)`: the first number > after in every stream (a
  // leapfrog join), or "".
  auto next_candidate =
      [&streams](const std::string& after) -> absl::StatusOr<std::string> {
    std::string candidate = After(after);
    while (true) {
      bool all_equal = true;
      for (NumberStream& stream : streams) {
        CERTREG_ASSIGN_OR_RETURN(std::string hit, stream.AtOrAfter(candidate));
        if (hit.empty()) return std::string();
        if (hit != candidate) {
          all_equal = false;
          candidate = std::move(hit);
        }
      }
      if (all_equal) return candidate;
    }
  };

  v1::SearchCertificatesResponse response;
  std::string cursor = resume_after;  // the last candidate examined
  int examined = 0;
  while (response.certificates_size() < page_size) {
    if (examined == kMaxSearchCandidates) {
      response.set_next_page_token(EncodePageToken(cursor));
      return response;
    }
    // As many candidates as the page has room for (most of them match),
    // their records read in one batch. The page can only fill on the last.
    std::vector<std::string> candidates;
    const size_t room =
        static_cast<size_t>(std::min(page_size - response.certificates_size(),
                                     kMaxSearchCandidates - examined));
    bool exhausted = false;
    while (candidates.size() < room) {
      CERTREG_ASSIGN_OR_RETURN(
          std::string number,
          next_candidate(candidates.empty() ? cursor : candidates.back()));
      if (number.empty()) {
        exhausted = true;
        break;
      }
      candidates.push_back(std::move(number));
    }
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<std::optional<std::string>> records,
        durable->MultiGet(Column::kCertificates, candidates));
    for (size_t i = 0; i < candidates.size(); ++i) {
      bool matches = false;
      CERTREG_ASSIGN_OR_RETURN(
          v1::CertificateSummary summary,
          Summarize(candidates[i], records[i], as_of, request, &matches));
      // The n-grams narrow the candidates; the name must really contain
      // the query (bigrams can occur apart).
      if (!by_credit_code && !query.empty() &&
          NormalizeText(summary.holder_name()).find(query) ==
              std::string::npos) {
        matches = false;
      }
      if (matches) *response.add_certificates() = std::move(summary);
    }
    examined += candidates.size();
    if (!candidates.empty()) cursor = candidates.back();
    if (exhausted) return response;
  }
  // A full page: there may be more.
  CERTREG_ASSIGN_OR_RETURN(std::string more, next_candidate(cursor));
  if (!more.empty()) response.set_next_page_token(EncodePageToken(cursor));
  return response;
}

absl::StatusOr<v1::ListBodiesResponse> Registry::ListBodies(
    const v1::ListBodiesRequest& request) const {
  CERTREG_ASSIGN_OR_RETURN(int page_size,
                           PageSize(request.page_size(), kDefaultBodiesPageSize,
                                    kMaxBodiesPageSize, "page_size"));
  CERTREG_ASSIGN_OR_RETURN(std::string after,
                           DecodePageToken(request.page_token()));
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<KeyValue> rows,
      store_->DurableView()->Scan(Column::kBodies,
                                  after.empty() ? "" : After(after), "",
                                  page_size + 1));
  const absl::CivilDay today = Today();
  v1::ListBodiesResponse response;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(page_size);
       ++i) {
    v1::CertificationBody* body = response.add_bodies();
    if (!body->ParseFromString(rows[i].second)) {
      return absl::DataLossError(
          absl::StrCat("body record ", rows[i].first, " is corrupt"));
    }
    body->set_accredited(AccreditedOn(*body, today));
  }
  if (rows.size() > static_cast<size_t>(page_size)) {
    response.set_next_page_token(EncodePageToken(rows[page_size - 1].first));
  }
  return response;
}

v1::GetRegistryKeysResponse Registry::GetRegistryKeys() const {
  v1::GetRegistryKeysResponse response;
  response.set_operator_public_key(options_.operator_key->raw());
  response.set_operator_key_id(options_.operator_key->key_id());
  response.set_log_public_key(log_->public_key().raw());
  response.set_log_key_id(log_->public_key().key_id());
  response.set_log_origin(log_->origin());
  return response;
}

absl::StatusOr<v1::SignedCheckpoint> Registry::PublishCheckpoint() {
  if (absl::Status failed = commits_->failure(); !failed.ok()) {
    return WriteFailure(failed);
  }
  return log_->Publish();
}

absl::StatusOr<v1::SignedCheckpoint> Registry::GetCheckpoint(
    const v1::GetCheckpointRequest& request) {
  if (request.tree_size() == 0) return PublishCheckpoint();
  return log_->CheckpointAt(request.tree_size());
}

absl::StatusOr<v1::InclusionProof> Registry::GetInclusionProof(
    const v1::GetInclusionProofRequest& request) {
  uint64_t tree_size = request.tree_size();
  if (tree_size == 0) {
    CERTREG_ASSIGN_OR_RETURN(v1::SignedCheckpoint latest, PublishCheckpoint());
    v1::Checkpoint checkpoint;
    checkpoint.ParseFromString(latest.checkpoint());
    tree_size = checkpoint.tree_size();
  }
  switch (request.leaf_case()) {
    case v1::GetInclusionProofRequest::kLeafIndex:
      return log_->ProveInclusion(request.leaf_index(), tree_size);
    case v1::GetInclusionProofRequest::kLeafHash: {
      CERTREG_ASSIGN_OR_RETURN(uint64_t index,
                               log_->IndexOfLeaf(request.leaf_hash()));
      return log_->ProveInclusion(index, tree_size);
    }
    default:
      return absl::InvalidArgumentError("leaf: give leaf_index or leaf_hash");
  }
}

absl::StatusOr<v1::ConsistencyProof> Registry::GetConsistencyProof(
    const v1::GetConsistencyProofRequest& request) const {
  return log_->ProveConsistency(request.from_size(), request.to_size());
}

absl::StatusOr<v1::GetEntriesResponse> Registry::GetEntries(
    const v1::GetEntriesRequest& request) const {
  constexpr uint64_t kMaxEntries = 1000;
  if (request.end() <= request.start()) {
    return absl::InvalidArgumentError(
        absl::StrCat("end: ", request.end(), " must be greater than start ",
                     request.start()));
  }
  if (request.end() - request.start() > kMaxEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat("end: at most ", kMaxEntries, " entries per call"));
  }
  if (request.end() > log_->size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "end: ", request.end(), " exceeds the log's size ", log_->size()));
  }
  // Only durable entries: a mirror must never copy one a crash could still
  // take away. An entry counted in the log but not yet synced is at most
  // one sync away.
  std::shared_ptr<const ReadableStore> durable = store_->DurableView();
  bool waited = false;
  v1::GetEntriesResponse response;
  for (uint64_t i = request.start(); i < request.end(); ++i) {
    CERTREG_ASSIGN_OR_RETURN(
        std::optional<std::string> data,
        durable->Get(Column::kStatements, EncodeUint64(i)));
    if (!data.has_value() && !waited) {
      waited = true;
      if (absl::Status synced = commits_->WaitDurable(); !synced.ok()) {
        return absl::UnavailableError(absl::StrCat(
            "log entry ", i, " is not durable: ", synced.message()));
      }
      durable = store_->DurableView();
      CERTREG_ASSIGN_OR_RETURN(
          data, durable->Get(Column::kStatements, EncodeUint64(i)));
    }
    if (!data.has_value()) {
      return absl::DataLossError(absl::StrCat("log entry ", i, " is missing"));
    }
    v1::LogEntry* entry = response.add_entries();
    entry->set_index(i);
    CERTREG_ASSIGN_OR_RETURN(*entry->mutable_signed_statement(),
                             ParseLeafData(*data));
  }
  return response;
}

absl::StatusOr<std::vector<v1::ProvenStatement>> Registry::Prove(
    const std::vector<uint64_t>& indexes, const MerkleLog::Prover& prover,
    ProvenByIndex* proven) const {
  std::vector<v1::ProvenStatement> out;
  out.reserve(indexes.size());
  for (uint64_t index : indexes) {
    if (proven != nullptr) {
      auto it = proven->find(index);
      if (it != proven->end()) {
        out.push_back(it->second);
        continue;
      }
    }
    v1::ProvenStatement statement;
    // The statement first: its neighbour, whose hash the proof needs, is
    // most often in the same block of the store.
    CERTREG_ASSIGN_OR_RETURN(*statement.mutable_signed_statement(),
                             LoadStatement(index));
    CERTREG_ASSIGN_OR_RETURN(*statement.mutable_inclusion_proof(),
                             prover.Prove(index));
    if (proven != nullptr) proven->emplace(index, statement);
    out.push_back(std::move(statement));
  }
  return out;
}

uint64_t Registry::BundleSources::last_leaf_index() const {
  uint64_t last = authority.empty() ? 0 : authority.back();
  if (rules != nullptr && rules->leaf_index.has_value()) {
    last = std::max(last, *rules->leaf_index);
  }
  for (const v1::RecordedStatement& recorded : record.statements()) {
    last = std::max(last, recorded.leaf_index());
  }
  return last;
}

absl::StatusOr<Registry::BundleSources> Registry::ReadBundleSources(
    absl::string_view number, absl::string_view field) const {
  CERTREG_RETURN_IF_ERROR(ValidateCertificateNumber(number, field));
  BundleSources sources;
  sources.number = std::string(number);
  // The latest state: the checkpoint published to cover it syncs first.
  CERTREG_ASSIGN_OR_RETURN(sources.record, RequireRecord(*store_, number));
  const std::string& body =
      sources.record.chain().certificate().body_approval_number();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> body_history,
                           store_->Get(Column::kBodyStatements, body));
  std::optional<std::vector<uint64_t>> authority;
  if (body_history.has_value()) authority = DecodeLeafIndexes(*body_history);
  if (!authority.has_value() || authority->empty()) {
    return absl::DataLossError(
        absl::StrCat("authority statements of ", body, " are missing"));
  }
  sources.authority = *std::move(authority);
  sources.rules = rules();
  return sources;
}

absl::StatusOr<v1::SignedCheckpoint> Registry::PublishCheckpointCovering(
    uint64_t last_leaf_index) {
  if (last_leaf_index >= log_->size()) {
    // A writer makes its batch readable just before it counts the leaf in
    // the log, both under write_mu_: once the lock is free, it has.
    absl::MutexLock wait(&write_mu_);
  }
  return PublishCheckpoint();
}

absl::StatusOr<v1::VerificationBundle> Registry::AssembleBundle(
    const BundleSources& sources, const v1::SignedCheckpoint& checkpoint,
    const MerkleLog::Prover& prover, ProvenByIndex& authority,
    v1::CertificateHead& head) const {
  std::vector<uint64_t> leaf_indexes;
  for (const v1::RecordedStatement& recorded : sources.record.statements()) {
    leaf_indexes.push_back(recorded.leaf_index());
  }
  v1::VerificationBundle bundle;
  bundle.set_certificate_number(sources.number);
  *bundle.mutable_checkpoint() = checkpoint;
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::ProvenStatement> statements,
                           Prove(leaf_indexes, prover, /*proven=*/nullptr));
  for (auto& s : statements) {
    *bundle.add_certificate_statements() = std::move(s);
  }
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::ProvenStatement> authorities,
                           Prove(sources.authority, prover, &authority));
  for (auto& s : authorities) {
    *bundle.add_authority_statements() = std::move(s);
  }
  head.set_certificate_number(sources.number);
  head.set_tree_size(prover.tree_size());
  head.set_certificate_statement_count(leaf_indexes.size());
  head.set_latest_statement_hash(sources.record.chain().head_hash());
  head.set_body_approval_number(
      sources.record.chain().certificate().body_approval_number());
  head.set_authority_statement_count(sources.authority.size());
  head.set_latest_authority_leaf_index(sources.authority.back());
  if (sources.rules->leaf_index.has_value()) {
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<v1::ProvenStatement> rules,
        Prove({*sources.rules->leaf_index}, prover, &authority));
    *bundle.mutable_rules_statement() = std::move(rules.front());
    head.set_rules_statement_hash(sources.rules->statement_hash);
  }
  return bundle;
}

namespace {
absl::StatusOr<uint64_t> TreeSizeOf(const v1::SignedCheckpoint& checkpoint) {
  v1::Checkpoint parsed;
  if (!parsed.ParseFromString(checkpoint.checkpoint())) {
    return absl::DataLossError("the latest checkpoint is corrupt");
  }
  return parsed.tree_size();
}
}  // namespace

absl::StatusOr<v1::VerificationBundle> Registry::GetVerificationBundle(
    const v1::GetVerificationBundleRequest& request) {
  // Read first: the checkpoint published afterwards covers what was read.
  CERTREG_ASSIGN_OR_RETURN(const BundleSources sources,
                           ReadBundleSources(request.number(), "number"));
  CERTREG_ASSIGN_OR_RETURN(
      const v1::SignedCheckpoint checkpoint,
      PublishCheckpointCovering(sources.last_leaf_index()));
  CERTREG_ASSIGN_OR_RETURN(const uint64_t tree_size, TreeSizeOf(checkpoint));
  CERTREG_ASSIGN_OR_RETURN(const MerkleLog::Prover prover,
                           log_->NewProver(tree_size));
  ProvenByIndex authority;
  v1::CertificateHead head;
  CERTREG_ASSIGN_OR_RETURN(
      v1::VerificationBundle bundle,
      AssembleBundle(sources, checkpoint, prover, authority, head));
  CERTREG_ASSIGN_OR_RETURN(*bundle.mutable_head(),
                           SignCertificateHead(head, *options_.log_key));
  return bundle;
}

absl::StatusOr<v1::GetVerificationBundlesResponse>
Registry::GetVerificationBundles(
    const v1::GetVerificationBundlesRequest& request) {
  if (request.numbers_size() > kMaxBundles) {
    return absl::InvalidArgumentError(
        absl::StrCat("numbers: ", request.numbers_size(),
                     " numbers in one call; the limit is ", kMaxBundles));
  }
  v1::GetVerificationBundlesResponse response;
  std::vector<absl::StatusOr<BundleSources>> sources;
  std::optional<uint64_t> last_leaf_index;  // of every bundle to build
  for (int i = 0; i < request.numbers_size(); ++i) {
    sources.push_back(ReadBundleSources(request.numbers(i),
                                        absl::StrCat("numbers[", i, "]")));
    if (sources.back().ok()) {
      last_leaf_index = std::max(last_leaf_index.value_or(0),
                                 sources.back()->last_leaf_index());
    }
  }
  // Without a bundle to build there is no checkpoint to publish.
  v1::SignedCheckpoint checkpoint;
  uint64_t tree_size = 0;
  if (last_leaf_index.has_value()) {
    CERTREG_ASSIGN_OR_RETURN(checkpoint,
                             PublishCheckpointCovering(*last_leaf_index));
    CERTREG_ASSIGN_OR_RETURN(tree_size, TreeSizeOf(checkpoint));
  }
  CERTREG_ASSIGN_OR_RETURN(const MerkleLog::Prover prover,
                           log_->NewProver(tree_size));
  ProvenByIndex authority;
  std::vector<v1::CertificateHead> heads;
  std::vector<v1::VerificationBundle*> headless;
  size_t answer_bytes = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    absl::StatusOr<BundleSources>& read = sources[i];
    v1::VerificationBundleResult* result = response.add_results();
    v1::CertificateHead head;
    absl::StatusOr<v1::VerificationBundle> bundle =
        read.ok() ? AssembleBundle(*read, checkpoint, prover, authority, head)
                  : read.status();
    if (bundle.ok()) {
      const size_t bytes = bundle->ByteSizeLong();
      if (!heads.empty() && answer_bytes + bytes > options_.max_bundles_bytes) {
        bundle = absl::ResourceExhaustedError(absl::StrCat(
            "numbers[", i, "]: the answer already carries ", answer_bytes,
            " bytes of bundles and this one's ", bytes, " would pass the ",
            options_.max_bundles_bytes,
            "-byte limit; ask for it again (alone, or with fewer numbers)"));
      } else {
        answer_bytes += bytes;
      }
    }
    if (!bundle.ok()) {
      SetAnswerStatus(bundle.status(), result);
      continue;
    }
    *result->mutable_bundle() = *std::move(bundle);
    heads.push_back(std::move(head));
    headless.push_back(result->mutable_bundle());
  }
  if (heads.empty()) return response;
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<v1::CertificateHeadInTree> signed_heads,
      SignCertificateHeads(heads, tree_size, *options_.log_key));
  for (size_t i = 0; i < headless.size(); ++i) {
    *headless[i]->mutable_head_in_tree() = std::move(signed_heads[i]);
  }
  return response;
}

}  // namespace certreg
