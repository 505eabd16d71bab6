// Writes the fuzz harnesses' seed corpora: the demo data (SeedDemo) submitted
// to an in-memory registry whose operator, log and body keys are the fixed
// fuzz keys, with the registry's clock at FuzzSeedTime(); then real bundles,
// checkpoints, heads, proofs and statements taken from it, claims about its
// valid certificate, generated CSV rows and key files. Deterministic: the
// same code writes the same bytes.
//
// Usage: bazel run //tests/fuzz:seed_generator [-- CORPUS_DIR]
// CORPUS_DIR defaults to tests/fuzz/corpus of the workspace `bazel run` was
// started in. Existing files of the same names are overwritten; others are
// left alone.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "registry/core/registry.h"
#include "registry/storage/memory_store.h"
#include "tests/fuzz/fuzz_support.h"
#include "tools/cli/certificate_csv.h"
#include "tools/demo/demo_data.h"
#include "tools/demo/demo_generator.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using fuzz::FuzzLogKey;
using fuzz::FuzzOperatorKey;

template <typename T>
T OrDie(absl::StatusOr<T> value, absl::string_view what) {
  if (!value.ok()) {
    std::fprintf(stderr, "seed_generator: %.*s: %s\n",
                 static_cast<int>(what.size()), what.data(),
                 value.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(value);
}

class Corpus {
 public:
  explicit Corpus(std::string root) : root_(std::move(root)) {}

  void Write(absl::string_view fuzzer, absl::string_view name,
             absl::string_view bytes) {
    const std::filesystem::path dir =
        std::filesystem::path(root_) / std::string(fuzzer);
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / std::string(name), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.good()) {
      std::fprintf(stderr, "seed_generator: cannot write %s\n",
                   (dir / std::string(name)).c_str());
      std::exit(1);
    }
    std::printf("%8zu  %s/%.*s\n", bytes.size(), dir.c_str(),
                static_cast<int>(name.size()), name.data());
  }

 private:
  std::string root_;
};

// Little-endian, as FuzzInput reads them.
void PutU64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}
void PutU32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}
void PutShort(std::string& out, absl::string_view bytes) {
  out.push_back(static_cast<char>(bytes.size()));
  out.append(bytes.data(), bytes.size());
}
template <typename Hashes>
void PutHashes(std::string& out, const Hashes& hashes) {
  out.push_back(static_cast<char>(hashes.size()));
  for (const auto& hash : hashes) PutShort(out, hash);
}

// The certificate statements of a bundle as leaf data records, one after
// another (statement_chain_fuzzer's input).
std::string ChainRecords(const v1::VerificationBundle& bundle) {
  std::string out;
  for (const v1::ProvenStatement& proven : bundle.certificate_statements()) {
    out += LeafData(proven.signed_statement());
  }
  return out;
}

std::string Serialized(const google::protobuf::MessageLite& message) {
  std::string out;
  if (!message.SerializeToString(&out)) {
    std::fprintf(stderr, "seed_generator: cannot serialize\n");
    std::exit(1);
  }
  return out;
}

// Every leaf of the registry's log, for roots of any size.
InMemoryMerkleTree LogTree(Registry& registry) {
  InMemoryMerkleTree tree;
  for (uint64_t start = 0; start < registry.size(); start += 1000) {
    v1::GetEntriesRequest request;
    request.set_start(start);
    request.set_end(std::min<uint64_t>(registry.size(), start + 1000));
    const v1::GetEntriesResponse entries =
        OrDie(registry.GetEntries(request), "GetEntries");
    for (const v1::LogEntry& entry : entries.entries()) {
      tree.AppendLeaf(LeafData(entry.signed_statement()));
    }
  }
  return tree;
}

