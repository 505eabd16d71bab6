#ifndef CERTREG_VERIFIER_BUNDLE_CHECK_TEXTS_H_
#define CERTREG_VERIFIER_BUNDLE_CHECK_TEXTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/status.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "verifier/bundle/check_result.h"

namespace certreg {
namespace texts {

// Every detail a check of a bundle gives, in English and Chinese, by check in
// the order the checks run. The English and the Chinese say the same thing;
// `why` is an error message (English) that both quote. Clients show these
// texts and tests compare some of them: change one only on purpose.

// How a failed check names a statement: "certificate statement #2 (leaf 17)"
// and "第 2 条证书声明（日志序号 17）" for the second (position 1) of the
// bundle's certificate statements, at leaf 17 of the log.
Text StatementLabel(bool authority, size_t position,
                    const v1::ProvenStatement& proven);

// claim: the claim itself is malformed.
Text ClaimNumberInvalid(absl::string_view why, bool missing);
Text ClaimDateInvalid(absl::string_view why);
// A claimed text field (e.g. "claim.basis") that holds only white space.
Text ClaimFieldBlank(absl::string_view field);
Text ClaimStarLevelUnknown(int value);
Text ClaimTypeUnknown(int value);

// checkpoint_signature
Text NoLogKey();
Text CheckpointSigned(absl::string_view origin, uint64_t tree_size);
Text CheckpointNotSigned(absl::string_view why);

// inclusion_proof
Text InclusionUnchecked();
Text NotInLog(const Text& statement, absl::string_view why);
Text AllInLog(int statements, uint64_t tree_size);

// statement_signature
Text Unreadable(const Text& statement, absl::string_view why);
Text NoOperatorKey();
Text NotSignedByOperator(const Text& statement, absl::string_view key_id,
                         absl::string_view operator_key_id);
Text BadSignature(const Text& statement, absl::string_view why);
// The body's keys are unknown (`why` is the signer_accredited failure).
Text SignatureUncheckable(const Text& statement, const Text& why);
Text NotAKeyOfBody(const Text& statement, absl::string_view key_id,
                   absl::string_view body);
// `vouched` of the certificate statements were covered by the next one's
// signature rather than verified on their own.
Text SignaturesVerified(int authority_statements, int certificate_statements,
                        absl::string_view body, int vouched);

// signer_accredited: the body's record from its authority statements, then
// each certificate statement's signer on its date.
Text AuthorityNotAuthentic();
Text BodyUnknown();
Text AuthorityOutOfOrder(const Text& statement);
Text NotAnAuthorityStatement(const Text& statement, absl::string_view kind);
Text ConcernsAnotherBody(const Text& statement, absl::string_view subject,
                         absl::string_view body);
Text AuthorityNotApplicable(const Text& statement, absl::string_view why);
Text NoAccreditation(absl::string_view body);
Text SomeStatementUnreadable();  // also event_chain's
Text SignerNotAccredited(const Text& statement, absl::string_view why);
Text SignersAccredited(absl::string_view body);

// event_chain
Text NoCertificateStatements();
Text ChainStartsWithoutIssue();
Text ChainOfAnotherCertificate(absl::string_view chain_number,
                               absl::string_view bundle_number,
                               absl::string_view claim_number);
Text InvalidIssue(const Text& statement, absl::string_view why);
Text ChainBroken(const Text& statement, absl::string_view why);
Text ChainComplete(int events, const v1::Date& issue_date);

// completeness
Text CompletenessUnchecked();
Text NoCertificateHead();
Text HeadNotSigned(absl::string_view why);
Text StatementsMissing(absl::string_view why);
Text BundleComplete(int certificate_statements, int authority_statements,
                    uint64_t tree_size);

// scheme_rules
Text RulesUncheckedWithoutHead();
Text RulesUncheckedHeadNotAuthentic();
Text UnnamedRulesStatement();
Text BuiltInRules();
Text NamedRulesMissing();
Text RulesNotAuthentic(absl::string_view why);
Text PublishedRules(uint32_t version);

// The checks after scheme_rules, when the bundle is not authentic.
Text NotEvaluated();

// status: the effective status, its reasons joined.
Text StatusOn(const v1::EffectiveStatus& status, absl::CivilDay as_of);

// holder_name
Text NoHolderNameClaimed();
Text HolderNameMatches(absl::string_view name);
Text HolderNameDiffers(absl::string_view claimed, absl::string_view name);

// holder_address
Text NoHolderAddressClaimed();
Text HolderAddressMatches(absl::string_view address);
Text HolderAddressDiffers(absl::string_view claimed, absl::string_view address);

// scope
Text NoScopeClaimed();
Text ScopeContainsAll(absl::string_view scope);
Text ScopeLacks(absl::string_view scope,
                const std::vector<std::string>& missing_terms);

// basis
Text NoBasisClaimed();
Text BasisIncludes(const google::protobuf::RepeatedPtrField<std::string>& basis,
                   absl::string_view claimed);
Text BasisLacks(const google::protobuf::RepeatedPtrField<std::string>& basis,
                absl::string_view claimed);

// star_level
Text NoStarLevelClaimed();
Text NoStarLevel(v1::StarLevel claimed);
Text StarLevelAtLeast(v1::StarLevel level, v1::StarLevel claimed);
Text StarLevelBelow(v1::StarLevel level, v1::StarLevel claimed);

// type
Text NoTypeClaimed();
Text TypeMatches(v1::CertificationType type);
Text TypeDiffers(v1::CertificationType type, v1::CertificationType claimed);

// item_code
Text NoItemCodeClaimed();
Text ItemWithin(absl::string_view code, absl::string_view name,
                absl::string_view claimed);
Text ItemNotWithin(absl::string_view code, absl::string_view name,
                   absl::string_view claimed);

// freshness: "25 h 3 min" / "25小时3分钟" (or "forever" / "无限长").
Text CheckpointTooOld(absl::Duration age, absl::Duration limit);
Text CheckpointFromTheFuture(absl::Duration ahead);
Text CheckpointFresh(absl::Duration age, absl::Duration limit);

}  // namespace texts
}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_CHECK_TEXTS_H_
