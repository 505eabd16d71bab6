// certreg-web's request handling against a real registry served over gRPC
// on loopback: pages, the JSON API compared with the registry's own answers,
// hostile input, conditional requests, quotas.
#include "verifier/web/web_frontend.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/server/registry_service.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/service/registry_bundle_source.h"
#include "verifier/web/embedded_files.h"
#include "verifier/web/verified_cache.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char kValid[] = "90126Q21540R2M";
const char kRevoked[] = "90119Q11234R0M";
const char kHostileNumber[] = "90126Q99001R0M";
const char kHostileName[] =
    "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>{{T_SITE}}"
    "\u202e有限公司";

class WebFrontendTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    Seed();
    v1::Certificate hostile = NewCertificate(kHostileNumber, kHostileName, 77);
    hostile.set_scope("<b>bold</b> & \"quoted\" {{#X}}");
    auto issued = SignAndSubmit(IssueOf(hostile), body_keys_[0]);
    hostile_issued_ = issued.ok();
    if (!issued.ok()) hostile_refusal_ = std::string(issued.status().message());

    service_ = std::make_unique<RegistryService>(registry_.get(), nullptr);
    GrpcServerOptions serving;
    serving.listen_address = "127.0.0.1:0";
    auto started = StartGrpcServer(serving, {service_.get()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
    client_ = std::make_unique<RegistryClient>(server_.address);
    source_ = std::make_unique<RegistryBundleSource>(client_.get());
    ClaimVerifierOptions options;
    options.keys.operator_key =
        std::make_shared<const Ed25519PublicKey>(operator_key_.public_key());
    options.keys.log_key =
        std::make_shared<const Ed25519PublicKey>(log_key_->public_key());
    options.state_path = testing::TempDir() + "/web_trusted_checkpoint";
    std::remove(options.state_path.c_str());
    options.now = [this] { return now_; };
    auto verifier = ClaimVerifier::New(source_.get(), options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    WebFrontendOptions frontend_options;
    // The cache has its own test below; here every request is verified.
    frontend_options.cache.max_age = absl::ZeroDuration();
    frontend_ = NewFrontend(frontend_options);
  }
  void TearDown() override {
    if (server_.server != nullptr) server_.server->Shutdown();
  }

  std::unique_ptr<WebFrontend> NewFrontend(WebFrontendOptions options) {
    auto frontend = WebFrontend::New(verifier_.get(), client_.get(),
                                     std::move(options), &metrics_);
    EXPECT_TRUE(frontend.ok()) << frontend.status();
    return frontend.ok() ? *std::move(frontend) : nullptr;
  }

  HttpResponse Get(const std::string& target,
                   absl::flat_hash_map<std::string, std::string> headers = {},
                   WebFrontend* frontend = nullptr) {
    HttpRequest request;
    request.method = "GET";
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos)
      request.query = target.substr(question + 1);
    request.headers = std::move(headers);
    request.headers.emplace("host", "cert.test");
    request.client_address = "127.0.0.1";
    return (frontend != nullptr ? frontend : frontend_.get())->Handle(request);
  }
  HttpResponse Post(const std::string& path, const std::string& body) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = body;
    request.client_address = "127.0.0.1";
    return frontend_->Handle(request);
  }
  static std::string HeaderOf(const HttpResponse& response,
                              const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }
  static std::string Json(const google::protobuf::Message& message) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(message, &json);
    return json;
  }

  bool hostile_issued_ = false;
  std::string hostile_refusal_;
  std::unique_ptr<RegistryService> service_;
  StartedServer server_;
  std::unique_ptr<RegistryClient> client_;
  std::unique_ptr<RegistryBundleSource> source_;
  std::unique_ptr<ClaimVerifier> verifier_;
  prometheus::Registry metrics_;
  std::unique_ptr<WebFrontend> frontend_;
};

