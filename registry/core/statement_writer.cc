#include "registry/core/statement_writer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "registry/core/status_calendar.h"
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

// Step 1: the statement in `signed_statement`, if it is of `expected_kind`
// (STATEMENT_KIND_UNSPECIFIED takes any), dated no later than `today` and
// shaped as its kind needs. Nothing here depends on the registry's state.
absl::StatusOr<v1::Statement> CheckStatement(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement, absl::CivilDay today) {
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
  if (ToCivilDay(statement.date()) > today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement.date: ", FormatDate(statement.date()),
        " is in the future (today is ", FormatDate(ToProtoDate(today)),
        " in China Standard Time)"));
  }
  const bool rules = kind == v1::STATEMENT_KIND_PUBLISH_RULES;
  if (rules || IsAuthorityKind(kind)) {
    if (!statement.certificate_number().empty() ||
        !statement.previous_event_hash().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("statement.certificate_number: must be empty for a ",
                       rules ? "rules" : "body", " statement"));
    }
  } else {
    CERTREG_RETURN_IF_ERROR(ValidateCertificateNumber(
        statement.certificate_number(), "statement.certificate_number"));
  }
  return statement;
}

// The certificate's chain with `statement` applied: started by an issue
// statement (`stored` must be empty), or restored from `stored` (moved into
// `record`) and advanced, under the chain and admission rules.
absl::StatusOr<CertificateChain> AdvanceChain(
    const v1::Statement& statement, const std::string& statement_hash,
    std::optional<v1::CertificateRecord> stored, const v1::SchemeRules& rules,
    v1::CertificateRecord& record) {
  const std::string& number = statement.certificate_number();
  if (statement.kind_case() == v1::Statement::kIssue) {
    if (stored.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("certificate.number: ", number, " is already issued"));
    }
    CERTREG_ASSIGN_OR_RETURN(
        CertificateChain started,
        CertificateChain::Start(statement, statement_hash));
    CERTREG_RETURN_IF_ERROR(CheckIssueAdmission(
        statement, RulesFor(rules, statement.issue().certificate().type())));
    return started;
  }
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "statement.certificate_number: ", number, " is not in the registry"));
  }
  record = *std::move(stored);
  CERTREG_ASSIGN_OR_RETURN(CertificateChain chain, RestoreChain(record));
  CERTREG_RETURN_IF_ERROR(CheckEventAdmission(
      chain, statement, RulesFor(rules, chain.certificate().type())));
  CERTREG_RETURN_IF_ERROR(chain.Apply(statement, statement_hash));
  return chain;
}

// The signer rules: `body` may sign for `certificate` with `key_id` on the
// statement's date, and the key is still usable `today` -- a key retired
// since, or a body no longer accredited, cannot add anything by dating it
// back.
absl::Status CheckSigner(const v1::CertificationBody& body,
                         const v1::Certificate& certificate,
                         absl::string_view key_id, absl::CivilDay date,
                         absl::CivilDay today) {
  CERTREG_RETURN_IF_ERROR(
      CheckSignerMayWriteFor(body, certificate, key_id, date));
  if (date == today) return absl::OkStatus();
  absl::Status now_usable = CheckSignerAccredited(body, key_id, today);
  if (!now_usable.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat(now_usable.message(), " (checked for today, ",
                     FormatDate(ToProtoDate(today)),
                     ", the day the statement is submitted)"));
  }
  return absl::OkStatus();
}

// The search postings `statement` adds: at issue, the credit code and the
// holder name's n-grams; at a holder change, the new name's (a search as of
// a day before the change finds the former one).
void AddPostings(const v1::Statement& statement, WriteBatch& batch) {
  const std::string& number = statement.certificate_number();
  std::string name;
  if (statement.kind_case() == v1::Statement::kIssue) {
    const v1::Certificate& certificate = statement.issue().certificate();
    batch.Put(
        Column::kCreditCodeIndex,
        PostingKey(certificate.holder().unified_social_credit_code(), number),
        "");
    name = certificate.holder().name();
  } else if (statement.kind_case() == v1::Statement::kChangeHolder) {
    name = statement.change_holder().new_name();
  }
  if (name.empty()) return;
  for (const std::string& gram :
       CharacterNGrams(NormalizeText(name), kNameGramLength)) {
    batch.Put(Column::kNameIndex, PostingKey(gram, number), "");
  }
}

}  // namespace

