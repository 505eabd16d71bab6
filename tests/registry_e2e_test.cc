// End to end: a real registry server on loopback over a RocksDB directory,
// driven through gRPC the way certification bodies and customers use it.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "registry/server/registry_server.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

class RegistryEndToEndTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/registry_e2e";
    std::filesystem::remove_all(dir_);
    Start();
  }

  void Start() {
    RegistryServerOptions options;
    options.serving.listen_address = "127.0.0.1:0";
    options.data_dir = dir_;
    options.registry.operator_key =
        std::make_shared<const Ed25519PublicKey>(operator_key_.public_key());
    options.registry.log_key = log_key_;
    auto server = RegistryServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    client_ = std::make_unique<RegistryClient>(server_->address());
  }

  void Restart() {
    client_.reset();
    server_->Shutdown();
    server_.reset();
    Start();
  }

  SubmitStatementFn Submitter() {
    return [this](v1::StatementKind kind, const v1::SignedStatement& s) {
      return client_->Submit(kind, s);
    };
  }

  absl::StatusOr<v1::GetCertificateResponse> Get(const std::string& number) {
    v1::GetCertificateRequest request;
    request.set_number(number);
    return client_->GetCertificate(request);
  }

  v1::Statement NextEvent(const std::string& number, absl::CivilDay date) {
    v1::Statement s;
    s.set_certificate_number(number);
    *s.mutable_date() = ToProtoDate(date);
    s.set_previous_event_hash(Get(number)->head_event_hash());
    return s;
  }

  // A new certificate like a demo one (seeded first), issued 100 days ago
  // for three years, and its issue statement.
  v1::Certificate NewCertificate(const std::string& number,
                                 const std::string& holder, uint64_t seed) {
    const absl::CivilDay today = TodayInChina();
    v1::Certificate c = Get("90126Q21540R2M")->certificate();
    c.set_number(number);
    c.set_recertification_count(0);
    c.mutable_holder()->set_name(holder);
    c.mutable_holder()->set_unified_social_credit_code(DemoCreditCode(seed));
    *c.mutable_first_issue_date() = ToProtoDate(today - 100);
    *c.mutable_issue_date() = ToProtoDate(today - 100);
    *c.mutable_expiry_date() = ToProtoDate(today + 900);
    return c;
  }
  static v1::Statement IssueOf(const v1::Certificate& c) {
    v1::Statement issue;
    issue.set_certificate_number(c.number());
    *issue.mutable_date() = c.issue_date();
    *issue.mutable_issue()->mutable_certificate() = c;
    return issue;
  }

  // Submits `statement` signed by `signer` through gRPC and expects `code`,
  // with the certificate's history unchanged afterwards.
  void ExpectRefused(const v1::Statement& statement, const Signer& signer,
                     absl::StatusCode code) {
    const std::string& number = statement.certificate_number();
    int history_before = Get(number).ok() ? Get(number)->history_size() : 0;
    auto signed_statement = SignStatement(statement, signer);
    ASSERT_TRUE(signed_statement.ok());
    auto receipt = client_->Submit(KindOf(statement), *signed_statement);
    EXPECT_EQ(receipt.status().code(), code) << receipt.status();
    int history_after = Get(number).ok() ? Get(number)->history_size() : 0;
    EXPECT_EQ(history_after, history_before);
  }

  std::string dir_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::shared_ptr<const Ed25519PrivateKey> log_key_ =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::vector<Ed25519PrivateKey> body_keys_ = {*Ed25519PrivateKey::Generate(),
                                               *Ed25519PrivateKey::Generate()};
  std::unique_ptr<RegistryServer> server_;
  std::unique_ptr<RegistryClient> client_;
};