TEST_F(WebFrontendTest, CertificatePageShowsTheVerifiedCertificate) {
  HttpResponse page = Get(absl::StrCat("/c/", kValid));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  for (const char* expected :
       {"<html lang=\"zh-CN\">", kValid, "青岛海岳电器股份有限公司", "有效",
        "证书变化历史轨迹", "颁证日期", "证书到期日期", "初次获证日期",
        "监督次数", "再认证次数", "统一社会信用代码", "CNCA-R-2002-901",
        "已核验：日志检查点", "/api/v1/certificates/90126Q21540R2M/bundle",
        "/c/90126Q21540R2M/qr.svg", "http://cert.test/c/90126Q21540R2M"}) {
    EXPECT_THAT(page.body, HasSubstr(expected));
  }
  EXPECT_EQ(HeaderOf(page, "Certreg-Checkpoint"),
            absl::StrCat(registry_->size()));

  HttpResponse english =
      Get(absl::StrCat("/c/", kValid), {{"accept-language", "en-US,en;q=0.9"}});
  EXPECT_THAT(english.body, HasSubstr("<html lang=\"en\">"));
  EXPECT_THAT(english.body, HasSubstr("Change history"));
  // The switch sets the language and remembers it in a cookie.
  HttpResponse switched =
      Get(absl::StrCat("/c/", kValid, "?lang=zh"), {{"accept-language", "en"}});
  EXPECT_THAT(switched.body, HasSubstr("<html lang=\"zh-CN\">"));
  EXPECT_THAT(HeaderOf(switched, "Set-Cookie"), HasSubstr("lang=zh"));
  EXPECT_THAT(
      Get(absl::StrCat("/c/", kValid), {{"cookie", "a=b; lang=en"}}).body,
      HasSubstr("<html lang=\"en\">"));
}

// Showing a page again verifies no signature again: the signature memo
// answers for the checkpoint, the body's accreditation and the statements.
TEST_F(WebFrontendTest, RepeatedPagesCostNoFurtherSignatureVerification) {
  ASSERT_EQ(Get(absl::StrCat("/c/", kValid)).status, 200);
  const size_t verified = verifier_->remembered_signatures();
  EXPECT_GE(verified, 3u);  // checkpoint, head, accreditation, statements
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(Get(absl::StrCat("/c/", kValid, i % 2 ? "?lang=en" : "")).status,
              200);
    ASSERT_EQ(Get(absl::StrCat("/api/v1/certificates/", kValid)).status, 200);
  }
  EXPECT_EQ(verifier_->remembered_signatures(), verified);
  // Another certificate of the same body adds only its own signatures.
  ASSERT_EQ(Get(absl::StrCat("/c/", kRevoked)).status, 200);
  EXPECT_GT(verifier_->remembered_signatures(), verified);
}

TEST_F(WebFrontendTest, StatusAsOfADateAndRevokedAndUnknownCertificates) {
  HttpResponse before = Get(absl::StrCat("/c/", kValid, "?as_of=2019-01-01"));
  ASSERT_EQ(before.status, 200);
  EXPECT_THAT(before.body, HasSubstr("未生效"));
  HttpResponse revoked = Get(absl::StrCat("/c/", kRevoked));
  ASSERT_EQ(revoked.status, 200);
  EXPECT_THAT(revoked.body, HasSubstr("撤销"));
  EXPECT_THAT(revoked.body, HasSubstr("badge s-revoked"));

  HttpResponse unknown = Get("/c/99999Q99999R9M");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body, HasSubstr("注册库中没有证书 99999Q99999R9M"));
  EXPECT_EQ(Get(absl::StrCat("/c/", kValid, "?as_of=2026-02-30")).status, 400);
  EXPECT_EQ(Get("/nowhere").status, 404);
}

TEST_F(WebFrontendTest, SearchByNumberNameFragmentAndCreditCode) {
  HttpResponse by_number = Get(absl::StrCat("/?q=", kValid));
  EXPECT_EQ(by_number.status, 303);
  EXPECT_EQ(HeaderOf(by_number, "Location"), absl::StrCat("/c/", kValid));

  HttpResponse by_name = Get("/?q=%E6%B5%B7%E5%B2%B3");  // 海岳
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  EXPECT_THAT(by_name.body, HasSubstr(kValid));
  EXPECT_THAT(by_name.body, HasSubstr("badge s-valid"));

  HttpResponse by_code = Get("/?q=91370212CXUGT6619K");
  ASSERT_EQ(by_code.status, 200);
  EXPECT_THAT(by_code.body, HasSubstr(kValid));

  HttpResponse filtered = Get("/?q=&status=CERTIFICATE_STATUS_REVOKED");
  ASSERT_EQ(filtered.status, 200);
  EXPECT_THAT(filtered.body, HasSubstr(kRevoked));
  EXPECT_THAT(filtered.body, Not(HasSubstr(absl::StrCat(">", kValid, "<"))));
}

