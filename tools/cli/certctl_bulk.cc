// certctl: generate, import, export, backup, demo-seed.
#include <unistd.h>

#include <atomic>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/message_differencer.h"
#include "tools/cli/certctl_commands.h"
#include "tools/cli/certctl_issue.h"
#include "tools/cli/certificate_csv.h"
#include "tools/common/text_table.h"
#include "tools/demo/demo_data.h"
#include "tools/demo/demo_generator.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

ABSL_FLAG(uint64_t, seed, 1, "generate: the random seed.");
ABSL_FLAG(std::string, today, "",
          "generate: the day histories are relative to (default today, CST).");
ABSL_FLAG(int, parallel, 8, "import: certificates submitted concurrently.");
ABSL_FLAG(std::string, errors, "",
          "import: write the per-row error report here (default stderr).");
ABSL_FLAG(bool, accredit, false,
          "import: accredit bodies the registry does not know yet, with the "
          "operator key and the keys in --keys_dir.");
ABSL_FLAG(std::string, format, "csv", "export: csv or jsonl.");
ABSL_FLAG(std::string, keys_dir, "",
          "import: directory of body keys named APPROVAL.key; demo-seed: "
          "where demo keys live (default CONFIG/demo).");

namespace certreg {

namespace {

// An output file (or stdout when the path is empty).
class Output {
 public:
  explicit Output(const std::string& path) {
    if (!path.empty()) file_.open(path, std::ios::binary | std::ios::trunc);
  }
  bool ok() const { return file_.is_open() ? file_.good() : std::cout.good(); }
  std::ostream& stream() { return file_.is_open() ? file_ : std::cout; }

 private:
  std::ofstream file_;
};

absl::StatusOr<Ed25519PrivateKey> LoadOrCreateBodyKey(
    const std::string& dir, const std::string& approval, bool create) {
  std::string path = absl::StrCat(dir, "/", approval, ".key");
  absl::StatusOr<Ed25519PrivateKey> key = ReadPrivateKey(path);
  if (!create || !absl::IsNotFound(key.status())) return key;
  key = Ed25519PrivateKey::Generate();
  if (!key.ok()) return key.status();
  absl::Status written =
      WriteKeyPair(*key, path, absl::StrCat(dir, "/", approval, ".pub"));
  if (!written.ok()) return written;
  return key;
}

}  // namespace

int GenerateCommand(const Args& args) {
  int64_t count = 0;
  if (args.size() != 1 || !absl::SimpleAtoi(args[0], &count) || count < 0) {
    return Usage("generate", "give the number of certificates, e.g. 1000");
  }
  GeneratorOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.count = count;
  options.today = TodayInChina();
  if (!absl::GetFlag(FLAGS_today).empty()) {
    absl::StatusOr<v1::Date> today =
        ParseDate(absl::GetFlag(FLAGS_today), "--today");
    if (!today.ok())
      return Usage("generate", std::string(today.status().message()));
    options.today = ToCivilDay(*today);
  }
  DemoGenerator generator(options);
  std::string keys_dir = absl::GetFlag(FLAGS_keys_dir);
  if (!keys_dir.empty()) {
    for (const DemoBody& body : generator.bodies()) {
      absl::StatusOr<Ed25519PrivateKey> key =
          LoadOrCreateBodyKey(keys_dir, body.approval_number, true);
      if (!key.ok()) return Fail(key.status());
    }
  }
  Output out(absl::GetFlag(FLAGS_out));
  CertificateCsvWriter writer(&out.stream());
  writer.WriteHeader();
  for (int64_t i = 0; i < count; ++i) writer.Write(generator.Row(i));
  out.stream().flush();
  if (!out.ok()) return Fail(absl::UnavailableError("cannot write the output"));
  if (!absl::GetFlag(FLAGS_out).empty()) {
    std::cerr << "wrote " << Counted(count, "certificate") << " to "
              << absl::GetFlag(FLAGS_out) << "\n";
  }
  return kExitOk;
}

namespace {

// Statistics and reporting of an import, shared by its workers.
class ImportReport {
 public:
  ImportReport(std::ostream* errors, int64_t file_bytes)
      : errors_(errors),
        file_bytes_(file_bytes),
        tty_(isatty(STDERR_FILENO) == 1),
        start_(absl::Now()) {}

