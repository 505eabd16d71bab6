// A test fixture for end-to-end tests of the certctl binary: a real
// registry process on loopback with a fresh data directory and operator key
// per test, and helpers to run certctl against it.
#ifndef CERTREG_TESTS_CERTCTL_FIXTURE_H_
#define CERTREG_TESTS_CERTCTL_FIXTURE_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"

namespace certreg {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CertctlTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/certctl_e2e/" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_ = dir_ + "/config/certreg";
    setenv("XDG_CONFIG_HOME", (dir_ + "/config").c_str(), 1);
    ASSERT_EQ(Certctl({"keygen", config_ + "/operator"}).exit_code, 0);
    StartRegistry(dir_ + "/data", 0);
  }

  void StartRegistry(const std::string& data_dir, int port_offset,
                     const std::vector<std::string>& extra_args = {}) {
    registry_.reset();
    address_ = absl::StrCat("127.0.0.1:", TestPort(port_offset));
    std::vector<std::string> args = {
        "--data_dir=" + data_dir,
        "--listen=" + address_,
        "--operator_public_key=" + config_ + "/operator.pub",
        "--log_private_key=" + config_ + "/log.key",
        "--backup_dir=" + dir_ + "/backups",
        "--admin_socket=" + ShortSocketAddress("certctl")};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    registry_ = std::make_unique<ChildProcess>(
        RunfilesBinary("registry/certreg-registry"), args);
    for (int i = 0; i < 100; ++i) {
      if (Certctl({"health"}).exit_code == 0) return;
      usleep(100 * 1000);
    }
    FAIL() << "registry did not start";
  }

  CommandResult Certctl(std::vector<std::string> args) {
    args.push_back("--registry=" + address_);
    args.push_back("--admin=" + ShortSocketAddress("certctl"));
    return RunCommand(RunfilesBinary("tools/certctl"), args);
  }

  // `certctl generate`: `count` certificates into dir_/generated.csv, their
  // bodies' keys into dir_/keys.
  void Generate(int count, int seed) {
    CommandResult generated = Certctl(
        {"generate", absl::StrCat(count), absl::StrCat("--seed=", seed),
         "--out=" + dir_ + "/generated.csv", "--keys_dir=" + dir_ + "/keys"});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
  }

  // Creates a body key and accredits the body.
  void AccreditBody(const std::string& approval, const std::string& name) {
    ASSERT_EQ(Certctl({"keygen", dir_ + "/" + approval}).exit_code, 0);
    CommandResult accredit =
        Certctl({"accredit", "--approval=" + approval, "--name=" + name,
                 "--public_key=" + dir_ + "/" + approval + ".pub",
                 "--valid_from=2016-01-01", "--valid_until=2031-12-31",
                 "--date=2016-01-01"});
    ASSERT_EQ(accredit.exit_code, 0) << accredit.err;
  }

  std::string dir_;
  std::string config_;
  std::string address_;
  std::unique_ptr<ChildProcess> registry_;
};

}  // namespace certreg

#endif  // CERTREG_TESTS_CERTCTL_FIXTURE_H_