TEST_F(WebFrontendTest, HostileTextRendersInertAndBounded) {
  ASSERT_TRUE(hostile_issued_) << hostile_refusal_;
  HttpResponse page = Get(absl::StrCat("/c/", kHostileNumber));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page.body, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(page.body, Not(HasSubstr("<b>bold</b>")));
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page.body, HasSubstr("{{T_SITE}}"));  // data, never expanded
  EXPECT_THAT(page.body, HasSubstr("&lt;b&gt;bold&lt;/b&gt; &amp;"));

  // A query echoed into the form is escaped and cut short.
  const std::string huge(1 << 20, 'x');
  HttpResponse search =
      Get(absl::StrCat("/?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E", huge));
  EXPECT_THAT(search.body, Not(HasSubstr("<script>alert(3)")));
  EXPECT_LT(search.body.size(), 32u << 10);
  HttpResponse verify = Get(absl::StrCat("/verify?number=", huge));
  EXPECT_LT(verify.body.size(), 32u << 10);
}

TEST_F(WebFrontendTest, PathTraversalFindsNothing) {
  for (const char* target :
       {"/c/../../etc/passwd", "/c/..%2F..%2Fetc%2Fpasswd",
        "/b/../../../etc/passwd", "/api/v1/certificates/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/bodies/..%2f..", "/../../etc/passwd", "/c/%2e%2e/qr.svg",
        "/api/v1/../../etc/passwd", "/c/%00", "/api/v1/certificates/%ZZ"}) {
    HttpResponse response = Get(target);
    EXPECT_GE(response.status, 400) << target;
    EXPECT_LT(response.status, 500) << target;
    EXPECT_THAT(response.body, Not(HasSubstr("root:"))) << target;
  }
}

