#include "verifier/grpc/connection_cap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpc/support/sync.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/support/channel_arguments.h"

// gRPC's socket mutator, the hook its TCP listener calls for every
// connection it accepts. grpcpp takes one (ChannelArguments::SetSocketMutator)
// and libgrpc exports the functions below, but the struct is declared in a
// header gRPC does not install (src/core/lib/iomgr/socket_mutator.h, the
// same from 1.46 to today); these declarations follow it.
typedef enum {
  GRPC_FD_CLIENT_CONNECTION_USAGE,
  GRPC_FD_SERVER_LISTENER_USAGE,
  GRPC_FD_SERVER_CONNECTION_USAGE,
} grpc_fd_usage;

typedef struct {
  int fd;
  grpc_fd_usage usage;
} grpc_mutate_socket_info;

struct grpc_socket_mutator_vtable {
  bool (*mutate_fd)(int fd, grpc_socket_mutator* mutator);
  int (*compare)(grpc_socket_mutator* a, grpc_socket_mutator* b);
  void (*destroy)(grpc_socket_mutator* mutator);
  bool (*mutate_fd_2)(const grpc_mutate_socket_info* info,
                      grpc_socket_mutator* mutator);
};

struct grpc_socket_mutator {
  const grpc_socket_mutator_vtable* vtable;
  gpr_refcount refcount;
};

void grpc_socket_mutator_init(grpc_socket_mutator* mutator,
                              const grpc_socket_mutator_vtable* vtable);

namespace certreg {
namespace {

// How often, at most, a full cap looks for connections closed since.
constexpr absl::Duration kPruneInterval = absl::Milliseconds(50);
// A listener's accept queue while the cap is full.
constexpr int kShortQueue = 8;
// How often, at most, refusals are reported on stderr.
constexpr absl::Duration kWarningInterval = absl::Seconds(10);

// The mutator gRPC holds; `base` first, so that gRPC's pointer is ours.
struct CapMutator {
  grpc_socket_mutator base;
  std::shared_ptr<ConnectionCap> cap;
};

bool MutateFd(const grpc_mutate_socket_info* info,
              grpc_socket_mutator* mutator) {
  ConnectionCap& cap = *reinterpret_cast<CapMutator*>(mutator)->cap;
  if (info->usage == GRPC_FD_SERVER_CONNECTION_USAGE) {
    // Never false: gRPC 1.51 would stop accepting on the listener for good.
    cap.Admit(info->fd);
  } else if (info->usage == GRPC_FD_SERVER_LISTENER_USAGE) {
    cap.AddListener(info->fd);
  }
  return true;
}

bool MutateFdLegacy(int, grpc_socket_mutator*) { return true; }

int CompareMutators(grpc_socket_mutator* a, grpc_socket_mutator* b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

void DestroyMutator(grpc_socket_mutator* mutator) {
  delete reinterpret_cast<CapMutator*>(mutator);
}

const grpc_socket_mutator_vtable kCapMutatorVtable = {
    MutateFdLegacy, CompareMutators, DestroyMutator, MutateFd};

// Hands the builder's channel arguments a mutator calling `cap`.
class CapOption : public grpc::ServerBuilderOption {
 public:
  explicit CapOption(std::shared_ptr<ConnectionCap> cap)
      : cap_(std::move(cap)) {}
  void UpdateArguments(grpc::ChannelArguments* args) override {
    auto* mutator = new CapMutator{{}, cap_};
    grpc_socket_mutator_init(&mutator->base, &kCapMutatorVtable);
    args->SetSocketMutator(&mutator->base);  // takes the reference
  }
  void UpdatePlugins(
      std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*) override {}

 private:
  std::shared_ptr<ConnectionCap> cap_;
};

// The address bytes of an IPv4 client, IPv4-mapped IPv6 ones included.
bool IsMappedIpv4(const in6_addr& address) {
  static const unsigned char kPrefix[12] = {0, 0, 0, 0, 0,    0,
                                            0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(address.s6_addr, kPrefix, sizeof(kPrefix)) == 0;
}

bool InNetwork(const IpNetwork& network, int family,
               const unsigned char* address) {
  if (network.family != family) return false;
  const int full_bytes = network.prefix_bits / 8;
  if (std::memcmp(network.address, address, full_bytes) != 0) return false;
  const int rest = network.prefix_bits % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (network.address[full_bytes] & mask) == (address[full_bytes] & mask);
}

}  // namespace

int AutomaticMaxConnections(rlim_t open_file_limit) {
  const rlim_t limit = std::min<rlim_t>(open_file_limit, 1 << 24);
  const rlim_t room = std::min<rlim_t>(limit / 2, 1024);
  return static_cast<int>(std::max<rlim_t>(limit - room, 1));
}

absl::StatusOr<IpNetwork> ParseIpNetwork(absl::string_view text) {
  IpNetwork network;
  const size_t slash = text.find('/');
  const std::string address(text.substr(0, slash));
  if (inet_pton(AF_INET, address.c_str(), network.address) == 1) {
    network.family = AF_INET;
  } else if (inet_pton(AF_INET6, address.c_str(), network.address) == 1) {
    network.family = AF_INET6;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not an IP address or ADDRESS/PREFIX"));
  }
  const int max_bits = network.family == AF_INET ? 32 : 128;
  network.prefix_bits = max_bits;
  if (slash != absl::string_view::npos &&
      (!absl::SimpleAtoi(text.substr(slash + 1), &network.prefix_bits) ||
       network.prefix_bits < 0 || network.prefix_bits > max_bits)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\": the prefix length must be 0 to ", max_bits));
  }
  return network;
}

absl::StatusOr<std::unique_ptr<ConnectionCap>> ConnectionCap::Create(
    const ConnectionCapOptions& options) {
  if (options.max_connections < 0 || options.reserve < 0) {
    return absl::InvalidArgumentError(
        "max_connections, connection_reserve: negative (0: no cap)");
  }
  if (options.max_connections > 0 &&
      options.reserve >= options.max_connections) {
    return absl::InvalidArgumentError(
        absl::StrCat("connection_reserve: ", options.reserve,
                     " leaves no connection of max_connections ",
                     options.max_connections, " for other clients"));
  }
  std::vector<IpNetwork> reserved;
  for (const std::string& source : options.reserved_sources) {
    absl::StatusOr<IpNetwork> network = ParseIpNetwork(source);
    if (!network.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "connection_reserve_sources: ", network.status().message()));
    }
    reserved.push_back(*network);
  }
  return std::unique_ptr<ConnectionCap>(
      new ConnectionCap(options, std::move(reserved)));
}