TEST_F(RegistryEndToEndTest, WholeLifecycleOverGrpcSurvivesRestart) {
  const absl::CivilDay today = TodayInChina();
  auto seeded = SeedDemo(operator_key_, body_keys_, today, Submitter());
  ASSERT_TRUE(seeded.ok()) << seeded.status();

  // A new certificate's whole life through the write RPCs.
  ChainWriter body(body_keys_[0], Submitter());
  const v1::Certificate c =
      NewCertificate("90126Q70001R0M", "青岛端到端测试电器有限公司", 900);
  auto receipt = body.Submit(IssueOf(c));
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_EQ(receipt->statement_hash().size(), 32u);

  v1::Statement audit;
  audit.set_certificate_number(c.number());
  *audit.mutable_date() = ToProtoDate(today - 50);
  audit.mutable_surveillance()->set_note("监督审核");
  ASSERT_TRUE(body.Submit(audit).ok());
  v1::Statement suspend = audit;
  suspend.clear_surveillance();
  *suspend.mutable_date() = ToProtoDate(today - 30);
  suspend.mutable_suspend()->set_reason("整改");
  ASSERT_TRUE(body.Submit(suspend).ok());
  EXPECT_EQ(Get(c.number())->status().status(),
            v1::CERTIFICATE_STATUS_SUSPENDED);
  v1::Statement reinstate = suspend;
  *reinstate.mutable_date() = ToProtoDate(today - 20);
  reinstate.mutable_reinstate()->set_note("整改完成");
  ASSERT_TRUE(body.Submit(reinstate).ok());
  EXPECT_EQ(Get(c.number())->status().status(), v1::CERTIFICATE_STATUS_VALID);
  v1::Statement revoke = reinstate;
  *revoke.mutable_date() = ToProtoDate(today);
  revoke.mutable_revoke()->set_reason("违规");
  ASSERT_TRUE(body.Submit(revoke).ok());
  EXPECT_EQ(Get(c.number())->status().status(), v1::CERTIFICATE_STATUS_REVOKED);

  // As of a date inside the suspension, the answer comes from history.
  v1::GetCertificateRequest as_of;
  as_of.set_number(c.number());
  *as_of.mutable_as_of() = ToProtoDate(today - 25);
  EXPECT_EQ(client_->GetCertificate(as_of)->status().status(),
            v1::CERTIFICATE_STATUS_SUSPENDED);

  v1::SearchCertificatesRequest search;
  search.set_query("端到端测试");
  auto found = client_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->certificates_size(), 1);
  EXPECT_EQ(found->certificates(0).number(), c.number());

  // Kill the server (clean stop) and reopen the same directory: all there.
  Restart();
  auto again = Get(c.number());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->history_size(), 5);
  EXPECT_EQ(again->status().status(), v1::CERTIFICATE_STATUS_REVOKED);
  EXPECT_EQ(client_->SearchCertificates(search)->certificates_size(), 1);
  auto bodies = client_->ListBodies(v1::ListBodiesRequest());
  ASSERT_TRUE(bodies.ok());
  EXPECT_EQ(bodies->bodies_size(), 2);
  for (const DemoCertificate& demo : *seeded) {
    auto got = Get(demo.number);
    ASSERT_TRUE(got.ok()) << demo.number;
    EXPECT_EQ(got->status().status(), demo.expected_status) << demo.number;
  }
}

