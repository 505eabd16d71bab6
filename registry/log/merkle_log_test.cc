#include "registry/log/merkle_log.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/storage/memory_store.h"
#include "registry/storage/store_keys.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

// Whether `proof` proves leaf "leaf <its index>" in the tree of `root`.
::testing::AssertionResult ProvesLeaf(const v1::InclusionProof& proof,
                                      absl::string_view root) {
  std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  absl::Status verified = VerifyInclusion(
      proof.leaf_index(), proof.tree_size(),
      LeafHash(absl::StrCat("leaf ", proof.leaf_index())), hashes, root);
  if (verified.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "leaf " << proof.leaf_index() << ": " << verified;
}

class MerkleLogTest : public testing::Test {
 protected:
  std::unique_ptr<MerkleLog> Open(
      std::shared_ptr<const Ed25519PrivateKey> key) {
    MerkleLogOptions options;
    options.log_key = std::move(key);
    options.now = [] { return absl::FromUnixSeconds(1795400000); };
    auto log = MerkleLog::Open(&store_, options);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? std::move(log).value() : nullptr;
  }

  void Append(MerkleLog& log, const std::string& data) {
    WriteBatch batch;
    auto hash = log.AppendToBatch(data, batch);
    ASSERT_TRUE(hash.ok()) << hash.status();
    EXPECT_EQ(*hash, LeafHash(data));
    ASSERT_TRUE(store_.Write(batch).ok());
    log.Committed();
    reference_.AppendLeaf(data);
  }

  MemoryStore store_;
  InMemoryMerkleTree reference_;
  std::shared_ptr<const Ed25519PrivateKey> key_ =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
};

TEST_F(MerkleLogTest, ProofsFromTheStoreVerifyForEverySize) {
  auto log = Open(key_);
  for (int i = 0; i < 37; ++i) Append(*log, absl::StrCat("leaf ", i));
  ASSERT_EQ(log->size(), 37u);
  for (uint64_t size = 1; size <= 37; ++size) {
    auto root = log->RootAt(size);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, *RootHash(reference_, size));
    for (uint64_t i = 0; i < size; ++i) {
      auto proof = log->ProveInclusion(i, size);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_TRUE(ProvesLeaf(*proof, *root));
    }
    for (uint64_t from = 0; from <= size; ++from) {
      auto proof = log->ProveConsistency(from, size);
      ASSERT_TRUE(proof.ok());
      std::vector<std::string> hashes(proof->hashes().begin(),
                                      proof->hashes().end());
      EXPECT_TRUE(
          VerifyConsistency(from, size, *log->RootAt(from), *root, hashes).ok())
          << from << " -> " << size;
    }
  }
  EXPECT_EQ(*log->IndexOfLeaf(LeafHash("leaf 5")), 5u);
  EXPECT_EQ(log->IndexOfLeaf(LeafHash("nope")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(log->ProveInclusion(3, 38).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(log->ProveInclusion(5, 5).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(log->ProveConsistency(6, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Counts reads of stored subtree hashes.
// Appends `data` as the log's next leaf, stored at once, and to `reference`.
void AppendLeaf(MerkleLog& log, Store& store, InMemoryMerkleTree& reference,
                const std::string& data) {
  WriteBatch batch;
  ASSERT_TRUE(log.AppendToBatch(data, batch).ok());
  ASSERT_TRUE(store.Write(batch).ok());
  log.Committed();
  reference.AppendLeaf(data);
}

class CountingStore : public MemoryStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const override {
    if (column == Column::kMerkleNodes) ++node_reads;
    if (column == Column::kStatements) {
      ++statement_reads;
      if (key == hidden_statement) return std::nullopt;
    }
    return MemoryStore::Get(column, key);
  }
  mutable std::atomic<int> node_reads{0};
  mutable std::atomic<int> statement_reads{0};
  std::string hidden_statement;  // a kStatements key to answer as missing
};

MerkleLogOptions OptionsWithNewKey() {
  MerkleLogOptions options;
  options.log_key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  return options;
}

// A log of `leaves` leaves ("leaf 0", "leaf 1", ...) written to `store` and
// `reference`, then opened again as after a restart, with its upper levels
// read in and the store's counts zeroed; null after a failure.
std::unique_ptr<MerkleLog> ReopenedLog(CountingStore& store,
                                       const MerkleLogOptions& options,
                                       int leaves,
                                       InMemoryMerkleTree& reference) {
  {
    auto log = MerkleLog::Open(&store, options);
    if (!log.ok()) {
      ADD_FAILURE() << log.status();
      return nullptr;
    }
    for (int i = 0; i < leaves; ++i) {
      AppendLeaf(**log, store, reference, absl::StrCat("leaf ", i));
    }
  }
  // The new log knows nothing of the old one's cache.
  auto log = MerkleLog::Open(&store, options);
  if (!log.ok()) {
    ADD_FAILURE() << log.status();
    return nullptr;
  }
  (*log)->WaitForWarmCache();
  store.node_reads = 0;
  store.statement_reads = 0;
  return *std::move(log);
}

TEST(MerkleLogCacheTest, UpperSubtreesAreReadFromTheStoreOnceAndStayRight) {
  CountingStore store;
  auto log = MerkleLog::Open(&store, OptionsWithNewKey());
  ASSERT_TRUE(log.ok()) << log.status();
  InMemoryMerkleTree reference;
  // Proofs asked for while the log grows: cached upper nodes must stay
  // right for every later size.
  for (int i = 0; i < 300; ++i) {
    AppendLeaf(**log, store, reference, absl::StrCat("leaf ", i));
    const uint64_t size = i + 1;
    auto root = (*log)->RootAt(size);
    ASSERT_TRUE(root.ok());
    ASSERT_EQ(*root, *RootHash(reference, size)) << size;
    for (uint64_t leaf : {uint64_t{0}, size / 2, size - 1}) {
      auto proof = (*log)->ProveInclusion(leaf, size);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_TRUE(ProvesLeaf(*proof, *root)) << "of " << size;
    }
  }
  // Once warm, a proof reads no stored node: the levels from kCachedLevel
  // up are in memory, and a leaf hash is its statement's.
  auto warm = (*log)->ProveInclusion(7, 300);
  ASSERT_TRUE(warm.ok());
  store.node_reads = 0;
  auto again = (*log)->ProveInclusion(7, 300);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->hashes_size(), warm->hashes_size());
  for (int h = 0; h < again->hashes_size(); ++h) {
    EXPECT_EQ(again->hashes(h), warm->hashes(h));
  }
  EXPECT_EQ(store.node_reads.load(), 0);
}

TEST(MerkleLogCacheTest, ReopenedLogReadsUpperSubtreesInAdvance) {
  CountingStore store;
  MerkleLogOptions options = OptionsWithNewKey();
  InMemoryMerkleTree reference;
  std::unique_ptr<MerkleLog> log = ReopenedLog(store, options, 1000, reference);
  ASSERT_NE(log, nullptr);
  const std::string root = *RootHash(reference, 1000);
  for (uint64_t leaf : {0, 1, 499, 998, 999}) {
    auto proof = log->ProveInclusion(leaf, 1000);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_TRUE(ProvesLeaf(*proof, root));
  }
  // Nothing but each proof's sibling leaf, from its statement (1000 =
  // 1111101000b has no single leaf on its right edge).
  EXPECT_EQ(store.node_reads.load(), 0);

  // Without the warm-up, the first proofs read the upper levels too.
  options.warm_cache = false;
  auto cold = MerkleLog::Open(&store, options);
  ASSERT_TRUE(cold.ok()) << cold.status();
  (*cold)->WaitForWarmCache();  // returns at once
  store.node_reads = 0;
  ASSERT_TRUE((*cold)->ProveInclusion(499, 1000).ok());
  EXPECT_GT(store.node_reads.load(), 5);
}

TEST(MerkleLogProverTest, ProofsAtOneSizeShareTheRightEdge) {
  CountingStore store;
  InMemoryMerkleTree reference;
  // 999 = 1111100111b: a ragged right edge ending in a lone leaf.
  std::unique_ptr<MerkleLog> log =
      ReopenedLog(store, OptionsWithNewKey(), 999, reference);
  ASSERT_NE(log, nullptr);
  const std::string root = *RootHash(reference, 999);
  auto prover = log->NewProver(999);
  ASSERT_TRUE(prover.ok()) << prover.status();
  EXPECT_EQ(prover->tree_size(), 999u);
  int proofs = 0;
  for (uint64_t leaf : {0, 1, 2, 3, 500, 997, 998}) {
    store.statement_reads = 0;
    auto proof = prover->Prove(leaf);
    ASSERT_TRUE(proof.ok()) << proof.status();
    const int statement_reads = store.statement_reads.load();
    EXPECT_EQ(proof->leaf_index(), leaf);
    EXPECT_EQ(proof->tree_size(), 999u);
    EXPECT_TRUE(ProvesLeaf(*proof, root));
    // The same proof as one asked for alone.
    auto alone = log->ProveInclusion(leaf, 999);
    ASSERT_TRUE(alone.ok()) << alone.status();
    EXPECT_EQ(proof->SerializeAsString(), alone->SerializeAsString()) << leaf;
    if (++proofs > 1 && leaf < 997) {
      // The lone leaf 998 on the right edge was read once, by the first
      // proof; each later one reads only its own sibling leaf.
      EXPECT_EQ(statement_reads, 1) << leaf;
    }
  }
  EXPECT_EQ(store.node_reads.load(), 0);

  // A missing sibling statement is data loss, named.
  store.hidden_statement = EncodeUint64(500);
  auto lost = prover->Prove(501);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(lost.status().message().find("log entry 500 is missing"),
            std::string::npos)
      << lost.status();

  EXPECT_EQ(prover->Prove(999).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(log->NewProver(1000).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST_F(MerkleLogTest, DuplicateLeavesAreRefused) {
  auto log = Open(key_);
  Append(*log, "same");
  WriteBatch batch;
  EXPECT_EQ(log->AppendToBatch("same", batch).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(batch.empty());
}

TEST_F(MerkleLogTest, CheckpointsAreSignedStoredAndKeptBySize) {
  auto log = Open(key_);
  auto empty = log->Publish();
  ASSERT_TRUE(empty.ok());
  auto parsed = VerifyCheckpoint(*empty, key_->public_key());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->tree_size(), 0u);
  EXPECT_EQ(parsed->root_hash(), EmptyTreeRoot());

  for (int i = 0; i < 5; ++i) Append(*log, absl::StrCat("a", i));
  auto five = log->Publish();
  ASSERT_TRUE(five.ok());
  // Nothing new: the same checkpoint comes back.
  EXPECT_EQ(log->Publish()->SerializeAsString(), five->SerializeAsString());
  for (int i = 0; i < 3; ++i) Append(*log, absl::StrCat("b", i));
  auto eight = log->Publish();
  ASSERT_TRUE(eight.ok());
  auto eight_parsed = VerifyCheckpoint(*eight, key_->public_key());
  EXPECT_EQ(eight_parsed->tree_size(), 8u);
  EXPECT_EQ(eight_parsed->root_hash(), *RootHash(reference_, 8));
  EXPECT_EQ(eight_parsed->timestamp_unix_millis(), 1795400000000);

  EXPECT_EQ(log->CheckpointAt(5)->SerializeAsString(),
            five->SerializeAsString());
  EXPECT_EQ(log->CheckpointAt(6).status().code(), absl::StatusCode::kNotFound);

  // Reopened: size and latest checkpoint are back.
  log.reset();
  auto reopened = Open(key_);
  EXPECT_EQ(reopened->size(), 8u);
  EXPECT_EQ(reopened->Publish()->SerializeAsString(),
            eight->SerializeAsString());
}

TEST_F(MerkleLogTest, AnotherLogKeyIsRefused) {
  Open(key_);
  auto other = MerkleLog::Open(&store_, OptionsWithNewKey());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace certreg

namespace certreg {
namespace {

// A log over its own store, with a clock and the published checkpoint file.
struct GuardedLog {
  MemoryStore store;
  absl::Time now = absl::FromUnixSeconds(1795400000);
  std::unique_ptr<MerkleLog> log;

  absl::Status Open(std::shared_ptr<const Ed25519PrivateKey> key,
                    const std::string& file) {
    MerkleLogOptions options;
    options.log_key = std::move(key);
    options.now = [this] { return now; };
    options.published_checkpoint_file = file;
    options.warm_cache = false;
    absl::StatusOr<std::unique_ptr<MerkleLog>> opened =
        MerkleLog::Open(&store, options);
    if (!opened.ok()) return opened.status();
    log = *std::move(opened);
    return absl::OkStatus();
  }
  void Append(const std::string& data) {
    WriteBatch batch;
    ASSERT_TRUE(log->AppendToBatch(data, batch).ok());
    ASSERT_TRUE(store.Write(batch).ok());
    log->Committed();
  }
};

std::string GuardFile() {
  const std::string dir =
      testing::TempDir() + "/merkle_log_guard/" +
      testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  return dir + "/published_checkpoint";
}

TEST(PublishedCheckpointTest, ALogShorterThanWhatWasPublishedIsRefused) {
  const std::string file = GuardFile();
  auto key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  GuardedLog published;
  ASSERT_TRUE(published.Open(key, file).ok());
  for (int i = 0; i < 5; ++i) published.Append(absl::StrCat("leaf ", i));
  ASSERT_TRUE(published.log->Publish().ok());

  // The same log with its last two statements lost.
  GuardedLog shorter;
  ASSERT_TRUE(shorter.Open(key, "").ok());
  for (int i = 0; i < 3; ++i) shorter.Append(absl::StrCat("leaf ", i));
  const absl::Status refused = shorter.Open(key, file);
  EXPECT_EQ(refused.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(refused.message()),
              ::testing::HasSubstr("holds 3 statements but this registry "
                                   "published a checkpoint at size 5"));
  EXPECT_THAT(std::string(refused.message()),
              ::testing::HasSubstr("2 acknowledged statement(s) are missing"));

  // A log of the same size with other contents.
  GuardedLog altered;
  ASSERT_TRUE(altered.Open(key, "").ok());
  for (int i = 0; i < 5; ++i) altered.Append(absl::StrCat("other ", i));
  const absl::Status forked = altered.Open(key, file);
  EXPECT_EQ(forked.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(forked.message()),
              ::testing::HasSubstr("the log was altered"));

  // The log itself, grown since: fine.
  published.Append("leaf 5");
  EXPECT_TRUE(published.Open(key, file).ok());
}

TEST(PublishedCheckpointTest, AQuietLogIsSignedAgainAfterTheInterval) {
  auto key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  GuardedLog quiet;
  ASSERT_TRUE(quiet.Open(key, "").ok());
  quiet.Append("leaf 0");
  absl::StatusOr<v1::SignedCheckpoint> first = quiet.log->Publish();
  ASSERT_TRUE(first.ok());
  quiet.now += absl::Seconds(59);
  EXPECT_EQ(quiet.log->Publish()->SerializeAsString(),
            first->SerializeAsString());
  quiet.now += absl::Seconds(1);
  absl::StatusOr<v1::SignedCheckpoint> again = quiet.log->Publish();
  ASSERT_TRUE(again.ok());
  v1::Checkpoint a, b;
  ASSERT_TRUE(a.ParseFromString(first->checkpoint()));
  ASSERT_TRUE(b.ParseFromString(again->checkpoint()));
  EXPECT_EQ(b.tree_size(), a.tree_size());
  EXPECT_EQ(b.root_hash(), a.root_hash());
  EXPECT_EQ(b.timestamp_unix_millis() - a.timestamp_unix_millis(), 60000);
}

// A mirror's log signs nothing: it adopts the registry's checkpoints, each
// only with the pinned key's signature and the root of its own leaves.
TEST_F(MerkleLogTest, AMirrorAdoptsOnlyCheckpointsOfItsOwnLeaves) {
  // The registry's log, elsewhere, with three leaves and a checkpoint.
  MemoryStore registry_store;
  MerkleLogOptions registry_options;
  registry_options.log_key = key_;
  auto registry = *MerkleLog::Open(&registry_store, registry_options);
  for (const char* data : {"a", "b", "c"}) {
    WriteBatch batch;
    ASSERT_TRUE(registry->AppendToBatch(data, batch).ok());
    ASSERT_TRUE(registry_store.Write(batch).ok());
    registry->Committed();
  }
  const v1::SignedCheckpoint three = *registry->Publish();

  MerkleLogOptions options;
  options.log_public_key =
      std::make_shared<const Ed25519PublicKey>(key_->public_key());
  auto mirror = *MerkleLog::Open(&store_, options);
  EXPECT_EQ(mirror->Publish().status().code(),
            absl::StatusCode::kFailedPrecondition);
  Append(*mirror, "a");
  Append(*mirror, "b");
  EXPECT_EQ(mirror->Adopt(three).code(), absl::StatusCode::kOutOfRange);
  Append(*mirror, "not c");
  EXPECT_EQ(mirror->Adopt(three).code(), absl::StatusCode::kDataLoss);

  MemoryStore other_store;
  auto honest = [&] {
    MerkleLogOptions o = options;
    return *MerkleLog::Open(&other_store, o);
  }();
  for (const char* data : {"a", "b", "c"}) {
    WriteBatch batch;
    ASSERT_TRUE(honest->AppendToBatch(data, batch).ok());
    ASSERT_TRUE(other_store.Write(batch).ok());
    honest->Committed();
  }
  ASSERT_TRUE(honest->Adopt(three).ok());
  EXPECT_EQ(honest->Publish()->SerializeAsString(), three.SerializeAsString());
  EXPECT_EQ(honest->CheckpointAt(3)->SerializeAsString(),
            three.SerializeAsString());
  v1::SignedCheckpoint forged = three;
  forged.mutable_signature()->back() ^= 1;
  EXPECT_EQ(honest->Adopt(forged).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace certreg
