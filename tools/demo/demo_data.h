#ifndef CERTREG_TOOLS_DEMO_DEMO_DATA_H_
#define CERTREG_TOOLS_DEMO_DEMO_DATA_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Demo data: fictional certification bodies and certificates with histories
// that leave them in every interesting state as of a given day. Used by the
// run command to give a newcomer something to look up, and by tests.

// Sends one signed statement to a registry (in-process or over gRPC).
using SubmitStatementFn = std::function<absl::StatusOr<v1::StatementReceipt>(
    v1::StatementKind, const v1::SignedStatement&)>;

struct DemoBody {
  std::string approval_number;
  std::string name;
};

// The demo's certification bodies.
const std::vector<DemoBody>& DemoBodies();

// The number of a certificate SeedDemo always issues (the valid one of
// 青岛海岳电器股份有限公司): a registry that knows it holds the demo.
inline constexpr char kDemoProbeNumber[] = "90126Q21540R2M";

// A demo certificate and the status it has on the seeding day, whatever day
// that is.
struct DemoCertificate {
  std::string number;
  std::string holder_name;
  v1::CertificateStatus expected_status;
  std::string story;  // what happened to it, in English
};

// Signs and submits an event for a certificate, tracking the chain's head so
// each event names its predecessor.
class ChainWriter {
 public:
  ChainWriter(const Signer& signer, SubmitStatementFn submit)
      : signer_(signer), submit_(std::move(submit)) {}

  // Signs `statement` after setting its previous_event_hash (for events) and
  // submits it; remembers the new head on success.
  absl::StatusOr<v1::StatementReceipt> Submit(v1::Statement statement);

  // Starts from a known head (e.g. fetched from the registry).
  void SetHead(const std::string& number, const std::string& head_hash) {
    heads_[number] = head_hash;
  }

 private:
  const Signer& signer_;
  SubmitStatementFn submit_;
  std::map<std::string, std::string> heads_;
};

// A valid unified social credit code of an enterprise (characters 1-2 "91")
// registered in `division` (six digits, GB/T 2260, e.g. "330106" for
// Hangzhou's Xihu district), derived from `seed` (deterministic). The holder's
// address should lie in that division.
std::string DemoCreditCode(uint64_t seed, absl::string_view division);

// DemoCreditCode(seed, division) with the division one of Qingdao (370200),
// Shanghai Pudong (310115), Shenzhen (440300), Chengdu (510100), Wuhan
// (420100) and Beijing Haidian (110108), picked by `seed`.
std::string DemoCreditCode(uint64_t seed);

// An accreditation statement for `body` with `key`, valid for ten years
// before `today` to five years after, dated ten years before `today`.
v1::Statement DemoAccreditation(const DemoBody& body,
                                const Ed25519PublicKey& key,
                                absl::CivilDay today);

// Accredits every demo body (one key each, in DemoBodies() order) with the
// operator's key, then issues the demo certificates and their histories so
// that on `today` they are valid, suspended, revoked, overdue for
// surveillance, expired, reinstated, in the recertification year, and a
// four-star GB/T 27922 service certificate. Every certificate obeys the
// registry's rules: its number carries its body's code and its
// recertification count, its holder's credit code the division of the
// address, it is valid 36 months, its issue statement is dated on its issue
// date, and its surveillance audits are on time unless the story says
// otherwise. The returned statuses hold for any `today`. Fails on the first
// refused statement.
absl::StatusOr<std::vector<DemoCertificate>> SeedDemo(
    const Signer& operator_key, const std::vector<Ed25519PrivateKey>& body_keys,
    absl::CivilDay today, const SubmitStatementFn& submit);

}  // namespace certreg

#endif  // CERTREG_TOOLS_DEMO_DEMO_DATA_H_