TEST_F(RegistryEndToEndTest, LookupStreamAnswersEachRequestInOrder) {
  const absl::CivilDay today = TodayInChina();
  auto seeded = SeedDemo(operator_key_, body_keys_, today, Submitter());
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  ASSERT_GE(seeded->size(), 2u);

  std::vector<v1::GetCertificateRequest> requests(5);
  requests[0].set_number((*seeded)[0].number);
  requests[0].set_view(v1::CERTIFICATE_VIEW_BASIC);
  requests[1].set_number("00226Q99999R9M");  // never issued
  requests[2].set_number("");                // malformed
  requests[3].set_number((*seeded)[1].number);
  *requests[3].mutable_as_of() = ToProtoDate(today - 400);
  requests[4].set_number((*seeded)[1].number);  // full view by default

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  auto stream = client_->stub().LookupCertificates(&context);
  // One at a time, as an interactive client asks; then the rest sent
  // together before reading, as a pipelining client does.
  v1::CertificateLookup answer;
  std::vector<v1::CertificateLookup> answers;
  ASSERT_TRUE(stream->Write(requests[0]));
  ASSERT_TRUE(stream->Read(&answer));
  answers.push_back(answer);
  for (size_t i = 1; i < requests.size(); ++i) {
    ASSERT_TRUE(stream->Write(requests[i]));
  }
  ASSERT_TRUE(stream->WritesDone());
  while (stream->Read(&answer)) answers.push_back(answer);
  const grpc::Status finished = stream->Finish();
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  ASSERT_EQ(answers.size(), requests.size());

  // Each answer is what GetCertificate says for the same request.
  for (size_t i = 0; i < requests.size(); ++i) {
    absl::StatusOr<v1::GetCertificateResponse> alone =
        client_->GetCertificate(requests[i]);
    EXPECT_EQ(answers[i].code(), static_cast<int>(alone.status().code()))
        << "request " << i;
    EXPECT_EQ(answers[i].message(), alone.status().message())
        << "request " << i;
    if (alone.ok()) {
      EXPECT_EQ(answers[i].certificate().SerializeAsString(),
                alone->SerializeAsString())
          << "request " << i;
    } else {
      EXPECT_FALSE(answers[i].has_certificate()) << "request " << i;
    }
  }
  EXPECT_EQ(answers[0].code(), 0);
  EXPECT_EQ(answers[0].certificate().certificate().number(),
            (*seeded)[0].number);
  EXPECT_EQ(answers[0].certificate().status().status(),
            (*seeded)[0].expected_status);
  EXPECT_FALSE(answers[0].certificate().history(0).has_signed_statement());
  EXPECT_TRUE(answers[4].certificate().history(0).has_signed_statement());
  EXPECT_EQ(answers[1].code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(answers[2].code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_NE(answers[2].message().find("number"), std::string::npos)
      << answers[2].message();
}

TEST_F(RegistryEndToEndTest, ClientLooksUpThousandsOverOneStream) {
  auto seeded =
      SeedDemo(operator_key_, body_keys_, TodayInChina(), Submitter());
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  // Full views (every statement signed) of the seeded certificates, one
  // unknown number and one malformed, cycled: megabytes of answers, many
  // times an HTTP/2 flow-control window, on one stream.
  std::vector<v1::GetCertificateRequest> distinct;
  for (const DemoCertificate& c : *seeded) {
    distinct.emplace_back().set_number(c.number);
  }
  distinct.emplace_back().set_number("00226Q99999R9M");
  distinct.emplace_back().set_number("not a number");
  std::vector<v1::GetCertificateRequest> requests;
  for (int i = 0; i < 2500; ++i) {
    requests.push_back(distinct[i % distinct.size()]);
  }

  auto results = client_->LookupCertificates(requests);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    absl::StatusOr<v1::GetCertificateResponse> alone =
        client_->GetCertificate(requests[i]);
    const absl::StatusOr<v1::GetCertificateResponse>& streamed = (*results)[i];
    ASSERT_EQ(streamed.status(), alone.status()) << "request " << i;
    if (alone.ok()) {
      ASSERT_EQ(streamed->SerializeAsString(), alone->SerializeAsString())
          << "request " << i;
    }
  }
  EXPECT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[seeded->size()].status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*results)[seeded->size() + 1].status().code(),
            absl::StatusCode::kInvalidArgument);

  // Nothing asked, nothing answered; an unreachable registry is named.
  auto none = client_->LookupCertificates({});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
  const std::string address = server_->address();
  server_->Shutdown();
  server_.reset();
  RegistryClient gone(address, std::chrono::seconds(1));
  auto unreachable = gone.LookupCertificates(requests);
  EXPECT_EQ(unreachable.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(unreachable.status().message().find(address), std::string::npos)
      << unreachable.status();
}

// A registry from before LookupCertificates: it answers GetCertificate (from
// the real registry behind it) and nothing else.
class GetCertificateOnlyService final
    : public v1::RegistryService::CallbackService {
 public:
  explicit GetCertificateOnlyService(const Registry* registry)
      : registry_(*registry) {}

  grpc::ServerUnaryReactor* GetCertificate(
      grpc::CallbackServerContext* context,
      const v1::GetCertificateRequest* request,
      v1::GetCertificateResponse* response) override {
    absl::StatusOr<v1::GetCertificateResponse> found =
        registry_.GetCertificate(*request);
    if (found.ok()) *response = *std::move(found);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(found.status()));
    return reactor;
  }

 private:
  const Registry& registry_;
};