bool IsVerdict(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

StatementWriter::StatementWriter(
    Store* store, MerkleLog* log, RulesInForce* rules,
    std::shared_ptr<const Ed25519PublicKey> operator_key,
    std::function<absl::Time()> now, std::shared_ptr<DiskWatermark> disk)
    : store_(store),
      log_(log),
      rules_(rules),
      operator_key_(std::move(operator_key)),
      now_(std::move(now)),
      disk_(std::move(disk)),
      signers_(store),
      commits_(
          std::make_unique<CommitQueue>([store] { return store->Sync(); })) {}

absl::StatusOr<v1::StatementReceipt> StatementWriter::Apply(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement,
    std::optional<absl::CivilDay> day, bool check_only) {
  const absl::CivilDay today = day.value_or(TodayInChina(now_()));
  // 0. Room on the disk, before anything else is looked at.
  if (disk_ != nullptr) CERTREG_RETURN_IF_ERROR(disk_->CheckWritable());
  // 1. Stateless checks.
  CERTREG_ASSIGN_OR_RETURN(
      v1::Statement statement,
      CheckStatement(expected_kind, signed_statement, today));
  // 2. The signature, outside the lock so that writers verify in parallel:
  // a key id names one raw key forever, so no concurrent write can change
  // the answer.
  CERTREG_RETURN_IF_ERROR(Authenticate(statement, signed_statement));
  const Incoming in{signed_statement, std::move(statement),
                    StatementHash(signed_statement), today};
  // 3. Each write is checked against the state the previous one left.
  absl::MutexLock lock(&mu_);
  if (!write_failure_.ok()) return write_failure_;
  // 4 to 6. What the statement needs, its rules, its batch.
  WriteBatch batch;
  std::shared_ptr<const PublishedRules> next_rules;
  CERTREG_RETURN_IF_ERROR(AddStatement(in, batch, next_rules));
  if (check_only) {
    v1::StatementReceipt checked;
    checked.set_statement_hash(in.hash);
    return checked;
  }
  // 7. Its leaf, and the write (durable once the commit queue syncs it:
  // step 8, in Submit and its kin).
  absl::StatusOr<v1::StatementReceipt> receipt = Write(in, batch);
  // A body or a key's owner may have changed: signers read before are stale.
  if (IsAuthorityKind(KindOf(in.statement))) signers_.Forget();
  if (receipt.ok() && next_rules != nullptr) {
    rules_->Replace(std::move(next_rules));
  }
  return receipt;
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
  // certificate on this date is decided under the lock.
  CERTREG_ASSIGN_OR_RETURN(const std::shared_ptr<const RegisteredSigner> signer,
                           signers_.Find(signed_statement.key_id()));
  return VerifyStatementSignature(signed_statement, signer->key);
}

absl::Status StatementWriter::AddStatement(
    const Incoming& in, WriteBatch& batch,
    std::shared_ptr<const PublishedRules>& next) {
  const v1::StatementKind kind = KindOf(in.statement);
  if (kind == v1::STATEMENT_KIND_PUBLISH_RULES) {
    return AddRulesStatement(in, batch, next);
  }
  if (IsAuthorityKind(kind)) return AddAuthorityStatement(in, batch);
  return AddCertificateStatement(in, batch);
}

absl::Status StatementWriter::AddCertificateStatement(const Incoming& in,
                                                      WriteBatch& batch) {
  const std::string& number = in.statement.certificate_number();
  const std::string& key_id = in.signed_statement.key_id();
  // 4. Who signed, as the key's body stands now, and the certificate's
  // record: each read once.
  CERTREG_ASSIGN_OR_RETURN(const std::shared_ptr<const RegisteredSigner> signer,
                           signers_.Find(key_id));
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificateRecord> stored,
                           LoadRecord(*store_, number));
  // 5. The chain rules, then the signer rules.
  v1::CertificateRecord record;
  CERTREG_ASSIGN_OR_RETURN(
      const CertificateChain chain,
      AdvanceChain(in.statement, in.hash, std::move(stored),
                   rules_->current()->rules, record));
  CERTREG_RETURN_IF_ERROR(CheckSigner(signer->body, chain.certificate(), key_id,
                                      ToCivilDay(in.statement.date()),
                                      in.today));
  // 6. Every check passed: the record, the index postings, and the day its
  // status next changes by itself.
  *record.mutable_chain() = chain.State();
  *record.add_statements() = Recorded(in.statement, in.hash, log_->size());
  CERTREG_RETURN_IF_ERROR(AddNextStatusChange(*store_, number, record.chain(),
                                              in.today,
                                              rules_->current()->rules, batch));
  batch.Put(Column::kCertificates, number, record.SerializeAsString());
  AddPostings(in.statement, batch);
  return absl::OkStatus();
}

