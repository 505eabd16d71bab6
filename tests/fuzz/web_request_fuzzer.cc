// What a web client sends certreg-web before any handler runs: a request
// target's path matched against every JSON API route (MatchRoute) and its
// query decoded (ParseQuery) and set into request messages
// (QueryToMessage), as certreg-web does.
//
// Input: a request target, e.g. "/api/v1/certificates/X?as_of=2026-01-01".
//
// Properties checked: every decoded name, value and path parameter is valid
// UTF-8 without NUL; PercentEncode then PercentDecode gives a decoded value
// back; a route that matches yields one parameter per {name} in its pattern.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "certreg/v1/registry.pb.h"
#include "verifier/http/proto_json.h"
#include "verifier/http/query_params.h"
#include "verifier/rules/date.h"
#include "verifier/web/json_api.h"

namespace certreg {
namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

// Whether `text` decodes from its own encoding unchanged (so it is valid
// UTF-8 without NUL: PercentDecode refuses anything else).
void RequireRoundTrip(const std::string& text) {
  absl::StatusOr<std::string> again = PercentDecode(PercentEncode(text));
  Require(again.ok() && *again == text);
}

int Braces(absl::string_view pattern) {
  int count = 0;
  for (char c : pattern) count += c == '{';
  return count;
}

void CheckQuery(absl::string_view query) {
  absl::StatusOr<QueryParams> params = ParseQuery(query);
  if (!params.ok()) return;
  for (const auto& [name, value] : *params) {
    RequireRoundTrip(name);
    RequireRoundTrip(value);
  }
  QueryMessageParsers parsers;
  parsers["certreg.v1.Date"] = [](absl::string_view text,
                                  google::protobuf::Message* message) {
    absl::StatusOr<v1::Date> date = ParseDate(text, "date");
    if (!date.ok()) return date.status();
    message->CopyFrom(*date);
    return absl::OkStatus();
  };
  v1::SearchCertificatesRequest search;
  (void)QueryToMessage(*params, parsers, &search);
  v1::GetInclusionProofRequest inclusion;
  (void)QueryToMessage(*params, parsers, &inclusion);
  v1::GetCertificateRequest certificate;
  if (QueryToMessage(*params, parsers, &certificate).ok() &&
      certificate.has_as_of()) {
    Require(ValidateDate(certificate.as_of(), "as_of").ok());
  }
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  const absl::string_view target(reinterpret_cast<const char*>(data), size);
  const size_t question = target.find('?');
  const absl::string_view path = target.substr(0, question);
  for (const JsonApi::Route& route : JsonApi::Routes()) {
    std::vector<std::string> params;
    absl::StatusOr<bool> matched = MatchRoute(route.path, path, params);
    if (!matched.ok() || !*matched) continue;
    Require(static_cast<int>(params.size()) == Braces(route.path));
    for (const std::string& param : params) {
      Require(!param.empty());
      RequireRoundTrip(param);
    }
  }
  if (question != absl::string_view::npos) {
    CheckQuery(target.substr(question + 1));
  }
  return 0;
}
