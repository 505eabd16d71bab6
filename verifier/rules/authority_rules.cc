#include "verifier/rules/authority_rules.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

v1::BodyKey* FindKey(v1::CertificationBody& body, absl::string_view key_id) {
  for (v1::BodyKey& key : *body.mutable_keys()) {
    if (key.key_id() == key_id) return &key;
  }
  return nullptr;
}

absl::Status AddKey(v1::CertificationBody& body, absl::string_view public_key,
                    const v1::Date& usable_from, absl::string_view field) {
  // Only checked and hashed: every signature check sets its key up itself.
  CERTREG_RETURN_IF_ERROR(CheckRawPublicKey(public_key, field));
  std::string key_id = KeyIdOf(public_key);
  if (FindKey(body, key_id) != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": key ", ToHex(key_id),
                     " is already registered for ", body.approval_number()));
  }
  v1::BodyKey* added = body.add_keys();
  added->set_key_id(std::move(key_id));
  added->set_public_key(std::string(public_key));
  *added->mutable_registered_on() = usable_from;
  added->set_state(v1::KEY_STATE_ACTIVE);
  return absl::OkStatus();
}

// The body's accreditation windows; a record written before the history was
// kept has its one window in accredited_from/until.
std::vector<v1::AccreditationPeriod> PeriodsOf(
    const v1::CertificationBody& body) {
  std::vector<v1::AccreditationPeriod> periods(
      body.accreditation_history().begin(), body.accreditation_history().end());
  if (periods.empty() && body.has_accredited_from()) {
    v1::AccreditationPeriod& only = periods.emplace_back();
    *only.mutable_valid_from() = body.accredited_from();
    *only.mutable_valid_until() = body.accredited_until();
  }
  return periods;
}

// Adds the window [from, until]: earlier windows end the day before `from`
// (those that would start on or after it are dropped).
void AddPeriod(v1::CertificationBody& body, const v1::Date& from,
               const v1::Date& until) {
  const absl::CivilDay start = ToCivilDay(from);
  std::vector<v1::AccreditationPeriod> periods = PeriodsOf(body);
  body.clear_accreditation_history();
  for (v1::AccreditationPeriod& period : periods) {
    if (ToCivilDay(period.valid_from()) >= start) continue;
    if (ToCivilDay(period.valid_until()) >= start) {
      *period.mutable_valid_until() = ToProtoDate(start - 1);
    }
    *body.add_accreditation_history() = std::move(period);
  }
  v1::AccreditationPeriod* added = body.add_accreditation_history();
  *added->mutable_valid_from() = from;
  *added->mutable_valid_until() = until;
  *body.mutable_accredited_from() = from;
  *body.mutable_accredited_until() = until;
}

}  // namespace

bool AccreditedOn(const v1::CertificationBody& body, absl::CivilDay day) {
  for (const v1::AccreditationPeriod& period : PeriodsOf(body)) {
    if (day >= ToCivilDay(period.valid_from()) &&
        day <= ToCivilDay(period.valid_until())) {
      return true;
    }
  }
  return false;
}

absl::string_view AuthoritySubject(const v1::Statement& statement) {
  switch (statement.kind_case()) {
    case v1::Statement::kAccreditBody:
      return statement.accredit_body().approval_number();
    case v1::Statement::kRotateBodyKey:
      return statement.rotate_body_key().approval_number();
    case v1::Statement::kRetireBodyKey:
      return statement.retire_body_key().approval_number();
    default:
      return "";
  }
}