absl::Status StatementWriter::AddAuthorityStatement(const Incoming& in,
                                                    WriteBatch& batch) {
  const std::string approval_number(AuthoritySubject(in.statement));
  // 4. The body's record and its statements so far.
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificationBody> current,
                           LoadBody(*store_, approval_number));
  CERTREG_ASSIGN_OR_RETURN(
      std::optional<std::string> history,
      store_->Get(Column::kBodyStatements, approval_number));
  // 5. The authority rules; a key belongs to one body only.
  CERTREG_ASSIGN_OR_RETURN(const v1::CertificationBody updated,
                           ApplyAuthorityStatement(current, in.statement));
  CERTREG_ASSIGN_OR_RETURN(const std::vector<std::string> new_keys,
                           KeysToRegister(updated));
  // 6. The body, its statements, then its new keys' owner entries.
  batch.Put(Column::kBodies, approval_number, updated.SerializeAsString());
  batch.Put(Column::kBodyStatements, approval_number,
            history.value_or("") + EncodeUint64(log_->size()));
  for (const std::string& key_id : new_keys) {
    batch.Put(Column::kKeys, key_id, approval_number);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> StatementWriter::KeysToRegister(
    const v1::CertificationBody& body) const {
  std::vector<std::string> new_keys;
  for (const v1::BodyKey& key : body.keys()) {
    CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                             store_->Get(Column::kKeys, key.key_id()));
    if (owner.has_value() && *owner != body.approval_number()) {
      return absl::AlreadyExistsError(
          absl::StrCat("public key ", ToHex(key.key_id()),
                       " is already registered for ", *owner));
    }
    if (!owner.has_value()) new_keys.push_back(key.key_id());
  }
  return new_keys;
}

absl::Status StatementWriter::AddRulesStatement(
    const Incoming& in, WriteBatch& batch,
    std::shared_ptr<const PublishedRules>& next) {
  // 5. Valid rules of a higher version than those in force.
  const v1::SchemeRules& rules = in.statement.publish_rules();
  CERTREG_RETURN_IF_ERROR(ValidateSchemeRules(rules));
  const uint32_t current = rules_->current()->rules.version();
  if (rules.version() <= current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "publish_rules.version: ", rules.version(),
        " is not above the rules in force (version ", current, ")"));
  }
  // 6. The rules and where the metadata finds them.
  auto published = std::make_shared<PublishedRules>();
  published->rules = rules;
  published->leaf_index = log_->size();
  published->statement_hash = in.hash;
  batch.Put(Column::kMeta, kMetaRulesLeaf, EncodeUint64(log_->size()));
  // Every certificate's next change may move: the calendar is rebuilt.
  MarkCalendarStale(batch);
  next = std::move(published);
  return absl::OkStatus();
}

