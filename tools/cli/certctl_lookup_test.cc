#include "tools/cli/certctl_lookup.h"

#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_command_testing.h"
#include "tools/cli/certctl_flags.h"

ABSL_DECLARE_FLAG(std::string, status);
ABSL_DECLARE_FLAG(std::string, item);
ABSL_DECLARE_FLAG(int, page_size);
ABSL_DECLARE_FLAG(std::string, page_token);

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Nothing listens there: a connection is refused at once.
constexpr char kNoRegistry[] = "127.0.0.1:1";

TEST(GetCommandTest, NeedsANumber) {
  CommandOutput get = RunCommand(GetCommand, {});
  EXPECT_EQ(get.exit_code, kExitUsage);
  EXPECT_THAT(get.err, StartsWith("certctl get: give a certificate number (or "
                                  "several)\n\ncertificates: "));
  EXPECT_EQ(get.out, "");
}

TEST(GetCommandTest, AMalformedDateIsAUsageError) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_registry, kNoRegistry);
  absl::SetFlag(&FLAGS_as_of, "2026-13-01");
  CommandOutput get = RunCommand(GetCommand, {"90126Q21540R2M"});
  EXPECT_EQ(get.exit_code, kExitUsage);
  EXPECT_THAT(get.err, StartsWith("certctl get: --as_of: "));
}

TEST(GetCommandTest, AnUnreachableRegistryIsAConnectionError) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_registry, kNoRegistry);
  for (const Args& numbers :
       {Args{"90126Q21540R2M"}, Args{"90126Q21540R2M", "90119Q30555R1L"}}) {
    CommandOutput get = RunCommand(GetCommand, numbers);
    EXPECT_EQ(get.exit_code, kExitUsage);
    EXPECT_THAT(get.err, StartsWith("certctl: "));
    EXPECT_EQ(get.out, "");
  }
}

TEST(SearchRequestFromFlagsTest, TheFilterFlags) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_as_of, "2026-12-31");
  absl::SetFlag(&FLAGS_type, "management_system");
  absl::SetFlag(&FLAGS_status, "撤销");
  absl::SetFlag(&FLAGS_item, "A0");
  absl::SetFlag(&FLAGS_body, "CNCA-R-2002-001");
  absl::SetFlag(&FLAGS_page_size, 5);
  absl::SetFlag(&FLAGS_page_token, "next");
  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequestFromFlags({"海岳"});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->query(), "海岳");
  EXPECT_EQ(request->as_of().year(), 2026);
  EXPECT_EQ(request->type(), v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  EXPECT_EQ(request->status(), v1::CERTIFICATE_STATUS_REVOKED);
  EXPECT_EQ(request->item_code(), "A0");
  EXPECT_EQ(request->body_approval_number(), "CNCA-R-2002-001");
  EXPECT_EQ(request->page_size(), 5);
  EXPECT_EQ(request->page_token(), "next");
}

TEST(SearchCommandTest, UsageErrors) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_registry, kNoRegistry);
  CommandOutput search = RunCommand(SearchCommand, {"青岛", "海岳"});
  EXPECT_EQ(search.exit_code, kExitUsage);
  EXPECT_THAT(search.err, StartsWith("certctl search: give at most one query "
                                     "(quote names with spaces)\n"));
  absl::SetFlag(&FLAGS_status, "frozen");
  search = RunCommand(SearchCommand, {});
  EXPECT_EQ(search.exit_code, kExitUsage);
  EXPECT_THAT(search.err, StartsWith("certctl search: --status: "));
}

TEST(BodiesCommandTest, TakesNoArguments) {
  CommandOutput bodies = RunCommand(BodiesCommand, {"x"});
  EXPECT_EQ(bodies.exit_code, kExitUsage);
  EXPECT_THAT(bodies.err, StartsWith("certctl bodies: takes no arguments\n"));
}

TEST(HealthCommandTest, AnUnreachableRegistry) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_registry, kNoRegistry);
  CommandOutput health = RunCommand(HealthCommand, {});
  EXPECT_EQ(health.exit_code, kExitUsage);
  EXPECT_THAT(health.err,
              StartsWith("certctl: registry at 127.0.0.1:1 is unreachable: "));
  EXPECT_EQ(RunCommand(HealthCommand, {"x"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace certreg