  void Imported() { ++imported_; }
  void Completed() { ++completed_; }
  void Skipped() { ++skipped_; }
  void Failed(int64_t row, const std::string& number,
              const std::string& message) {
    ++failed_;
    absl::MutexLock lock(&mu_);
    if (tty_ && errors_ == &std::cerr) std::cerr << "\r\033[K";
    *errors_ << "row " << row << (number.empty() ? "" : " (" + number + ")")
             << ": " << message << "\n";
  }
  void Read() { ++read_; }

  // Redraws the progress line (terminals only), at most 5 times a second.
  void Progress(int64_t bytes_done, bool final = false) {
    if (!tty_) return;
    absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    // Groups finish out of order: the line shows the furthest.
    bytes_done_ = std::max(bytes_done_, bytes_done);
    if (!final && now - last_draw_ < absl::Milliseconds(200)) return;
    last_draw_ = now;
    double fraction =
        file_bytes_ > 0 ? std::min(1.0, double(bytes_done_) / file_bytes_) : 0;
    double seconds = absl::ToDoubleSeconds(now - start_);
    int64_t done = imported_ + completed_ + skipped_ + failed_;
    double rate = seconds > 0 ? done / seconds : 0;
    std::string eta = "-";
    if (fraction > 0.001 && fraction < 1) {
      eta = absl::StrFormat("%.0fs", seconds / fraction - seconds);
    }
    int filled = static_cast<int>(fraction * 30);
    std::cerr << "\r[" << std::string(filled, '#')
              << std::string(30 - filled, '.') << "] "
              << absl::StrFormat("%5.1f%% %s, %.0f rows/s, ETA %s",
                                 fraction * 100, Counted(done, "row"), rate,
                                 eta)
              << "\033[K" << std::flush;
    if (final) std::cerr << "\n";
  }

  int Summary() {
    std::cerr << "import: " << Counted(read_, "row") << " read, " << imported_
              << " imported, " << completed_ << " completed (resumed), "
              << skipped_ << " already there, " << failed_ << " failed ("
              << absl::StrFormat("%.1fs",
                                 absl::ToDoubleSeconds(absl::Now() - start_))
              << ")\n";
    return failed_ > 0 ? kExitCheckFailed : kExitOk;
  }

 private:
  std::ostream* errors_;
  const int64_t file_bytes_;
  const bool tty_;
  const absl::Time start_;
  std::atomic<int64_t> read_{0}, imported_{0}, completed_{0}, skipped_{0},
      failed_{0};
  absl::Mutex mu_;
  absl::Time last_draw_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int64_t bytes_done_ ABSL_GUARDED_BY(mu_) = 0;
};

struct ImportJob {
  int64_t row = 0;
  CertificateRecord record;
  // The certificate's issue statement, dated on its issue date.
  v1::Statement issue;
  // The body's key from --keys_dir; none if it has no readable key there.
  std::optional<Ed25519PrivateKey> key;
};

// Rows read but not yet submitted, in groups of one SubmitStatements call:
// the reader waits while it is full, so memory stays flat for any file.
class GroupQueue {
 public:
  struct Group {
    std::vector<ImportJob> jobs;
    int64_t bytes_read = 0;  // of the file, once its last row was read
  };

  explicit GroupQueue(size_t capacity) : capacity_(capacity) {}

  void Push(Group group) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](GroupQueue* q) { return q->groups_.size() < q->capacity_; }, this));
    groups_.push_back(std::move(group));
  }
  // No more groups: Pop returns nothing once the queue is empty.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  std::optional<Group> Pop() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](GroupQueue* q) { return q->closed_ || !q->groups_.empty(); },
        this));
    if (groups_.empty()) return std::nullopt;
    Group group = std::move(groups_.front());
    groups_.pop_front();
    return group;
  }

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  std::deque<Group> groups_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Signs and submits rows' statements, skipping what the registry has.
class RowImporter {
 public:
  RowImporter(RegistryClient* client, ImportReport* report)
      : client_(client), report_(report) {}

  // The registry's limit of statements per SubmitStatements call.
  static constexpr size_t kMaxStatements = 1000;

