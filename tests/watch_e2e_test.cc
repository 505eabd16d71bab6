// WatchCertificates end to end against a real registry process: a watcher
// following an organisation by its credit code (and one more certificate by
// number) hears every statement written about them, a certificate issued
// later to the same organisation, and the status changes nobody writes (the
// first overdue day, the day after expiry) on their day, with the
// registry's clock moved forward by --test_clock_offset_days across
// restarts; resuming with the last cursor gives exactly what was missed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/certctl_fixture.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

const char kHaier[] =
    "90126Q21540R2M";  // 青岛海岳, valid, audited 9 months ago
const char kHaierCode[] = "91370212CXUGT6619K";
const char kExpiring[] = "90123S20417R1M";  // expires in 6 months
const char kNewNumber[] = "90126Q21999R0M";

// A WatchCertificates stream on a thread of its own, keeping every message
// but heartbeats.
class Watcher {
 public:
  Watcher(const std::string& address, const std::string& cursor) {
    v1::WatchCertificatesRequest request;
    request.mutable_filter()->add_unified_social_credit_codes(kHaierCode);
    request.mutable_filter()->add_certificate_numbers(kExpiring);
    request.set_cursor(cursor);
    request.set_heartbeat_seconds(1);
    thread_ = std::thread([this, address, request] {
      RegistryClient client(address);
      ended_ = client.Watch(request, [this](const v1::CertificateChange& c) {
        absl::MutexLock lock(&mu_);
        last_cursor_ = c.cursor();
        if (c.kind() != v1::CHANGE_KIND_HEARTBEAT) changes_.push_back(c);
        return !stop_;
      });
      absl::MutexLock lock(&mu_);
      done_ = true;
    });
  }
  ~Watcher() { Stop(); }

  // Waits until at least `count` changes came (or 30 s); returns them.
  std::vector<v1::CertificateChange> WaitFor(size_t count) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return changes_.size() >= count || done_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(30));
    return changes_;
  }
  // Waits a little longer, for anything beyond what was expected.
  std::vector<v1::CertificateChange> Settle() {
    absl::SleepFor(absl::Seconds(2));
    absl::MutexLock lock(&mu_);
    return changes_;
  }
  std::string last_cursor() {
    absl::MutexLock lock(&mu_);
    return last_cursor_;
  }
  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  absl::Mutex mu_;
  std::vector<v1::CertificateChange> changes_ ABSL_GUARDED_BY(mu_);
  std::string last_cursor_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status ended_;
  std::thread thread_;
};

// (day, number, status, reason codes) of a date-driven change.
using DayChange = std::tuple<std::string, std::string, int, std::string>;

std::string Codes(const v1::EffectiveStatus& status) {
  std::string codes;
  for (const v1::StatusReason& reason : status.reasons()) {
    absl::StrAppend(&codes, reason.code(), ",");
  }
  return codes;
}

class WatchTest : public CertctlTest {
 protected:
  std::string BodyKey() { return config_ + "/demo/CNCA-R-2002-901.key"; }

  // Every day in (from, to] on which the registry says a certificate's
  // status (or its reasons) differs from the day before: what the watcher
  // must hear, found by asking GetCertificate day by day.
  std::vector<DayChange> ChangesBetween(const std::vector<std::string>& numbers,
                                        absl::CivilDay from,
                                        absl::CivilDay to) {
    RegistryClient client(address_);
    std::vector<DayChange> changes;
    for (absl::CivilDay day = from + 1; day <= to; ++day) {
      for (const std::string& number : numbers) {
        v1::GetCertificateRequest request;
        request.set_number(number);
        request.set_view(v1::CERTIFICATE_VIEW_BASIC);
        *request.mutable_as_of() = ToProtoDate(day - 1);
        auto before = client.GetCertificate(request);
        *request.mutable_as_of() = ToProtoDate(day);
        auto now = client.GetCertificate(request);
        if (!before.ok() || !now.ok()) continue;
        if (before->status().status() != now->status().status() ||
            Codes(before->status()) != Codes(now->status())) {
          changes.emplace_back(FormatDate(ToProtoDate(day)), number,
                               now->status().status(), Codes(now->status()));
        }
      }
    }
    return changes;
  }

