#include "verifier/log/trusted_log.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "registry/core/registry.h"
#include "registry/storage/memory_store.h"
#include "registry/storage/rocksdb_store.h"
#include "registry/storage/store_keys.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

const absl::CivilDay kToday(2026, 11, 22);

absl::Time Noon() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 12, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

// Keys shared by the registries of a test: an honest one and its fork use
// the same operator and log keys.
struct Keys {
  Ed25519PrivateKey operator_key = *Ed25519PrivateKey::Generate();
  std::shared_ptr<const Ed25519PrivateKey> log_key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::vector<Ed25519PrivateKey> body_keys = NewBodyKeys();

  static std::vector<Ed25519PrivateKey> NewBodyKeys() {
    std::vector<Ed25519PrivateKey> keys;
    for (size_t i = 0; i < DemoBodies().size(); ++i) {
      keys.push_back(*Ed25519PrivateKey::Generate());
    }
    return keys;
  }

  std::shared_ptr<const Ed25519PublicKey> log_public_key() const {
    return std::make_shared<const Ed25519PublicKey>(log_key->public_key());
  }
};

std::unique_ptr<Registry> OpenRegistry(Store* store, const Keys& keys) {
  RegistryOptions options;
  options.operator_key =
      std::make_shared<const Ed25519PublicKey>(keys.operator_key.public_key());
  options.log_key = keys.log_key;
  options.now = Noon;
  auto registry = Registry::Open(store, options);
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? std::move(registry).value() : nullptr;
}

void Seed(Registry& registry, const Keys& keys) {
  auto seeded = SeedDemo(
      keys.operator_key, keys.body_keys, kToday,
      [&registry](v1::StatementKind kind, const v1::SignedStatement& s) {
        return registry.Submit(kind, s);
      });
  ASSERT_TRUE(seeded.ok()) << seeded.status();
}

// Issues one more certificate, numbered after `seed`.
void IssueAnother(Registry& registry, const Keys& keys, uint64_t seed) {
  v1::Certificate c;
  c.set_number(absl::StrCat("90126Q2", 1000 + seed, "R0M"));
  c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  c.mutable_item()->set_code("A01");
  c.mutable_item()->set_name("质量管理体系认证（ISO 9001）");
  c.add_basis("GB/T 19001-2016/ISO 9001:2015");
  c.mutable_holder()->set_name(absl::StrCat("青岛测试", seed, "有限公司"));
  c.mutable_holder()->set_unified_social_credit_code(
      DemoCreditCode(100 + seed));
  c.mutable_holder()->set_address("山东省青岛市崂山区");
  c.set_scope("家用电器的生产");
  *c.mutable_first_issue_date() = ToProtoDate(absl::CivilDay(2026, 1, 10));
  *c.mutable_issue_date() = ToProtoDate(absl::CivilDay(2026, 1, 10));
  *c.mutable_expiry_date() = ToProtoDate(absl::CivilDay(2029, 1, 9));
  c.set_body_approval_number(DemoBodies()[0].approval_number);
  c.set_body_name(DemoBodies()[0].name);
  v1::Statement issue;
  issue.set_certificate_number(c.number());
  *issue.mutable_date() = c.issue_date();
  *issue.mutable_issue()->mutable_certificate() = c;
  auto signed_statement = SignStatement(issue, keys.body_keys[0]);
  ASSERT_TRUE(signed_statement.ok()) << signed_statement.status();
  auto receipt = registry.Submit(v1::STATEMENT_KIND_ISSUE, *signed_statement);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
}

v1::SignedCheckpoint Latest(Registry& registry) {
  auto checkpoint = registry.GetCheckpoint(v1::GetCheckpointRequest());
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
  return checkpoint.ok() ? *checkpoint : v1::SignedCheckpoint();
}

v1::SignedCheckpoint At(Registry& registry, uint64_t tree_size) {
  v1::GetCheckpointRequest request;
  request.set_tree_size(tree_size);
  auto checkpoint = registry.GetCheckpoint(request);
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
  return checkpoint.ok() ? *checkpoint : v1::SignedCheckpoint();
}

