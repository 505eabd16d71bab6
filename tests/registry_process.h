// The registry binary as a child process, for tests that kill, damage and
// restart it.
#ifndef CERTREG_TESTS_REGISTRY_PROCESS_H_
#define CERTREG_TESTS_REGISTRY_PROCESS_H_

#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/child_process.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {

// The admin socket of the registry RegistryArgs starts on `port`.
inline std::string AdminSocket(int port) {
  return ShortSocketAddress(absl::StrCat(port));
}

// The registry's command line for `data_dir` (its log key beside it, at
// DATA_DIR.log.key) on loopback port `port`, its admin socket at
// AdminSocket(port).
inline std::vector<std::string> RegistryArgs(const std::string& data_dir,
                                             const std::string& operator_pub,
                                             int port) {
  return {"--data_dir=" + data_dir, "--operator_public_key=" + operator_pub,
          absl::StrCat("--listen=127.0.0.1:", port),
          "--log_private_key=" + data_dir + ".log.key",
          "--admin_socket=" + AdminSocket(port)};
}

// The registry binary as a child process on a loopback port, its standard
// error in `stderr_file` when given, with `extra_args` after the usual ones.
class RegistryProcess {
 public:
  RegistryProcess(const std::string& data_dir, const std::string& operator_pub,
                  int port, const std::string& stderr_file = "",
                  const std::vector<std::string>& extra_args = {})
      : address_(absl::StrCat("127.0.0.1:", port)),
        admin_address_(AdminSocket(port)),
        process_(RunfilesBinary("registry/certreg-registry"),
                 Concat(RegistryArgs(data_dir, operator_pub, port), extra_args),
                 stderr_file) {}

  // Waits until the server answers.
  bool WaitReady() {
    for (int i = 0; i < 100; ++i) {
      // A fresh client each time: a channel that failed to connect backs off.
      RegistryClient client(address_, std::chrono::seconds(1));
      if (client.ListBodies(v1::ListBodiesRequest()).ok()) return true;
      usleep(100 * 1000);
    }
    return false;
  }

  // Sends `signal` and waits for the process; returns its wait status.
  int Kill(int signal) { return process_.Stop(signal); }
  // Sends `signal` without waiting.
  void Signal(int signal) { kill(process_.pid(), signal); }
  const std::string& address() const { return address_; }
  const std::string& admin_address() const { return admin_address_; }

 private:
  static std::vector<std::string> Concat(std::vector<std::string> a,
                                         const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  std::string address_;
  std::string admin_address_;
  ChildProcess process_;
};

}  // namespace certreg

#endif  // CERTREG_TESTS_REGISTRY_PROCESS_H_
