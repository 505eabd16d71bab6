// Damaged data directories through the registry binary: a registry never
// starts on a log shorter than what it acknowledged or published, and says
// what is wrong and what to do.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel_posix.h"
#include "gtest/gtest.h"
#include "registry/core/record_tampering.h"
#include "registry/storage/rocksdb_store.h"
#include "tests/child_process.h"
#include "tests/registry_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/loopback_testing.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

class FaultTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/fault/" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(WriteKeyPair(operator_key_, dir_ + "/operator.key",
                             dir_ + "/operator.pub")
                    .ok());
  }

  // A registry with the demo data and `extra` more certificates, killed
  // with SIGKILL (its last writes only in the write-ahead log) unless
  // `clean`.
  void Populate(int extra, bool clean) {
    RegistryProcess server(Data(), dir_ + "/operator.pub", TestPort(0));
    ASSERT_TRUE(server.WaitReady());
    RegistryClient client(server.address());
    auto submit = [&client](v1::StatementKind kind,
                            const v1::SignedStatement& s) {
      return client.Submit(kind, s);
    };
    auto seeded = SeedDemo(operator_key_, body_keys_, TodayInChina(), submit);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    v1::GetCertificateRequest get;
    get.set_number("90126Q21540R2M");
    const v1::Certificate base = client.GetCertificate(get)->certificate();
    for (int i = 0; i < extra; ++i) {
      ASSERT_TRUE(
          client.Submit(v1::STATEMENT_KIND_ISSUE, NewIssue(base, i)).ok());
    }
    // Wait for the checkpoint that covers them (published every second).
    sleep(2);
    server.Kill(clean ? SIGTERM : SIGKILL);
  }

  // The signed issue statement of a copy of `base` numbered after `i`.
  v1::SignedStatement NewIssue(const v1::Certificate& base, int i) {
    v1::Certificate c = base;
    c.set_number(absl::StrCat("90126Q", 700000 + i, "R2M"));
    c.mutable_holder()->set_unified_social_credit_code(
        DemoCreditCode(5000 + i));
    v1::Statement issue;
    issue.set_certificate_number(c.number());
    *issue.mutable_date() = c.issue_date();
    *issue.mutable_issue()->mutable_certificate() = c;
    return *SignStatement(issue, body_keys_[0]);
  }

  // Runs the registry on the data directory and expects it to refuse to
  // start, saying `what`.
  void ExpectRefusal(const std::string& what) {
    std::vector<std::string> args =
        RegistryArgs(Data(), dir_ + "/operator.pub", TestPort(1));
    CommandResult result =
        RunCommand(RunfilesBinary("registry/certreg-registry"), args);
    EXPECT_NE(result.exit_code, 0) << "started on a damaged directory:\n"
                                   << result.err;
    EXPECT_TRUE(absl::StrContains(result.err, what)) << result.err;
    EXPECT_FALSE(absl::StrContains(result.err, "listening on")) << result.err;
  }

  std::vector<std::string> Files(absl::string_view suffix) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(Data())) {
      const std::string name = entry.path().string();
      if (absl::EndsWith(name, suffix) &&
          std::filesystem::file_size(entry.path()) > 0) {
        files.push_back(name);
      }
    }
    return files;
  }

  std::string Data() const { return dir_ + "/data"; }

  std::string dir_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::vector<Ed25519PrivateKey> body_keys_ = {*Ed25519PrivateKey::Generate(),
                                               *Ed25519PrivateKey::Generate()};
};