  // Rows in one SubmitStatements call: every row's chain is signed here
  // (each event naming the hash of the one before), so a new certificate
  // needs no round trip of its own. A row whose certificate the registry
  // already has goes the resumable way (Import).
  void ImportGroup(const std::vector<ImportJob>& group) {
    std::vector<v1::SignedStatement> statements;
    std::vector<std::pair<const ImportJob*, size_t>> rows;  // job, first
    for (const ImportJob& row : group) {
      const ImportJob* job = &row;
      const v1::Certificate& c = job->record.certificate;
      if (!job->key.has_value() ||
          statements.size() + 1 + job->record.events.size() > kMaxStatements) {
        Import(*job);  // reports the missing key, or goes one by one
        continue;
      }
      const size_t first = statements.size();
      absl::Status signed_all = absl::OkStatus();
      std::string previous;
      for (size_t i = 0; i <= job->record.events.size() && signed_all.ok();
           ++i) {
        v1::Statement statement =
            i == 0 ? job->issue : job->record.events[i - 1];
        if (i > 0) statement.set_previous_event_hash(previous);
        absl::StatusOr<v1::SignedStatement> signed_statement =
            SignStatement(statement, *job->key);
        signed_all = signed_statement.status();
        if (!signed_all.ok()) break;
        previous = StatementHash(*signed_statement);
        statements.push_back(*std::move(signed_statement));
      }
      if (!signed_all.ok()) {
        statements.resize(first);
        report_->Failed(job->row, c.number(),
                        std::string(signed_all.message()));
        continue;
      }
      rows.emplace_back(job, first);
    }
    if (rows.empty()) return;
    absl::StatusOr<std::vector<absl::StatusOr<v1::StatementReceipt>>> results =
        client_->SubmitBatch(statements);
    for (size_t r = 0; r < rows.size(); ++r) {
      const ImportJob& job = *rows[r].first;
      const size_t first = rows[r].second;
      const size_t end =
          r + 1 < rows.size() ? rows[r + 1].second : statements.size();
      if (absl::IsUnimplemented(results.status())) {
        Import(job);  // a registry without SubmitStatements
        continue;
      }
      if (!results.ok()) {
        report_->Failed(job.row, job.record.certificate.number(),
                        std::string(results.status().message()));
        continue;
      }
      const absl::Status& issued = (*results)[first].status();
      if (absl::IsAlreadyExists(issued)) {
        // There already (an interrupted run): compare, then add what is
        // missing. Events of this batch may have completed it just now.
        bool added = false;
        for (size_t i = first + 1; i < end; ++i) {
          added = added || (*results)[i].ok();
        }
        Import(job, added);
        continue;
      }
      if (!issued.ok()) {
        report_->Failed(job.row, job.record.certificate.number(),
                        std::string(issued.message()));
        continue;
      }
      bool complete = true;
      for (size_t i = first + 1; i < end && complete; ++i) {
        const absl::Status& status = (*results)[i].status();
        if (status.ok()) continue;
        report_->Failed(
            job.row, job.record.certificate.number(),
            absl::StrCat("events[", i - first - 1, "]: ", status.message()));
        complete = false;
      }
      if (complete) report_->Imported();
    }
  }