TEST_F(WebFrontendTest, VerifyPagePassesAndFails) {
  HttpResponse pass = Get(absl::StrCat(
      "/verify?number=", kValid,
      "&holder=%E9%9D%92%E5%B2%9B%E6%B5%B7%E5%B2%B3%E7%94%B5%E5%99%A8%E8%82%A1"
      "%E4%BB%BD%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8&as_of=2026-11-22"));
  ASSERT_EQ(pass.status, 200);
  EXPECT_THAT(pass.body, HasSubstr("通过：所填信息在该日期均属实"));
  EXPECT_THAT(pass.body, HasSubstr("holder_name"));
  // One verdict, one table of checks, one link to the certificate.
  for (const char* once : {"id=\"verdict\"", "id=\"checks\"", "查看证书"}) {
    size_t count = 0;
    for (size_t at = pass.body.find(once); at != std::string::npos;
         at = pass.body.find(once, at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 1u) << once;
  }
  HttpResponse fail =
      Get(absl::StrCat("/verify?number=", kRevoked, "&lang=en"));
  EXPECT_THAT(fail.body, HasSubstr("FAIL: the certificate does not support"));
}

TEST_F(WebFrontendTest, QrCodesAndBodyPage) {
  HttpResponse svg = Get(absl::StrCat("/c/", kValid, "/qr.svg"));
  EXPECT_EQ(svg.status, 200);
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  EXPECT_THAT(svg.body, HasSubstr("<svg"));
  HttpResponse png = Get(absl::StrCat("/c/", kValid, "/qr.png"));
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_EQ(png.body.substr(1, 3), "PNG");
  EXPECT_EQ(Get("/c/not%20a%20number/qr.svg").status, 400);
  EXPECT_EQ(Get("/c/99999Q99999R9M/qr.png").status, 404);

  HttpResponse body = Get("/b/CNCA-R-2002-901");
  ASSERT_EQ(body.status, 200) << body.body;
  EXPECT_THAT(body.body, HasSubstr("华信质量认证中心有限公司"));
  EXPECT_EQ(Get("/b/CNCA-R-1999-000").status, 404);
}

TEST_F(WebFrontendTest, JsonApiAnswersAsTheRegistryDoes) {
  v1::GetCertificateRequest request;
  request.set_number(kValid);
  request.set_view(v1::CERTIFICATE_VIEW_BASIC);
  HttpResponse certificate = Get(absl::StrCat("/api/v1/certificates/", kValid,
                                              "?view=CERTIFICATE_VIEW_BASIC"));
  ASSERT_EQ(certificate.status, 200) << certificate.body;
  EXPECT_EQ(certificate.content_type, "application/json");
  EXPECT_EQ(certificate.body, Json(*registry_->GetCertificate(request)));
  EXPECT_EQ(HeaderOf(certificate, "Access-Control-Allow-Origin"), "*");

  HttpResponse missing = Get("/api/v1/certificates/99999Q99999R9M");
  EXPECT_EQ(missing.status, 404);
  request.set_number("99999Q99999R9M");
  EXPECT_THAT(missing.body,
              HasSubstr(std::string(
                  registry_->GetCertificate(request).status().message())));
  EXPECT_THAT(missing.body, HasSubstr("\"status\":\"NOT_FOUND\""));

  v1::SearchCertificatesRequest search;
  search.set_query("海岳");
  EXPECT_EQ(Get("/api/v1/certificates:search?query=%E6%B5%B7%E5%B2%B3").body,
            Json(*registry_->SearchCertificates(search)));
  EXPECT_EQ(Get("/api/v1/certificates:search?bogus=1").status, 400);

  v1::GetVerificationBundleRequest bundle;
  bundle.set_number(kValid);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/certificates/", kValid, "/bundle")).body,
            Json(*registry_->GetVerificationBundle(bundle)));
  EXPECT_EQ(Get("/api/v1/checkpoints/latest").body,
            Json(*registry_->GetCheckpoint(v1::GetCheckpointRequest())));
  EXPECT_EQ(Get("/api/v1/checkpoints/abc").status, 400);
  v1::GetConsistencyProofRequest consistency;
  consistency.set_from_size(3);
  consistency.set_to_size(registry_->size());
  EXPECT_EQ(Get(absl::StrCat("/api/v1/proofs:consistency?from_size=3&to_size=",
                             registry_->size()))
                .body,
            Json(*registry_->GetConsistencyProof(consistency)));
  v1::GetInclusionProofRequest inclusion;
  inclusion.set_leaf_index(2);
  EXPECT_EQ(Get("/api/v1/proofs:inclusion?leaf_index=2").body,
            Json(*registry_->GetInclusionProof(inclusion)));
  v1::GetEntriesRequest entries;
  entries.set_start(0);
  entries.set_end(3);
  EXPECT_EQ(Get("/api/v1/entries?start=0&end=3").body,
            Json(*registry_->GetEntries(entries)));
  EXPECT_EQ(Get("/api/v1/bodies").body,
            Json(*registry_->ListBodies(v1::ListBodiesRequest())));
  EXPECT_THAT(Get("/api/v1/bodies/CNCA-R-2002-901").body,
              HasSubstr("\"approvalNumber\":\"CNCA-R-2002-901\""));
  EXPECT_THAT(Get("/api/v1/keys").body, HasSubstr("operatorPublicKey"));
}