TEST_F(FaultTest, ABitFlippedInTheWriteAheadLogStopsTheStart) {
  Populate(300, /*clean=*/false);
  const std::vector<std::string> wals = Files(".log");
  ASSERT_EQ(wals.size(), 1u);
  std::fstream io(wals[0], std::ios::in | std::ios::out | std::ios::binary);
  const std::streamoff middle = std::filesystem::file_size(wals[0]) / 2;
  io.seekg(middle);
  char c;
  io.get(c);
  io.seekp(middle);
  io.put(static_cast<char>(c ^ 0x10));
  io.close();
  ExpectRefusal("is damaged");

  // --repair keeps the log up to the damaged record, says what was lost
  // and serves; the next ordinary start accepts the repaired directory.
  {
    RegistryProcess repaired(Data(), dir_ + "/operator.pub", TestPort(1),
                             dir_ + "/repair.err", {"--repair"});
    ASSERT_TRUE(repaired.WaitReady()) << ReadText(dir_ + "/repair.err");
  }
  const std::string err = ReadText(dir_ + "/repair.err");
  EXPECT_TRUE(absl::StrContains(err, "repaired: kept ")) << err;
  EXPECT_TRUE(absl::StrContains(err, "acknowledged statement(s) (log leaves "))
      << err;
  EXPECT_TRUE(
      std::filesystem::exists(Data() + "/published_checkpoint.before-repair"));
  RegistryProcess again(Data(), dir_ + "/operator.pub", TestPort(2));
  EXPECT_TRUE(again.WaitReady());
}

TEST_F(FaultTest, TableFilesWithoutTheirManifestAreNotANewRegistry) {
  Populate(50, /*clean=*/true);
  std::filesystem::remove(Data() + "/CURRENT");
  for (const std::string& manifest : Files("")) {
    if (absl::StrContains(manifest, "/MANIFEST-")) {
      std::filesystem::remove(manifest);
    }
  }
  const size_t tables = Files(".sst").size();
  ExpectRefusal("no RocksDB CURRENT file");
  EXPECT_EQ(Files(".sst").size(), tables);
}

TEST_F(FaultTest, ATruncatedManifestIsRefusedAndNoTableFileIsLost) {
  Populate(50, /*clean=*/true);
  std::vector<std::string> manifests;
  for (const std::string& file : Files("")) {
    if (absl::StrContains(file, "/MANIFEST-")) manifests.push_back(file);
  }
  ASSERT_EQ(manifests.size(), 1u);
  std::filesystem::resize_file(manifests[0],
                               std::filesystem::file_size(manifests[0]) / 2);
  const std::vector<std::string> tables = Files(".sst");
  ASSERT_FALSE(tables.empty());
  ExpectRefusal("acknowledged statement(s) are missing");
  ExpectRefusal("are kept in " + Data() + "/kept-at-open");
  // Every table file is still there, in the directory or kept beside it.
  for (const std::string& table : tables) {
    const std::string name = std::filesystem::path(table).filename();
    EXPECT_TRUE(std::filesystem::exists(table) ||
                std::filesystem::exists(Data() + "/kept-at-open/" + name))
        << name;
  }
}

TEST_F(FaultTest, ALogShorterThanThePublishedCheckpointIsRefused) {
  Populate(50, /*clean=*/true);
  // The checkpoint this registry published, kept outside the database...
  ASSERT_TRUE(std::filesystem::exists(Data() + "/published_checkpoint"));
  // ...outlives a database restored from an older state.
  std::filesystem::rename(Data() + "/published_checkpoint",
                          dir_ + "/published_checkpoint");
  std::filesystem::remove_all(Data());
  Populate(0, /*clean=*/true);
  std::filesystem::rename(dir_ + "/published_checkpoint",
                          Data() + "/published_checkpoint");
  ExpectRefusal("acknowledged statement(s) are missing");
}

