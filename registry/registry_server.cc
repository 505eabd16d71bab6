#include "registry/registry_server.h"

#include <chrono>
#include <iostream>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace certreg {

absl::StatusOr<std::unique_ptr<RegistryServer>> RegistryServer::Start(
    const RegistryServerOptions& options) {
  if (options.data_dir.empty()) {
    return absl::InvalidArgumentError("data_dir: must not be empty");
  }
  size_t colon = options.listen_address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen: \"", options.listen_address,
                     "\" is not of the form host:port"));
  }
  auto server = absl::WrapUnique(new RegistryServer());
  server->host_ = options.listen_address.substr(0, colon);

  absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
      RocksDbStore::Open(options.data_dir);
  if (!store.ok()) return store.status();
  server->store_ = std::move(store).value();
  absl::StatusOr<std::unique_ptr<Registry>> registry =
      Registry::Open(server->store_.get(), options.registry);
  if (!registry.ok()) return registry.status();
  server->registry_ = std::move(registry).value();
  server->service_ = std::make_unique<RegistryService>(server->registry_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  // gRPC sets SO_REUSEPORT by default, which would let a second server bind
  // the same port silently and share its traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     " (address in use or not available on this machine)"));
  }
  Registry* core = server->registry_.get();
  absl::Notification* stop = &server->stop_publishing_;
  absl::Duration interval = options.checkpoint_interval;
  server->publisher_ = std::thread([core, stop, interval] {
    while (!stop->WaitForNotificationWithTimeout(interval)) {
      absl::StatusOr<v1::SignedCheckpoint> published =
          core->PublishCheckpoint();
      if (!published.ok()) {
        std::cerr << "certreg-registry: cannot publish a checkpoint: "
                  << published.status().message() << std::endl;
      }
    }
  });
  return server;
}

RegistryServer::~RegistryServer() { Shutdown(); }

std::string RegistryServer::address() const {
  return absl::StrCat(host_, ":", port_);
}

void RegistryServer::Shutdown() {
  if (publisher_.joinable()) {
    stop_publishing_.Notify();
    publisher_.join();
  }
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(5));
    server_->Wait();
    server_.reset();
  }
  service_.reset();
  registry_.reset();
  store_.reset();
}

}  // namespace certreg
