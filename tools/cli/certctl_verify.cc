#include "tools/cli/certctl_verify.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "tools/cli/certctl_claim.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_text.h"
#include "verifier/bundle/bundle_verifier.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/crypto/key_files.h"
#include "verifier/service/registry_bundle_source.h"

ABSL_FLAG(std::string, bundle, "", "verify: a bundle file, verified offline.");
ABSL_FLAG(std::string, min_stars, "",
          "verify: minimum GB/T 27922 star level: 达标级 (compliant), 三星级 "
          "(3), 四星级 (4) or 五星级 (5).");
ABSL_FLAG(int, max_checkpoint_age_hours, 24,
          "verify: a checkpoint older than this makes the verdict UNKNOWN.");
ABSL_FLAG(std::string, operator_public_key, "",
          "Pinned operator public key for verification (default "
          "CONFIG/operator.pub).");
ABSL_FLAG(std::string, log_public_key, "",
          "Pinned log public key for verification (default CONFIG/log.pub).");

namespace certreg {
namespace {

absl::StatusOr<PinnedKeys> PinnedKeysFromFlags() {
  std::string operator_path = absl::GetFlag(FLAGS_operator_public_key);
  if (operator_path.empty()) operator_path = ConfigPath("operator.pub");
  std::string log_path = absl::GetFlag(FLAGS_log_public_key);
  if (log_path.empty()) log_path = ConfigPath("log.pub");
  absl::StatusOr<Ed25519PublicKey> operator_key = ReadPublicKey(operator_path);
  if (!operator_key.ok()) return operator_key.status();
  absl::StatusOr<Ed25519PublicKey> log_key = ReadPublicKey(log_path);
  if (!log_key.ok()) return log_key.status();
  PinnedKeys keys;
  keys.operator_key = std::make_shared<const Ed25519PublicKey>(*operator_key);
  keys.log_key = std::make_shared<const Ed25519PublicKey>(*log_key);
  return keys;
}

absl::StatusOr<v1::Claim> ClaimOfFlags(const std::string& number) {
  ClaimFlags flags;
  flags.holder = absl::GetFlag(FLAGS_holder);
  flags.address = absl::GetFlag(FLAGS_address);
  flags.scope = absl::GetFlag(FLAGS_scope);
  flags.basis = absl::GetFlag(FLAGS_basis);
  flags.min_stars = absl::GetFlag(FLAGS_min_stars);
  flags.as_of = absl::GetFlag(FLAGS_as_of);
  return ClaimFromFlags(number, flags);
}

// Prints the verdict (--json: the response); its exit code.
int PrintVerdict(const v1::VerifyResponse& response) {
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::cout << VerdictText(response);
  }
  return response.verdict() == v1::VERDICT_PASS ? kExitOk : kExitCheckFailed;
}

// Offline: nothing but the bundle file and the pinned keys. The claim is on
// NUMBER when given, else on the bundle's certificate.
int VerifyOffline(const std::string& bundle_path, const Args& args,
                  const PinnedKeys& keys, const VerifyPolicy& policy) {
  std::ifstream file(bundle_path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  v1::VerificationBundle bundle;
  if (!file.good() && !file.eof()) {
    return Fail(absl::NotFoundError("cannot read " + bundle_path));
  }
  // Binary (certctl bundle) or JSON (the web front-end's download).
  const size_t first = bytes.find_first_not_of(" \t\r\n");
  const bool json = first != std::string::npos && bytes[first] == '{';
  const bool parsed =
      json ? google::protobuf::util::JsonStringToMessage(bytes, &bundle).ok()
           : bundle.ParseFromString(bytes);
  if (!parsed) {
    return Fail(absl::InvalidArgumentError(
        bundle_path + ": not a certreg verification bundle (binary or JSON)"));
  }
  std::string number = args.empty() ? bundle.certificate_number() : args[0];
  absl::StatusOr<v1::Claim> claim = ClaimOfFlags(number);
  if (!claim.ok()) return Usage("verify", claim.status().message());
  return PrintVerdict(VerifyBundle(bundle, *claim, keys, policy, absl::Now()));
}

// Online: the registry's bundle, its checkpoint consistent with the one
// this machine last trusted.
int VerifyOnline(const std::string& number, const PinnedKeys& keys,
                 const VerifyPolicy& policy) {
  absl::StatusOr<v1::Claim> claim = ClaimOfFlags(number);
  if (!claim.ok()) return Usage("verify", claim.status().message());
  std::unique_ptr<RegistryClient> client = Client();
  RegistryBundleSource source(client.get());
  ClaimVerifierOptions options;
  options.keys = keys;
  options.policy = policy;
  options.state_path = ConfigPath("trusted_checkpoint");
  absl::StatusOr<std::unique_ptr<ClaimVerifier>> verifier =
      ClaimVerifier::New(&source, options);
  if (!verifier.ok()) return Fail(verifier.status());
  v1::VerifyResponse response = (*verifier)->Verify(*claim);
  int code = PrintVerdict(response);
  if (response.verdict() == v1::VERDICT_UNKNOWN && !response.checks().empty() &&
      response.checks(0).name() == "registry") {
    return kExitUsage;  // could not reach the registry
  }
  return code;
}

}  // namespace

int VerifyCommand(const Args& args) {
  std::string bundle_path = absl::GetFlag(FLAGS_bundle);
  if (bundle_path.empty() && args.size() != 1) {
    return Usage("verify", "give one certificate number, or --bundle=FILE");
  }
  if (!bundle_path.empty() && args.size() > 1) {
    return Usage("verify", "give at most one certificate number");
  }
  absl::StatusOr<PinnedKeys> keys = PinnedKeysFromFlags();
  if (!keys.ok()) return Fail(keys.status());
  VerifyPolicy policy;
  policy.max_checkpoint_age =
      absl::Hours(absl::GetFlag(FLAGS_max_checkpoint_age_hours));
  if (!bundle_path.empty()) {
    return VerifyOffline(bundle_path, args, *keys, policy);
  }
  return VerifyOnline(args[0], *keys, policy);
}

int BundleCommand(const Args& args) {
  if (args.size() != 1) return Usage("bundle", "give one certificate number");
  absl::StatusOr<v1::VerificationBundle> bundle =
      Client()->GetVerificationBundle(args[0]);
  if (!bundle.ok()) return Fail(bundle.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*bundle);
    return kExitOk;
  }
  std::string out = absl::GetFlag(FLAGS_out);
  std::string bytes = bundle->SerializeAsString();
  if (out.empty()) {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return std::cout.good() ? kExitOk : kExitUsage;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.good()) return Fail(absl::UnavailableError("cannot write " + out));
  std::cerr << "bundle of " << args[0] << " written to " << out << " ("
            << Counted(static_cast<int64_t>(bytes.size()), "byte") << ")\n";
  return kExitOk;
}

}  // namespace certreg
