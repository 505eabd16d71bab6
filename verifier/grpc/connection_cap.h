#ifndef CERTREG_VERIFIER_GRPC_CONNECTION_CAP_H_
#define CERTREG_VERIFIER_GRPC_CONNECTION_CAP_H_

#include <sys/resource.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server_builder.h"

namespace certreg {

// A cap on the client connections a gRPC server holds at once, with a
// reserve kept for health checks. Without it a flood of idle connections
// takes descriptors until accept() fails -- and gRPC 1.51 stops accepting
// for good after one failure (listener_watch.h).
//
// gRPC has no such setting in 1.51; the cap sits in gRPC's socket mutator,
// which gRPC calls for every connection it accepts. A connection over the
// cap is shut down there at once: its client sees the connection closed
// (UNAVAILABLE) and retries, and the listener goes on accepting.
struct ConnectionCapOptions {
  // The most client connections open at once; 0: no cap (-1: automatic,
  // for GrpcServerOptions).
  int max_connections = 0;
  // How many of max_connections only clients from reserved_sources may
  // take: a health checker or an operator still gets in when the public
  // has filled the rest.
  int reserve = 0;
  // The networks, "ADDRESS" or "ADDRESS/PREFIX" (IPv4 or IPv6), whose
  // clients may use the reserve. Clients on a unix socket always may.
  std::vector<std::string> reserved_sources = {"127.0.0.0/8", "::1/128"};
};

// The cap a server gets when none is configured: the open-file limit less
// room for the process's own files (RocksDB's tables, logs): half of it,
// at most 1,024 descriptors.
int AutomaticMaxConnections(rlim_t open_file_limit);

// An IP network parsed from "ADDRESS" or "ADDRESS/PREFIX".
struct IpNetwork {
  int family = 0;  // AF_INET or AF_INET6
  unsigned char address[16] = {};
  int prefix_bits = 0;
};
// INVALID_ARGUMENT naming the text when it is neither.
absl::StatusOr<IpNetwork> ParseIpNetwork(absl::string_view text);

class ConnectionCap {
 public:
  // INVALID_ARGUMENT, naming the field, for a negative cap or reserve, a
  // reserve not below the cap, or a source that is not a network.
  static absl::StatusOr<std::unique_ptr<ConnectionCap>> Create(
      const ConnectionCapOptions& options);

  // Makes `builder`'s server call cap->Admit for every connection it
  // accepts; the server holds `cap` while it needs it.
  static void Install(std::shared_ptr<ConnectionCap> cap,
                      grpc::ServerBuilder& builder);

  // Decides on a connection just accepted on descriptor `fd`: true when it
  // is kept; false when it is over the cap, and then it is already shut
  // down (gRPC closes it).
  bool Admit(int fd);

  // Notes a listening socket of the server (before it listens): while the
  // cap is full its accept queue is cut short (below).
  void AddListener(int fd);

  // Connections open now (closed ones noticed by their descriptors).
  int OpenConnections();
  // Connections refused since the start.
  uint64_t refused() const;
  int max_connections() const { return options_.max_connections; }

 private:
  explicit ConnectionCap(ConnectionCapOptions options,
                         std::vector<IpNetwork> reserved)
      : options_(std::move(options)), reserved_(std::move(reserved)) {}

  // Whether the client of `fd` may use the reserve.
  bool FromReservedSource(int fd) const;
  // Forgets connections whose descriptors were closed (or reused).
  void PruneLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets the accept queue of every listener. gRPC accepts a listener's
  // whole queue in one go before it closes any connection refused on the
  // way; with the kernel's queue of 4,096 a burst would take descriptors
  // to the limit and kill the listener (listener_watch.h). When the cap
  // fills, the connections already queued are closed at once (a reserved
  // client among them too: it retries) and the queue is kept short, so
  // refused connections cannot pile up; clients beyond it wait in TCP's own
  // SYN retries.
  void SetBacklogLocked(bool short_queue) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Accepts and closes every connection queued on `listener`.
  void DrainLocked(int listener) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ConnectionCapOptions options_;
  const std::vector<IpNetwork> reserved_;
  mutable absl::Mutex mu_;
  // Open connections: descriptor to the socket's inode, which tells a
  // closed descriptor whose number was reused from the one admitted.
  absl::flat_hash_map<int, uint64_t> open_ ABSL_GUARDED_BY(mu_);
  // Listening sockets, descriptor to inode likewise.
  std::vector<std::pair<int, uint64_t>> listeners_ ABSL_GUARDED_BY(mu_);
  bool short_queue_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_prune_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_warning_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_CONNECTION_CAP_H_