FetchConsistencyFn FetchFrom(Registry& registry) {
  return [&registry](uint64_t from, uint64_t to) {
    v1::GetConsistencyProofRequest request;
    request.set_from_size(from);
    request.set_to_size(to);
    return registry.GetConsistencyProof(request);
  };
}

// Fails the test if called.
absl::StatusOr<v1::ConsistencyProof> NoFetch(uint64_t, uint64_t) {
  ADD_FAILURE() << "unexpected consistency fetch";
  return absl::InternalError("unexpected");
}

uint64_t SizeOf(const v1::SignedCheckpoint& signed_checkpoint) {
  v1::Checkpoint checkpoint;
  checkpoint.ParseFromString(signed_checkpoint.checkpoint());
  return checkpoint.tree_size();
}

class TrustedLogTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(testing::TempDir()) /
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    state_path_ = (dir_ / "state" / "trusted_checkpoint").string();
    registry_ = OpenRegistry(&store_, keys_);
    ASSERT_NE(registry_, nullptr);
    Seed(*registry_, keys_);
  }

  std::unique_ptr<TrustedLog> OpenTrusted() {
    auto log = TrustedLog::Open(state_path_, keys_.log_public_key());
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? std::move(log).value() : nullptr;
  }

  std::filesystem::path dir_;
  std::string state_path_;
  Keys keys_;
  MemoryStore store_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(TrustedLogTest, FirstCheckpointIsTrustedAndPersisted) {
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  ASSERT_NE(log, nullptr);
  EXPECT_FALSE(log->trusted().has_value());
  const v1::SignedCheckpoint checkpoint = Latest(*registry_);
  ASSERT_TRUE(log->Advance(checkpoint, NoFetch).ok());
  ASSERT_TRUE(log->trusted().has_value());
  EXPECT_EQ(log->trusted()->tree_size(), registry_->size());

  std::unique_ptr<TrustedLog> reopened = OpenTrusted();
  ASSERT_NE(reopened, nullptr);
  ASSERT_TRUE(reopened->trusted().has_value());
  EXPECT_EQ(reopened->trusted()->SerializeAsString(),
            log->trusted()->SerializeAsString());
  // No temporary files left behind.
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(dir_ / "state")) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "trusted_checkpoint");
  }
  EXPECT_EQ(files, 1);
}

TEST_F(TrustedLogTest, GrowingLogIsFollowedAndOlderViewsAreConsistent) {
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  const v1::SignedCheckpoint first = Latest(*registry_);
  ASSERT_TRUE(log->Advance(first, NoFetch).ok());
  const uint64_t first_size = SizeOf(first);

  IssueAnother(*registry_, keys_, 1);
  const v1::SignedCheckpoint second = Latest(*registry_);
  for (uint64_t i = 2; i < 7; ++i) IssueAnother(*registry_, keys_, i);
  const v1::SignedCheckpoint third = Latest(*registry_);
  ASSERT_EQ(SizeOf(third), first_size + 6);

  ASSERT_TRUE(log->Advance(second, FetchFrom(*registry_)).ok());
  EXPECT_EQ(log->trusted()->tree_size(), first_size + 1);
  ASSERT_TRUE(log->Advance(third, FetchFrom(*registry_)).ok());
  EXPECT_EQ(log->trusted()->tree_size(), first_size + 6);

  // An older checkpoint that the trusted one extends: accepted, trust kept.
  absl::Status older =
      log->Advance(At(*registry_, first_size + 1), FetchFrom(*registry_));
  EXPECT_TRUE(older.ok()) << older;
  EXPECT_EQ(log->trusted()->tree_size(), first_size + 6);
  // The same checkpoint again: no fetch needed.
  EXPECT_TRUE(log->Advance(third, NoFetch).ok());

  std::unique_ptr<TrustedLog> reopened = OpenTrusted();
  EXPECT_EQ(reopened->trusted()->tree_size(), first_size + 6);
}

