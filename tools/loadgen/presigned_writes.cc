#include "tools/loadgen/presigned_writes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "tools/demo/demo_data.h"
#include "tools/loadgen/flag_error.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

namespace certreg::loadgen {
namespace {

// The numbers of the statements signed at one time: "LG" and the time, or
// for a management-system template, the body's code, the year, the
// template's system letter, the time and the serial, "R0" and the template's
// size letter.
struct NumberScheme {
  std::string prefix;
  std::string suffix;

  std::string Number(size_t i) const {
    return absl::StrFormat("%s%07d%s", prefix, i, suffix);
  }
};

absl::StatusOr<NumberScheme> NumberSchemeFor(const v1::Certificate& base,
                                             const std::string& body,
                                             absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  if (base.type() != v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM) {
    return NumberScheme{
        absl::StrCat("LG", absl::FormatTime("%Y%m%d%H%M%S", now, utc), "-"),
        ""};
  }
  absl::StatusOr<std::string> body_code =
      BodyCodeOfApprovalNumber(body, "write_body");
  if (!body_code.ok()) return body_code.status();
  absl::StatusOr<ManagementSystemNumber> template_number =
      ParseManagementSystemNumber(base.number());
  const char system = template_number.ok() ? template_number->system : 'Q';
  const char size = template_number.ok() ? template_number->size : 'M';
  return NumberScheme{absl::StrCat(*body_code, absl::FormatTime("%y", now, utc),
                                   std::string(1, system),
                                   absl::FormatTime("%m%d%H%M%S", now, utc)),
                      absl::StrCat("R0", std::string(1, size))};
}

// The body's name as the registry lists it, once the body is found with
// `key` among its active keys.
absl::StatusOr<std::string> AccreditedBodyName(RegistryClient& client,
                                               const std::string& body,
                                               const Ed25519PrivateKey& key) {
  v1::ListBodiesRequest request;
  request.set_page_size(100);
  std::optional<v1::CertificationBody> match;
  while (!match.has_value()) {
    absl::StatusOr<v1::ListBodiesResponse> page = client.ListBodies(request);
    if (!page.ok()) return page.status();
    for (const auto& b : page->bodies()) {
      if (b.approval_number() == body) match = b;
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  if (!match.has_value()) {
    return FlagError("write_body",
                     absl::StrCat(body, " is not a body of the registry"));
  }
  bool key_ok = false;
  for (const auto& k : match->keys()) {
    key_ok |= k.key_id() == key.key_id() && k.state() == v1::KEY_STATE_ACTIVE;
  }
  if (!key_ok) {
    return FlagError("write_key",
                     absl::StrCat("key ", ToHex(key.key_id()),
                                  " is not an active key of ", body));
  }
  return match->name();
}

// A certificate of `body` to copy: the first of `numbers` (up to 1,000
// looked up), else the first the registry lists for the body.
absl::StatusOr<v1::Certificate> WriteTemplate(
    RegistryClient& client, const std::vector<std::string>& numbers,
    const std::string& body) {
  for (size_t i = 0; i < numbers.size() && i < 1000; ++i) {
    v1::GetCertificateRequest request;
    request.set_number(numbers[i]);
    absl::StatusOr<v1::GetCertificateResponse> got =
        client.GetCertificate(request);
    if (got.ok() && got->certificate().body_approval_number() == body) {
      return got->certificate();
    }
    if (!got.ok() && !absl::IsNotFound(got.status())) return got.status();
  }
  v1::SearchCertificatesRequest search;
  search.set_body_approval_number(body);
  search.set_page_size(1);
  absl::StatusOr<v1::SearchCertificatesResponse> found =
      client.SearchCertificates(search);
  if (!found.ok()) return found.status();
  if (found->certificates().empty()) {
    return FlagError("write_body",
                     absl::StrCat("no certificate of ", body,
                                  " in --numbers_file or the registry to copy "
                                  "as a template"));
  }
  v1::GetCertificateRequest request;
  request.set_number(found->certificates(0).number());
  absl::StatusOr<v1::GetCertificateResponse> got =
      client.GetCertificate(request);
  if (!got.ok()) return got.status();
  return got->certificate();
}

}  // namespace

size_t DefaultWriteCount(const OpWeights& weights, double rate, int write_batch,
                         double warmup_seconds, double duration_seconds) {
  int total = 0;
  for (int w : weights) total += w;
  const double share = static_cast<double>(weights[kWrite]) / total;
  // Open loop: requests of write_batch statements each.
  const double per_second = rate > 0 ? rate * write_batch : 20000;
  return static_cast<size_t>(
      std::min(1e6, std::ceil(share * per_second *
                              (warmup_seconds + duration_seconds) * 1.1) +
                        16));
}

absl::StatusOr<std::vector<v1::SignedStatement>> PresignWrites(
    RegistryClient& client, const PresignOptions& options,
    const std::vector<std::string>& numbers, size_t count) {
  absl::StatusOr<Ed25519PrivateKey> key = ReadPrivateKey(options.key_file);
  if (!key.ok()) {
    return FlagError("write_key", key.status().message());
  }
  // The body must exist and hold the key; its name goes into certificates.
  absl::StatusOr<std::string> listed_name =
      AccreditedBodyName(client, options.body, *key);
  if (!listed_name.ok()) return listed_name.status();
  const std::string body_name =
      options.body_name.empty() ? *listed_name : options.body_name;
  absl::StatusOr<v1::Certificate> base =
      WriteTemplate(client, numbers, options.body);
  if (!base.ok()) return base.status();
  return SignIssueStatements(*base, *key, options.body, body_name, absl::Now(),
                             count);
}

absl::StatusOr<std::vector<v1::SignedStatement>> SignIssueStatements(
    const v1::Certificate& base, const Ed25519PrivateKey& key,
    const std::string& body, const std::string& body_name, absl::Time now,
    size_t count) {
  absl::StatusOr<NumberScheme> numbering = NumberSchemeFor(base, body, now);
  if (!numbering.ok()) return numbering.status();
  const v1::Date today = ToProtoDate(TodayInChina(now));
  const v1::Date expiry = ToProtoDate(AddMonths(TodayInChina(now), 36) - 1);
  const std::string division =
      base.holder().unified_social_credit_code().substr(2, 6);
  std::mt19937_64 rng(static_cast<uint64_t>(absl::ToUnixNanos(now)));
  const uint64_t seed_base = static_cast<uint64_t>(absl::ToUnixSeconds(now))
                             << 20;
  std::vector<v1::SignedStatement> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    v1::Statement statement;
    statement.set_certificate_number(numbering->Number(i));
    *statement.mutable_date() = today;
    statement.set_nonce(rng());
    v1::Certificate* c = statement.mutable_issue()->mutable_certificate();
    *c = base;
    c->set_number(statement.certificate_number());
    // Registered where the template's holder is (its address is kept).
    c->mutable_holder()->set_unified_social_credit_code(
        DemoCreditCode(seed_base + i, division));
    c->set_body_approval_number(body);
    c->set_body_name(body_name);
    *c->mutable_first_issue_date() = today;
    *c->mutable_issue_date() = today;
    *c->mutable_expiry_date() = expiry;
    c->set_recertification_count(0);
    absl::StatusOr<v1::SignedStatement> signed_statement =
        SignStatement(statement, key);
    if (!signed_statement.ok()) return signed_statement.status();
    out.push_back(*std::move(signed_statement));
  }
  return out;
}

}  // namespace certreg::loadgen
