#include "tools/cli/certctl_watch.h"

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_text.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

std::string StatusText(const v1::EffectiveStatus& status) {
  return absl::StrCat(status.status_name_zh(), " ", status.status_name_en());
}

}  // namespace

std::string ChangeLine(const v1::CertificateChange& change) {
  const std::string cursor = absl::StrCat("  cursor=", change.cursor());
  switch (change.kind()) {
    case v1::CHANGE_KIND_CURRENT_STATE:
      return absl::StrCat("now ", change.certificate_number(), ": ",
                          StatusText(change.status()), cursor);
    case v1::CHANGE_KIND_STATEMENT:
      return absl::StrCat(FormatDate(change.status().as_of()), " statement ",
                          change.certificate_number(), " ",
                          KindName(change.statement_kind()), " (log index ",
                          change.leaf_index(),
                          "): ", StatusText(change.status()), cursor);
    case v1::CHANGE_KIND_STATUS_CHANGE:
      return absl::StrCat(FormatDate(change.effective_date()), " status ",
                          change.certificate_number(), ": ",
                          StatusText(change.previous_status()), " -> ",
                          StatusText(change.status()), cursor);
    case v1::CHANGE_KIND_HEARTBEAT:
      return absl::StrCat("heartbeat", cursor);
    default:
      return absl::StrCat("unknown change", cursor);
  }
}

namespace {

// The filter of NUMBER arguments, --credit_code and --body.
v1::WatchFilter FilterOf(const Args& numbers) {
  v1::WatchFilter filter;
  for (const std::string& number : numbers) {
    filter.add_certificate_numbers(number);
  }
  for (absl::string_view code : absl::StrSplit(absl::GetFlag(FLAGS_credit_code),
                                               ',', absl::SkipWhitespace())) {
    filter.add_unified_social_credit_codes(std::string(code));
  }
  for (absl::string_view body :
       absl::StrSplit(absl::GetFlag(FLAGS_body), ',', absl::SkipWhitespace())) {
    filter.add_body_approval_numbers(std::string(body));
  }
  return filter;
}

void PrintWatchlist(const v1::Watchlist& watchlist) {
  std::cout << watchlist.id() << "  " << watchlist.callback_url() << "  "
            << watchlist.filter().certificate_numbers_size() << " numbers, "
            << watchlist.filter().unified_social_credit_codes_size()
            << " credit codes, "
            << watchlist.filter().body_approval_numbers_size() << " bodies\n";
}

}  // namespace

int WatchCommand(const Args& args) {
  v1::WatchCertificatesRequest request;
  *request.mutable_filter() = FilterOf(args);
  if (request.filter().ByteSizeLong() == 0) {
    return Usage("watch",
                 "give certificate numbers, --credit_code or --body to watch");
  }
  request.set_cursor(absl::GetFlag(FLAGS_cursor));
  const bool json = absl::GetFlag(FLAGS_json);
  absl::Status ended =
      Client()->Watch(request, [json](const v1::CertificateChange& change) {
        if (json) {
          PrintJson(change);
        } else {
          std::cout << ChangeLine(change) << std::endl;
        }
        return std::cout.good();
      });
  return ended.ok() ? kExitOk : Fail(ended);
}

int WatchlistCommand(const Args& args) {
  const std::string verb = args.empty() ? "" : args[0];
  const Args rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  const bool json = absl::GetFlag(FLAGS_json);
  if (verb == "create") {
    v1::Watchlist watchlist;
    *watchlist.mutable_filter() = FilterOf(rest);
    watchlist.set_callback_url(absl::GetFlag(FLAGS_callback_url));
    absl::StatusOr<v1::Watchlist> created =
        Client()->CreateWatchlist(watchlist);
    if (!created.ok()) return Fail(created.status());
    json ? PrintJson(*created) : PrintWatchlist(*created);
    return kExitOk;
  }
  if (verb == "list" && rest.empty()) {
    absl::StatusOr<v1::ListWatchlistsResponse> listed =
        Client()->ListWatchlists();
    if (!listed.ok()) return Fail(listed.status());
    if (json) {
      PrintJson(*listed);
    } else {
      for (const v1::Watchlist& w : listed->watchlists()) PrintWatchlist(w);
    }
    return kExitOk;
  }
  if (verb == "delete" && rest.size() == 1) {
    absl::Status deleted = Client()->DeleteWatchlist(rest[0]);
    if (!deleted.ok()) return Fail(deleted);
    std::cout << "deleted " << rest[0] << "\n";
    return kExitOk;
  }
  if (verb == "deliveries" && rest.size() == 1) {
    v1::ListDeliveriesRequest request;
    request.set_watchlist_id(rest[0]);
    absl::StatusOr<v1::ListDeliveriesResponse> listed =
        Client()->ListDeliveries(request);
    if (!listed.ok()) return Fail(listed.status());
    if (json) {
      PrintJson(*listed);
      return kExitOk;
    }
    for (const v1::WebhookDelivery& d : listed->deliveries()) {
      std::cout << d.id() << "  " << v1::DeliveryState_Name(d.state()) << "  "
                << d.attempts() << " attempts  "
                << d.change().certificate_number() << "  " << d.last_error()
                << "\n";
    }
    return kExitOk;
  }
  if (verb == "replay" && rest.size() == 2) {
    absl::StatusOr<v1::WebhookDelivery> again =
        Client()->ReplayDelivery(rest[0], rest[1]);
    if (!again.ok()) return Fail(again.status());
    std::cout << "queued " << again->id() << " again\n";
    return kExitOk;
  }
  return Usage("watchlist",
               "give create, list, delete ID, deliveries ID or replay ID "
               "DELIVERY_ID");
}

}  // namespace certreg