// A backup written online, copied to a new data directory: the first start
// checks it in full before serving, and a copy whose record was rewritten
// inside RocksDB (valid checksums, same log) is refused.
TEST_F(FaultTest, ARestoredBackupIsCheckedInFullBeforeItIsServed) {
  Populate(20, /*clean=*/true);
  {
    RegistryProcess server(Data(), dir_ + "/operator.pub", TestPort(0));
    ASSERT_TRUE(server.WaitReady());
    CommandResult backup =
        RunCommand(RunfilesBinary("tools/certctl"),
                   {"backup", "b1", "--admin=" + server.admin_address()});
    ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  }
  const std::string backup = Data() + "-backups/b1";
  ASSERT_TRUE(std::filesystem::exists(backup + "/restore_check_pending"));
  ASSERT_TRUE(std::filesystem::exists(backup + "/published_checkpoint"));
  const std::string restored = dir_ + "/restored";
  std::filesystem::copy(backup, restored);
  std::filesystem::copy(Data() + ".log.key", restored + ".log.key");
  std::filesystem::copy(backup, dir_ + "/tampered");
  std::filesystem::copy(Data() + ".log.key", dir_ + "/tampered.log.key");
  {
    RegistryProcess server(restored, dir_ + "/operator.pub", TestPort(1),
                           dir_ + "/restored.err");
    ASSERT_TRUE(server.WaitReady());
  }
  std::ifstream log(dir_ + "/restored.err");
  const std::string err((std::istreambuf_iterator<char>(log)),
                        std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(err, "restored backup checked: 44 leaves"))
      << err;
  EXPECT_FALSE(std::filesystem::exists(restored + "/restore_check_pending"));

  {
    auto store = RocksDbStore::Open(dir_ + "/tampered");
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(
        RenameHolderInRecord(**store, "90126Q21540R2M", "青岛冒名电器有限公司")
            .ok());
  }
  CommandResult refused = RunCommand(
      RunfilesBinary("registry/certreg-registry"),
      RegistryArgs(dir_ + "/tampered", dir_ + "/operator.pub", TestPort(2)));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(refused.err, "is damaged")) << refused.err;
  EXPECT_TRUE(absl::StrContains(refused.err, "90126Q21540R2M")) << refused.err;
  EXPECT_FALSE(absl::StrContains(refused.err, "listening on")) << refused.err;

  // --repair rewrites the record from the log, and the lookup is right.
  RegistryProcess repaired(dir_ + "/tampered", dir_ + "/operator.pub",
                           TestPort(2), dir_ + "/repair.err", {"--repair"});
  ASSERT_TRUE(repaired.WaitReady()) << ReadText(dir_ + "/repair.err");
  EXPECT_TRUE(absl::StrContains(ReadText(dir_ + "/repair.err"),
                                "1 certificate record(s) rewritten"))
      << ReadText(dir_ + "/repair.err");
  v1::GetCertificateRequest get;
  get.set_number("90126Q21540R2M");
  absl::StatusOr<v1::GetCertificateResponse> got =
      RegistryClient(repaired.address()).GetCertificate(get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_NE(got->certificate().holder().name(), "青岛冒名电器有限公司");
}

TEST_F(FaultTest, ScrubOfALiveRegistryFindsNoDamage) {
  Populate(20, /*clean=*/true);
  RegistryProcess server(Data(), dir_ + "/operator.pub", TestPort(0));
  ASSERT_TRUE(server.WaitReady());
  CommandResult scrub =
      RunCommand(RunfilesBinary("tools/certctl"),
                 {"scrub", "--admin=" + server.admin_address()});
  EXPECT_EQ(scrub.exit_code, 0) << scrub.out << scrub.err;
  EXPECT_TRUE(absl::StrContains(scrub.out, "no damage found")) << scrub.out;
  EXPECT_TRUE(absl::StrContains(scrub.out, "28 records re-derived"))
      << scrub.out;
  // Its progress, a line per message off a terminal: each phase begins
  // with one (the log's 0 of its leaves, the records' 0 of 28).
  EXPECT_TRUE(absl::StrContains(scrub.err, "log leaves:   [....")) << scrub.err;
  EXPECT_TRUE(absl::StrContains(scrub.err, "certificates: [....")) << scrub.err;
  EXPECT_TRUE(absl::StrContains(scrub.err, "0 of 28, ")) << scrub.err;
}