TEST_F(RegistryEndToEndTest, ClientLooksUpOneByOneWhereTheStreamIsMissing) {
  auto seeded =
      SeedDemo(operator_key_, body_keys_, TodayInChina(), Submitter());
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  GetCertificateOnlyService older(&server_->registry());
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&older);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  RegistryClient client(absl::StrCat("127.0.0.1:", port));

  std::vector<v1::GetCertificateRequest> requests(3);
  requests[0].set_number((*seeded)[0].number);
  requests[1].set_number("00226Q99999R9M");
  requests[2].set_number((*seeded)[1].number);
  auto results = client.LookupCertificates(requests);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 3u);
  ASSERT_TRUE((*results)[0].ok()) << (*results)[0].status();
  EXPECT_EQ((*results)[0]->SerializeAsString(),
            Get((*seeded)[0].number)->SerializeAsString());
  EXPECT_EQ((*results)[1].status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE((*results)[2].ok()) << (*results)[2].status();
  EXPECT_EQ((*results)[2]->certificate().number(), (*seeded)[1].number);
  server->Shutdown();
}

TEST_F(RegistryEndToEndTest, SubmitStatementsAppliesEachInOrder) {
  const absl::CivilDay today = TodayInChina();
  ASSERT_TRUE(SeedDemo(operator_key_, body_keys_, today, Submitter()).ok());
  const v1::Certificate c =
      NewCertificate("90126Q70101R0M", "青岛批量写入有限公司", 901);
  auto sign = [&](const v1::Statement& s) {
    auto signed_statement = SignStatement(s, body_keys_[0]);
    EXPECT_TRUE(signed_statement.ok());
    return *signed_statement;
  };
  const v1::Statement issue = IssueOf(c);
  const v1::SignedStatement signed_issue = sign(issue);
  // The chain is built locally: each event names the hash of the one before.
  v1::Statement audit;
  audit.set_certificate_number(c.number());
  *audit.mutable_date() = ToProtoDate(today - 50);
  audit.mutable_surveillance()->set_note("监督审核");
  audit.set_previous_event_hash(StatementHash(signed_issue));
  const v1::SignedStatement signed_audit = sign(audit);
  v1::Statement bad = issue;
  bad.set_certificate_number("90126Q70102R0M");
  bad.mutable_issue()->mutable_certificate()->set_number("90126Q70102R0M");
  bad.mutable_issue()->mutable_certificate()->mutable_holder()->set_name("");
  v1::Statement orphan = audit;
  orphan.set_certificate_number("90126Q70102R0M");

  auto results = client_->SubmitBatch(
      {signed_issue, signed_audit, sign(bad), signed_issue, sign(orphan)});
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 5u);
  EXPECT_TRUE((*results)[0].ok()) << (*results)[0].status();
  EXPECT_TRUE((*results)[1].ok()) << (*results)[1].status();
  EXPECT_EQ((*results)[2].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE((*results)[2].status().message().find("holder.name"),
            std::string::npos)
      << (*results)[2].status();
  EXPECT_EQ((*results)[3].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ((*results)[4].status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*results)[1]->leaf_index(), (*results)[0]->leaf_index() + 1);
  EXPECT_EQ((*results)[1]->statement_hash(), StatementHash(signed_audit));

  auto got = Get(c.number());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->history_size(), 2);
  EXPECT_EQ(Get("90126Q70102R0M").status().code(), absl::StatusCode::kNotFound);

  // An empty batch is fine; an oversized one is refused whole.
  auto empty = client_->SubmitBatch({});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
  std::vector<v1::SignedStatement> too_many(1001, signed_audit);
  auto refused = client_->SubmitBatch(too_many);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Get(c.number())->history_size(), 2);
}

TEST_F(RegistryEndToEndTest, ACheckpointIsPublishedWithinASecondOfAWrite) {
  const absl::CivilDay today = TodayInChina();
  ASSERT_TRUE(SeedDemo(operator_key_, body_keys_, today, Submitter()).ok());
  auto signed_issue = SignStatement(
      IssueOf(NewCertificate("90126Q70201R0M", "青岛检查点有限公司", 902)),
      body_keys_[0]);
  ASSERT_TRUE(signed_issue.ok());
  auto receipt = client_->Submit(v1::STATEMENT_KIND_ISSUE, *signed_issue);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  // Nobody asks for the latest checkpoint (which would publish one on
  // demand): the server's own publisher signs one covering the write.
  const uint64_t size = receipt->leaf_index() + 1;
  absl::StatusOr<v1::SignedCheckpoint> published;
  const absl::Time deadline = absl::Now() + absl::Seconds(3);
  do {
    absl::SleepFor(absl::Milliseconds(100));
    published = client_->GetCheckpoint(size);
  } while (!published.ok() && absl::Now() < deadline);
  ASSERT_TRUE(published.ok()) << published.status();
  v1::Checkpoint checkpoint;
  ASSERT_TRUE(checkpoint.ParseFromString(published->checkpoint()));
  EXPECT_EQ(checkpoint.tree_size(), size);
  EXPECT_EQ(checkpoint.key_id(), log_key_->key_id());
}

