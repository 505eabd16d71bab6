#include "verifier/http/http_server.h"

#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <iostream>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "verifier/http/gzip.h"

namespace certreg {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Responses smaller than this are sent as they are: gzip would save little.
constexpr size_t kMinGzipBytes = 512;

std::chrono::milliseconds Millis(absl::Duration duration) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(duration));
}

std::string HttpDate() {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::Now(),
                          absl::UTCTimeZone());
}

// The modification time of `path` in nanoseconds, 0 when it cannot be read.
int64_t ModifiedAt(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return 0;
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 +
         info.st_mtim.tv_nsec;
}

absl::StatusOr<std::shared_ptr<ssl::context>> LoadTlsContext(
    const HttpTlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds |
                       ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  beast::error_code ec;
  context->use_certificate_chain_file(files.cert_file, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_cert_file: cannot use ", files.cert_file, ": ", ec.message()));
  }
  context->use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key_file: cannot use ", files.key_file, ": ", ec.message()));
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key_file: ", files.key_file,
        " is not the key of the certificate in ", files.cert_file));
  }
  return context;
}

absl::StatusOr<tcp::endpoint> ParseEndpoint(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: \"", address, "\" is not host:port (e.g. 127.0.0.1:8080)"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  net::ip::address ip = net::ip::make_address(host, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: \"", host, "\" is not an IP address: ", ec.message()));
  }
  return tcp::endpoint(ip, static_cast<unsigned short>(port));
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        ioc_(std::make_unique<net::io_context>(options_.threads)) {}
  ~Impl() {
    ioc_->stop();
    for (std::thread& thread : threads_) thread.join();
    acceptor_.reset();
    reload_timer_.reset();
    ioc_.reset();  // destroys the sessions still queued, while all else lives
  }

  absl::Status Start();

  const HttpServerOptions& options() const { return options_; }
  const std::string& address() const { return address_; }
  int open_connections() const { return open_connections_.load(); }

  // Counts a new connection from `ip`; false when a limit is reached.
  bool Admit(const std::string& ip) ABSL_LOCKS_EXCLUDED(mu_);
  void Release(const std::string& ip) ABSL_LOCKS_EXCLUDED(mu_);
  std::shared_ptr<ssl::context> tls_context() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return tls_context_;
  }

  // The handler's answer as a Beast response, with the server's fields.
  http::response<http::string_body> Answer(
      const http::request<http::string_body>& request,
      const std::string& client_address, bool tls, bool keep_alive);

 private:
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void ScheduleTlsReload();

  const HttpServerOptions options_;
  const HttpHandler handler_;
  std::string address_;
  std::atomic<int> open_connections_{0};
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> per_client_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<ssl::context> tls_context_ ABSL_GUARDED_BY(mu_);
  int64_t tls_files_modified_ = 0;
  std::unique_ptr<net::io_context> ioc_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<net::steady_timer> reload_timer_;
  std::vector<std::thread> threads_;
};

