// TLS on the registry's listener, with a test CA made by the openssl command
// line as docs/OPERATIONS.md describes: a real handshake (openssl s_client),
// certctl over TLS, refusal of a wrong server name and of plaintext, admin
// calls only with a client certificate from the configured CA, and
// plaintext on a public address refused at start.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tests/registry_process.h"
#include "verifier/crypto/key_files.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {
namespace {

class TlsTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::TempDir() + "/tls");
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    MakeCa("ca");
    MakeCa("other_ca");
    Issue("ca", "server", "localhost", "DNS:localhost,IP:127.0.0.1");
    Issue("ca", "admin", "certreg admin", "DNS:admin.invalid");
    Issue("other_ca", "stranger", "certreg admin", "DNS:admin.invalid");
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string File(const std::string& name) {
    return *dir_ + "/" + name;
  }

  static void OpenSsl(const std::vector<std::string>& args) {
    CommandResult result = RunCommand("/usr/bin/openssl", args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  // A CA: NAME.key, NAME.pem.
  static void MakeCa(const std::string& name) {
    OpenSsl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:P-256", "-nodes", "-keyout",
             File(name + ".key"), "-out", File(name + ".pem"), "-days", "2",
             "-subj", "/CN=certreg test " + name});
  }

  // A certificate signed by `ca` for `common_name` with `alt_names`:
  // NAME.key, NAME.pem.
  static void Issue(const std::string& ca, const std::string& name,
                    const std::string& common_name,
                    const std::string& alt_names) {
    std::ofstream(File(name + ".ext"))
        << "subjectAltName=" << alt_names << "\n";
    OpenSsl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", File(name + ".key"), "-out",
             File(name + ".csr"), "-subj", "/CN=" + common_name});
    OpenSsl({"x509", "-req", "-in", File(name + ".csr"), "-CA",
             File(ca + ".pem"), "-CAkey", File(ca + ".key"), "-CAcreateserial",
             "-out", File(name + ".pem"), "-days", "2", "-extfile",
             File(name + ".ext")});
  }

  void SetUp() override {
    const std::string data =
        File(testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data);
    ASSERT_TRUE(WriteKeyPair(*Ed25519PrivateKey::Generate(),
                             data + ".operator.key", data + ".operator.pub")
                    .ok());
    data_ = data;
  }

  // The registry serving TLS with the test CA's server certificate, client
  // certificates verified against that CA.
  std::unique_ptr<RegistryProcess> StartTlsRegistry() {
    auto server = std::make_unique<RegistryProcess>(
        data_, data_ + ".operator.pub", TestPort(0), data_ + ".err",
        std::vector<std::string>{"--tls_cert_file=" + File("server.pem"),
                                 "--tls_key_file=" + File("server.key"),
                                 "--tls_client_ca_file=" + File("ca.pem")});
    for (int i = 0; i < 100; ++i) {
      if (Certctl({"health", "--tls_ca_file=" + File("ca.pem")}).exit_code ==
          0) {
        return server;
      }
      usleep(100 * 1000);
    }
    ADD_FAILURE() << "the TLS registry did not start";
    return server;
  }

  CommandResult Certctl(std::vector<std::string> args) {
    args.push_back(absl::StrCat("--registry=localhost:", TestPort(0)));
    return RunCommand(RunfilesBinary("tools/certctl"), args);
  }

  static std::string* dir_;
  std::string data_;
};

std::string* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, OpensslCompletesAHandshakeWithTls12OrNewerOnly) {
  auto server = StartTlsRegistry();
  const std::string connect = absl::StrCat("127.0.0.1:", TestPort(0));
  CommandResult handshake = RunCommand(
      "/usr/bin/openssl",
      {"s_client", "-connect", connect, "-servername", "localhost", "-CAfile",
       File("ca.pem"), "-verify_return_error", "-alpn", "h2", "-brief"});
  EXPECT_EQ(handshake.exit_code, 0) << handshake.err;
  EXPECT_TRUE(absl::StrContains(handshake.err, "Verification: OK"))
      << handshake.err;
  EXPECT_TRUE(absl::StrContains(handshake.err, "Protocol version: TLSv1.3"))
      << handshake.err;
  CommandResult old = RunCommand("/usr/bin/openssl",
                                 {"s_client", "-connect", connect, "-tls1_1",
                                  "-CAfile", File("ca.pem"), "-brief"});
  EXPECT_NE(old.exit_code, 0) << old.err;
}