TEST_F(WebFrontendTest, JsonVerificationAndMalformedBodies) {
  HttpResponse verified = Post(
      "/api/v1/claims:verify",
      absl::StrCat("{\"claim\":{\"certificateNumber\":\"", kValid,
                   "\",\"asOf\":{\"year\":2026,\"month\":11,\"day\":22}}}"));
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_THAT(verified.body, HasSubstr("\"verdict\":\"VERDICT_PASS\""));
  HttpResponse batch =
      Post("/api/v1/claims:batchVerify",
           absl::StrCat("{\"claims\":[{\"certificateNumber\":\"", kValid,
                        "\"},{\"certificateNumber\":\"", kRevoked, "\"}]}"));
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_THAT(batch.body, HasSubstr("VERDICT_PASS"));
  EXPECT_THAT(batch.body, HasSubstr("VERDICT_FAIL"));

  HttpResponse malformed = Post("/api/v1/claims:verify", "{\"claim\":");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.body, HasSubstr("body: not a JSON VerifyRequest"));
  HttpResponse unknown_field =
      Post("/api/v1/claims:verify", "{\"claim\":{\"certificate\":\"x\"}}");
  EXPECT_EQ(unknown_field.status, 400);
  std::string many = "{\"claims\":[";
  for (int i = 0; i < 1001; ++i) {
    absl::StrAppend(&many, i ? "," : "", "{\"certificateNumber\":\"X\"}");
  }
  many += "]}";
  HttpResponse too_many = Post("/api/v1/claims:batchVerify", many);
  EXPECT_EQ(too_many.status, 400);
  EXPECT_THAT(too_many.body, HasSubstr("1001 claims in one call"));

  HttpResponse wrong_method = Get("/api/v1/claims:verify");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(HeaderOf(wrong_method, "Allow"), "POST");
  EXPECT_EQ(Get("/api/v1/nothing").status, 404);
  HttpRequest preflight;
  preflight.method = "OPTIONS";
  preflight.path = "/api/v1/claims:verify";
  HttpResponse allowed = frontend_->Handle(preflight);
  EXPECT_EQ(allowed.status, 204);
  EXPECT_THAT(HeaderOf(allowed, "Access-Control-Allow-Headers"),
              HasSubstr("X-Api-Key"));
}

TEST_F(WebFrontendTest, EtagsFollowTheCheckpointAndAnswer304) {
  const std::string target = absl::StrCat("/api/v1/certificates/", kValid);
  HttpResponse first = Get(target);
  const std::string etag = HeaderOf(first, "ETag");
  EXPECT_TRUE(
      absl::StartsWith(etag, absl::StrCat("W/\"", registry_->size(), "-")))
      << etag;
  HttpResponse again = Get(target, {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  // A new statement makes a new checkpoint: the old ETag no longer matches.
  v1::Statement surveillance = NextEvent(kValid, absl::CivilDay(2026, 11, 20));
  surveillance.mutable_surveillance();
  ASSERT_TRUE(SignAndSubmit(surveillance, body_keys_[0]).ok());
  EXPECT_EQ(Get(target, {{"if-none-match", etag}}).status, 200);
}

TEST_F(WebFrontendTest, QuotasAnswer429WithRetryAfter) {
  WebFrontendOptions options;
  options.rates = {1, 1, 1, 0, 0};
  options.meter_local_clients = true;
  std::unique_ptr<WebFrontend> metered = NewFrontend(options);
  const std::string target = absl::StrCat("/api/v1/certificates/", kValid);
  int refused = 0;
  std::string retry_after;
  for (int i = 0; i < 5; ++i) {
    HttpResponse response = Get(target, {}, metered.get());
    if (response.status == 429) {
      ++refused;
      retry_after = HeaderOf(response, "Retry-After");
      EXPECT_THAT(response.body, HasSubstr("RESOURCE_EXHAUSTED"));
    }
  }
  EXPECT_GE(refused, 2);
  EXPECT_EQ(retry_after, "1");
  EXPECT_EQ(Get("/c/90126Q21540R2M", {}, metered.get()).status, 429);
  // A key the front-end does not know (perhaps the registry's) is metered
  // by address: still over the budget.
  EXPECT_EQ(Get(target, {{"x-api-key", "nobody"}}, metered.get()).status, 429);
}

TEST_F(WebFrontendTest, MetricsAndAccessLogRecordEveryRequest) {
  WebFrontendOptions options;
  options.access_log = testing::TempDir() + "/web_access.log";
  std::remove(options.access_log.c_str());
  prometheus::Registry metrics;
  auto frontend =
      WebFrontend::New(verifier_.get(), client_.get(), options, &metrics);
  ASSERT_TRUE(frontend.ok()) << frontend.status();
  EXPECT_EQ(Get(absl::StrCat("/c/", kValid), {}, frontend->get()).status, 200);
  EXPECT_EQ(Get("/c/99999Q99999R9M", {}, frontend->get()).status, 404);
  EXPECT_EQ(Get("/api/v1/keys", {}, frontend->get()).status, 200);

  double certificate_pages = 0;
  double not_found = 0;
  for (const prometheus::MetricFamily& family : metrics.Collect()) {
    if (family.name != "certreg_web_requests_total") continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::map<std::string, std::string> labels;
      for (const auto& label : metric.label) labels[label.name] = label.value;
      if (labels["route"] != "page_certificate") continue;
      (labels["code"] == "200" ? certificate_pages : not_found) +=
          metric.counter.value;
    }
  }
  EXPECT_EQ(certificate_pages, 1);
  EXPECT_EQ(not_found, 1);

  frontend->reset();  // flushes and closes the log
  std::ifstream log(options.access_log);
  std::string text((std::istreambuf_iterator<char>(log)),
                   std::istreambuf_iterator<char>());
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat(" 127.0.0.1 GET /c/", kValid, " 200 ")));
  EXPECT_THAT(text, HasSubstr(" GET /c/99999Q99999R9M 404 "));
  EXPECT_THAT(text, HasSubstr(" GET /api/v1/keys 200 "));
}

