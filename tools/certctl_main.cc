// certctl: the command line for certreg's users.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address (host:port) of the certreg registry.");
ABSL_FLAG(int, timeout_seconds, 10, "Deadline for each call to the registry.");

namespace {

constexpr char kUsage[] =
    "certctl: the command line for certreg.\n\n"
    "Usage: certctl [--registry=HOST:PORT] COMMAND [ARGS]\n\n"
    "Commands:\n"
    "  health    check that the registry answers (gRPC health check)\n\n"
    "Example:\n"
    "  certctl --registry=127.0.0.1:50051 health\n\n"
    "Exit codes: 0 success, 1 check failed, 2 usage or connection error.";

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() +
         std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds));
}

int Health() {
  std::string address = absl::GetFlag(FLAGS_registry);
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status =
      stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  if (!status.ok()) {
    std::cerr << "certctl: registry at " << address
              << " is unreachable: " << status.error_message() << "\n";
    return 2;
  }
  bool serving =
      response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::cout << address << ": "
            << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                   response.status())
            << "\n";
  return serving ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::cerr << kUsage << "\n";
    return 2;
  }
  std::string command = args[1];
  if (command == "health") return Health();
  std::cerr << "certctl: unknown command \"" << command << "\"\n\n"
            << kUsage << "\n";
  return 2;
}