void WriteMerkleSeeds(Corpus& corpus, Registry& registry,
                      const v1::VerificationBundle& bundle) {
  const InMemoryMerkleTree tree = LogTree(registry);
  v1::Checkpoint checkpoint;
  checkpoint.ParseFromString(bundle.checkpoint().checkpoint());

  // Mode 0: the bundle's proof of its issue statement, as it came.
  const v1::ProvenStatement& issue = bundle.certificate_statements(0);
  std::string inclusion(1, '\0');
  PutU64(inclusion, issue.inclusion_proof().leaf_index());
  PutU64(inclusion, issue.inclusion_proof().tree_size());
  PutShort(inclusion, LeafHash(LeafData(issue.signed_statement())));
  PutShort(inclusion, checkpoint.root_hash());
  PutHashes(inclusion, issue.inclusion_proof().hashes());
  corpus.Write("merkle_proof", "inclusion_of_issue", inclusion);

  // Mode 1: the registry's consistency proof from an earlier size.
  const uint64_t to_size = checkpoint.tree_size();
  for (const uint64_t from_size : {uint64_t{1}, uint64_t{8}, to_size - 1}) {
    v1::GetConsistencyProofRequest request;
    request.set_from_size(from_size);
    request.set_to_size(to_size);
    const v1::ConsistencyProof proof =
        OrDie(registry.GetConsistencyProof(request), "GetConsistencyProof");
    std::string consistency(1, '\1');
    PutU64(consistency, from_size);
    PutU64(consistency, to_size);
    PutShort(consistency, OrDie(RootHash(tree, from_size), "RootHash"));
    PutShort(consistency, OrDie(RootHash(tree, to_size), "RootHash"));
    PutHashes(consistency, proof.hashes());
    corpus.Write("merkle_proof", absl::StrCat("consistency_from_", from_size),
                 consistency);
  }

  // Modes 2 and 3: sizes, indexes and the change to make.
  struct Real {
    const char* name;
    char mode;
    uint32_t a, b;
    char change;
  };
  for (const Real& real :
       {Real{"real_inclusion_leaf_5_of_13", 2, 12, 5, 0},
        Real{"real_inclusion_last_of_1000", 2, 999, 999, 2},
        Real{"real_consistency_7_to_64", 3, 64, 7, 0},
        Real{"real_consistency_512_to_1000", 3, 1000, 512, 4}}) {
    std::string bytes(1, real.mode);
    PutU32(bytes, real.a);
    PutU32(bytes, real.b);
    bytes.push_back(real.change);
    bytes += std::string("\x03\x00\x00\x00\x05", 5);
    corpus.Write("merkle_proof", real.name, bytes);
  }
}

v1::Claim ClaimAbout(const v1::Certificate& certificate) {
  v1::Claim claim;
  claim.set_certificate_number(certificate.number());
  return claim;
}

void WriteClaimSeeds(Corpus& corpus, const v1::Certificate& certificate) {
  corpus.Write("claim", "number_only", Serialized(ClaimAbout(certificate)));

  v1::Claim full = ClaimAbout(certificate);
  full.set_holder_name(certificate.holder().name());
  full.set_holder_address(certificate.holder().address());
  const std::string& scope = certificate.scope();
  full.add_scope_terms(
      scope.substr(0, std::min<size_t>(scope.find("、"), scope.size())));
  if (certificate.basis_size() > 0) full.set_basis(certificate.basis(0));
  full.set_type(certificate.type());
  full.set_item_code(certificate.item().code());
  *full.mutable_as_of() = ToProtoDate(fuzz::FuzzToday());
  corpus.Write("claim", "every_field_holds", Serialized(full));

  v1::Claim other = full;
  other.set_holder_name("青岛某某电器有限公司");
  other.set_holder_address("山东省青岛市市南区香港中路 1 号");
  other.clear_scope_terms();
  other.add_scope_terms("医疗器械");
  other.set_basis("GB/T 27922-2011");
  other.set_min_star_level(v1::STAR_LEVEL_FIVE);
  other.set_type(v1::CERTIFICATION_TYPE_PRODUCT);
  other.set_item_code("P01");
  corpus.Write("claim", "every_field_differs", Serialized(other));

  v1::Claim earlier = ClaimAbout(certificate);
  *earlier.mutable_as_of() = ToProtoDate(fuzz::FuzzToday() - 400);
  corpus.Write("claim", "a_year_earlier", Serialized(earlier));

  v1::Claim malformed = ClaimAbout(certificate);
  malformed.set_certificate_number("90126Q21540R2M ");
  malformed.mutable_as_of()->set_month(13);
  corpus.Write("claim", "malformed", Serialized(malformed));
}