  static std::vector<DayChange> DayChangesOf(
      const std::vector<v1::CertificateChange>& changes, size_t from) {
    std::vector<DayChange> out;
    for (size_t i = from; i < changes.size(); ++i) {
      const v1::CertificateChange& c = changes[i];
      if (c.kind() != v1::CHANGE_KIND_STATUS_CHANGE) continue;
      out.emplace_back(FormatDate(c.effective_date()), c.certificate_number(),
                       c.status().status(), Codes(c.status()));
    }
    return out;
  }

  void IssueNewCertificate(absl::CivilDay today) {
    const std::string issued = FormatDate(ToProtoDate(today));
    const std::string expiry =
        FormatDate(ToProtoDate(AddMonths(today, 36) - 1));
    CommandResult result = Certctl(
        {"issue", "--key=" + BodyKey(), "--number=" + std::string(kNewNumber),
         "--type=management_system", "--item_code=A01",
         "--item_name=质量管理体系认证（ISO 9001）",
         "--basis=GB/T 19001-2016/ISO 9001:2015",
         "--holder=青岛海岳电器股份有限公司",
         "--credit_code=" + std::string(kHaierCode),
         "--address=山东省青岛市崂山区海岳路18号", "--scope=冰箱的销售服务",
         "--first_issue_date=" + issued, "--issue_date=" + issued,
         "--expiry_date=" + expiry, "--body=CNCA-R-2002-901",
         "--body_name=华信质量认证中心有限公司"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
};

TEST_F(WatchTest, ByCreditCodeAcrossStatementsNewCertificatesDaysAndRestarts) {
  ASSERT_EQ(Certctl({"demo-seed"}).exit_code, 0);
  const absl::CivilDay today = TodayInChina();

  // 1. Live: the current state, then each statement as it is written.
  auto watcher = std::make_unique<Watcher>(address_, "");
  std::vector<v1::CertificateChange> seen = watcher->WaitFor(2);
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& change : seen) {
    EXPECT_EQ(change.kind(), v1::CHANGE_KIND_CURRENT_STATE);
  }
  ASSERT_EQ(Certctl({"suspend", kHaier, "--key=" + BodyKey(),
                     "--reason=整改期间暂停"})
                .exit_code,
            0);
  seen = watcher->WaitFor(3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].kind(), v1::CHANGE_KIND_STATEMENT);
  EXPECT_EQ(seen[2].statement_kind(), v1::STATEMENT_KIND_SUSPEND);
  EXPECT_EQ(seen[2].status().status(), v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_GT(seen[2].checkpoint().checkpoint().size(), 0u);
  ASSERT_EQ(Certctl({"reinstate", kHaier, "--key=" + BodyKey()}).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(IssueNewCertificate(today));
  seen = watcher->WaitFor(5);
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[3].statement_kind(), v1::STATEMENT_KIND_REINSTATE);
  EXPECT_EQ(seen[3].status().status(), v1::CERTIFICATE_STATUS_VALID);
  EXPECT_EQ(seen[4].statement_kind(), v1::STATEMENT_KIND_ISSUE);
  EXPECT_EQ(seen[4].certificate_number(), kNewNumber);
  watcher->Stop();
  const std::string cursor = watcher->last_cursor();
  ASSERT_FALSE(cursor.empty());

  // 2. Written while nobody watched.
  ASSERT_EQ(Certctl({"surveil", kNewNumber, "--key=" + BodyKey()}).exit_code,
            0);

  // What the registry itself says will change, day by day, for two years.
  const std::vector<std::string> numbers = {kHaier, kExpiring, kNewNumber};
  const std::vector<DayChange> year =
      ChangesBetween(numbers, today, today + 731);
  ASSERT_GE(year.size(), 2u);
  // Among them: 海岳's second audit overdue (suspended automatically) and
  // the other certificate's expiry, the day after its expiry date.
  absl::CivilDay overdue_day, expiry_day;
  for (const DayChange& change : year) {
    absl::CivilDay day;
    ASSERT_TRUE(absl::ParseCivilTime(std::get<0>(change), &day));
    if (std::get<1>(change) == kHaier && overdue_day == absl::CivilDay() &&
        std::get<2>(change) == v1::CERTIFICATE_STATUS_SUSPENDED) {
      overdue_day = day;
    }
    if (std::get<1>(change) == kExpiring &&
        std::get<2>(change) == v1::CERTIFICATE_STATUS_EXPIRED) {
      expiry_day = day;
    }
  }
  ASSERT_NE(overdue_day, absl::CivilDay());
  ASSERT_NE(expiry_day, absl::CivilDay());
  // Two restarts: on the later of the two days, and on the next change
  // day after it.
  const absl::CivilDay first = std::max(overdue_day, expiry_day);
  absl::CivilDay second = first;
  for (const DayChange& change : year) {
    absl::CivilDay day;
    ASSERT_TRUE(absl::ParseCivilTime(std::get<0>(change), &day));
    if (day > first) {
      second = day;
      break;
    }
  }
  ASSERT_GT(second, first);

  // 3. The registry restarted on the first of those days: resuming gives
  // the missed statement, then every change up to that day, nothing else.
  StartRegistry(dir_ + "/data", 0,
                {absl::StrCat("--test_clock_offset_days=", first - today)});
  watcher = std::make_unique<Watcher>(address_, cursor);
  std::vector<DayChange> expected = ChangesBetween(numbers, today, first);
  seen = watcher->WaitFor(1 + expected.size());
  seen = watcher->Settle();
  ASSERT_GE(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind(), v1::CHANGE_KIND_STATEMENT);
  EXPECT_EQ(seen[0].statement_kind(), v1::STATEMENT_KIND_SURVEILLANCE);
  EXPECT_EQ(DayChangesOf(seen, 1), expected);
  EXPECT_EQ(seen.size(), 1 + expected.size());
  const std::vector<DayChange> heard = DayChangesOf(seen, 1);
  auto heard_of = [&](absl::CivilDay day, const char* number, int status) {
    return std::any_of(heard.begin(), heard.end(), [&](const DayChange& c) {
      return std::get<0>(c) == FormatDate(ToProtoDate(day)) &&
             std::get<1>(c) == number && std::get<2>(c) == status;
    });
  };
  EXPECT_TRUE(heard_of(overdue_day, kHaier, v1::CERTIFICATE_STATUS_SUSPENDED));
  EXPECT_TRUE(heard_of(expiry_day, kExpiring, v1::CERTIFICATE_STATUS_EXPIRED));
  watcher->Stop();
  const std::string second_cursor = watcher->last_cursor();

  // 4. Restarted again on the next change day: the changes in between.
  StartRegistry(dir_ + "/data", 0,
                {absl::StrCat("--test_clock_offset_days=", second - today)});
  watcher = std::make_unique<Watcher>(address_, second_cursor);
  expected = ChangesBetween(numbers, first, second);
  ASSERT_FALSE(expected.empty());
  seen = watcher->WaitFor(expected.size());
  seen = watcher->Settle();
  EXPECT_EQ(DayChangesOf(seen, 0), expected);
  EXPECT_EQ(seen.size(), expected.size());
}

// The registry ends every stream at --max_stream_seconds, whatever the
// client's deadline: a raw stream sees DEADLINE_EXCEEDED naming the cursor
// to resume from, and RegistryClient::Watch resumes by itself, so a change
// written after the limit still arrives, once, with nothing repeated.
TEST_F(WatchTest, StreamsEndAtTheServersLimitAndWatchesResume) {
  StartRegistry(dir_ + "/data", 0, {"--max_stream_seconds=2"});
  ASSERT_EQ(Certctl({"demo-seed"}).exit_code, 0);

  auto stub = v1::RegistryService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::WatchCertificatesRequest request;
  request.mutable_filter()->add_certificate_numbers(kHaier);
  auto reader = stub->WatchCertificates(&context, request);
  v1::CertificateChange change;
  while (reader->Read(&change)) {
  }
  const grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(absl::StrContains(ended.error_message(),
                                "resume with the last cursor received, w1."))
      << ended.error_message();

  Watcher watcher(address_, "");
  ASSERT_EQ(watcher.WaitFor(2).size(), 2u);  // the current states
  absl::SleepFor(absl::Seconds(5));          // two limits pass
  ASSERT_EQ(Certctl({"suspend", kHaier, "--key=" + BodyKey(),
                     "--reason=整改期间暂停"})
                .exit_code,
            0);
  std::vector<v1::CertificateChange> seen = watcher.WaitFor(3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].statement_kind(), v1::STATEMENT_KIND_SUSPEND);
  EXPECT_EQ(watcher.Settle().size(), 3u);

  // A lookup stream too, at its next request past the limit.
  grpc::ClientContext lookup_context;
  auto lookups = stub->LookupCertificates(&lookup_context);
  v1::GetCertificateRequest get;
  get.set_number(kHaier);
  v1::CertificateLookup answer;
  ASSERT_TRUE(lookups->Write(get));
  ASSERT_TRUE(lookups->Read(&answer));
  absl::SleepFor(absl::Seconds(3));
  lookups->Write(get);
  EXPECT_FALSE(lookups->Read(&answer));
  const grpc::Status lookup_ended = lookups->Finish();
  EXPECT_EQ(lookup_ended.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << lookup_ended.error_message();
}

TEST_F(WatchTest, BadFiltersAndCursorsAreRefusedNamingTheField) {
  RegistryClient client(address_);
  v1::WatchCertificatesRequest empty;
  absl::Status refused =
      client.Watch(empty, [](const v1::CertificateChange&) { return true; });
  EXPECT_TRUE(absl::IsInvalidArgument(refused)) << refused;
  EXPECT_NE(refused.message().find("filter:"), std::string::npos) << refused;
  v1::WatchCertificatesRequest bad_cursor;
  bad_cursor.mutable_filter()->add_certificate_numbers(kHaier);
  bad_cursor.set_cursor("not-a-cursor");
  refused = client.Watch(bad_cursor,
                         [](const v1::CertificateChange&) { return true; });
  EXPECT_TRUE(absl::IsInvalidArgument(refused)) << refused;
  EXPECT_NE(refused.message().find("cursor:"), std::string::npos) << refused;
}

}  // namespace
}  // namespace certreg