absl::StatusOr<v1::StatementReceipt> StatementWriter::Write(const Incoming& in,
                                                            WriteBatch& batch) {
  const uint64_t index = log_->size();
  CERTREG_ASSIGN_OR_RETURN(
      std::string leaf_hash,
      log_->AppendToBatch(LeafData(in.signed_statement), batch));
  CERTREG_RETURN_IF_ERROR(store_->WriteUnsynced(batch));
  log_->Committed();
  v1::StatementReceipt receipt;
  receipt.set_statement_hash(in.hash);
  receipt.set_leaf_index(index);
  receipt.set_leaf_hash(std::move(leaf_hash));
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

// 8. Acknowledged only once durable.
absl::StatusOr<v1::StatementReceipt> StatementWriter::Submit(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement) {
  absl::StatusOr<v1::StatementReceipt> receipt =
      Apply(expected_kind, signed_statement);
  if (!receipt.ok()) return receipt;
  if (absl::Status durable = commits_->WaitDurable(); !durable.ok()) {
    return StopWrites(durable);
  }
  if (notify_durable_) notify_durable_();
  return receipt;
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
  // A later statement of the same chain is acknowledged only after this
  // one: the queue keeps order.
  commits_->WhenDurable([this, receipt = *std::move(receipt),
                         done = std::move(done)](absl::Status durable) {
    if (!durable.ok()) {
      done(StopWrites(durable));
    } else {
      if (notify_durable_) notify_durable_();
      done(receipt);
    }
  });
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
        } else if (notify_durable_) {
          notify_durable_();
        }
        done(std::move(*receipts));
      });
  return absl::OkStatus();
}

absl::Status StatementWriter::Check(v1::StatementKind expected_kind,
                                    const v1::SignedStatement& signed_statement,
                                    absl::CivilDay today) {
  return Apply(expected_kind, signed_statement, today, /*check_only=*/true)
      .status();
}

std::vector<absl::StatusOr<v1::StatementReceipt>>
StatementWriter::ApplyReplicated(
    const std::vector<v1::SignedStatement>& statements,
    const std::vector<absl::CivilDay>& days) {
  std::vector<absl::StatusOr<v1::StatementReceipt>> receipts;
  receipts.reserve(statements.size());
  absl::Status refused;
  for (size_t i = 0; i < statements.size(); ++i) {
    const v1::SignedStatement& statement = statements[i];
    // Each builds on the one before: none after a refusal.
    if (!refused.ok()) {
      receipts.push_back(absl::AbortedError(absl::StrCat(
          "not applied: an earlier statement of the group was refused: ",
          refused.message())));
      continue;
    }
    receipts.push_back(
        Apply(v1::STATEMENT_KIND_UNSPECIFIED, statement, days.at(i)));
    refused = receipts.back().status();
  }
  if (absl::Status durable = commits_->WaitDurable(); !durable.ok()) {
    const absl::Status failure = StopWrites(durable);
    for (auto& receipt : receipts) {
      if (receipt.ok()) receipt = failure;
    }
  } else if (notify_durable_) {
    notify_durable_();
  }
  return receipts;
}

absl::Status StatementWriter::CheckSyncs() {
  if (absl::Status failed = commits_->failure(); !failed.ok()) {
    return StopWrites(failed);
  }
  return absl::OkStatus();
}

absl::Status StatementWriter::WaitDurable() { return commits_->WaitDurable(); }

absl::Status StatementWriter::WithWritesPaused(
    const std::function<absl::Status()>& work) {
  absl::MutexLock lock(&mu_);
  return work();
}

void StatementWriter::AwaitLeaf(uint64_t leaf_index) {
  if (leaf_index >= log_->size()) {
    absl::MutexLock wait(&mu_);  // the write under way has counted it
  }
}

}  // namespace certreg
