#include "verifier/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

// A raw TCP client, so the test can send what no HTTP library would.
class RawClient {
 public:
  explicit RawClient(const std::string& address) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    int port = 0;
    EXPECT_TRUE(
        absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port));
    peer.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
    connected_ =
        connect(fd_, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) == 0;
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawClient() { close(fd_); }

  void Send(const std::string& data) {
    ASSERT_EQ(send(fd_, data.data(), data.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(data.size()));
  }
  // Reads until `count` responses' worth of "HTTP/1.1 " status lines and
  // their bodies arrived, or the peer closed; returns what came.
  std::string ReadUntilClosedOr(const std::string& end_marker) {
    std::string data;
    char chunk[4096];
    while (!absl::StrContains(data, end_marker)) {
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) break;
      data.append(chunk, n);
    }
    return data;
  }
  // True when the server closed the connection (recv sees EOF).
  bool ClosedByServer() {
    char byte;
    ssize_t n = recv(fd_, &byte, 1, 0);
    while (n > 0) n = recv(fd_, &byte, 1, 0);
    return n == 0;
  }
  bool connected() const { return connected_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class HttpServerTest : public testing::Test {
 protected:
  void StartServer(HttpServerOptions options) {
    options.listen_address = "127.0.0.1:0";
    auto server = HttpServer::Start(options, [this](const HttpRequest& r) {
      ++handled_;
      HttpResponse response;
      if (r.path == "/big") {
        response.content_type = "text/html; charset=utf-8";
        for (int i = 0; i < 200; ++i) response.body += "<p>有效</p>\n";
        return response;
      }
      response.body =
          absl::StrCat(r.method, " ", r.path, " q=", r.query, " body=", r.body,
                       " ua=", r.Header("user-agent"), "\n");
      response.AddHeader("X-Test", "yes");
      return response;
    });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::atomic<int> handled_{0};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  StartServer({});
  RawClient client(server_->address());
  ASSERT_TRUE(client.connected());
  client.Send(
      "GET /a?x=1 HTTP/1.1\r\nHost: t\r\nUser-Agent: raw\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
      "GET /c HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  const std::string answers = client.ReadUntilClosedOr("GET /c q= body=");
  const size_t a = answers.find("GET /a q=x=1 body= ua=raw");
  const size_t b = answers.find("POST /b q= body=hello");
  const size_t c = answers.find("GET /c q= body=");
  ASSERT_NE(a, std::string::npos) << answers;
  ASSERT_NE(b, std::string::npos) << answers;
  ASSERT_NE(c, std::string::npos) << answers;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_TRUE(absl::StrContains(answers, "X-Test: yes"));
  EXPECT_TRUE(absl::StrContains(answers, "Date: "));
  EXPECT_TRUE(client.ClosedByServer());  // after "Connection: close"
  EXPECT_EQ(handled_.load(), 3);
}

TEST_F(HttpServerTest, MalformedAndOversizedRequestsAreRefusedAndClosed) {
  HttpServerOptions options;
  options.max_header_bytes = 1024;
  options.max_body_bytes = 100;
  StartServer(options);
  struct Case {
    std::string request;
    std::string status;
  };
  const Case cases[] = {
      {"GARBAGE\r\n\r\n", "HTTP/1.1 400"},
      {"GET / HTTP/9.9\r\n\r\n", "HTTP/1.1 400"},
      {"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(5000, 'a') +
           "\r\n\r\n",
       "HTTP/1.1 431"},
      {"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
           std::string(1000, 'b'),
       "HTTP/1.1 413"},
      {"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: nope\r\n\r\n",
       "HTTP/1.1 400"},
  };
  for (const Case& c : cases) {
    RawClient client(server_->address());
    client.Send(c.request);
    const std::string answer = client.ReadUntilClosedOr("\r\n\r\n");
    EXPECT_TRUE(absl::StartsWith(answer, c.status))
        << c.request.substr(0, 60) << " -> " << answer;
    EXPECT_TRUE(client.ClosedByServer()) << c.request.substr(0, 60);
  }
  EXPECT_EQ(handled_.load(), 0);  // no handler saw any of them
}

TEST_F(HttpServerTest, ASlowClientIsCutOffWithoutStallingOthers) {
  HttpServerOptions options;
  options.request_timeout = absl::Milliseconds(500);
  options.threads = 1;  // one thread: a stalled read would stall everyone
  StartServer(options);
  RawClient slow(server_->address());
  slow.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ");  // never finished
  const absl::Time start = absl::Now();
  for (int i = 0; i < 5; ++i) {
    RawClient other(server_->address());
    other.Send("GET /fast HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(
        absl::StrContains(other.ReadUntilClosedOr("GET /fast"), "GET /fast"));
  }
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
  EXPECT_TRUE(slow.ClosedByServer());  // after the request timeout
}

TEST_F(HttpServerTest, GzipForClientsThatAcceptItAndHeadWithoutBody) {
  StartServer({});
  {
    RawClient client(server_->address());
    client.Send(
        "GET /big HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n"
        "Connection: close\r\n\r\n");
    const std::string answer = client.ReadUntilClosedOr("\x1f\x8b");
    EXPECT_TRUE(absl::StrContains(answer, "Content-Encoding: gzip")) << answer;
    EXPECT_TRUE(absl::StrContains(answer, "Vary: Accept-Encoding"));
  }
  {
    RawClient client(server_->address());
    client.Send("GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const std::string answer = client.ReadUntilClosedOr("</p>\n<p>");
    EXPECT_FALSE(absl::StrContains(answer, "Content-Encoding"));
    EXPECT_TRUE(absl::StrContains(answer, "<p>有效</p>"));
  }
  {
    RawClient client(server_->address());
    client.Send("HEAD /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const std::string answer = client.ReadUntilClosedOr("never");
    EXPECT_TRUE(absl::StartsWith(answer, "HTTP/1.1 200")) << answer;
    EXPECT_TRUE(absl::StrContains(answer, "Content-Length: ")) << answer;
    EXPECT_FALSE(absl::StrContains(answer, "<p>"));
  }
}

TEST_F(HttpServerTest, ConnectionsBeyondTheClientLimitAreClosedAtOnce) {
  HttpServerOptions options;
  options.max_connections_per_client = 2;
  StartServer(options);
  RawClient first(server_->address());
  RawClient second(server_->address());
  first.Send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\n");
  second.Send("GET /2 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(first.ReadUntilClosedOr("GET /1"), "GET /1"));
  EXPECT_TRUE(absl::StrContains(second.ReadUntilClosedOr("GET /2"), "GET /2"));
  RawClient third(server_->address());
  EXPECT_TRUE(third.ClosedByServer());
  EXPECT_EQ(server_->open_connections(), 2);
}

// The output of a shell command, or "" when it fails.
std::string Output(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  return pclose(pipe) == 0 ? out : "";
}

// HTTPS with a certificate made by the openssl command line, checked by
// curl; a key that is not the certificate's is refused at start.
TEST_F(HttpServerTest, ServesHttpsWithTheGivenCertificate) {
  if (std::system("command -v openssl >/dev/null && command -v curl "
                  ">/dev/null") != 0) {
    GTEST_SKIP() << "needs the openssl and curl commands";
  }
  const std::string dir = testing::TempDir();
  auto make = [&](const std::string& name) {
    return std::system(("openssl req -x509 -newkey ec -pkeyopt "
                        "ec_paramgen_curve:P-256 -nodes -days 1 -subj "
                        "/CN=localhost -addext subjectAltName=IP:127.0.0.1 "
                        "-keyout " +
                        dir + "/" + name + ".key -out " + dir + "/" + name +
                        ".pem 2>/dev/null")
                           .c_str());
  };
  ASSERT_EQ(make("web"), 0);
  ASSERT_EQ(make("other"), 0);
  HttpServerOptions options;
  options.tls = HttpTlsFiles{dir + "/web.pem", dir + "/web.key"};
  StartServer(options);
  const std::string url = "https://" + server_->address() + "/secure?x=1";
  EXPECT_TRUE(absl::StrContains(
      Output("curl -sf --cacert " + dir + "/web.pem '" + url + "'"),
      "GET /secure q=x=1"));
  // Not trusted without the CA; plain HTTP gets nothing.
  EXPECT_EQ(Output("curl -sf '" + url + "'"), "");
  EXPECT_EQ(Output("curl -sf --max-time 3 'http://" + server_->address() +
                   "/secure'"),
            "");

  HttpServerOptions mismatched;
  mismatched.listen_address = "127.0.0.1:0";
  mismatched.tls = HttpTlsFiles{dir + "/web.pem", dir + "/other.key"};
  auto refused = HttpServer::Start(mismatched, nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status()));
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "--tls_key_file"))
      << refused.status();
}

TEST(HttpServerStartTest, BadAddressesAreRefusedNamingTheFlag) {
  HttpServerOptions options;
  options.listen_address = "nonsense";
  auto server = HttpServer::Start(options, nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(server.status()));
  EXPECT_TRUE(absl::StrContains(server.status().message(), "--listen"));
  options.listen_address = "127.0.0.1:0";
  options.tls = HttpTlsFiles{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  server = HttpServer::Start(options, nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(server.status()));
  EXPECT_TRUE(absl::StrContains(server.status().message(), "--tls_cert_file"))
      << server.status();
}

}  // namespace
}  // namespace certreg