  // One statement per call, resuming a certificate the registry already
  // has. `completed_here`: this run already added some of its events.
  void Import(const ImportJob& job, bool completed_here = false) {
    const v1::Certificate& c = job.record.certificate;
    if (!job.key.has_value()) {
      report_->Failed(job.row, c.number(),
                      absl::StrCat("body_approval_number: no key for ",
                                   c.body_approval_number(), " in --keys_dir"));
      return;
    }
    v1::GetCertificateRequest get;
    get.set_number(c.number());
    absl::StatusOr<v1::GetCertificateResponse> existing =
        client_->GetCertificate(get);
    size_t have = 0;
    ChainWriter writer(
        *job.key, [this](v1::StatementKind kind, const v1::SignedStatement& s) {
          return client_->Submit(kind, s);
        });
    if (existing.ok()) {
      v1::Statement issued;
      if (existing->history().empty() ||
          !issued.ParseFromString(
              existing->history(0).signed_statement().statement()) ||
          !google::protobuf::util::MessageDifferencer::Equals(
              issued.issue().certificate(), c)) {
        report_->Failed(job.row, c.number(),
                        "number: already issued in the registry with "
                        "different content");
        return;
      }
      have = existing->history_size();
      writer.SetHead(c.number(), existing->head_event_hash());
    } else if (!absl::IsNotFound(existing.status())) {
      report_->Failed(job.row, c.number(),
                      std::string(existing.status().message()));
      return;
    }
    if (have >= 1 + job.record.events.size()) {
      completed_here ? report_->Completed() : report_->Skipped();
      return;
    }
    if (have == 0) {
      absl::StatusOr<v1::StatementReceipt> receipt = writer.Submit(job.issue);
      if (!receipt.ok()) {
        report_->Failed(job.row, c.number(),
                        std::string(receipt.status().message()));
        return;
      }
      have = 1;
    }
    const bool resumed = existing.ok();
    for (size_t i = have - 1; i < job.record.events.size(); ++i) {
      absl::StatusOr<v1::StatementReceipt> receipt =
          writer.Submit(job.record.events[i]);
      if (!receipt.ok()) {
        report_->Failed(
            job.row, c.number(),
            absl::StrCat("events[", i, "]: ", receipt.status().message()));
        return;
      }
    }
    resumed ? report_->Completed() : report_->Imported();
  }

 private:
  RegistryClient* const client_;
  ImportReport* const report_;
};

// Accredits, with the operator key, the bodies of the file that the
// registry does not know yet, as they first appear.
class BodyAccreditor {
 public:
  explicit BodyAccreditor(RegistryClient* client) : client_(client) {}

  // Accredits the body `approval` with `key` unless the registry has it.
  absl::Status Ensure(const std::string& approval, const std::string& name,
                      const Ed25519PrivateKey& key) {
    if (!writer_.has_value()) {
      absl::StatusOr<v1::ListBodiesResponse> bodies =
          client_->ListBodies(v1::ListBodiesRequest());
      if (!bodies.ok()) return bodies.status();
      for (const auto& body : bodies->bodies()) {
        known_.insert(body.approval_number());
      }
      absl::StatusOr<Ed25519PrivateKey> operator_key = OperatorKey();
      if (!operator_key.ok()) return operator_key.status();
      operator_key_ = *std::move(operator_key);
      writer_.emplace(*operator_key_, [this](v1::StatementKind kind,
                                             const v1::SignedStatement& s) {
        return client_->Submit(kind, s);
      });
    }
    if (!known_.insert(approval).second) return absl::OkStatus();
    absl::StatusOr<v1::StatementReceipt> receipt =
        writer_->Submit(DemoAccreditation(DemoBody{approval, name},
                                          key.public_key(), TodayInChina()));
    if (!receipt.ok()) return receipt.status();
    std::cerr << "import: accredited " << approval << " " << name << "\n";
    return absl::OkStatus();
  }

 private:
  RegistryClient* const client_;
  std::set<std::string> known_;
  std::optional<Ed25519PrivateKey> operator_key_;
  std::optional<ChainWriter> writer_;  // signs with *operator_key_
};

}  // namespace