TEST_F(TrustedLogTest, ForkedRegistryIsDetected) {
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  const v1::SignedCheckpoint trusted = Latest(*registry_);
  ASSERT_TRUE(log->Advance(trusted, NoFetch).ok());

  // Same operator and log keys, but a different history of the same length
  // (other body keys, so every statement differs from leaf 0 on).
  Keys fork_keys;
  fork_keys.operator_key = keys_.operator_key;
  fork_keys.log_key = keys_.log_key;
  MemoryStore fork_store;
  std::unique_ptr<Registry> fork = OpenRegistry(&fork_store, fork_keys);
  Seed(*fork, fork_keys);
  ASSERT_EQ(fork->size(), registry_->size());

  // Same size, different root.
  absl::Status same_size = log->Advance(Latest(*fork), NoFetch);
  EXPECT_EQ(same_size.code(), absl::StatusCode::kFailedPrecondition)
      << same_size;
  EXPECT_NE(same_size.message().find("rewritten or forked"), std::string::npos);

  // Larger, from the fork's own (self-consistent) proofs.
  IssueAnother(*fork, fork_keys, 1);
  IssueAnother(*fork, fork_keys, 2);
  absl::Status larger = log->Advance(Latest(*fork), FetchFrom(*fork));
  EXPECT_EQ(larger.code(), absl::StatusCode::kFailedPrecondition) << larger;
  EXPECT_NE(larger.message().find("rewritten or forked"), std::string::npos);

  // Smaller than the trusted one, from the fork: refused too.
  v1::GetEntriesRequest entries_request;
  entries_request.set_start(0);
  entries_request.set_end(5);
  auto entries = fork->GetEntries(entries_request);
  ASSERT_TRUE(entries.ok()) << entries.status();
  InMemoryMerkleTree prefix;
  for (const v1::LogEntry& entry : entries->entries()) {
    prefix.AppendLeaf(LeafData(entry.signed_statement()));
  }
  v1::Checkpoint small;
  small.set_origin("certreg.v1");
  small.set_tree_size(5);
  small.set_root_hash(*RootHash(prefix, 5));
  small.set_timestamp_unix_millis(absl::ToUnixMillis(Noon()));
  auto small_signed = SignCheckpoint(small, *keys_.log_key);
  ASSERT_TRUE(small_signed.ok());
  absl::Status smaller = log->Advance(*small_signed, FetchFrom(*fork));
  EXPECT_EQ(smaller.code(), absl::StatusCode::kFailedPrecondition) << smaller;

  // The trusted state did not move, in memory or on disk.
  EXPECT_EQ(log->trusted()->SerializeAsString(), trusted.checkpoint());
  EXPECT_EQ(OpenTrusted()->trusted()->SerializeAsString(),
            trusted.checkpoint());

  // The honest registry still advances.
  IssueAnother(*registry_, keys_, 1);
  EXPECT_TRUE(log->Advance(Latest(*registry_), FetchFrom(*registry_)).ok());
}

