#ifndef CERTREG_REGISTRY_SERVER_WATCH_STREAM_H_
#define CERTREG_REGISTRY_SERVER_WATCH_STREAM_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "certreg/v1/registry.grpc.pb.h"
#include "registry/core/registry.h"

namespace certreg {

// How long a watcher may leave a message unread, by default, before its
// stream is cut off (it resumes with its last cursor).
inline constexpr absl::Duration kWatchWriteTimeout = absl::Seconds(60);

// The server's bounds on its streams (LookupCertificates,
// WatchCertificates), whatever deadline their clients set.
struct StreamLimits {
  // A watcher that leaves a message unread this long is cut off
  // (RESOURCE_EXHAUSTED; it resumes with its last cursor).
  absl::Duration watch_write_timeout = kWatchWriteTimeout;
  // A stream open this long ends with DEADLINE_EXCEEDED: a watch within a
  // second (it resumes with its last cursor), a lookup stream at its next
  // request (an idle one ends with its connection's age). Zero: never.
  absl::Duration max_age = absl::Minutes(30);
};

// One WatchCertificates stream (see registry.proto). A thread of its own
// reads the registry's change feed from the stream's position and writes
// one message at a time, waiting for each to be sent: a slow watcher holds
// one message in memory, never a backlog, and one that leaves a message
// unread for `write_timeout` is cut off (cancelled). With nothing new it waits
// for the registry's change notifier, and sends a heartbeat every
// heartbeat_seconds. Ends with `refusal` at once unless it is OK (a quota);
// INVALID_ARGUMENT for a bad filter or cursor; DEADLINE_EXCEEDED past
// limits.max_age. The Registry must outlive the stream.
grpc::ServerWriteReactor<v1::CertificateChange>* NewWatchStream(
    Registry* registry, grpc::CallbackServerContext* context,
    const v1::WatchCertificatesRequest* request, const absl::Status& refusal,
    const StreamLimits& limits = {});

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_WATCH_STREAM_H_