TEST_F(RegistryEndToEndTest, BadWritesGetTheRightCodeAndStoreNothing) {
  const absl::CivilDay today = TodayInChina();
  ASSERT_TRUE(SeedDemo(operator_key_, body_keys_, today, Submitter()).ok());
  const std::string number = "90126Q21540R2M";

  // Forged signature.
  v1::Statement audit = NextEvent(number, today);
  audit.mutable_surveillance();
  auto forged = SignStatement(audit, body_keys_[0]);
  ASSERT_TRUE(forged.ok());
  (*forged->mutable_signature())[0] ^= 0x80;
  auto receipt = client_->Submit(v1::STATEMENT_KIND_SURVEILLANCE, *forged);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(number)->history_size(), 2);

  // The other body's key.
  ExpectRefused(audit, body_keys_[1], absl::StatusCode::kPermissionDenied);
  // Replay: a legal event accepted once, then sent again.
  auto signed_audit = SignStatement(audit, body_keys_[0]);
  ASSERT_TRUE(
      client_->Submit(v1::STATEMENT_KIND_SURVEILLANCE, *signed_audit).ok());
  receipt = client_->Submit(v1::STATEMENT_KIND_SURVEILLANCE, *signed_audit);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Get(number)->history_size(), 3);
  // Illegal transition.
  v1::Statement reinstate = NextEvent(number, today);
  reinstate.mutable_reinstate();
  ExpectRefused(reinstate, body_keys_[0],
                absl::StatusCode::kFailedPrecondition);
  // Malformed field: unparseable bytes, and a credit code with a wrong check.
  v1::SignedStatement garbage = *signed_audit;
  garbage.set_statement("\x0a\xff\xff\xff");
  receipt = client_->Submit(v1::STATEMENT_KIND_SURVEILLANCE, garbage);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kInvalidArgument);
  v1::Certificate bad = Get(number)->certificate();
  bad.set_number("90126Q70002R0M");
  bad.mutable_holder()->set_unified_social_credit_code("91370200MA3C4XYZ1Q");
  v1::Statement issue;
  issue.set_certificate_number(bad.number());
  *issue.mutable_date() = bad.issue_date();
  *issue.mutable_issue()->mutable_certificate() = bad;
  auto signed_issue = SignStatement(issue, body_keys_[0]);
  receipt = client_->Submit(v1::STATEMENT_KIND_ISSUE, *signed_issue);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(receipt.status().message().find("unified_social_credit_code"),
            std::string::npos);
  EXPECT_EQ(Get(bad.number()).status().code(), absl::StatusCode::kNotFound);
  // Issued twice.
  issue.mutable_issue()->mutable_certificate()->set_number(number);
  issue.set_certificate_number(number);
  issue.mutable_issue()
      ->mutable_certificate()
      ->mutable_holder()
      ->set_unified_social_credit_code(DemoCreditCode(1));
  ExpectRefused(issue, body_keys_[0], absl::StatusCode::kAlreadyExists);
  // Unknown certificate.
  EXPECT_EQ(Get("99999Q99999R9M").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RegistryEndToEndTest, OversizedRequestsAreRefusedByTheServer) {
  v1::SignedStatement huge;
  huge.set_statement(std::string(5 << 20, 'x'));
  huge.set_signature(std::string(64, 's'));
  huge.set_key_id(std::string(32, 'k'));
  auto receipt = client_->Submit(v1::STATEMENT_KIND_ISSUE, huge);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kResourceExhausted)
      << receipt.status();
}

}  // namespace
}  // namespace certreg
