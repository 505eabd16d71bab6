#include "verifier/grpc/call_quota.h"

#include <cmath>
#include <fstream>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/sha256.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {
namespace {

constexpr char kApiKeyHeader[] = "x-api-key";
// Where a refusal keeps how long to wait, for AnswerRefusal.

absl::string_view ClassName(CallClass call_class) {
  switch (call_class) {
    case CallClass::kLookup:
      return "lookup";
    case CallClass::kSearch:
      return "search";
    case CallClass::kVerify:
      return "verify";
    case CallClass::kStream:
      return "stream";
    case CallClass::kWrite:
      return "write";
  }
  return "other";
}

double RateOf(const QuotaRates& rates, CallClass call_class) {
  switch (call_class) {
    case CallClass::kLookup:
      return rates.lookups;
    case CallClass::kSearch:
      return rates.searches;
    case CallClass::kVerify:
      return rates.verifications;
    case CallClass::kStream:
      return rates.streams;
    case CallClass::kWrite:
      return rates.writes;
  }
  return 0;
}

// The client's IP address, without the port: "ipv4:10.0.0.5".
std::string PeerAddress(absl::string_view peer) {
  const size_t colon = peer.rfind(':');
  const size_t first = peer.find(':');
  if (colon == absl::string_view::npos || colon == first) {
    return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

}  // namespace

CallQuota::CallQuota(const QuotaOptions& options,
                     absl::flat_hash_map<std::string, ApiKey> keys,
                     prometheus::Registry* metrics)
    : options_(options),
      keys_(std::move(keys)),
      reads_(options.max_concurrent_reads) {
  if (metrics != nullptr) {
    refused_ = &prometheus::BuildCounter()
                    .Name("certreg_quota_refused_total")
                    .Help(
                        "Calls refused by quotas, by class and reason "
                        "(rate: the client's budget; concurrency: too many "
                        "reads, or reads of the class, at once).")
                    .Register(*metrics);
  }
}

absl::StatusOr<std::unique_ptr<CallQuota>> CallQuota::Create(
    const QuotaOptions& options, prometheus::Registry* metrics) {
  const QuotaRates& r = options.rates;
  for (double rate :
       {r.lookups, r.searches, r.verifications, r.streams, r.writes}) {
    if (rate < 0 || !std::isfinite(rate)) {
      return absl::InvalidArgumentError(
          absl::StrCat("quota: ", rate, " is not a rate (0 unlimited)"));
    }
  }
  absl::flat_hash_map<std::string, ApiKey> keys;
  if (!options.api_keys_file.empty()) {
    absl::StatusOr<absl::flat_hash_map<std::string, ApiKey>> loaded =
        LoadApiKeys(options.api_keys_file);
    if (!loaded.ok()) return loaded.status();
    keys = *std::move(loaded);
  }
  return absl::WrapUnique(new CallQuota(options, std::move(keys), metrics));
}

std::variant<ReadCaps::Ticket, std::string> ReadCaps::Enter(
    CallClass call_class) {
  if (max_ <= 0 || call_class == CallClass::kWrite) return Ticket();
  // Taken at once, given back when over: a caller over a cap never waits.
  std::atomic<int>& of_class = of_class_[static_cast<int>(call_class)];
  if (of_class.fetch_add(1, std::memory_order_relaxed) >= max_of_class_) {
    of_class.fetch_sub(1, std::memory_order_relaxed);
    return absl::StrCat("the server's cap of ", max_of_class_, " ",
                        ClassName(call_class), " calls at once");
  }
  if (all_.fetch_add(1, std::memory_order_relaxed) >= max_) {
    all_.fetch_sub(1, std::memory_order_relaxed);
    of_class.fetch_sub(1, std::memory_order_relaxed);
    return absl::StrCat("the server's cap of ", max_, " reads at once");
  }
  return Ticket(&of_class, &all_);
}

absl::StatusOr<CallQuota::Ticket> CallQuota::Admit(
    grpc::ServerContextBase& context, CallClass call_class, int cost) {
  const QuotaRates* rates = &options_.rates;
  std::string client;
  const auto& metadata = context.client_metadata();
  if (auto key = metadata.find(kApiKeyHeader); key != metadata.end()) {
    auto found = keys_.find(ToHex(
        Sha256(absl::string_view(key->second.data(), key->second.size()))));
    if (found == keys_.end()) {
      return absl::UnauthenticatedError(
          "x-api-key: this API key is not known to the server");
    }
    client = "key:" + found->second.name;
    rates = &found->second.rates;
  } else if (!options_.meter_local_clients && IsLocalPeer(context.peer())) {
    return Ticket();
  } else {
    client = PeerAddress(context.peer());
  }
  const Rate rate = {RateOf(*rates, call_class),
                     2 * RateOf(*rates, call_class)};
  if (std::optional<absl::Duration> wait =
          limiter_.TryTake(client, static_cast<int>(call_class), rate, cost)) {
    return Refuse(context, call_class, client,
                  absl::StrFormat("its %s budget (%g a second)",
                                  ClassName(call_class), rate.per_second),
                  *wait);
  }
  std::variant<Ticket, std::string> entered = reads_.Enter(call_class);
  if (auto* over = std::get_if<std::string>(&entered)) {
    return Refuse(context, call_class, client, *over, absl::Milliseconds(50));
  }
  return std::get<Ticket>(std::move(entered));
}

absl::Status CallQuota::Refuse(grpc::ServerContextBase& context,
                               CallClass call_class, const std::string& client,
                               absl::string_view reason,
                               absl::Duration retry_after) {
  const int64_t millis =
      std::max<int64_t>(1, absl::ToInt64Milliseconds(
                               absl::Ceil(retry_after, absl::Milliseconds(1))));
  context.AddTrailingMetadata("retry-after-ms", absl::StrCat(millis));
  if (refused_ != nullptr) {
    refused_
        ->Add({{"class", std::string(ClassName(call_class))},
               {"reason",
                absl::StrContains(reason, "budget") ? "rate" : "concurrency"}})
        .Increment();
  }
  absl::Status refusal = absl::ResourceExhaustedError(absl::StrFormat(
      "quota: %s has used %s; retry after %.3f s",
      client.empty() ? "this client" : client, reason, millis / 1000.0));
  return WithRetryInfo(std::move(refusal), absl::Milliseconds(millis));
}

std::string CallQuota::KeyName(const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto key = metadata.find(kApiKeyHeader);
  if (key == metadata.end()) return "";
  auto found = keys_.find(
      ToHex(Sha256(absl::string_view(key->second.data(), key->second.size()))));
  return found == keys_.end() ? "" : found->second.name;
}

void CallQuota::AnswerRefusal(grpc::ServerUnaryReactor* reactor,
                              const absl::Status& refusal) {
  const absl::Duration retry_after =
      RetryDelay(refusal).value_or(absl::ZeroDuration());
  // At least 100 ms, whatever the budget's refill says: a client over its
  // budget loses little, a flood in a closed loop slows to its calls in
  // flight a few times a second. Up to twice that, at random: refusals
  // answered together would come back together, a burst for the writers.
  thread_local absl::BitGen random;
  const absl::Duration wait = std::max(absl::Milliseconds(100), retry_after) *
                              absl::Uniform(random, 1.0, 2.0);
  delayed_.Finish(reactor, ToGrpcStatus(refusal), wait);
}

}  // namespace certreg