namespace {

// One connection: reads a request, answers it, and again while the client
// keeps the connection alive. Stream is PlainStream or TlsStream.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl* server, std::string ip,
          std::shared_ptr<ssl::context> tls)
      : server_(server),
        ip_(std::move(ip)),
        tls_(std::move(tls)),
        stream_(MakeStream(std::move(socket))),
        buffer_(server->options().max_header_bytes +
                server->options().max_body_bytes) {}
  ~Session() { server_->Release(ip_); }

  void Run() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(
          Millis(server_->options().request_timeout));
      stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&Session::OnHandshake,
                                    this->shared_from_this()));
    } else {
      net::dispatch(
          stream_.get_executor(),
          beast::bind_front_handler(&Session::Read, this->shared_from_this()));
    }
  }

 private:
  Stream MakeStream(tcp::socket&& socket) {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      return Stream(std::move(socket), *tls_);
    } else {
      return Stream(std::move(socket));
    }
  }

  void OnHandshake(beast::error_code ec) {
    if (!ec) Read();
  }

  void Read() {
    parser_.emplace();
    parser_->header_limit(server_->options().max_header_bytes);
    parser_->body_limit(server_->options().max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(
        Millis(server_->options().request_timeout));
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted) {
      return Close();
    }
    if (ec) return RefuseMalformed(ec);
    ++served_;
    const bool keep_alive =
        parser_->get().keep_alive() &&
        served_ < server_->options().max_requests_per_connection;
    Write(server_->Answer(parser_->get(), ip_,
                          std::is_same_v<Stream, TlsStream>, keep_alive));
  }

  // 431, 413 or 400 for a request that could not be read, then close.
  void RefuseMalformed(beast::error_code ec) {
    if (ec.category() !=
        http::make_error_code(http::error::bad_target).category()) {
      return Close();  // the connection failed: nobody to answer
    }
    http::response<http::string_body> response;
    response.version(11);
    if (ec == http::error::header_limit) {
      response.result(http::status::request_header_fields_too_large);
      response.body() = "request header fields too large\n";
    } else if (ec == http::error::body_limit) {
      response.result(http::status::payload_too_large);
      response.body() = "request body too large\n";
    } else {
      response.result(http::status::bad_request);
      response.body() = absl::StrCat("malformed request: ", ec.message(), "\n");
    }
    response.set(http::field::server, server_->options().server_name);
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.keep_alive(false);
    response.prepare_payload();
    Write(std::move(response));
  }

  void Write(http::response<http::string_body> response) {
    response_ = std::move(response);
    beast::get_lowest_layer(stream_).expires_after(
        Millis(server_->options().write_timeout));
    http::async_write(
        stream_, response_,
        beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (ec) return;  // the client went away: the session ends
    if (!response_.keep_alive()) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) {});
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  HttpServer::Impl* const server_;
  const std::string ip_;
  const std::shared_ptr<ssl::context> tls_;  // outlives stream_
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  int served_ = 0;
};

}  // namespace

absl::Status HttpServer::Impl::Start() {
  absl::StatusOr<tcp::endpoint> endpoint =
      ParseEndpoint(options_.listen_address);
  if (!endpoint.ok()) return endpoint.status();
  if (options_.tls.has_value()) {
    absl::StatusOr<std::shared_ptr<ssl::context>> context =
        LoadTlsContext(*options_.tls);
    if (!context.ok()) return context.status();
    absl::MutexLock lock(&mu_);
    tls_context_ = *std::move(context);
    tls_files_modified_ = ModifiedAt(options_.tls->cert_file) +
                          ModifiedAt(options_.tls->key_file);
  }
  acceptor_ = std::make_unique<tcp::acceptor>(net::make_strand(*ioc_));
  beast::error_code ec;
  acceptor_->open(endpoint->protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(*endpoint, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("--listen: cannot listen on ",
                                               options_.listen_address, ": ",
                                               ec.message()));
  }
  const tcp::endpoint bound = acceptor_->local_endpoint();
  address_ =
      bound.address().is_v6()
          ? absl::StrCat("[", bound.address().to_string(), "]:", bound.port())
          : absl::StrCat(bound.address().to_string(), ":", bound.port());
  Accept();
  if (options_.tls.has_value()) ScheduleTlsReload();
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] {
      for (;;) {
        try {
          ioc_->run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "certreg-web: HTTP thread: " << e.what() << std::endl;
        }
      }
    });
  }
  return absl::OkStatus();
}

void HttpServer::Impl::Accept() {
  acceptor_->async_accept(
      net::make_strand(*ioc_),
      beast::bind_front_handler(&HttpServer::Impl::OnAccept, this));
}

void HttpServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;
  if (!ec) {
    beast::error_code peer_ec;
    const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
    const std::string ip = peer_ec ? "" : peer.address().to_string();
    if (!peer_ec && Admit(ip)) {
      std::shared_ptr<ssl::context> tls = tls_context();
      if (tls != nullptr) {
        std::make_shared<Session<TlsStream>>(std::move(socket), this, ip, tls)
            ->Run();
      } else {
        std::make_shared<Session<PlainStream>>(std::move(socket), this, ip,
                                               nullptr)
            ->Run();
      }
    }
    // A refused socket closes as it goes out of scope.
  } else {
    // Out of descriptors, mostly: wait a little instead of spinning.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Accept();
}