void ConnectionCap::Install(std::shared_ptr<ConnectionCap> cap,
                            grpc::ServerBuilder& builder) {
  builder.SetOption(std::make_unique<CapOption>(std::move(cap)));
}

bool ConnectionCap::FromReservedSource(int fd) const {
  sockaddr_storage peer = {};
  socklen_t length = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
    return false;
  }
  int family = peer.ss_family;
  const unsigned char* address = nullptr;
  if (family == AF_UNIX) return true;
  if (family == AF_INET) {
    address = reinterpret_cast<const unsigned char*>(
        &reinterpret_cast<const sockaddr_in*>(&peer)->sin_addr);
  } else if (family == AF_INET6) {
    const in6_addr& v6 =
        reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_addr;
    address = v6.s6_addr;
    if (IsMappedIpv4(v6)) {
      family = AF_INET;
      address += 12;
    }
  } else {
    return false;
  }
  return std::any_of(reserved_.begin(), reserved_.end(),
                     [&](const IpNetwork& network) {
                       return InNetwork(network, family, address);
                     });
}

bool ConnectionCap::Admit(int fd) {
  if (options_.max_connections == 0) return true;
  struct stat status = {};
  if (fstat(fd, &status) != 0) return true;
  const bool reserved = FromReservedSource(fd);
  const size_t limit =
      options_.max_connections - (reserved ? 0 : options_.reserve);
  absl::MutexLock lock(&mu_);
  if (open_.size() >= limit && absl::Now() - last_prune_ >= kPruneInterval) {
    PruneLocked();
  }
  if (open_.size() < limit) {
    open_[fd] = status.st_ino;
    if (short_queue_ && !reserved) SetBacklogLocked(false);
    return true;
  }
  ++refused_;
  if (!short_queue_) SetBacklogLocked(true);
  if (absl::Now() - last_warning_ >= kWarningInterval) {
    last_warning_ = absl::Now();
    std::cerr << "connection cap: " << open_.size()
              << " connections open, --max_connections="
              << options_.max_connections << " (" << options_.reserve
              << " reserved); refusing new connections (" << refused_
              << " so far)" << std::endl;
  }
  shutdown(fd, SHUT_RDWR);
  return false;
}

void ConnectionCap::PruneLocked() {
  last_prune_ = absl::Now();
  for (auto it = open_.begin(); it != open_.end();) {
    struct stat status = {};
    const bool same = fstat(it->first, &status) == 0 &&
                      S_ISSOCK(status.st_mode) && status.st_ino == it->second;
    if (same) {
      ++it;
    } else {
      open_.erase(it++);
    }
  }
}

void ConnectionCap::AddListener(int fd) {
  struct stat status = {};
  if (fstat(fd, &status) != 0) return;
  absl::MutexLock lock(&mu_);
  listeners_.emplace_back(fd, status.st_ino);
}

void ConnectionCap::DrainLocked(int listener) {
  for (;;) {
    const int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: empty (gRPC's listeners do not block)
    ++refused_;
    close(fd);
  }
}

void ConnectionCap::SetBacklogLocked(bool short_queue) {
  short_queue_ = short_queue;
  for (const auto& [fd, inode] : listeners_) {
    // gRPC may have closed a socket it tried (and the number be reused).
    struct stat status = {};
    int listening = 0;
    socklen_t length = sizeof(listening);
    if (fstat(fd, &status) == 0 && status.st_ino == inode &&
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 &&
        listening) {
      listen(fd, short_queue ? kShortQueue : SOMAXCONN);
      if (short_queue) DrainLocked(fd);
    }
  }
}

int ConnectionCap::OpenConnections() {
  absl::MutexLock lock(&mu_);
  PruneLocked();
  return static_cast<int>(open_.size());
}

uint64_t ConnectionCap::refused() const {
  absl::MutexLock lock(&mu_);
  return refused_;
}

}  // namespace certreg