TEST_F(TrustedLogTest, RegistryRewritingAStoredStatementIsDetected) {
  const std::string db_dir = (dir_ / "db").string();
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  uint64_t size = 0;
  {
    auto store = RocksDbStore::Open(db_dir);
    ASSERT_TRUE(store.ok()) << store.status();
    std::unique_ptr<Registry> registry = OpenRegistry(store->get(), keys_);
    Seed(*registry, keys_);
    size = registry->size();
    ASSERT_TRUE(log->Advance(Latest(*registry), NoFetch).ok());
  }
  {
    // Behind the registry's back: a different leaf 2, signed by the same
    // body, with every stored node hash recomputed so that the log is
    // self-consistent again.
    auto store = RocksDbStore::Open(db_dir);
    ASSERT_TRUE(store.ok()) << store.status();
    auto rows = (*store)->Scan(Column::kStatements, "", "", 1 << 20);
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(rows->size(), size);
    std::vector<std::string> leaves;
    for (const KeyValue& row : *rows) leaves.push_back(row.second);

    auto original = ParseLeafData(leaves[2]);
    ASSERT_TRUE(original.ok()) << original.status();
    auto statement = ParseSignedStatement(*original);
    ASSERT_TRUE(statement.ok()) << statement.status();
    ASSERT_EQ(statement->kind_case(), v1::Statement::kIssue);
    statement->set_nonce(statement->nonce() + 1);
    statement->mutable_issue()->mutable_certificate()->set_scope(
        "家用电冰箱、洗衣机、空调器的设计、生产和服务");
    auto rewritten = SignStatement(*statement, keys_.body_keys[0]);
    ASSERT_TRUE(rewritten.ok()) << rewritten.status();
    const std::string old_leaf = leaves[2];
    leaves[2] = LeafData(*rewritten);

    InMemoryMerkleTree tree;
    for (const std::string& leaf : leaves) tree.AppendLeaf(leaf);
    WriteBatch batch;
    batch.Put(Column::kStatements, EncodeUint64(2), leaves[2]);
    batch.Delete(Column::kLeafByHash, LeafHash(old_leaf));
    batch.Put(Column::kLeafByHash, LeafHash(leaves[2]), EncodeUint64(2));
    for (const MerkleNode& node : tree.AllNodes()) {
      batch.Put(Column::kMerkleNodes, MerkleNodeKey(node.level, node.index),
                node.hash);
    }
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  {
    auto store = RocksDbStore::Open(db_dir);
    ASSERT_TRUE(store.ok()) << store.status();
    std::unique_ptr<Registry> registry = OpenRegistry(store->get(), keys_);
    IssueAnother(*registry, keys_, 1);
    const v1::SignedCheckpoint next = Latest(*registry);
    ASSERT_EQ(SizeOf(next), size + 1);
    // The rewritten log proves consistency of its own history...
    auto proof = FetchFrom(*registry)(size, size + 1);
    ASSERT_TRUE(proof.ok()) << proof.status();
    // ...but not with the history the verifier trusted.
    absl::Status advanced = log->Advance(next, FetchFrom(*registry));
    EXPECT_EQ(advanced.code(), absl::StatusCode::kFailedPrecondition)
        << advanced;
    EXPECT_NE(advanced.message().find("rewritten or forked"),
              std::string::npos);
    EXPECT_EQ(log->trusted()->tree_size(), size);
  }
}

TEST_F(TrustedLogTest, BadInputsLeaveTheStateAlone) {
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  const v1::SignedCheckpoint first = Latest(*registry_);
  ASSERT_TRUE(log->Advance(first, NoFetch).ok());
  IssueAnother(*registry_, keys_, 1);
  const v1::SignedCheckpoint next = Latest(*registry_);

  // A forged signature.
  v1::SignedCheckpoint forged = next;
  (*forged.mutable_signature())[3] ^= 0x01;
  EXPECT_EQ(log->Advance(forged, FetchFrom(*registry_)).code(),
            absl::StatusCode::kPermissionDenied);

  // Signed by another log key.
  const Ed25519PrivateKey other = *Ed25519PrivateKey::Generate();
  v1::Checkpoint parsed;
  ASSERT_TRUE(parsed.ParseFromString(next.checkpoint()));
  auto resigned = SignCheckpoint(parsed, other);
  ASSERT_TRUE(resigned.ok());
  EXPECT_FALSE(log->Advance(*resigned, FetchFrom(*registry_)).ok());

  // The fetch fails: its code is passed on.
  absl::Status unavailable = log->Advance(next, [](uint64_t, uint64_t) {
    return absl::StatusOr<v1::ConsistencyProof>(
        absl::UnavailableError("registry down"));
  });
  EXPECT_EQ(unavailable.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(unavailable.message().find("registry down"), std::string::npos);

  // A proof for other sizes than asked, or a tampered proof.
  absl::Status wrong_sizes =
      log->Advance(next, [this](uint64_t from, uint64_t to) {
        return FetchFrom(*registry_)(from - 1, to);
      });
  EXPECT_EQ(wrong_sizes.code(), absl::StatusCode::kFailedPrecondition);
  absl::Status tampered =
      log->Advance(next, [this](uint64_t from, uint64_t to) {
        auto proof = FetchFrom(*registry_)(from, to);
        if (proof.ok() && proof->hashes_size() > 0) {
          (*proof->mutable_hashes(0))[0] ^= 0x01;
        }
        return proof;
      });
  EXPECT_EQ(tampered.code(), absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(log->trusted()->SerializeAsString(), first.checkpoint());
  EXPECT_EQ(OpenTrusted()->trusted()->SerializeAsString(), first.checkpoint());
  EXPECT_TRUE(log->Advance(next, FetchFrom(*registry_)).ok());
}

// The trusted checkpoint presented again is accepted without a fetch, from
// this process or after a restart, but only byte for byte: a copy with
// another signature or key id is checked, and refused.
TEST_F(TrustedLogTest, TheTrustedCheckpointAgainIsAcceptedOnlyAsIs) {
  const v1::SignedCheckpoint trusted = Latest(*registry_);
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  ASSERT_TRUE(log->Advance(trusted, NoFetch).ok());
  EXPECT_TRUE(log->Advance(trusted, NoFetch).ok());
  std::unique_ptr<TrustedLog> reopened = OpenTrusted();
  ASSERT_NE(reopened, nullptr);

  for (TrustedLog* each : {log.get(), reopened.get()}) {
    EXPECT_TRUE(each->Advance(trusted, NoFetch).ok());
    v1::SignedCheckpoint forged = trusted;
    (*forged.mutable_signature())[3] ^= 0x01;
    EXPECT_EQ(each->Advance(forged, NoFetch).code(),
              absl::StatusCode::kPermissionDenied);
    v1::SignedCheckpoint relabelled = trusted;
    (*relabelled.mutable_key_id())[0] ^= 0x01;
    EXPECT_FALSE(each->Advance(relabelled, NoFetch).ok());
    EXPECT_EQ(each->trusted()->SerializeAsString(), trusted.checkpoint());
  }
}

TEST_F(TrustedLogTest, CorruptStateFileIsReportedWithItsPath) {
  std::filesystem::create_directories(
      std::filesystem::path(state_path_).parent_path());
  {
    std::ofstream out(state_path_, std::ios::binary);
    out << "\xff\xff\xff not a checkpoint";
  }
  auto log = TrustedLog::Open(state_path_, keys_.log_public_key());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kDataLoss) << log.status();
  EXPECT_NE(log.status().message().find(state_path_), std::string::npos);

  // A well-formed checkpoint whose signature does not verify.
  v1::SignedCheckpoint checkpoint = Latest(*registry_);
  (*checkpoint.mutable_checkpoint())[0] ^= 0x01;
  {
    std::ofstream out(state_path_, std::ios::binary | std::ios::trunc);
    out << checkpoint.SerializeAsString();
  }
  log = TrustedLog::Open(state_path_, keys_.log_public_key());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kDataLoss) << log.status();
  EXPECT_NE(log.status().message().find(state_path_), std::string::npos);

  // A state file of another log.
  {
    std::ofstream out(state_path_, std::ios::binary | std::ios::trunc);
    out << Latest(*registry_).SerializeAsString();
  }
  const Ed25519PrivateKey other = *Ed25519PrivateKey::Generate();
  log = TrustedLog::Open(state_path_, std::make_shared<const Ed25519PublicKey>(
                                          other.public_key()));
  EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument)
      << log.status();
  EXPECT_NE(log.status().message().find(state_path_), std::string::npos);

  EXPECT_EQ(TrustedLog::Open(state_path_, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TrustedLogTest, ConcurrentAdvancesKeepTheLargest) {
  std::unique_ptr<TrustedLog> log = OpenTrusted();
  ASSERT_TRUE(log->Advance(Latest(*registry_), NoFetch).ok());
  std::vector<v1::SignedCheckpoint> checkpoints;
  for (uint64_t i = 1; i <= 8; ++i) {
    IssueAnother(*registry_, keys_, i);
    checkpoints.push_back(Latest(*registry_));
  }
  std::vector<std::thread> threads;
  for (const v1::SignedCheckpoint& checkpoint : checkpoints) {
    threads.emplace_back([&, checkpoint] {
      EXPECT_TRUE(log->Advance(checkpoint, FetchFrom(*registry_)).ok());
      EXPECT_TRUE(log->trusted().has_value());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(log->trusted()->tree_size(), registry_->size());
  EXPECT_EQ(OpenTrusted()->trusted()->tree_size(), registry_->size());
}

}  // namespace
}  // namespace certreg