// A certificate asked for again is answered from the cache until the
// registry publishes a new checkpoint; then it is verified afresh.
TEST_F(WebFrontendTest, VerifiedCacheKeepsAnswersUntilTheCheckpointMoves) {
  VerifiedCacheOptions options;
  options.checkpoint_poll = absl::Milliseconds(10);
  options.now = [this] { return now_; };
  VerifiedCache cache(verifier_.get(), client_.get(), options);
  EXPECT_EQ(cache.known_tree_size(), registry_->size());
  v1::Claim claim;
  claim.set_certificate_number(kValid);
  auto first = cache.Lookup(claim, false);
  ASSERT_TRUE(first->view.has_value());
  EXPECT_EQ(cache.Lookup(claim, false), first);  // the same answer, kept
  EXPECT_NE(cache.Lookup(claim, true), first);   // another view
  v1::Claim unknown;
  unknown.set_certificate_number("99999Q99999R9M");
  EXPECT_TRUE(absl::IsNotFound(cache.Lookup(unknown, false)->fetch_status));
  EXPECT_EQ(cache.entries(), 2u);  // failures are not kept

  v1::Statement surveillance = NextEvent(kValid, absl::CivilDay(2026, 11, 20));
  surveillance.mutable_surveillance();
  ASSERT_TRUE(SignAndSubmit(surveillance, body_keys_[0]).ok());
  for (int i = 0; i < 500 && cache.known_tree_size() < registry_->size(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(cache.known_tree_size(), registry_->size());
  auto after = cache.Lookup(claim, false);
  EXPECT_NE(after, first);
  EXPECT_EQ(after->view->surveillance_count(),
            first->view->surveillance_count() + 1);

  // Nothing is kept longer than max_age, whatever the checkpoint.
  now_ += absl::Seconds(61);
  EXPECT_NE(cache.Lookup(claim, false), after);
}

// The OpenAPI document describes exactly the routes that exist.
TEST(OpenApiTest, DocumentsEveryRouteAndNoOther) {
  google::protobuf::Struct document;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  std::string(EmbeddedFileContents("openapi.json")), &document)
                  .ok());
  EXPECT_EQ(document.fields().at("openapi").string_value().substr(0, 2), "3.");
  std::set<std::string> documented;
  for (const auto& [path, item] :
       document.fields().at("paths").struct_value().fields()) {
    for (const auto& [method, operation] : item.struct_value().fields()) {
      documented.insert(absl::StrCat(absl::AsciiStrToUpper(method), " ", path));
    }
  }
  std::set<std::string> routed;
  for (const JsonApi::Route& route : JsonApi::Routes()) {
    routed.insert(absl::StrCat(route.method, " ", route.path));
  }
  EXPECT_EQ(documented, routed);
}

}  // namespace
}  // namespace certreg