// A disk that filled while the registry was down (killed with its last
// writes in the WAL, whose recovery needs space): the registry starts
// read-only and serves lookups, refuses writes, and reopens for writing by
// itself once space returns. On a real small filesystem (tmpfs), where the
// test runner may mount one.
TEST_F(FaultTest, AFullDiskStartsReadOnlyAndWritesResumeWhenSpaceReturns) {
  std::filesystem::create_directories(Data());
  if (mount("tmpfs", Data().c_str(), "tmpfs", 0, "size=256m") != 0) {
    GTEST_SKIP() << "cannot mount a small filesystem here: "
                 << std::strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{Data()};
  Populate(0, /*clean=*/false);
  // Fill the disk (the default watermark is 64 MiB).
  {
    std::ofstream filler(Data() + "/filler", std::ios::binary);
    const std::string mib(1 << 20, 'x');
    for (int i = 0; i < 256 && filler.write(mib.data(), mib.size()); ++i) {
    }
  }
  RegistryProcess server(Data(), dir_ + "/operator.pub", TestPort(0),
                         dir_ + "/registry.err");
  ASSERT_TRUE(server.WaitReady());
  RegistryClient client(server.address());
  v1::GetCertificateRequest get;
  get.set_number("90126Q21540R2M");
  absl::StatusOr<v1::GetCertificateResponse> got = client.GetCertificate(get);
  ASSERT_TRUE(got.ok()) << got.status();
  absl::StatusOr<v1::StatementReceipt> refused =
      client.Submit(v1::STATEMENT_KIND_ISSUE, NewIssue(got->certificate(), 1));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted)
      << refused.status();

  std::filesystem::remove(Data() + "/filler");
  absl::Status written = absl::UnknownError("not tried");
  for (int i = 0; i < 100 && !written.ok(); ++i) {
    usleep(200 * 1000);
    RegistryClient fresh(server.address(), std::chrono::seconds(2));
    written =
        fresh.Submit(v1::STATEMENT_KIND_ISSUE, NewIssue(got->certificate(), 1))
            .status();
  }
  EXPECT_TRUE(written.ok()) << written;
  std::ifstream log(dir_ + "/registry.err");
  const std::string err((std::istreambuf_iterator<char>(log)),
                        std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(err, "serving read-only")) << err;
  EXPECT_TRUE(absl::StrContains(err, "reopening the database for writing"))
      << err;
}

// Starts the registry under `prlimit --nofile=LIMIT:LIMIT` (a limit it
// cannot raise) with `extra` flags; waits until it answers.
std::unique_ptr<ChildProcess> StartUnderFileLimit(
    int limit, const std::vector<std::string>& registry_args,
    const std::vector<std::string>& extra, const std::string& err_file) {
  std::vector<std::string> args = {absl::StrCat("--nofile=", limit, ":", limit),
                                   "--",
                                   RunfilesBinary("registry/certreg-registry")};
  args.insert(args.end(), registry_args.begin(), registry_args.end());
  args.insert(args.end(), extra.begin(), extra.end());
  auto registry =
      std::make_unique<ChildProcess>("/usr/bin/prlimit", args, err_file);
  for (int i = 0; i < 100; ++i) {
    RegistryClient client(absl::StrCat("127.0.0.1:", TestPort(0)),
                          std::chrono::seconds(1));
    if (client.ListBodies(v1::ListBodiesRequest()).ok()) return registry;
    usleep(100 * 1000);
  }
  return nullptr;
}

// The issue's flood: 1,100 idle connections under systemd's default limit
// of 1,024 descriptors. The automatic cap (512, 32 of them kept for the
// reserved source) closes the excess as it comes; the listener lives, a
// health check from the reserved source gets through during the flood, and
// once it ends any client is served again.
TEST_F(FaultTest, TheConnectionCapKeepsTheListenerAliveAndTheReserveOpen) {
  std::unique_ptr<ChildProcess> registry = StartUnderFileLimit(
      1024, RegistryArgs(Data(), dir_ + "/operator.pub", TestPort(0)),
      {"--connection_reserve_sources=127.0.0.2"}, dir_ + "/registry.err");
  ASSERT_NE(registry, nullptr);
  // This test's own end of 1,100 connections.
  rlimit files = {};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);
  ASSERT_GE(files.rlim_cur, 1200u);
  std::vector<int> idle;
  for (int i = 0; i < 1100; ++i) {
    const int fd = ConnectFrom("127.0.0.1", TestPort(0));
    ASSERT_GE(fd, 0) << "connection " << i << ": " << std::strerror(errno);
    idle.push_back(fd);
  }
  usleep(500 * 1000);
  const int reserved = ConnectFrom("127.0.0.2", TestPort(0));
  ASSERT_GE(reserved, 0);
  EXPECT_TRUE(
      HealthServing(grpc::CreateInsecureChannelFromFd("reserved", reserved)));
  for (int fd : idle) close(fd);

  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    RegistryClient client(absl::StrCat("127.0.0.1:", TestPort(0)),
                          std::chrono::seconds(2));
    served = client.ListBodies(v1::ListBodiesRequest()).ok();
    if (!served) usleep(100 * 1000);
  }
  EXPECT_TRUE(served) << "no client served after the flood";
  int status = 0;
  EXPECT_FALSE(registry->WaitExit(absl::ZeroDuration(), &status)) << status;
  std::ifstream log(dir_ + "/registry.err");
  const std::string err((std::istreambuf_iterator<char>(log)),
                        std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(err, "--max_connections=512 (32 reserved)"))
      << err;
  EXPECT_FALSE(absl::StrContains(err, "Too many open files")) << err;
}

