#include "tools/cli/certctl_lookup.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_lookup_requests.h"
#include "tools/cli/certctl_lookup_text.h"
#include "tools/cli/certctl_text.h"
#include "verifier/grpc/client_channel.h"

ABSL_FLAG(std::string, status, "",
          "search/export: only this status: 有效 (valid), 暂停 (suspended), "
          "撤销 (revoked), 注销 (withdrawn), 过期 (expired) or 未生效 (not yet "
          "valid), in Chinese or English.");
ABSL_FLAG(std::string, item, "",
          "search/export: only this item code (or prefix).");
ABSL_FLAG(int, page_size, 20, "search: results per page (1-100).");
ABSL_FLAG(std::string, page_token, "",
          "search: continue from a previous page's next-page token.");

namespace certreg {
namespace {

using Lookups = std::vector<absl::StatusOr<v1::GetCertificateResponse>>;

// One GetCertificate call for one number; one LookupCertificates stream for
// several. An error when the registry answered none of them.
absl::StatusOr<Lookups> LookUp(
    const std::vector<v1::GetCertificateRequest>& requests) {
  if (requests.size() == 1) {
    absl::StatusOr<v1::GetCertificateResponse> response =
        Client()->GetCertificate(requests[0]);
    if (!response.ok()) return response.status();
    Lookups lookups;
    lookups.push_back(*std::move(response));
    return lookups;
  }
  return Client()->LookupCertificates(requests);
}

}  // namespace

int GetCommand(const Args& args) {
  if (args.empty()) {
    return Usage("get", "give a certificate number (or several)");
  }
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOf();
  if (!as_of.ok()) return Usage("get", as_of.status().message());
  // The table shows no signatures; --json prints everything.
  const bool json = absl::GetFlag(FLAGS_json);
  absl::StatusOr<Lookups> lookups = LookUp(GetRequests(args, json, *as_of));
  if (!lookups.ok()) return Fail(lookups.status());
  // Each certificate found is printed, in the order asked; each number that
  // is not is named on standard error, and sets the exit code.
  int exit_code = kExitOk;
  bool first = true;
  for (size_t i = 0; i < lookups->size(); ++i) {
    const absl::StatusOr<v1::GetCertificateResponse>& lookup = (*lookups)[i];
    if (!lookup.ok()) {
      std::cerr << LookupErrorText(args[i], lookup.status());
      exit_code = std::max(exit_code, ExitCode(lookup.status()));
      continue;
    }
    if (!first) std::cout << "\n";
    first = false;
    if (json) {
      PrintJson(*lookup);
    } else {
      std::cout << CertificateText(*lookup);
    }
  }
  return exit_code;
}

absl::StatusOr<v1::SearchCertificatesRequest> SearchRequestFromFlags(
    const Args& args) {
  SearchFlags flags;
  flags.as_of = absl::GetFlag(FLAGS_as_of);
  flags.type = absl::GetFlag(FLAGS_type);
  flags.status = absl::GetFlag(FLAGS_status);
  flags.item = absl::GetFlag(FLAGS_item);
  flags.body = absl::GetFlag(FLAGS_body);
  flags.page_size = absl::GetFlag(FLAGS_page_size);
  flags.page_token = absl::GetFlag(FLAGS_page_token);
  return SearchRequest(args, flags);
}

int SearchCommand(const Args& args) {
  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequestFromFlags(args);
  if (!request.ok()) return Usage("search", request.status().message());
  absl::StatusOr<v1::SearchCertificatesResponse> response =
      Client()->SearchCertificates(*request);
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return kExitOk;
  }
  std::cout << SearchResultsText(*response);
  return response->certificates().empty() ? kExitCheckFailed : kExitOk;
}

int BodiesCommand(const Args& args) {
  if (!args.empty()) return Usage("bodies", "takes no arguments");
  absl::StatusOr<v1::ListBodiesResponse> response =
      Client()->ListBodies(v1::ListBodiesRequest());
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return kExitOk;
  }
  std::cout << BodiesText(*response);
  return kExitOk;
}

int HealthCommand(const Args& args) {
  if (!args.empty()) return Usage("health", "takes no arguments");
  std::string address = absl::GetFlag(FLAGS_registry);
  auto stub = grpc::health::v1::Health::NewStub(
      NewClientChannel(address, TlsFromFlags()));
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status =
      stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  if (!status.ok()) {
    std::cerr << "certctl: registry at " << address
              << " is unreachable: " << status.error_message() << "\n";
    return kExitUsage;
  }
  // A replica of a replicated registry says which, its role and how much
  // of the log it has applied.
  auto field = [&context](const char* name) {
    return InitialMetadataField(context, name);
  };
  std::string replica;
  if (!field("certreg-replica").empty()) {
    replica = absl::StrCat(" (replica ", field("certreg-replica"), ", ",
                           field("certreg-role"), ", ",
                           field("certreg-applied-index"), " entries applied)");
  }
  std::cout << address << ": "
            << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                   response.status())
            << replica << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? kExitOk
             : kExitCheckFailed;
}

}  // namespace certreg
