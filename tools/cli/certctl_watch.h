#ifndef CERTREG_TOOLS_CLI_CERTCTL_WATCH_H_
#define CERTREG_TOOLS_CLI_CERTCTL_WATCH_H_

#include <string>

#include "certreg/v1/registry.pb.h"
#include "tools/cli/certctl_command.h"

namespace certreg {

// certctl watch [NUMBER...] [--credit_code=CODE,...] [--body=APPROVAL,...]
//               [--cursor=CURSOR] [--json]: follows WatchCertificates,
// printing each change as it comes (one line each, or one JSON object a
// line with --json) until interrupted or the stream ends.
int WatchCommand(const Args& args);

// certctl watchlist create [NUMBER...] [--credit_code=...] [--body=...]
//                         --callback_url=URL
//                  list | delete ID | deliveries ID [--state=...] |
//                  replay ID DELIVERY_ID
// The registry's watchlists with webhooks, as the API key of
// --api_key_file owns them.
int WatchlistCommand(const Args& args);

// One change as certctl watch prints it, e.g.
//   "2026-12-08 statement 90126Q21540R2M suspend (log index 25): 暂停
//   suspended  cursor=w1...."
std::string ChangeLine(const v1::CertificateChange& change);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_WATCH_H_