void HttpServer::Impl::ScheduleTlsReload() {
  if (reload_timer_ == nullptr) {
    reload_timer_ = std::make_unique<net::steady_timer>(*ioc_);
  }
  reload_timer_->expires_after(std::chrono::seconds(1));
  reload_timer_->async_wait([this](beast::error_code ec) {
    if (ec) return;
    const int64_t modified = ModifiedAt(options_.tls->cert_file) +
                             ModifiedAt(options_.tls->key_file);
    if (modified != tls_files_modified_) {
      absl::StatusOr<std::shared_ptr<ssl::context>> context =
          LoadTlsContext(*options_.tls);
      if (context.ok()) {
        absl::MutexLock lock(&mu_);
        tls_context_ = *std::move(context);
        tls_files_modified_ = modified;
      } else {
        std::cerr << "certreg-web: TLS files changed but are not usable, "
                     "keeping the previous ones: "
                  << context.status().message() << std::endl;
      }
    }
    ScheduleTlsReload();
  });
}

bool HttpServer::Impl::Admit(const std::string& ip) {
  absl::MutexLock lock(&mu_);
  if (open_connections_.load() >= options_.max_connections) return false;
  int& from_client = per_client_[ip];
  if (from_client >= options_.max_connections_per_client) return false;
  ++from_client;
  ++open_connections_;
  return true;
}

void HttpServer::Impl::Release(const std::string& ip) {
  absl::MutexLock lock(&mu_);
  auto it = per_client_.find(ip);
  if (it != per_client_.end() && --it->second <= 0) per_client_.erase(it);
  --open_connections_;
}

http::response<http::string_body> HttpServer::Impl::Answer(
    const http::request<http::string_body>& request,
    const std::string& client_address, bool tls, bool keep_alive) {
  HttpRequest in;
  in.method = std::string(request.method_string());
  const absl::string_view target(request.target().data(),
                                 request.target().size());
  const size_t question = target.find('?');
  in.path = std::string(target.substr(0, question));
  if (question != absl::string_view::npos) {
    in.query = std::string(target.substr(question + 1));
  }
  for (const auto& field : request) {
    std::string name = absl::AsciiStrToLower(absl::string_view(
        field.name_string().data(), field.name_string().size()));
    std::string& value = in.headers[name];
    if (!value.empty()) value += ", ";
    value.append(field.value().data(), field.value().size());
  }
  in.body = request.body();
  in.client_address = client_address;
  in.tls = tls;
  HttpResponse out = handler_(in);

  http::response<http::string_body> response;
  response.version(request.version());
  response.result(static_cast<unsigned>(out.status));
  response.set(http::field::server, options_.server_name);
  response.set(http::field::date, HttpDate());
  response.set(http::field::content_type, out.content_type);
  bool has_encoding = false;
  std::string vary;
  for (const auto& [name, value] : out.headers) {
    if (absl::EqualsIgnoreCase(name, "vary")) {
      absl::StrAppend(&vary, vary.empty() ? "" : ", ", value);
      continue;
    }
    response.insert(name, value);
    if (absl::EqualsIgnoreCase(name, "content-encoding")) has_encoding = true;
  }
  if (!has_encoding && IsCompressibleType(out.content_type)) {
    absl::StrAppend(&vary, vary.empty() ? "" : ", ", "Accept-Encoding");
    if (out.body.size() >= kMinGzipBytes &&
        AcceptsGzip(in.Header("accept-encoding"))) {
      absl::StatusOr<std::string> zipped = Gzip(out.body);
      if (zipped.ok()) {
        out.body = *std::move(zipped);
        response.set(http::field::content_encoding, "gzip");
      }
    }
  }
  if (!vary.empty()) response.set(http::field::vary, vary);
  response.keep_alive(keep_alive);
  if (request.method() == http::verb::head) {
    response.content_length(out.body.size());
  } else {
    response.body() = std::move(out.body);
    response.prepare_payload();
  }
  return response;
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, HttpHandler handler) {
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  if (absl::Status started = impl->Start(); !started.ok()) return started;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

const std::string& HttpServer::address() const { return impl_->address(); }
int HttpServer::open_connections() const { return impl_->open_connections(); }

}  // namespace certreg
