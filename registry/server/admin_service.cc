#include "registry/server/admin_service.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "registry/server/threaded_write_reactor.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/grpc/server_tls.h"

namespace certreg {

namespace {

// Finishes `context`'s call with `result`.
template <typename T>
grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

// How often a ScrubWithProgress stream says how far it has come.
constexpr absl::Duration kProgressInterval = absl::Seconds(1);
// How long its client may leave a message unread.
constexpr absl::Duration kScrubWriteTimeout = absl::Seconds(60);

// One ScrubWithProgress call: the scrub runs on the stream's thread and
// sends its progress as it goes; the client leaving cancels it.
class ScrubStream final : public ThreadedWriteReactor<v1::ScrubUpdate> {
 public:
  ScrubStream(const Registry* registry, grpc::CallbackServerContext* context)
      : ThreadedWriteReactor(context), registry_(*registry) {}

 private:
  absl::Status Serve() override {
    const absl::Time start = absl::Now();
    absl::Notification stop;
    absl::Time last_sent = absl::InfinitePast();
    std::string last_phase;
    absl::Status sending;
    auto on_progress = [&](const v1::ScrubProgress& progress) {
      if (stop.HasBeenNotified() ||
          (progress.phase() == last_phase &&
           absl::Now() - last_sent < kProgressInterval)) {
        return;
      }
      v1::ScrubUpdate update;
      *update.mutable_progress() = progress;
      update.mutable_progress()->set_elapsed_millis(
          absl::ToInt64Milliseconds(absl::Now() - start));
      absl::StatusOr<bool> sent = Send(update, kScrubWriteTimeout);
      if (!sent.ok() || !*sent) {
        sending =
            sent.ok() ? absl::CancelledError("the client left") : sent.status();
        stop.Notify();
      }
      last_sent = absl::Now();
      last_phase = progress.phase();
    };
    absl::StatusOr<v1::ScrubReport> report =
        registry_.Scrub(&stop, on_progress);
    if (!sending.ok()) return sending;
    if (!report.ok()) return report.status();
    v1::ScrubUpdate last;
    *last.mutable_report() = *std::move(report);
    absl::StatusOr<bool> sent = Send(last, kScrubWriteTimeout);
    return sent.ok() ? absl::OkStatus() : sent.status();
  }

  const Registry& registry_;
};

}  // namespace

absl::StatusOr<std::string> AdminService::Caller(
    grpc::CallbackServerContext* context, absl::string_view what) const {
  if (access_ == AdminAccess::kAnyoneConnected) return "the admin socket";
  const std::string identity = VerifiedClientIdentity(*context);
  if (!identity.empty()) return absl::StrCat("client certificate ", identity);
  return absl::PermissionDeniedError(absl::StrCat(
      what,
      ": admin calls need the registry's admin socket (certctl "
      "--admin=unix:PATH, the registry's --admin_socket) or, over TLS, a "
      "client certificate from the CA in the registry's "
      "--tls_client_ca_file; ",
      context->peer(), " has neither"));
}

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context, const v1::BackupRequest* request,
    v1::BackupResponse* response) {
  absl::StatusOr<std::string> caller = Caller(context, "Backup");
  if (!caller.ok())
    return Finish<v1::BackupResponse>(context, caller.status(), response);
  std::cerr << "certreg-registry: Backup " << request->name() << " by "
            << *caller << std::endl;
  return Finish(context, backups_->Backup(*request), response);
}

grpc::ServerUnaryReactor* AdminService::Scrub(
    grpc::CallbackServerContext* context, const v1::ScrubRequest* /*request*/,
    v1::ScrubReport* response) {
  absl::StatusOr<std::string> caller = Caller(context, "Scrub");
  if (!caller.ok())
    return Finish<v1::ScrubReport>(context, caller.status(), response);
  std::cerr << "certreg-registry: Scrub by " << *caller << std::endl;
  return Finish(context, registry_->Scrub(), response);
}

grpc::ServerWriteReactor<v1::ScrubUpdate>* AdminService::ScrubWithProgress(
    grpc::CallbackServerContext* context, const v1::ScrubRequest* /*request*/) {
  absl::StatusOr<std::string> caller = Caller(context, "ScrubWithProgress");
  if (caller.ok()) {
    std::cerr << "certreg-registry: Scrub by " << *caller << std::endl;
  }
  auto* stream = new ScrubStream(registry_, context);
  stream->Begin(caller.status());
  return stream;
}

}  // namespace certreg