void WriteCsvSeeds(Corpus& corpus) {
  GeneratorOptions options;
  options.seed = 7;
  options.today = fuzz::FuzzToday();
  const DemoGenerator generator(options);
  // Rows whose histories differ (renewals, suspensions, graded services).
  for (const auto& [name, first, count] :
       {std::tuple<const char*, int, int>{"generated_rows_0_to_3", 0, 4},
        std::tuple<const char*, int, int>{"generated_rows_40_to_43", 40, 4},
        std::tuple<const char*, int, int>{"generated_rows_95_to_99", 95, 5}}) {
    std::ostringstream out;
    CertificateCsvWriter writer(&out);
    writer.WriteHeader();
    for (int i = first; i < first + count; ++i) writer.Write(generator.Row(i));
    corpus.Write("certificate_csv", name, out.str());
  }
  // The reader's edge cases: a byte order mark, CRLF, columns in another
  // order without the optional ones, quoted fields with commas, doubled
  // quotes and line breaks, an empty line and a malformed row.
  corpus.Write("certificate_csv", "bom_crlf_quotes",
               "\xEF\xBB\xBF"
               "holder_name,number,type,item_code,item_name,basis,credit_code,"
               "holder_address,scope,first_issue_date,issue_date,expiry_date,"
               "body_approval_number,body_name,score,special_deductions\r\n"
               "\"青岛海岳电器股份有限公司, \"\"海岳\"\"\",90126Q21540R2M,"
               "management_system,A01,质量管理体系认证（ISO 9001）,"
               "GB/T 19001-2016;ISO 9001:2015,91370200MA3C8XQK2D,"
               "\"山东省青岛市\r\n崂山区科苑纬一路 1 号\",家用电器的设计和生产,"
               "2021-06-01,2024-06-01,2027-05-31,CNCA-R-2002-001,"
               "中国质量认证中心,,\r\n"
               "\r\n"
               "\"unterminated,90126Q21540R2M\n");
  corpus.Write("certificate_csv", "service_grade_events",
               "number,type,item_code,item_name,basis,holder_name,"
               "credit_code,holder_address,sites,scope,first_issue_date,"
               "issue_date,expiry_date,body_approval_number,body_name,"
               "recertification_count,score,special_deductions,star_level,"
               "events\n"
               "90224S00317R0L,service,S03,商品售后服务评价认证,"
               "GB/T 27922-2011,深圳市某某科技有限公司,91440300MA5G0AB12X,"
               "广东省深圳市南山区科技园 1 号,"
               "分部|广东省深圳市福田区 2 号;仓库|东莞市 3 号,售后服务,"
               "2023-01-10,2023-01-10,2026-01-09,CNCA-R-2002-002,某认证中心,"
               "0,92.5,0,四星级,"
               "surveillance@2023-12-01:年度监督;suspend@2024-03-01:整改;"
               "reinstate@2024-04-01;renew@2025-12-20:2026-01-10/2029-01-09/"
               "95/0/five;change_scope@2026-02-01:售后服务（家电）\n");
}

void WriteKeySeeds(Corpus& corpus) {
  corpus.Write("key_file", "operator_private", FuzzOperatorKey().ToPem());
  corpus.Write("key_file", "log_public", FuzzLogKey().public_key().ToPem());
  std::string crlf;
  for (char c : FuzzLogKey().ToPem()) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  corpus.Write("key_file", "log_private_crlf", crlf);
  // Both blocks in one file, public first.
  corpus.Write("key_file", "public_then_private",
               FuzzOperatorKey().public_key().ToPem() + FuzzLogKey().ToPem());
}

