#ifndef CERTREG_VERIFIER_GRPC_LOOPBACK_TESTING_H_
#define CERTREG_VERIFIER_GRPC_LOOPBACK_TESTING_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "verifier/grpc/client_channel.h"

namespace certreg {

// For tests of servers on loopback.

// A TCP connection to 127.0.0.1:`port` from the loopback address `source`
// (127.0.0.2, say: a client the server sees as another machine); -1 when
// it cannot be made.
inline int ConnectFrom(const char* source, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in from = {};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to = {};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Whether the server on `channel` answers its health check SERVING within
// five seconds.
inline bool HealthServing(const std::shared_ptr<grpc::Channel>& channel) {
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::health::v1::HealthCheckResponse response;
  return health
             ->Check(&context, grpc::health::v1::HealthCheckRequest(),
                     &response)
             .ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

// The header field `name` the server at `address` sends with its answers
// (a replica's "certreg-role", a mirror's "certreg-mirror-state"), read
// from a health check; "" when it does not answer.
inline std::string AnswerMetadata(const std::string& address,
                                  const std::string& name) {
  auto health = grpc::health::v1::Health::NewStub(
      NewClientChannel(address, std::nullopt));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  grpc::health::v1::HealthCheckResponse response;
  if (!health
           ->Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
           .ok()) {
    return "";
  }
  return InitialMetadataField(context, name);
}

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_LOOPBACK_TESTING_H_