TEST_F(TlsTest, CertctlWorksOverTlsAndRefusesAWrongNameOrPlaintext) {
  auto server = StartTlsRegistry();
  CommandResult bodies = Certctl({"bodies", "--tls_ca_file=" + File("ca.pem")});
  EXPECT_EQ(bodies.exit_code, 0) << bodies.err;

  CommandResult wrong_name =
      Certctl({"bodies", "--tls_ca_file=" + File("ca.pem"),
               "--tls_server_name=registry.example.org"});
  EXPECT_NE(wrong_name.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(wrong_name.err, "unreachable"))
      << wrong_name.err;

  CommandResult untrusted =
      Certctl({"bodies", "--tls_ca_file=" + File("other_ca.pem")});
  EXPECT_NE(untrusted.exit_code, 0) << untrusted.out;

  CommandResult plaintext = Certctl({"bodies"});
  EXPECT_NE(plaintext.exit_code, 0) << plaintext.out;
}

TEST_F(TlsTest, AdminOverTlsNeedsAClientCertificateFromTheConfiguredCa) {
  auto server = StartTlsRegistry();
  const std::string admin = absl::StrCat("--admin=localhost:", TestPort(0));
  CommandResult anonymous =
      Certctl({"scrub", admin, "--tls_ca_file=" + File("ca.pem")});
  EXPECT_NE(anonymous.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(anonymous.err, "client certificate"))
      << anonymous.err;

  CommandResult with_certificate =
      Certctl({"scrub", admin, "--tls_ca_file=" + File("ca.pem"),
               "--tls_cert_file=" + File("admin.pem"),
               "--tls_key_file=" + File("admin.key")});
  EXPECT_EQ(with_certificate.exit_code, 0) << with_certificate.err;
  EXPECT_TRUE(absl::StrContains(with_certificate.out, "no damage found"))
      << with_certificate.out;

  CommandResult stranger =
      Certctl({"scrub", admin, "--tls_ca_file=" + File("ca.pem"),
               "--tls_cert_file=" + File("stranger.pem"),
               "--tls_key_file=" + File("stranger.key")});
  EXPECT_NE(stranger.exit_code, 0) << stranger.out;

  // The admin socket needs no certificate: the kernel checks who connects.
  CommandResult socket =
      Certctl({"scrub", "--admin=" + server->admin_address()});
  EXPECT_EQ(socket.exit_code, 0) << socket.err;
}

TEST_F(TlsTest, PlaintextOnAnAddressOtherMachinesReachIsRefused) {
  std::vector<std::string> args =
      RegistryArgs(data_, data_ + ".operator.pub", TestPort(1));
  args.push_back(absl::StrCat("--listen=0.0.0.0:", TestPort(1)));
  CommandResult refused =
      RunCommand(RunfilesBinary("registry/certreg-registry"), args);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(
      absl::StrContains(refused.err, "can be reached from other machines"))
      << refused.err;
  EXPECT_TRUE(absl::StrContains(refused.err, "--allow_insecure_listen"))
      << refused.err;
}

TEST_F(TlsTest, AKeyThatIsNotTheCertificatesIsRefusedAtStart) {
  std::vector<std::string> args =
      RegistryArgs(data_, data_ + ".operator.pub", TestPort(1));
  args.push_back("--tls_cert_file=" + File("server.pem"));
  args.push_back("--tls_key_file=" + File("admin.key"));
  CommandResult refused =
      RunCommand(RunfilesBinary("registry/certreg-registry"), args);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(refused.err, "tls_key_file: ")) << refused.err;
  EXPECT_TRUE(absl::StrContains(refused.err, "is not the private key"))
      << refused.err;
}

}  // namespace
}  // namespace certreg