absl::StatusOr<v1::CertificationBody> ApplyAuthorityStatement(
    const std::optional<v1::CertificationBody>& current,
    const v1::Statement& statement) {
  CERTREG_RETURN_IF_ERROR(ValidateDate(statement.date(), "statement.date"));
  switch (statement.kind_case()) {
    case v1::Statement::kAccreditBody: {
      const v1::AccreditBody& accredit = statement.accredit_body();
      CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(
          accredit.approval_number(), "accredit_body.approval_number"));
      CERTREG_RETURN_IF_ERROR(ValidateText(
          accredit.name(), "accredit_body.name", kMaxBodyNameChars, true));
      CERTREG_RETURN_IF_ERROR(
          ValidateDate(accredit.valid_from(), "accredit_body.valid_from"));
      CERTREG_RETURN_IF_ERROR(
          ValidateDate(accredit.valid_until(), "accredit_body.valid_until"));
      if (ToCivilDay(accredit.valid_until()) <
          ToCivilDay(accredit.valid_from())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "accredit_body.valid_until: ", FormatDate(accredit.valid_until()),
            " is before valid_from ", FormatDate(accredit.valid_from())));
      }
      // A first accreditation creates the body; a later one (re-accreditation)
      // replaces the name, adds its window (ending the earlier ones where it
      // starts) and registers the key if it is new.
      v1::CertificationBody body = current.value_or(v1::CertificationBody());
      body.set_approval_number(accredit.approval_number());
      body.set_name(accredit.name());
      AddPeriod(body, accredit.valid_from(), accredit.valid_until());
      CERTREG_RETURN_IF_ERROR(
          CheckRawPublicKey(accredit.public_key(), "accredit_body.public_key"));
      if (FindKey(body, KeyIdOf(accredit.public_key())) == nullptr) {
        CERTREG_RETURN_IF_ERROR(AddKey(body, accredit.public_key(),
                                       accredit.valid_from(),
                                       "accredit_body.public_key"));
      }
      return body;
    }
    case v1::Statement::kRotateBodyKey: {
      const v1::RotateBodyKey& rotate = statement.rotate_body_key();
      CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(
          rotate.approval_number(), "rotate_body_key.approval_number"));
      if (!current.has_value()) {
        return absl::NotFoundError(
            absl::StrCat("rotate_body_key.approval_number: body ",
                         rotate.approval_number(), " is not accredited"));
      }
      v1::CertificationBody body = *current;
      CERTREG_RETURN_IF_ERROR(AddKey(body, rotate.new_public_key(),
                                     statement.date(),
                                     "rotate_body_key.new_public_key"));
      return body;
    }
    case v1::Statement::kRetireBodyKey: {
      const v1::RetireBodyKey& retire = statement.retire_body_key();
      CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(
          retire.approval_number(), "retire_body_key.approval_number"));
      if (!current.has_value()) {
        return absl::NotFoundError(
            absl::StrCat("retire_body_key.approval_number: body ",
                         retire.approval_number(), " is not accredited"));
      }
      v1::CertificationBody body = *current;
      v1::BodyKey* key = FindKey(body, retire.key_id());
      if (key == nullptr) {
        return absl::FailedPreconditionError(
            absl::StrCat("retire_body_key.key_id: ", ToHex(retire.key_id()),
                         " is not a key of ", retire.approval_number()));
      }
      if (key->state() == v1::KEY_STATE_RETIRED) {
        return absl::FailedPreconditionError(absl::StrCat(
            "retire_body_key.key_id: ", ToHex(retire.key_id()),
            " was already retired on ", FormatDate(key->retired_on())));
      }
      key->set_state(v1::KEY_STATE_RETIRED);
      *key->mutable_retired_on() = statement.date();
      return body;
    }
    default:
      return absl::InvalidArgumentError(
          "statement.kind: not an authority statement");
  }
}

absl::Status CheckSignerAccredited(const v1::CertificationBody& body,
                                   absl::string_view key_id,
                                   absl::CivilDay date) {
  const v1::BodyKey* found = nullptr;
  for (const v1::BodyKey& key : body.keys()) {
    if (key.key_id() == key_id) found = &key;
  }
  std::string when = FormatDate(ToProtoDate(date));
  if (found == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer: key ", ToHex(key_id), " is not a key of ",
                     body.approval_number()));
  }
  if (!AccreditedOn(body, date)) {
    std::vector<std::string> windows;
    for (const v1::AccreditationPeriod& period : PeriodsOf(body)) {
      windows.push_back(absl::StrCat(FormatDate(period.valid_from()), " to ",
                                     FormatDate(period.valid_until())));
    }
    return absl::PermissionDeniedError(absl::StrCat(
        "signer: ", body.approval_number(), " is not accredited on ", when,
        " (accredited ", absl::StrJoin(windows, ", "), ")"));
  }
  if (date < ToCivilDay(found->registered_on())) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer: key ", ToHex(key_id), " of ",
                     body.approval_number(), " is usable only from ",
                     FormatDate(found->registered_on()), ", not on ", when));
  }
  if (found->state() == v1::KEY_STATE_RETIRED &&
      date >= ToCivilDay(found->retired_on())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "signer: key ", ToHex(key_id), " of ", body.approval_number(),
        " was retired on ", FormatDate(found->retired_on())));
  }
  return absl::OkStatus();
}

absl::Status CheckSignerMayWriteFor(const v1::CertificationBody& body,
                                    const v1::Certificate& certificate,
                                    absl::string_view key_id,
                                    absl::CivilDay date) {
  if (certificate.body_approval_number() != body.approval_number()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "signer: key ", ToHex(key_id), " belongs to ", body.approval_number(),
        " but certificate ", certificate.number(), " is of ",
        certificate.body_approval_number()));
  }
  if (certificate.body_name() != body.name()) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate.body_name: \"", certificate.body_name(),
                     "\" differs from the accredited name \"", body.name(),
                     "\" of ", body.approval_number()));
  }
  return CheckSignerAccredited(body, key_id, date);
}

}  // namespace certreg
