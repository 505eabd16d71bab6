#include "registry/core/statement_writer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/admission_rules.h"
#include "verifier/rules/authority_rules.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/text_normalize.h"

namespace certreg {
namespace {

// Name n-grams: bigrams of the normalised holder name (search reads them).
constexpr int kNameGramLength = 2;

}  // namespace

StatementWriter::StatementWriter(
    Store* store, MerkleLog* log, RulesInForce* rules,
    std::shared_ptr<const Ed25519PublicKey> operator_key,
    std::function<absl::Time()> now)
    : store_(store),
      log_(log),
      rules_(rules),
      operator_key_(std::move(operator_key)),
      now_(std::move(now)),
      commits_(
          std::make_unique<CommitQueue>([store] { return store->Sync(); })) {}

absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>>
StatementWriter::PublicKeyOf(absl::string_view key_id) const {
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

absl::Status StatementWriter::Authenticate(
    const v1::Statement& statement,
    const v1::SignedStatement& signed_statement) const {
  if (IsOperatorKind(KindOf(statement))) {
    if (signed_statement.key_id() != operator_key_->key_id()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "signer: ", KindName(KindOf(statement)),
          " statements must be signed by the registry operator's key ",
          ToHex(operator_key_->key_id()), ", not ",
          ToHex(signed_statement.key_id())));
    }
    return VerifyStatementSignature(signed_statement, *operator_key_);
  }
  // The key must be registered for some body; whether it may sign for this
  // certificate on this date is decided under the write lock.
  CERTREG_ASSIGN_OR_RETURN(std::shared_ptr<const Ed25519PublicKey> key,
                           PublicKeyOf(signed_statement.key_id()));
  return VerifyStatementSignature(signed_statement, *key);
}

absl::StatusOr<v1::CertificationBody> StatementWriter::SignerBody(
    absl::string_view key_id) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                           store_->Get(Column::kKeys, key_id));
  if (!owner.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer: key ", ToHex(key_id),
                     " is not registered for any certification body"));
  }
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificationBody> body,
                           LoadBody(*store_, *owner));
  if (!body.has_value()) {
    return absl::DataLossError(
        absl::StrCat("body record ", *owner, " missing"));
  }
  return *std::move(body);
}

absl::StatusOr<std::shared_ptr<const v1::CertificationBody>>
StatementWriter::CachedSignerBody(absl::string_view key_id) {
  auto cached = signer_bodies_.find(key_id);
  if (cached != signer_bodies_.end()) return cached->second;
  CERTREG_ASSIGN_OR_RETURN(v1::CertificationBody body, SignerBody(key_id));
  auto shared = std::make_shared<const v1::CertificationBody>(std::move(body));
  signer_bodies_.emplace(std::string(key_id), shared);
  return shared;
}

absl::StatusOr<v1::StatementReceipt> StatementWriter::Apply(
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
  const absl::CivilDay today = TodayInChina(now_());
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

  absl::MutexLock lock(&mu_);
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
  if (next_rules != nullptr) rules_->Replace(std::move(next_rules));
  v1::StatementReceipt receipt;
  receipt.set_statement_hash(statement_hash);
  receipt.set_leaf_index(index);
  receipt.set_leaf_hash(leaf_hash);
  return receipt;
}

absl::Status StatementWriter::StopWrites(const absl::Status& sync_status) {
  // The statements are written but may not survive a crash. Whether they
  // will is unknown, so stop taking writes rather than build on them; a
  // restart recovers from what the disk really holds.
  absl::MutexLock lock(&mu_);
  if (write_failure_.ok()) {
    write_failure_ = absl::UnavailableError(absl::StrCat(
        "the registry stopped accepting writes after a storage failure "
        "(restart it once the disk is fixed): ",
        sync_status.message()));
  }
  return write_failure_;
}

void StatementWriter::SubmitAsync(v1::StatementKind expected_kind,
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
      done(StopWrites(durable));
    } else {
      done(receipt);
    }
  });
}

absl::StatusOr<v1::StatementReceipt> StatementWriter::Submit(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement) {
  absl::StatusOr<v1::StatementReceipt> receipt =
      Apply(expected_kind, signed_statement);
  if (!receipt.ok()) return receipt;
  if (absl::Status durable = commits_->WaitDurable(); !durable.ok()) {
    return StopWrites(durable);
  }
  return receipt;
}

absl::Status StatementWriter::SubmitBatchAsync(
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
          const absl::Status failure = StopWrites(durable);
          for (auto& receipt : *receipts) {
            if (receipt.ok()) receipt = failure;
          }
        }
        done(std::move(*receipts));
      });
  return absl::OkStatus();
}

absl::Status StatementWriter::AddAuthorityStatement(
    const v1::Statement& statement, WriteBatch& batch) {
  if (!statement.certificate_number().empty() ||
      !statement.previous_event_hash().empty()) {
    return absl::InvalidArgumentError(
        "statement.certificate_number: must be empty for a body statement");
  }
  const std::string approval_number(AuthoritySubject(statement));
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificationBody> current,
                           LoadBody(*store_, approval_number));
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

absl::Status StatementWriter::AddRulesStatement(
    const v1::Statement& statement, const std::string& statement_hash,
    WriteBatch& batch, std::shared_ptr<const PublishedRules>& next) {
  if (!statement.certificate_number().empty() ||
      !statement.previous_event_hash().empty()) {
    return absl::InvalidArgumentError(
        "statement.certificate_number: must be empty for a rules statement");
  }
  CERTREG_RETURN_IF_ERROR(ValidateSchemeRules(statement.publish_rules()));
  const uint32_t current = rules_->current()->rules.version();
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

absl::Status StatementWriter::AddCertificateStatement(
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
        statement, RulesFor(rules_->current()->rules,
                            statement.issue().certificate().type())));
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
        RulesFor(rules_->current()->rules, chain->certificate().type())));
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
  const absl::CivilDay today = TodayInChina(now_());
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

absl::Status StatementWriter::CheckSyncs() {
  if (absl::Status failed = commits_->failure(); !failed.ok()) {
    return StopWrites(failed);
  }
  return absl::OkStatus();
}

absl::Status StatementWriter::WaitDurable() { return commits_->WaitDurable(); }

void StatementWriter::AwaitLeaf(uint64_t leaf_index) {
  if (leaf_index >= log_->size()) {
    absl::MutexLock wait(&mu_);  // the write under way has counted it
  }
}

}  // namespace certreg