int ImportCommand(const Args& args) {
  if (args.size() != 1) return Usage("import", "give one CSV file");
  const std::string keys_dir = absl::GetFlag(FLAGS_keys_dir);
  if (keys_dir.empty()) {
    return Usage("import", "--keys_dir: give the directory of body keys");
  }
  std::ifstream in(args[0], std::ios::binary);
  if (!in) return Fail(absl::NotFoundError("cannot read " + args[0]));
  in.seekg(0, std::ios::end);
  const int64_t file_bytes = in.tellg();
  in.seekg(0);
  absl::StatusOr<std::unique_ptr<CertificateCsvReader>> reader =
      CertificateCsvReader::Open(&in);
  if (!reader.ok()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(args[0], ": ", reader.status().message())));
  }
  std::ofstream error_file;
  std::ostream* errors = &std::cerr;
  if (!absl::GetFlag(FLAGS_errors).empty()) {
    error_file.open(absl::GetFlag(FLAGS_errors), std::ios::trunc);
    errors = &error_file;
  }
  std::unique_ptr<RegistryClient> client = Client();
  ImportReport report(errors, file_bytes);

  // One thread reads, checks and groups the rows while `parallel` workers
  // sign and submit the groups before it: the registry is never left
  // waiting for the file.
  constexpr size_t kRowsPerCall = 32;  // a row is 1-10 statements
  const int parallel = std::max(1, absl::GetFlag(FLAGS_parallel));
  GroupQueue queue(2 * static_cast<size_t>(parallel));
  std::vector<std::thread> workers;
  for (int t = 0; t < parallel; ++t) {
    workers.emplace_back([&queue, &report, &client] {
      RowImporter importer(client.get(), &report);
      while (std::optional<GroupQueue::Group> group = queue.Pop()) {
        importer.ImportGroup(group->jobs);
        report.Progress(group->bytes_read);
      }
    });
  }
  // Each issue statement is dated on its certificate's issue date, which
  // must not be after today.
  const absl::CivilDay today = TodayInChina();
  // Body keys as bodies first appear (none if --keys_dir has no key).
  std::map<std::string, std::optional<Ed25519PrivateKey>> keys;
  BodyAccreditor accreditor(client.get());
  absl::Status accredited = absl::OkStatus();
  GroupQueue::Group group;
  while (accredited.ok()) {
    absl::StatusOr<std::optional<CertificateRecord>> row = (*reader)->Next();
    if (row.ok() && !row->has_value()) break;
    report.Read();
    if (!row.ok()) {
      report.Failed((*reader)->row_number(), "",
                    std::string(row.status().message()));
      continue;
    }
    const int64_t row_number = (*reader)->row_number();
    absl::Status valid = ValidateRecord(**row);
    if (!valid.ok()) {
      report.Failed(row_number, (*row)->certificate.number(),
                    std::string(valid.message()));
      continue;
    }
    const v1::Certificate& certificate = (*row)->certificate;
    absl::StatusOr<v1::Statement> issue =
        IssueStatement(certificate, std::nullopt, today);
    if (!issue.ok()) {
      report.Failed(row_number, certificate.number(),
                    std::string(issue.status().message()));
      continue;
    }
    auto [key, first_seen] =
        keys.try_emplace(certificate.body_approval_number());
    if (first_seen) {
      absl::StatusOr<Ed25519PrivateKey> loaded = LoadOrCreateBodyKey(
          keys_dir, certificate.body_approval_number(), false);
      if (loaded.ok()) key->second = *std::move(loaded);
      if (key->second.has_value() && absl::GetFlag(FLAGS_accredit)) {
        accredited = accreditor.Ensure(certificate.body_approval_number(),
                                       certificate.body_name(), *key->second);
        if (!accredited.ok()) break;
      }
    }
    group.jobs.push_back(
        {row_number, **std::move(row), *std::move(issue), key->second});
    if (group.jobs.size() == kRowsPerCall) {
      const int64_t position = in.tellg();
      group.bytes_read = position < 0 ? file_bytes : position;
      queue.Push(std::exchange(group, {}));
    }
  }
  if (!group.jobs.empty()) {
    group.bytes_read = file_bytes;
    queue.Push(std::move(group));
  }
  queue.Close();
  for (std::thread& worker : workers) worker.join();
  if (!accredited.ok()) return Fail(accredited);
  report.Progress(file_bytes, /*final=*/true);
  return report.Summary();
}

