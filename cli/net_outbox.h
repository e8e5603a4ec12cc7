// The outbox in vledger-net (SPEC section 12, `--outbox` and `sync`):
// keeping a command for an unreachable server (hooks of the remote client,
// cli/net_client.cc) and sending what was kept (`vledger sync`). The
// entry's format and checks are app/outbox.h; `sync` is registered with
// every other command (cli/commands_sync.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "vledger/app/outbox.h"
#include "vledger/app/signer.h"
#include "vledger/net/protocol.h"

namespace vledger::cli {

// With --outbox: takes --outbox out of the words sent, and for a command
// that appends (it takes --request-id) and writes no file, fixes the act's
// date — `--on TODAY` (China Standard Time, this machine's clock, or
// VLEDGER_NOW) when the command takes --on and none was given — before
// the request is first sent, and returns the entry to keep should the
// server be unreachable. nullopt: a command that cannot be kept (a read
// is then exit 4 as without --outbox).
Result<std::optional<app::OutboxEntry>> PrepareOutbox(Context& ctx, const CLI::App& app,
                                                      net::CommandRequest& request,
                                                      const app::CommitExpectation& expect,
                                                      bool writes_files);

// The server could not be reached (`why`): keeps `entry` signed by
// `signer`'s key, prints that it was queued; returns the exit code.
int KeepInOutbox(Context& ctx, const app::OutboxEntry& entry, const app::LocalSigner* signer,
                 const Status& why);

// `vledger sync`: sends every kept entry, oldest first, printing a line
// for each; the Status of the first that was not sent (its exit code).
Status SyncOutbox(Context& ctx, const SyncArgs& args);

}  // namespace vledger::cli
