#ifndef CERTREG_VERIFIER_HTTP_HTTP_SERVER_H_
#define CERTREG_VERIFIER_HTTP_HTTP_SERVER_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "verifier/http/http_message.h"

namespace certreg {

// TLS for an HTTP listener: PEM certificate chain and private key.
struct HttpTlsFiles {
  std::string cert_file;
  std::string key_file;
};

struct HttpServerOptions {
  // host:port to listen on; port 0 picks a free one (see address()).
  std::string listen_address = "127.0.0.1:8080";
  // Threads running the connections and the handlers (handlers may wait
  // for the registry, so more threads than cores).
  int threads = 8;
  // Request line and header fields together, at most (431 beyond).
  size_t max_header_bytes = 16 << 10;
  // Request body, at most (413 beyond).
  size_t max_body_bytes = 2 << 20;
  // Time to receive one whole request once the connection is open or the
  // previous answer was sent: a client that trickles its headers
  // (slowloris) or leaves a kept-alive connection idle is disconnected.
  absl::Duration request_timeout = absl::Seconds(15);
  // Time to send an answer (a client that stops reading is disconnected).
  absl::Duration write_timeout = absl::Seconds(30);
  // Requests answered on one connection before it is closed.
  int max_requests_per_connection = 1000;
  // Open connections, in all and from one client address; a connection
  // beyond either is closed at once.
  int max_connections = 10000;
  int max_connections_per_client = 256;
  // TLS on the listener when set; the files are checked every second, so
  // a renewed certificate reaches new connections without a restart.
  std::optional<HttpTlsFiles> tls;
  // "Server" header field.
  std::string server_name = "certreg";
};

// An HTTP/1.1 server on Boost.Beast: keep-alive, pipelined requests
// answered in order, bounded header and body sizes, timeouts, connection
// limits, gzip for clients that accept it, optional TLS. Malformed requests
// get 400 (431, 413) and the connection is closed; nothing a client sends
// stalls other clients. Thread-safe.
class HttpServer {
 public:
  // Binds and starts serving. INVALID_ARGUMENT for a malformed address or
  // unreadable TLS files (naming --tls_cert_file / --tls_key_file),
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, HttpHandler handler);
  // Stops accepting, closes every connection and joins the threads.
  ~HttpServer();

  // The bound host:port.
  const std::string& address() const;
  int open_connections() const;

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_HTTP_HTTP_SERVER_H_
