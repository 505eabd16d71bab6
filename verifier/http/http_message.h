#ifndef CERTREG_VERIFIER_HTTP_HTTP_MESSAGE_H_
#define CERTREG_VERIFIER_HTTP_HTTP_MESSAGE_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace certreg {

// An HTTP request as a handler sees it: already parsed and bounded by the
// server (see HttpServerOptions), independent of the HTTP library, so that
// handlers are tested without sockets.
struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", ...
  // The request target's path, as sent (still percent-encoded).
  std::string path;
  // What follows '?' in the target, as sent; empty when none.
  std::string query;
  // Header fields by lower-case name; a repeated field's values joined by
  // ", " as RFC 9110 allows.
  absl::flat_hash_map<std::string, std::string> headers;
  std::string body;
  // The peer's IP address, e.g. "127.0.0.1" or "::1".
  std::string client_address;
  bool tls = false;

  // The value of header `lower_case_name`, or "" when absent.
  absl::string_view Header(absl::string_view lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? absl::string_view() : it->second;
  }
};

// A handler's answer. The server adds Content-Length, Date, Server,
// Connection and, when the client accepts it and the type compresses,
// gzip (Content-Encoding and Vary).
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Further header fields, in order (e.g. ETag, Cache-Control, Location).
  std::vector<std::pair<std::string, std::string>> headers;

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Answers one request. Called concurrently from the server's threads; may
// block (for a registry call) but should not for long.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace certreg

#endif  // CERTREG_VERIFIER_HTTP_HTTP_MESSAGE_H_
