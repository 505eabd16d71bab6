#include "verifier/bundle/check_texts.h"

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "verifier/bundle/check_result.h"

namespace certreg {
namespace {

v1::ProvenStatement AtLeaf(uint64_t leaf) {
  v1::ProvenStatement proven;
  proven.mutable_inclusion_proof()->set_leaf_index(leaf);
  return proven;
}

TEST(CheckTextsTest, StatementLabelCountsFromOne) {
  const Text certificate = texts::StatementLabel(false, 1, AtLeaf(17));
  EXPECT_EQ(certificate.en, "certificate statement #2 (leaf 17)");
  EXPECT_EQ(certificate.zh, "第 2 条证书声明（日志序号 17）");
  const Text authority = texts::StatementLabel(true, 0, AtLeaf(3));
  EXPECT_EQ(authority.en, "authority statement #1 (leaf 3)");
  EXPECT_EQ(authority.zh, "第 1 条机构授权声明（日志序号 3）");
}

TEST(CheckTextsTest, TextsThatNameAStatementQuoteItsLabel) {
  const Text label = texts::StatementLabel(false, 2, AtLeaf(40));
  const Text text = texts::NotInLog(label, "hash 1 is 31 bytes, want 32");
  EXPECT_EQ(text.en,
            "certificate statement #3 (leaf 40) is not proven to be in the "
            "log: hash 1 is 31 bytes, want 32");
  EXPECT_EQ(text.zh,
            "第 3 条证书声明（日志序号 40）的包含证明无效，无法证明其已记入日"
            "志：hash 1 is 31 bytes, want 32");
  const Text uncheckable =
      texts::SignatureUncheckable(label, texts::BodyUnknown());
  EXPECT_EQ(uncheckable.en,
            "cannot check the signature of certificate statement #3 (leaf "
            "40): the certificate's body is unknown: the bundle's first "
            "certificate statement is not an issue statement naming a body");
  EXPECT_EQ(uncheckable.zh,
            "无法验证第 3 条证书声明（日志序号 40）的签名：无法确定认证机构："
            "验证包的第一条证书声明不是颁证声明");
}

TEST(CheckTextsTest, KeysAreShownInHex) {
  const Text text = texts::NotSignedByOperator(
      texts::StatementLabel(true, 0, AtLeaf(0)), std::string("\x01\xab", 2),
      std::string("\xff", 1));
  EXPECT_EQ(text.en,
            "authority statement #1 (leaf 0) is signed by key 01ab, not by "
            "the pinned operator key ff");
}

TEST(CheckTextsTest, SignaturesVerifiedSaysHowManyWereVouchedFor) {
  Text text = texts::SignaturesVerified(1, 1, "CNCA-R-2002-001", 0);
  EXPECT_EQ(text.en,
            "1 authority statement(s) signed by the operator key and 1 "
            "certificate statement(s) signed by keys of CNCA-R-2002-001 "
            "verified");
  EXPECT_EQ(text.zh, "全部声明签名有效（机构授权声明 1 条，证书声明 1 条）");
  text = texts::SignaturesVerified(2, 5, "CNCA-R-2002-001", 4);
  EXPECT_EQ(text.en,
            "2 authority statement(s) signed by the operator key and 5 "
            "certificate statement(s) signed by keys of CNCA-R-2002-001 "
            "verified (4 of them through the hash named by the next "
            "statement signed with the same key)");
  EXPECT_EQ(text.zh,
            "全部声明签名有效（机构授权声明 2 条，证书声明 5 条，其中 4 "
            "条由同一密钥签署的下一条声明以哈希值担保）");
}

TEST(CheckTextsTest, StatusJoinsItsReasons) {
  v1::EffectiveStatus status;
  status.set_status(v1::CERTIFICATE_STATUS_SUSPENDED);
  v1::StatusReason* reason = status.add_reasons();
  reason->set_text_en("suspended by the body");
  reason->set_text_zh("认证机构暂停");
  reason = status.add_reasons();
  reason->set_text_en("surveillance overdue");
  reason->set_text_zh("监督审核逾期");
  const Text text = texts::StatusOn(status, absl::CivilDay(2026, 8, 22));
  EXPECT_EQ(text.en,
            "the certificate is suspended on 2026-08-22: suspended by the "
            "body; surveillance overdue");
  EXPECT_EQ(text.zh,
            "证书在 2026-08-22 的状态为暂停：认证机构暂停；监督审核逾期");
}

TEST(CheckTextsTest, StarLevelsReadNaturally) {
  const Text at_least =
      texts::StarLevelAtLeast(v1::STAR_LEVEL_FIVE, v1::STAR_LEVEL_COMPLIANT);
  EXPECT_EQ(at_least.en,
            "the certificate is five-star, at least compliant, as claimed");
  EXPECT_EQ(at_least.zh, "证书星级为五星级，满足至少达标级的要求");
  const Text below =
      texts::StarLevelBelow(v1::STAR_LEVEL_THREE, v1::STAR_LEVEL_FOUR);
  EXPECT_EQ(below.en,
            "the certificate is three-star, below the claimed "
            "four-star");
  EXPECT_EQ(below.zh, "证书星级为三星级，低于声明要求的四星级");
}

TEST(CheckTextsTest, DurationsInHoursAndMinutes) {
  Text text = texts::CheckpointFresh(absl::Minutes(59), absl::Hours(24));
  EXPECT_EQ(text.en,
            "the checkpoint is 59 min old (at most 24 h 0 min "
            "allowed)");
  EXPECT_EQ(text.zh, "检查点生成于59分钟前（上限24小时0分钟）");
  text = texts::CheckpointTooOld(absl::Hours(25) + absl::Minutes(3),
                                 absl::Hours(24));
  EXPECT_EQ(text.en,
            "the checkpoint is 25 h 3 min old, older than the 24 h 0 min "
            "allowed; later events may be missing");
  EXPECT_EQ(text.zh,
            "检查点已生成25小时3分钟，超过允许的24小时0分钟，之后的证书变化可"
            "能未包含在内");
  text = texts::CheckpointFromTheFuture(absl::Minutes(6));
  EXPECT_EQ(text.en,
            "the checkpoint is dated 6 min in the future; check the "
            "clocks");
  text = texts::CheckpointFresh(absl::ZeroDuration(), absl::InfiniteDuration());
  EXPECT_EQ(text.en, "the checkpoint is 0 s old (at most forever allowed)");
  EXPECT_EQ(text.zh, "检查点生成于0秒前（上限无限长）");
  // A short limit reads in seconds, never "0 min old, older than 0 min".
  text = texts::CheckpointTooOld(absl::Seconds(45), absl::Seconds(30));
  EXPECT_EQ(text.en,
            "the checkpoint is 45 s old, older than the 30 s allowed; later "
            "events may be missing");
  text = texts::CheckpointFresh(absl::Seconds(119), absl::Minutes(90));
  EXPECT_EQ(text.en, "the checkpoint is 119 s old (at most 90 min allowed)");
}

TEST(CheckTextsTest, EveryFixedTextHasBothLanguages) {
  for (const Text& text : {texts::NoLogKey(),
                           texts::InclusionUnchecked(),
                           texts::NoOperatorKey(),
                           texts::AuthorityNotAuthentic(),
                           texts::BodyUnknown(),
                           texts::SomeStatementUnreadable(),
                           texts::NoCertificateStatements(),
                           texts::ChainStartsWithoutIssue(),
                           texts::CompletenessUnchecked(),
                           texts::NoCertificateHead(),
                           texts::RulesUncheckedWithoutHead(),
                           texts::RulesUncheckedHeadNotAuthentic(),
                           texts::UnnamedRulesStatement(),
                           texts::BuiltInRules(),
                           texts::NamedRulesMissing(),
                           texts::NotEvaluated(),
                           texts::NoHolderNameClaimed(),
                           texts::NoHolderAddressClaimed(),
                           texts::NoScopeClaimed(),
                           texts::NoBasisClaimed(),
                           texts::NoStarLevelClaimed(),
                           texts::NoTypeClaimed(),
                           texts::NoItemCodeClaimed()}) {
    EXPECT_FALSE(text.en.empty()) << text.zh;
    EXPECT_FALSE(text.zh.empty()) << text.en;
  }
}

}  // namespace
}  // namespace certreg
