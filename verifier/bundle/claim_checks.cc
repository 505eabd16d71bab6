#include "verifier/bundle/claim_checks.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "verifier/bundle/check_texts.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/text_normalize.h"

namespace certreg {
namespace {

// True when `normalized_basis` is `claim` or starts with it followed by
// something that does not continue a number ("gb/t19001" matches
// "gb/t19001-2016/iso9001:2015", "gb/t1900" does not).
bool BasisMatches(absl::string_view normalized_basis, absl::string_view claim) {
  if (!absl::StartsWith(normalized_basis, claim)) return false;
  if (normalized_basis.size() == claim.size() || claim.empty()) return true;
  const char next = normalized_basis[claim.size()];
  const char last = claim.back();
  return !(absl::ascii_isdigit(next) && absl::ascii_isdigit(last));
}

// An item code as compared: upper case, without surrounding white space.
std::string ItemCodeKey(absl::string_view code) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
}

}  // namespace

std::optional<CheckResult> ClaimProblem(const v1::Claim& claim) {
  const absl::Status number = ValidateCertificateNumber(
      claim.certificate_number(), "claim.certificate_number");
  if (!number.ok()) {
    return Failed(texts::ClaimNumberInvalid(
        number.message(), claim.certificate_number().empty()));
  }
  if (IsSet(claim.as_of())) {
    const absl::Status as_of = ValidateDate(claim.as_of(), "claim.as_of");
    if (!as_of.ok()) return Failed(texts::ClaimDateInvalid(as_of.message()));
  }
  if (!v1::StarLevel_IsValid(claim.min_star_level())) {
    return Failed(texts::ClaimStarLevelUnknown(claim.min_star_level()));
  }
  if (!v1::CertificationType_IsValid(claim.type())) {
    return Failed(texts::ClaimTypeUnknown(claim.type()));
  }
  // A claimed text that is only white space would normalise to nothing and
  // match anything.
  const auto blank = [](const std::string& text) {
    return !text.empty() && NormalizeText(text).empty();
  };
  const std::pair<const std::string*, absl::string_view> texts[] = {
      {&claim.holder_name(), "claim.holder_name"},
      {&claim.holder_address(), "claim.holder_address"},
      {&claim.basis(), "claim.basis"},
      {&claim.item_code(), "claim.item_code"},
  };
  for (const auto& [text, field] : texts) {
    if (blank(*text)) return Failed(texts::ClaimFieldBlank(field));
  }
  for (const std::string& term : claim.scope_terms()) {
    if (blank(term)) return Failed(texts::ClaimFieldBlank("claim.scope_terms"));
  }
  return std::nullopt;
}

namespace claim_checks {

CheckResult HolderName(const v1::Claim& claim,
                       const v1::Certificate& certificate) {
  const std::string& name = certificate.holder().name();
  if (claim.holder_name().empty()) {
    return Skipped(texts::NoHolderNameClaimed());
  }
  if (NormalizeText(claim.holder_name()) == NormalizeText(name)) {
    return Passed(texts::HolderNameMatches(name));
  }
  return Failed(texts::HolderNameDiffers(claim.holder_name(), name));
}

CheckResult HolderAddress(const v1::Claim& claim,
                          const v1::Certificate& certificate) {
  const std::string& address = certificate.holder().address();
  if (claim.holder_address().empty()) {
    return Skipped(texts::NoHolderAddressClaimed());
  }
  if (NormalizeText(claim.holder_address()) == NormalizeText(address)) {
    return Passed(texts::HolderAddressMatches(address));
  }
  return Failed(texts::HolderAddressDiffers(claim.holder_address(), address));
}

CheckResult Scope(const v1::Claim& claim, const v1::Certificate& certificate) {
  if (claim.scope_terms().empty()) return Skipped(texts::NoScopeClaimed());
  const std::string scope = NormalizeText(certificate.scope());
  std::vector<std::string> missing;
  for (const std::string& term : claim.scope_terms()) {
    if (!absl::StrContains(scope, NormalizeText(term))) missing.push_back(term);
  }
  if (missing.empty())
    return Passed(texts::ScopeContainsAll(certificate.scope()));
  return Failed(texts::ScopeLacks(certificate.scope(), missing));
}

CheckResult Basis(const v1::Claim& claim, const v1::Certificate& certificate) {
  if (claim.basis().empty()) return Skipped(texts::NoBasisClaimed());
  const std::string wanted = NormalizeBasis(claim.basis());
  for (const std::string& basis : certificate.basis()) {
    if (BasisMatches(NormalizeBasis(basis), wanted)) {
      return Passed(texts::BasisIncludes(certificate.basis(), claim.basis()));
    }
  }
  return Failed(texts::BasisLacks(certificate.basis(), claim.basis()));
}

CheckResult StarLevel(const v1::Claim& claim,
                      const v1::Certificate& certificate) {
  const v1::StarLevel wanted = claim.min_star_level();
  const v1::StarLevel level = certificate.has_service_grade()
                                  ? certificate.service_grade().star_level()
                                  : v1::STAR_LEVEL_UNSPECIFIED;
  if (wanted == v1::STAR_LEVEL_UNSPECIFIED) {
    return Skipped(texts::NoStarLevelClaimed());
  }
  if (level == v1::STAR_LEVEL_UNSPECIFIED) {
    return Failed(texts::NoStarLevel(wanted));
  }
  if (level >= wanted) return Passed(texts::StarLevelAtLeast(level, wanted));
  return Failed(texts::StarLevelBelow(level, wanted));
}

CheckResult Type(const v1::Claim& claim, const v1::Certificate& certificate) {
  if (claim.type() == v1::CERTIFICATION_TYPE_UNSPECIFIED) {
    return Skipped(texts::NoTypeClaimed());
  }
  if (claim.type() == certificate.type()) {
    return Passed(texts::TypeMatches(certificate.type()));
  }
  return Failed(texts::TypeDiffers(certificate.type(), claim.type()));
}

CheckResult ItemCode(const v1::Claim& claim,
                     const v1::Certificate& certificate) {
  if (claim.item_code().empty()) return Skipped(texts::NoItemCodeClaimed());
  const std::string wanted = ItemCodeKey(claim.item_code());
  const std::string code = ItemCodeKey(certificate.item().code());
  if (absl::StartsWith(code, wanted)) {
    return Passed(texts::ItemWithin(code, certificate.item().name(), wanted));
  }
  return Failed(texts::ItemNotWithin(code, certificate.item().name(), wanted));
}

}  // namespace claim_checks

void AddClaimChecks(const v1::Claim& claim, const v1::Certificate& certificate,
                    v1::VerifyResponse& response) {
  for (const ClaimCheck& check : kClaimChecks) {
    AddCheck(response, check.name, check.run(claim, certificate));
  }
}

}  // namespace certreg