int Main(int argc, char** argv) {
  std::string root;
  if (argc > 1) {
    root = argv[1];
  } else if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    root = absl::StrCat(workspace, "/tests/fuzz/corpus");
  } else {
    std::fprintf(stderr, "usage: seed_generator CORPUS_DIR\n");
    return 2;
  }
  Corpus corpus(root);

  MemoryStore store;
  RegistryOptions options;
  options.operator_key =
      std::make_shared<const Ed25519PublicKey>(FuzzOperatorKey().public_key());
  options.log_key = std::make_shared<const Ed25519PrivateKey>(FuzzLogKey());
  options.now = fuzz::FuzzSeedTime;
  std::unique_ptr<Registry> registry =
      OrDie(Registry::Open(&store, options), "Registry::Open");
  const std::vector<DemoCertificate> demo =
      OrDie(SeedDemo(FuzzOperatorKey(), fuzz::FuzzBodyKeys(DemoBodies().size()),
                     fuzz::FuzzToday(),
                     [&](v1::StatementKind kind, const v1::SignedStatement& s) {
                       return registry->Submit(kind, s);
                     }),
            "SeedDemo");

  const auto bundle_of = [&](const std::string& number) {
    v1::GetVerificationBundleRequest request;
    request.set_number(number);
    return OrDie(registry->GetVerificationBundle(request), number);
  };
  // Bundles before any scheme rules were published (the claim harness uses
  // the valid one)...
  const v1::VerificationBundle valid = bundle_of("90126Q21540R2M");
  const v1::VerificationBundle suspended = bundle_of("90115E30472R1S");
  const v1::VerificationBundle revoked = bundle_of("90119Q11234R0M");
  const v1::VerificationBundle reinstated = bundle_of("90119Q30555R1L");
  // ... and after the operator published version 2 of the rules (the same
  // rules as the built-in ones), so that bundles carry the rules statement.
  v1::Statement rules;
  *rules.mutable_date() = ToProtoDate(fuzz::FuzzToday());
  *rules.mutable_publish_rules() = DefaultSchemeRules();
  rules.mutable_publish_rules()->set_version(2);
  const v1::SignedStatement signed_rules =
      OrDie(SignStatement(rules, FuzzOperatorKey()), "sign rules");
  OrDie(registry->Submit(v1::STATEMENT_KIND_PUBLISH_RULES, signed_rules),
        "publish rules");
  const v1::VerificationBundle four_star = bundle_of("90224S00317R0L");
  v1::GetVerificationBundlesRequest batch;
  batch.add_numbers("90113Q10288R0M");
  batch.add_numbers("90218S00876R0S");
  const v1::GetVerificationBundlesResponse batched =
      OrDie(registry->GetVerificationBundles(batch), "GetVerificationBundles");
  const v1::VerificationBundle& expired = batched.results(0).bundle();
  if (!expired.has_head_in_tree()) {
    std::fprintf(stderr, "seed_generator: the batch bundle has no head tree\n");
    return 1;
  }

  corpus.Write("bundle", "valid_90126Q21540R2M", Serialized(valid));
  corpus.Write("bundle", "suspended_90115E30472R1S", Serialized(suspended));
  corpus.Write("bundle", "revoked_90119Q11234R0M", Serialized(revoked));
  corpus.Write("bundle", "four_star_with_rules_90224S00317R0L",
               Serialized(four_star));
  corpus.Write("bundle", "expired_head_in_tree_90113Q10288R0M",
               Serialized(expired));

  for (const auto& [name, bundle] :
       {std::pair<const char*, const v1::VerificationBundle*>{"valid", &valid},
        {"suspended", &suspended},
        {"revoked", &revoked},
        {"reinstated", &reinstated},
        {"four_star", &four_star}}) {
    corpus.Write("statement_chain", name, ChainRecords(*bundle));
  }
  corpus.Write("statement_chain", "rules_then_chain",
               LeafData(signed_rules) + ChainRecords(valid));
  corpus.Write("statement_chain", "accreditation",
               LeafData(valid.authority_statements(0).signed_statement()));

  corpus.Write("checkpoint", "before_rules", Serialized(valid.checkpoint()));
  corpus.Write("checkpoint", "after_rules", Serialized(four_star.checkpoint()));
  // A checkpoint signed before checkpoints named their key (no key_id inside).
  v1::Checkpoint legacy;
  legacy.ParseFromString(valid.checkpoint().checkpoint());
  legacy.clear_key_id();
  v1::SignedCheckpoint signed_legacy;
  signed_legacy.set_checkpoint(Serialized(legacy));
  signed_legacy.set_signature(
      OrDie(FuzzLogKey().Sign(DomainSeparated(kCheckpointSignatureDomain,
                                              signed_legacy.checkpoint())),
            "sign checkpoint"));
  signed_legacy.set_key_id(FuzzLogKey().key_id());
  corpus.Write("checkpoint", "without_key_id", Serialized(signed_legacy));

  corpus.Write("certificate_head", "signed_head",
               std::string(1, '\0') + Serialized(valid.head()));
  corpus.Write("certificate_head", "signed_head_naming_rules",
               std::string(1, '\0') + Serialized(four_star.head()));
  corpus.Write("certificate_head", "head_in_tree",
               std::string(1, '\1') + Serialized(expired.head_in_tree()));

  WriteMerkleSeeds(corpus, *registry, four_star);
  const v1::Statement issue = OrDie(
      ParseSignedStatement(valid.certificate_statements(0).signed_statement()),
      "parse the issue statement");
  WriteClaimSeeds(corpus, issue.issue().certificate());
  WriteCsvSeeds(corpus);
  WriteKeySeeds(corpus);
  std::printf("seed_generator: %zu demo certificates seeded\n", demo.size());
  return 0;
}

}  // namespace
}  // namespace certreg

int main(int argc, char** argv) { return certreg::Main(argc, argv); }
