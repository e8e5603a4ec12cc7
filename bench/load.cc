// vledger-load: many collectors at once against a county server, for
// bench/run's "16 collectors" row. Each client is a thread that sends
// single awards one after another through the CLI's own remote path
// (net::RunRemote: prepare, check the prepared events as the CLI does,
// sign, commit, retry an expired lease), each with a request id of its
// own; no process is started per award, so the figure is the server's
// (and the shared machine's), not process start's.
//
// Usage: vledger-load URL KEY.pem RESIDENT RULE CLIENTS AWARDS_EACH [DATE]
// Prints: "<acknowledged> <failed> <seconds>", then each failure's first
// line on stderr. Exit 0 when every award was acknowledged.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vledger/app/remote.h"
#include "vledger/app/signer.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/net/client.h"

using namespace vledger;

int main(int argc, char** argv) {
  if (argc < 7 || argc > 8) {
    std::cerr << "usage: vledger-load URL KEY.pem RESIDENT RULE CLIENTS AWARDS_EACH [DATE]\n";
    return 2;
  }
  const std::string url = argv[1], resident = argv[3], rule = argv[4];
  const int clients = std::atoi(argv[5]), each = std::atoi(argv[6]);
  const std::string date = argc == 8 ? argv[7] : "2021-12-01";
  if (clients < 1 || each < 1) {
    std::cerr << "vledger-load: CLIENTS and AWARDS_EACH are whole numbers from 1\n";
    return 2;
  }
  Result<PrivateKey> key = PrivateKey::LoadPem(argv[2]);
  if (!key.ok()) {
    std::cerr << "vledger-load: " << argv[2] << ": " << key.status().message() << "\n";
    return 2;
  }
  const std::string key_id = key->key_id();

  std::atomic<int> acknowledged{0}, failed{0};
  std::mutex err_mu;
  auto client = [&](int c) {
    Result<PrivateKey> own = PrivateKey::LoadPem(argv[2]);
    if (!own.ok()) {
      failed += each;
      return;
    }
    app::LocalSigner signer(std::move(*own));
    net::RemoteOptions options;
    options.url = url;
    options.key = &signer.key();
    for (int i = 0; i < each; i++) {
      std::string request_id = "load-" + std::to_string(c) + "-" + Hex(RandomBytes(8));
      net::CommandRequest request;
      request.args = {"--lang", "en",   "award", resident,       rule,      "--points",
                      "1",      "--on", date,    "--request-id", request_id};
      request.key_id = key_id;
      app::CommitExpectation expect;
      expect.command = "award";
      expect.key_id = key_id;
      expect.request_id = request_id;
      expect.resident = resident;
      expect.rule = rule;
      expect.points = 1;
      Result<net::CommandOutput> out =
          net::RunRemote(options, request, &signer, [&](const app::CommitToSign& commit) {
            return app::CheckPreparedCommit(expect, commit, nullptr);
          });
      if (out.ok() && out->exit_code == 0) {
        acknowledged++;
      } else {
        failed++;
        std::lock_guard lock(err_mu);
        std::cerr << "vledger-load: " << request_id << ": "
                  << (out.ok() ? out->err.substr(0, out->err.find('\n')) : out.status().message())
                  << "\n";
      }
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; c++) threads.emplace_back(client, c);
  for (std::thread& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%d %d %.6f\n", acknowledged.load(), failed.load(), seconds);
  return failed == 0 ? 0 : 1;
}