// Without the cap (--max_connections=0), a connection flood under a
// descriptor limit the registry cannot raise makes accept() fail with
// EMFILE once, and gRPC never accepts on that listener again. The registry
// notices, answers NOT_SERVING and exits with 75 for its supervisor to
// restart it, instead of running on deaf.
TEST_F(FaultTest, AListenerKilledByDescriptorExhaustionEndsTheProcess) {
  std::unique_ptr<ChildProcess> registry = StartUnderFileLimit(
      160, RegistryArgs(Data(), dir_ + "/operator.pub", TestPort(0)),
      {"--max_connections=0"}, dir_ + "/registry.err");
  ASSERT_NE(registry, nullptr);
  std::vector<int> idle;
  for (int i = 0; i < 300; ++i) {
    const int fd = ConnectFrom("127.0.0.1", TestPort(0));
    if (fd < 0) break;
    idle.push_back(fd);
  }
  int status = 0;
  const bool exited = registry->WaitExit(absl::Seconds(20), &status);
  for (int fd : idle) close(fd);
  ASSERT_TRUE(exited) << "the registry runs on with a dead listener";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 75) << status;
  std::ifstream log(dir_ + "/registry.err");
  const std::string err((std::istreambuf_iterator<char>(log)),
                        std::istreambuf_iterator<char>());
  EXPECT_TRUE(
      absl::StrContains(err, "the listener stopped accepting connections"))
      << err;
  EXPECT_TRUE(absl::StrContains(err, "Too many open files")) << err;
  EXPECT_TRUE(absl::StrContains(err, "exiting with status 75")) << err;
}

// SIGHUP, what `systemctl reload` sends, used to end the registry (the
// default action); it is logged and stops nothing.
TEST_F(FaultTest, SighupIsAReloadNotAStop) {
  RegistryProcess server(Data(), dir_ + "/operator.pub", TestPort(0),
                         dir_ + "/registry.err");
  ASSERT_TRUE(server.WaitReady());
  server.Signal(SIGHUP);
  usleep(300 * 1000);
  EXPECT_TRUE(server.WaitReady());
  const int status = server.Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::ifstream log(dir_ + "/registry.err");
  const std::string err((std::istreambuf_iterator<char>(log)),
                        std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(err, "received SIGHUP")) << err;
}

// SIGTERM with a client holding an idle connection: gRPC waits out the
// shutdown grace (0.8 s) for it; it used to wait five seconds, then two more
// in static destructors.
TEST_F(FaultTest, SigtermStopsPromptlyWithAnIdleClientConnected) {
  RegistryProcess server(Data(), dir_ + "/operator.pub", TestPort(0));
  ASSERT_TRUE(server.WaitReady());
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(TestPort(0));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  const std::string preface(
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0", 33);
  ASSERT_EQ(write(fd, preface.data(), preface.size()),
            static_cast<ssize_t>(preface.size()));
  usleep(300 * 1000);
  const absl::Time start = absl::Now();
  const int status = server.Kill(SIGTERM);
  const absl::Duration took = absl::Now() - start;
  close(fd);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // Generous for a shared machine; it takes about 0.8 s.
  EXPECT_LT(took, absl::Seconds(3)) << took;
}

}  // namespace
}  // namespace certreg
