#ifndef CERTREG_REGISTRY_CORE_REGISTRY_TEST_FIXTURE_H_
#define CERTREG_REGISTRY_CORE_REGISTRY_TEST_FIXTURE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "registry/core/registry.h"
#include "registry/storage/memory_store.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {

// The fixture the registry core's tests share: a Registry over a MemoryStore
// on a fixed day, the demo's operator, log and body keys, and helpers to
// seed the demo, sign, submit and read back.
//
// Example:
//   TEST_F(RegistryTest, Something) {
//     Seed();
//     v1::Certificate c = NewCertificate("90126Q99001R0M", "青岛某公司", 42);
//     ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
//     EXPECT_EQ(Get(c.number()).history_size(), 1);
//   }
class RegistryTest : public testing::Test {
 public:
  // Every test runs on 2026-11-22, noon in Beijing.
  static constexpr absl::CivilDay kToday = absl::CivilDay(2026, 11, 22);
  static absl::Time Noon() {
    return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 12, 0, 0),
                           absl::FixedTimeZone(8 * 3600));
  }
  static v1::Date D(int y, int m, int d) {
    return ToProtoDate(absl::CivilDay(y, m, d));
  }

 protected:
  void SetUp() override {
    operator_key_ = *Ed25519PrivateKey::Generate();
    for (size_t i = 0; i < DemoBodies().size(); ++i) {
      body_keys_.push_back(*Ed25519PrivateKey::Generate());
    }
    registry_ = OpenRegistry(&store_);
  }

  // Opens a registry over `store` with the fixture's keys, clock, progress
  // and bundle size limit.
  absl::StatusOr<std::unique_ptr<Registry>> TryOpen(Store* store) {
    RegistryOptions options;
    options.operator_key =
        std::make_shared<const Ed25519PublicKey>(operator_key_.public_key());
    options.log_key = log_key_;
    options.now = [this] { return now_; };
    options.progress = progress_;
    options.max_bundles_bytes = max_bundles_bytes_;
    options.disk_watermark = disk_;
    return Registry::Open(store, options);
  }

  // TryOpen, expected to succeed (nullptr otherwise).
  std::unique_ptr<Registry> OpenRegistry(Store* store) {
    auto registry = TryOpen(store);
    EXPECT_TRUE(registry.ok()) << registry.status();
    return registry.ok() ? *std::move(registry) : nullptr;
  }

  SubmitStatementFn Submitter() {
    return [this](v1::StatementKind kind, const v1::SignedStatement& s) {
      return registry_->Submit(kind, s);
    };
  }

  // Accredits the demo bodies and writes the demo certificates.
  std::vector<DemoCertificate> Seed() {
    auto seeded = SeedDemo(operator_key_, body_keys_, kToday, Submitter());
    EXPECT_TRUE(seeded.ok()) << seeded.status();
    return seeded.ok() ? *seeded : std::vector<DemoCertificate>{};
  }

  // GetCertificate of `number` (as of `as_of` if given), expected to succeed.
  v1::GetCertificateResponse Get(const std::string& number,
                                 std::optional<absl::CivilDay> as_of = {}) {
    v1::GetCertificateRequest request;
    request.set_number(number);
    if (as_of) *request.mutable_as_of() = ToProtoDate(*as_of);
    auto response = registry_->GetCertificate(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::GetCertificateResponse();
  }

  // An event for `number` naming the registry's current head.
  v1::Statement NextEvent(const std::string& number, absl::CivilDay date) {
    v1::Statement s;
    s.set_certificate_number(number);
    *s.mutable_date() = ToProtoDate(date);
    s.set_previous_event_hash(Get(number).head_event_hash());
    return s;
  }

  absl::StatusOr<v1::StatementReceipt> SignAndSubmit(
      const v1::Statement& statement, const Signer& signer) {
    auto signed_statement = SignStatement(statement, signer);
    EXPECT_TRUE(signed_statement.ok());
    return registry_->Submit(KindOf(statement), *signed_statement);
  }

  // Expects `statement` refused with `code` and a message containing `text`,
  // and nothing stored.
  void ExpectRefused(const v1::Statement& statement, const Signer& signer,
                     absl::StatusCode code, const std::string& text) {
    uint64_t size_before = registry_->size();
    auto receipt = SignAndSubmit(statement, signer);
    EXPECT_EQ(receipt.status().code(), code) << receipt.status();
    EXPECT_NE(receipt.status().message().find(text), std::string::npos)
        << receipt.status();
    EXPECT_EQ(registry_->size(), size_before);
  }

  // A management-system certificate of the first demo body.
  v1::Certificate NewCertificate(const std::string& number,
                                 const std::string& holder, uint64_t seed) {
    v1::Certificate c;
    c.set_number(number);
    c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
    c.mutable_item()->set_code("A01");
    c.mutable_item()->set_name("质量管理体系认证（ISO 9001）");
    c.add_basis("GB/T 19001-2016/ISO 9001:2015");
    c.mutable_holder()->set_name(holder);
    c.mutable_holder()->set_unified_social_credit_code(DemoCreditCode(seed));
    c.mutable_holder()->set_address("山东省青岛市崂山区");
    c.set_scope("家用电器的生产");
    *c.mutable_first_issue_date() = D(2026, 1, 10);
    *c.mutable_issue_date() = D(2026, 1, 10);
    *c.mutable_expiry_date() = D(2029, 1, 9);
    c.set_body_approval_number(DemoBodies()[0].approval_number);
    c.set_body_name(DemoBodies()[0].name);
    return c;
  }

  v1::Statement IssueOf(const v1::Certificate& c) {
    v1::Statement s;
    s.set_certificate_number(c.number());
    *s.mutable_date() = c.issue_date();
    *s.mutable_issue()->mutable_certificate() = c;
    return s;
  }

  absl::Time now_ = Noon();
  std::function<void(absl::string_view)> progress_;
  MemoryStore store_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::shared_ptr<const Ed25519PrivateKey> log_key_ =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::vector<Ed25519PrivateKey> body_keys_;
  std::unique_ptr<Registry> registry_;
  size_t max_bundles_bytes_ = RegistryOptions().max_bundles_bytes;
  // Free space as the watermark sees it (free_bytes_), checked every call.
  uint64_t free_bytes_ = uint64_t{1} << 40;
  std::shared_ptr<DiskWatermark> disk_ = std::make_shared<DiskWatermark>(
      [this]() -> absl::StatusOr<uint64_t> { return free_bytes_; },
      uint64_t{256} << 20, absl::ZeroDuration());
};

// A MemoryStore whose syncs wait while the test holds them back, as a slow
// disk would.
class GatedStore : public MemoryStore {
 public:
  absl::Status Sync() override {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&open_));
    return MemoryStore::Sync();
  }
  void Hold() {
    absl::MutexLock lock(&mu_);
    open_ = false;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }

 private:
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = true;
};

// RegistryTest over a GatedStore: for what readers are shown while a write
// is applied but not yet durable.
class RegistryDurableReadsTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    registry_ = OpenRegistry(&gated_);
  }
  void TearDown() override {
    gated_.Release();
    registry_.reset();  // it uses the store until it is gone
  }
  GatedStore gated_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_REGISTRY_TEST_FIXTURE_H_