int ExportCommand(const Args& args) {
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "csv" && format != "jsonl") {
    return Usage("export", "--format: csv or jsonl");
  }
  if (args.size() > 1) return Usage("export", "give at most one query");
  std::unique_ptr<RegistryClient> client = Client();
  Output out(absl::GetFlag(FLAGS_out));
  CertificateCsvWriter writer(&out.stream());
  if (format == "csv") writer.WriteHeader();

  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequestFromFlags(args);
  if (!request.ok()) {
    return Usage("export", std::string(request.status().message()));
  }
  v1::SearchCertificatesRequest search = *std::move(request);
  search.set_page_size(100);
  int64_t exported = 0;
  do {
    absl::StatusOr<v1::SearchCertificatesResponse> page =
        client->SearchCertificates(search);
    if (!page.ok()) return Fail(page.status());
    for (const v1::CertificateSummary& summary : page->certificates()) {
      v1::GetCertificateRequest get;
      get.set_number(summary.number());
      absl::StatusOr<v1::GetCertificateResponse> got =
          client->GetCertificate(get);
      if (!got.ok()) return Fail(got.status());
      CertificateRecord record;
      for (int i = 0; i < got->history_size(); ++i) {
        v1::Statement statement;
        statement.ParseFromString(
            got->history(i).signed_statement().statement());
        if (i == 0) {
          record.certificate = statement.issue().certificate();
          continue;
        }
        statement.clear_previous_event_hash();
        statement.clear_nonce();
        record.events.push_back(std::move(statement));
      }
      if (format == "csv") {
        writer.Write(record);
      } else {
        out.stream() << CertificateRecordToJsonLine(record) << "\n";
      }
      ++exported;
    }
    search.set_page_token(page->next_page_token());
  } while (!search.page_token().empty());
  out.stream().flush();
  if (!out.ok()) return Fail(absl::UnavailableError("cannot write the output"));
  std::cerr << "export: " << Counted(exported, "certificate") << "\n";
  return kExitOk;
}

int BackupCommand(const Args& args) {
  if (args.size() != 1) return Usage("backup", "give the backup's name");
  absl::StatusOr<v1::BackupResponse> response = Client()->Backup(args[0]);
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return kExitOk;
  }
  std::cout << "backup written to " << response->path() << " (log size "
            << response->tree_size() << ")\n"
            << "restore: stop the registry, copy that directory and start "
               "it with --data_dir=<the copy>\n";
  return kExitOk;
}

namespace {

// Loads the demo bodies' keys from `dir`, creating them on first use.
absl::StatusOr<std::vector<Ed25519PrivateKey>> DemoBodyKeys(
    const std::string& dir) {
  std::vector<Ed25519PrivateKey> keys;
  for (const DemoBody& body : DemoBodies()) {
    std::string private_path =
        absl::StrCat(dir, "/", body.approval_number, ".key");
    absl::StatusOr<Ed25519PrivateKey> key = ReadPrivateKey(private_path);
    if (absl::IsNotFound(key.status())) {
      key = Ed25519PrivateKey::Generate();
      if (!key.ok()) return key.status();
      absl::Status written =
          WriteKeyPair(*key, private_path,
                       absl::StrCat(dir, "/", body.approval_number, ".pub"));
      if (!written.ok()) return written;
    }
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  return keys;
}

}  // namespace

int DemoSeedCommand(const Args& args) {
  if (!args.empty()) return Usage("demo-seed", "takes no arguments");
  std::string keys_dir = absl::GetFlag(FLAGS_keys_dir);
  if (keys_dir.empty()) keys_dir = ConfigPath("demo");
  std::unique_ptr<RegistryClient> client = Client();
  v1::GetCertificateRequest probe;
  probe.set_number(kDemoProbeNumber);
  probe.set_view(v1::CERTIFICATE_VIEW_BASIC);
  absl::StatusOr<v1::GetCertificateResponse> existing =
      client->GetCertificate(probe);
  if (existing.ok()) {
    std::cout << "demo data already loaded\n";
    return kExitOk;
  }
  if (!absl::IsNotFound(existing.status())) return Fail(existing.status());
  absl::StatusOr<Ed25519PrivateKey> operator_key = OperatorKey();
  if (!operator_key.ok()) return Fail(operator_key.status());
  absl::StatusOr<std::vector<Ed25519PrivateKey>> body_keys =
      DemoBodyKeys(keys_dir);
  if (!body_keys.ok()) return Fail(body_keys.status());
  absl::StatusOr<std::vector<DemoCertificate>> seeded =
      SeedDemo(*operator_key, *body_keys, TodayInChina(),
               [&client](v1::StatementKind kind, const v1::SignedStatement& s) {
                 return client->Submit(kind, s);
               });
  if (!seeded.ok()) return Fail(seeded.status());
  TextTable table({"证书编号 number", "获证组织 holder", "story"});
  for (const DemoCertificate& c : *seeded) {
    table.AddRow({c.number, c.holder_name, c.story});
  }
  std::cout << "demo data loaded (body keys in " << keys_dir << "):\n";
  table.Print(std::cout);
  return kExitOk;
}

}  // namespace certreg
