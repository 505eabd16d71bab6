// Claims, against one authentic bundle: the claim's validation and every
// claim check of VerifyBundle (holder, address, scope terms, basis, star
// level, type, item code, as_of). Claim validation is internal to
// verifier/bundle, so it is reached through VerifyBundle.
//
// Input: a serialized Claim. The bundle is the bundle corpus's seed for the
// demo's valid certificate (compiled in), verified with the pinned keys it
// was signed with, an hour after its checkpoint.
//
// Properties checked: a malformed claim gets the single check "claim" and
// an UNKNOWN verdict; otherwise the bundle's authenticity checks all pass
// whatever the claim says (when the claim names the bundle's certificate)
// and a PASS has no failed check.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "tests/fuzz/fuzz_support.h"
#include "verifier/bundle/bundle_verifier.h"
#include "verifier/crypto/signature_memo.h"

namespace certreg {
namespace {

// kValidBundle: the bytes of corpus/bundle/valid_90126Q21540R2M.
#include "tests/fuzz/valid_bundle.inc"

constexpr absl::string_view kAuthenticityChecks[] = {
    "checkpoint_signature", "inclusion_proof", "statement_signature",
    "signer_accredited",    "event_chain",     "completeness",
    "scheme_rules"};

struct Fixture {
  PinnedKeys keys;
  v1::VerificationBundle bundle;
  // Spares the bundle's signatures after the first input; a memo never
  // changes an answer (bundle_fuzzer checks that).
  SignatureMemo memo{1000};
};

Fixture& TheFixture() {
  static Fixture* const fixture = [] {
    auto* made = new Fixture;
    made->keys.operator_key = std::make_shared<const Ed25519PublicKey>(
        fuzz::FuzzOperatorKey().public_key());
    made->keys.log_key = std::make_shared<const Ed25519PublicKey>(
        fuzz::FuzzLogKey().public_key());
    FUZZ_CHECK(made->bundle.ParseFromArray(kValidBundle, sizeof(kValidBundle)),
               "the compiled-in bundle does not parse");
    v1::Claim claim;
    claim.set_certificate_number(made->bundle.certificate_number());
    const v1::VerifyResponse response =
        VerifyBundle(made->bundle, claim, made->keys, VerifyPolicy(),
                     fuzz::FuzzVerifyTime(), &made->memo);
    FUZZ_CHECK(response.verdict() == v1::VERDICT_PASS,
               absl::StrCat("the compiled-in bundle does not pass:\n",
                            response.DebugString()));
    return made;
  }();
  return *fixture;
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  v1::Claim claim;
  if (!claim.ParseFromArray(data, static_cast<int>(size))) return 0;
  Fixture& fixture = TheFixture();
  const v1::VerifyResponse response =
      VerifyBundle(fixture.bundle, claim, fixture.keys, VerifyPolicy(),
                   fuzz::FuzzVerifyTime(), &fixture.memo);

  FUZZ_CHECK(response.certificate_number() == claim.certificate_number(),
             "the response names another certificate");
  if (response.checks_size() > 0 && response.checks(0).name() == "claim") {
    FUZZ_CHECK(response.checks_size() == 1 &&
                   response.verdict() == v1::VERDICT_UNKNOWN,
               response.DebugString());
    return 0;
  }
  const bool same_number =
      claim.certificate_number() == fixture.bundle.certificate_number();
  for (const v1::Check& check : response.checks()) {
    for (absl::string_view name : kAuthenticityChecks) {
      if (same_number && check.name() == name) {
        FUZZ_CHECK(check.outcome() == v1::CHECK_OUTCOME_PASSED,
                   absl::StrCat("the claim made ", name, " fail:\n",
                                response.DebugString()));
      }
    }
    if (response.verdict() == v1::VERDICT_PASS) {
      FUZZ_CHECK(check.outcome() != v1::CHECK_OUTCOME_FAILED,
                 absl::StrCat("PASS with the failed check ", check.name()));
    }
  }
  if (!same_number) {
    FUZZ_CHECK(response.verdict() == v1::VERDICT_FAIL,
               "a claim about another certificate did not FAIL");
  }
  return 0;
}
