// certreg-registry: the registry server process.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "registry/registry_server.h"

namespace {

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return absl::StrCat(xdg, "/certreg/registry");
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return absl::StrCat(home, "/.local/share/certreg/registry");
  }
  return "certreg-data/registry";
}

}  // namespace

ABSL_FLAG(std::string, data_dir, DefaultDataDir(),
          "RocksDB data directory; created when missing. Only one process may "
          "use it at a time.");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve gRPC on. The default is loopback only; use "
          "0.0.0.0:PORT to serve other machines.");
ABSL_FLAG(int, max_request_bytes, 4 << 20,
          "Largest gRPC request accepted, in bytes.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The certreg registry server: stores certificates as signed statements "
      "in RocksDB and serves certreg.v1.RegistryService, gRPC health checking "
      "and server reflection.\n\n"
      "Example:\n  certreg-registry --data_dir=/var/lib/certreg "
      "--listen=127.0.0.1:50051");
  absl::ParseCommandLine(argc, argv);

  // Handle SIGINT/SIGTERM synchronously: block them before gRPC starts its
  // threads, then wait for one here and shut down cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  certreg::RegistryServerOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  auto server = certreg::RegistryServer::Start(options);
  if (!server.ok()) {
    std::cerr << "certreg-registry: " << server.status().message() << "\n";
    return 1;
  }
  std::cerr << "certreg-registry: data directory " << options.data_dir << "\n"
            << "certreg-registry: listening on " << (*server)->address()
            << " (gRPC; health and reflection on)" << std::endl;

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cerr << "certreg-registry: received "
            << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << ", shutting down" << std::endl;
  (*server)->Shutdown();
  std::cerr << "certreg-registry: stopped" << std::endl;
  return 0;
}