namespace certreg {
namespace {

// The resident memory of a process, in KiB (0 when unreadable).
long ResidentKib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, "VmRSS:")) {
      long kib = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::StripSuffix(
                               absl::string_view(line).substr(6), "kB")),
                           &kib)) {
        return kib;
      }
    }
  }
  return 0;
}

// A watcher that stops reading holds the registry to one message at a
// time: its stream is cut off after --watch_write_timeout_seconds, the
// registry's memory stays bounded, and others are served meanwhile.
TEST_F(WatchTest, AWatcherThatStopsReadingIsCutOffNotBuffered) {
  StartRegistry(dir_ + "/data", 0, {"--watch_write_timeout_seconds=2"});
  ASSERT_NO_FATAL_FAILURE(Generate(5000, 3));
  CommandResult imported =
      Certctl({"import", dir_ + "/generated.csv",
               "--keys_dir=" + dir_ + "/keys", "--accredit", "--parallel=8"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const long before = ResidentKib(registry_->pid());

  // Every certificate of every body, the current states first: far more
  // than gRPC's windows hold, and nobody reads them.
  auto channel =
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  auto stub = v1::RegistryService::NewStub(channel);
  grpc::ClientContext context;
  // Without the cut-off the stream would last: the deadline ends it then.
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(40));
  v1::WatchCertificatesRequest request;
  for (const auto& file : std::filesystem::directory_iterator(dir_ + "/keys")) {
    if (file.path().extension() == ".key") {
      request.mutable_filter()->add_body_approval_numbers(
          file.path().stem().string());
    }
  }
  ASSERT_GT(request.filter().body_approval_numbers_size(), 0);
  std::unique_ptr<grpc::ClientReader<v1::CertificateChange>> reader =
      stub->WatchCertificates(&context, request);
  absl::SleepFor(absl::Seconds(6));  // the write times out meanwhile

  // Others are served, and the stalled stream holds no backlog.
  EXPECT_EQ(Certctl({"health"}).exit_code, 0);
  EXPECT_LT(ResidentKib(registry_->pid()), before + 200 * 1024);

  // Reading now drains what the windows held, then the stream has ended.
  v1::CertificateChange change;
  int read = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline && reader->Read(&change)) ++read;
  const grpc::Status ended = reader->Finish();
  EXPECT_FALSE(ended.ok());
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::CANCELLED)
      << ended.error_message();
  EXPECT_LT(read, 5000) << "the whole backlog arrived: nothing was cut off";
}

}  // namespace
}  // namespace certreg
