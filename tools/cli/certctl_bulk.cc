#include "tools/cli/certctl_bulk.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_import_queue.h"
#include "tools/cli/certctl_import_report.h"
#include "tools/cli/certctl_issue.h"
#include "tools/cli/certctl_lookup.h"
#include "tools/cli/certctl_row_importer.h"
#include "tools/cli/certctl_text.h"
#include "tools/common/text_table.h"
#include "tools/demo/demo_data.h"
#include "tools/demo/demo_generator.h"
#include "verifier/crypto/key_files.h"
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

// The body `approval`'s key in `dir`; with `create`, a new one written
// there when it has none.
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
    if (!today.ok()) return Usage("generate", today.status().message());
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

// The issue statement of a row that passes ValidateRecord.
absl::StatusOr<v1::Statement> IssueOfRow(const CertificateRecord& record,
                                         absl::CivilDay today) {
  absl::Status valid = ValidateRecord(record);
  if (!valid.ok()) return valid;
  return IssueStatement(record.certificate, std::nullopt, today);
}

// Reads, checks and groups the rows of `reader` (over `in`, of
// `file_bytes`) onto `queue`, reporting the rows that fail. Each body's key
// is loaded from `keys_dir` as the body first appears, and with --accredit
// the body accredited: an error doing so stops the reading and is
// returned (the rows read before it are still queued).
absl::Status QueueRows(CertificateCsvReader& reader, std::istream& in,
                       int64_t file_bytes, const std::string& keys_dir,
                       BodyAccreditor& accreditor, ImportReport& report,
                       ImportQueue& queue) {
  constexpr size_t kRowsPerCall = 32;  // a row is 1-10 statements
  // Each issue statement is dated on its certificate's issue date, which
  // must not be after today.
  const absl::CivilDay today = TodayInChina();
  // Body keys as bodies first appear (none if --keys_dir has no key).
  std::map<std::string, std::optional<Ed25519PrivateKey>> keys;
  absl::Status accredited = absl::OkStatus();
  ImportGroup group;
  while (accredited.ok()) {
    absl::StatusOr<std::optional<CertificateRecord>> row = reader.Next();
    if (row.ok() && !row->has_value()) break;
    report.Read();
    if (!row.ok()) {
      report.Failed(reader.line_number(), reader.row_number(),
                    reader.certificate_number(),
                    std::string(row.status().message()));
      continue;
    }
    const int64_t row_number = reader.row_number();
    const v1::Certificate& certificate = (*row)->certificate;
    absl::StatusOr<v1::Statement> issue = IssueOfRow(**row, today);
    if (!issue.ok()) {
      report.Failed(reader.line_number(), row_number, certificate.number(),
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
    group.jobs.push_back({row_number, reader.line_number(), **std::move(row),
                          *std::move(issue), key->second});
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
  return accredited;
}

// One thread reads, checks and groups the rows while --parallel workers
// sign and submit the groups before it: the registry is never left waiting
// for the file.
int RunImport(CertificateCsvReader& reader, std::istream& in,
              int64_t file_bytes, const std::string& keys_dir,
              std::ostream* errors) {
  std::unique_ptr<RegistryClient> client = Client();
  ImportReport report(errors, file_bytes,
                      isatty(STDERR_FILENO) == 1 ? &std::cerr : nullptr);
  const int parallel = std::max(1, absl::GetFlag(FLAGS_parallel));
  ImportQueue queue(2 * static_cast<size_t>(parallel));
  std::vector<std::thread> workers;
  for (int t = 0; t < parallel; ++t) {
    workers.emplace_back([&queue, &report, &client] {
      RowImporter importer(client.get(), &report);
      while (std::optional<ImportGroup> group = queue.Pop()) {
        importer.ImportGroup(group->jobs);
        report.Progress(group->bytes_read);
      }
    });
  }
  BodyAccreditor accreditor(client.get());
  absl::Status accredited =
      QueueRows(reader, in, file_bytes, keys_dir, accreditor, report, queue);
  queue.Close();
  for (std::thread& worker : workers) worker.join();
  if (!accredited.ok()) return Fail(accredited);
  report.Progress(file_bytes, /*final=*/true);
  std::cerr << report.SummaryText();
  return report.AnyFailed() ? kExitCheckFailed : kExitOk;
}

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
  return RunImport(**reader, in, file_bytes, keys_dir, errors);
}

CertificateRecord RecordFromHistory(const v1::GetCertificateResponse& got) {
  CertificateRecord record;
  for (int i = 0; i < got.history_size(); ++i) {
    v1::Statement statement;
    statement.ParseFromString(got.history(i).signed_statement().statement());
    if (i == 0) {
      record.certificate = statement.issue().certificate();
      continue;
    }
    statement.clear_previous_event_hash();
    statement.clear_nonce();
    record.events.push_back(std::move(statement));
  }
  return record;
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
  if (!request.ok()) return Usage("export", request.status().message());
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
      const CertificateRecord record = RecordFromHistory(*got);
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

// Fail, adding where the admin socket may be when it was not reached.
int FailAdmin(const absl::Status& status) {
  if (absl::IsUnavailable(status) && absl::GetFlag(FLAGS_admin).empty()) {
    return Fail(absl::UnavailableError(absl::StrCat(
        status.message(),
        " (the default admin socket; a registry with another --data_dir has "
        "its socket at unix:DATA_DIR.admin.sock: pass --admin=unix:PATH)")));
  }
  return Fail(status);
}

int BackupCommand(const Args& args) {
  if (args.size() != 1) return Usage("backup", "give the backup's name");
  absl::StatusOr<v1::BackupResponse> response = AdminClient()->Backup(args[0]);
  if (!response.ok()) return FailAdmin(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return kExitOk;
  }
  std::cout << "backup written to " << response->path() << " (log size "
            << response->tree_size() << ")\n"
            << "restore: stop the registry, copy that directory and start "
               "it with --data_dir=<the copy>; its first start checks it in "
               "full\n";
  return kExitOk;
}

// The line a scrub's progress is shown by: "log: [###...] 50.0% 131072 of
// 262144 leaves, 3.2 s".
std::string ScrubProgressText(const v1::ScrubProgress& progress) {
  const bool log = progress.phase() == "log";
  const double fraction =
      progress.total() == 0 ? 1 : double(progress.done()) / progress.total();
  return absl::StrCat(
      log ? "log leaves:   " : "certificates: ", ProgressBar(fraction), " ",
      progress.done(), " of ", progress.total(), ", ",
      absl::StrFormat("%.1f s", progress.elapsed_millis() / 1e3));
}

int ScrubCommand(const Args& args) {
  if (!args.empty()) return Usage("scrub", "takes no arguments");
  std::cerr << "scrub: reading every log leaf (hash and signer) and "
               "certificate record...\n";
  // On a terminal one line redrawn in place; elsewhere (a log) one line per
  // progress message, about one a second.
  const bool terminal = isatty(STDERR_FILENO) == 1;
  absl::StatusOr<v1::ScrubReport> report =
      AdminClient()->Scrub([terminal](const v1::ScrubProgress& progress) {
        std::cerr << (terminal ? "\r" : "") << ScrubProgressText(progress)
                  << (terminal ? "\033[K" : "\n") << std::flush;
      });
  if (terminal) std::cerr << "\r\033[K";
  if (!report.ok()) return FailAdmin(report.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*report);
  } else {
    std::cout << "log: " << report->leaves_checked()
              << (report->leaves_checked() == 1 ? " leaf" : " leaves")
              << " hashed; root at checkpoint size "
              << report->checkpoint_tree_size()
              << (report->log_root_matches() ? " matches" : " DOES NOT MATCH")
              << "; " << report->signatures_checked()
              << " signatures checked\ncertificates: "
              << Counted(report->certificates_checked(), "record")
              << " re-derived from their signed statements\n";
    for (const std::string& problem : report->problems()) {
      std::cout << "PROBLEM: " << problem << "\n";
    }
    std::cout << (report->problems().empty() ? "no damage found"
                                             : "damage found: restore the data "
                                               "directory from a backup")
              << " (" << report->duration_millis() << " ms)\n";
  }
  return report->problems().empty() ? kExitOk : kExitCheckFailed;
}

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
  std::vector<Ed25519PrivateKey> body_keys;
  for (const DemoBody& body : DemoBodies()) {
    absl::StatusOr<Ed25519PrivateKey> key =
        LoadOrCreateBodyKey(keys_dir, body.approval_number, true);
    if (!key.ok()) return Fail(key.status());
    body_keys.push_back(*std::move(key));
  }
  absl::StatusOr<std::vector<DemoCertificate>> seeded =
      SeedDemo(*operator_key, body_keys, TodayInChina(),
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
