// vledger-floors LEDGER [SCRATCH]: what each step of `rebuild` and
// `verify` costs alone, on one core, over a ledger's whole log.
//
// `rebuild` and `verify` run these steps on two threads; the figures here
// bound how fast any arrangement of them could be on this machine. Each
// step is timed as a pass of its own over the log, and the cost of a step
// is that pass less the passes it builds on:
//
//   read     ScanEvents: RocksDB reads and decompresses the log (events
//            and their stored hashes)
//   hash     read + the record-hash chain, h[n] from h[n-1] and C(e)
//   leaf     read + each event's Merkle leaf hash
//   decode   read + DecodeEvent (canonical Cap'n Proto checked)
//   apply    read + decode + ApplyEvent into an in-memory state, in
//            batches of 2048 events with the residents of the events
//            ahead hinted into the cache (PrefetchAhead), as `rebuild` and
//            `verify` replay; each index row (a resident's history, a
//            fund's movements) put in a list as `rebuild` does (`verify`
//            drops them; they are a tenth of the rows): the replay, which
//            is sequential (each event sees the state the ones before it
//            left)
//   encode   every other projection row of that state encoded (ForEachRow)
//   write    all those rows written to a fresh ledger in SCRATCH as
//            `rebuild` writes them (in batches of kRebuildBatchBytes: the
//            index rows by PutProjectionRows, the sorted others by
//            PutSortedProjectionRows into table files, then
//            FinishProjections: ingested, flushed, synced, compactions
//            waited for); skipped without SCRATCH
//
// Prints one line per step: its cost in seconds and in microseconds an
// event. Then the replay again, into a new state, each event's
// ApplyEvent timed alone: one line per event type (`kind NAME EVENTS
// SECONDS`), the most costly first, and the pass's sum (`kinds`). Reading
// the clock twice an event is in those figures, not in `apply`'s.
// bench/run records them in docs/PERFORMANCE.md. It runs this program
// with glibc's huge pages for the heap (glibc.malloc.hugetlb=1), as
// `vledger` runs `verify` and `rebuild` (cli/main.cc).
#include <malloc.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "vledger/ledger/chain.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/merkle.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/state.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Runs one pass over the log; exits on a failure (the ledger must verify).
template <typename F>
double Pass(const Ledger& ledger, F&& per_event) {
  auto start = std::chrono::steady_clock::now();
  Status st = ledger.ScanEvents(0, ledger.size(), per_event);
  if (!st.ok()) {
    std::fprintf(stderr, "vledger-floors: %s\n", st.message().c_str());
    std::exit(1);
  }
  return Seconds(start);
}

void Report(const char* step, double seconds, uint64_t events) {
  std::printf("%-7s %8.3f s %7.3f us/event\n", step, seconds, seconds * 1e6 / events);
}

int Main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: vledger-floors LEDGER [SCRATCH]\n");
    return 2;
  }
  auto opened = Ledger::Open(argv[1], Ledger::OpenOptions{});
  if (!opened.ok()) {
    std::fprintf(stderr, "vledger-floors: %s\n", opened.status().message().c_str());
    return 4;
  }
  const Ledger& ledger = **opened;
  const uint64_t n = ledger.size();
  if (n == 0) {
    std::fprintf(stderr, "vledger-floors: the ledger is empty\n");
    return 3;
  }
  std::printf("events  %llu\n", static_cast<unsigned long long>(n));

  uint64_t bytes = 0;
  double read = Pass(ledger, [&](const StoredEvent& e) {
    bytes += e.canonical.size();
    return Status::Ok();
  });
  // The first pass also warms the page cache; the figure is the second.
  read = Pass(ledger, [&](const StoredEvent& e) {
    bytes += e.canonical.size();
    return Status::Ok();
  });

  Sha256Hasher hasher;
  Hash prev = kZeroHash;
  uint64_t mismatches = 0;
  double hash = Pass(ledger, [&](const StoredEvent& e) {
    prev = RecordHash(hasher, e.seq, prev, e.canonical);
    mismatches += prev != e.hash;
    return Status::Ok();
  });
  if (mismatches != 0) {
    std::fprintf(stderr, "vledger-floors: %llu record hashes differ (run `vledger verify`)\n",
                 static_cast<unsigned long long>(mismatches));
    return 1;
  }

  volatile uint8_t fold = 0;  // keeps the leaf hashes from being optimized away
  double leaf = Pass(ledger, [&](const StoredEvent& e) {
    fold = fold ^ MerkleLeafHash(e.hash)[0];
    return Status::Ok();
  });

  double decode = Pass(
      ledger, [&](const StoredEvent& e) -> Status { return DecodeEvent(e.canonical).status(); });

  std::vector<std::pair<std::string, std::string>> rows;
  auto owned_state = std::make_unique<StateStore>(
      nullptr, [&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); });
  StateStore& state = *owned_state;
  state.SetIndexRows(IndexRows::kSink, [&](std::string_view key, std::string_view value) {
    rows.emplace_back(std::string(key), std::string(value));
  });
  // A replay of the log into `into`, in batches, as the replays of
  // `rebuild` and `verify` apply them, with the entities of the events
  // ahead hinted (PrefetchAhead); with `kinds`, each event's ApplyEvent
  // timed by its type as well.
  struct Kind {
    const char* name = nullptr;
    uint64_t events = 0;
    std::chrono::steady_clock::duration spent{};
  };
  using Kinds = std::array<Kind, std::variant_size_v<EventBody>>;
  auto replay = [&](StateStore& into, Kinds* kinds) {
    std::vector<std::pair<uint64_t, Event>> pending;
    auto apply_batch = [&]() -> Status {
      for (size_t i = 0; i < pending.size(); i++) {
        PrefetchAhead(into, i, pending.size(), [&](size_t j) { return &pending[j].second; });
        const Event& event = pending[i].second;
        if (kinds == nullptr) {
          VLEDGER_TRY(ApplyEvent(into, pending[i].first, event));
          continue;
        }
        auto t0 = std::chrono::steady_clock::now();
        Status st = ApplyEvent(into, pending[i].first, event);
        Kind& k = (*kinds)[event.body.index()];
        k.spent += std::chrono::steady_clock::now() - t0;
        k.events++;
        k.name = EventTypeName(event.body);
        VLEDGER_TRY(st);
      }
      pending.clear();
      return Status::Ok();
    };
    return Pass(ledger, [&](const StoredEvent& e) -> Status {
      VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e.canonical));
      pending.emplace_back(e.seq, std::move(event));
      if (pending.size() == 2048 || e.seq + 1 == n)
        return apply_batch();  // verify.cc kLogBatchEvents
      return Status::Ok();
    });
  };
  double apply = replay(state, nullptr);
  const size_t index_rows = rows.size();
  auto start = std::chrono::steady_clock::now();
  state.ForEachRow([&](std::string_view key, std::string_view value) {
    rows.emplace_back(std::string(key), std::string(value));
  });
  double encode = Seconds(start);

  Report("read", read, n);
  Report("hash", hash - read, n);
  Report("leaf", leaf - read, n);
  Report("decode", decode - read, n);
  Report("apply", apply - decode, n);
  Report("encode", encode, n);
  std::printf("rows    %zu (%zu index rows)\n", rows.size(), index_rows);
  std::printf("bytes   %llu (C(e), mean %.0f)\n", static_cast<unsigned long long>(bytes / 2),
              static_cast<double>(bytes) / 2 / n);

  if (argc == 3) {
    std::string dir = std::string(argv[2]) + "/floors-ledger";
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    auto scratch = Ledger::Create(dir);
    if (!scratch.ok()) {
      std::fprintf(stderr, "vledger-floors: %s\n", scratch.status().message().c_str());
      return 4;
    }
    start = std::chrono::steady_clock::now();
    Status st = (*scratch)->ClearProjections();
    std::vector<std::pair<std::string, std::string>> batch;
    size_t batch_bytes = 0;
    // The index rows as a replay sends them, the others (sorted) into
    // table files, as RebuildProjections writes them.
    auto put = [&](bool sorted) {
      if (st.ok() && !batch.empty()) {
        st = sorted ? (*scratch)->PutSortedProjectionRows(batch)
                    : (*scratch)->PutProjectionRows(batch);
      }
      batch.clear();
      batch_bytes = 0;
    };
    for (size_t i = 0; i < rows.size(); i++) {
      if (i == index_rows) put(false);
      batch_bytes += rows[i].first.size() + rows[i].second.size();
      batch.push_back(std::move(rows[i]));
      if (batch_bytes >= kRebuildBatchBytes) put(i >= index_rows);
    }
    put(true);
    if (st.ok()) st = (*scratch)->FinishProjections(0);
    scratch->reset();  // closing waits for the compactions the flush called for
    double write = Seconds(start);
    std::filesystem::remove_all(dir, ec);
    if (!st.ok()) {
      std::fprintf(stderr, "vledger-floors: %s\n", st.message().c_str());
      return 4;
    }
    Report("write", write, n);
  }

  // The replay again, each event's ApplyEvent timed by its type, on a
  // heap given back as the first replay found it: the first state and its
  // rows freed and returned to the system first (a heap twice a replay's
  // size made the kernel compact memory for huge pages mid-pass, which
  // doubled some types' figures).
  owned_state.reset();
  std::vector<std::pair<std::string, std::string>>().swap(rows);
  malloc_trim(0);
  {
    StateStore again(nullptr, [&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); });
    std::vector<std::pair<std::string, std::string>> again_rows;  // as the apply pass lists them
    again.SetIndexRows(IndexRows::kSink, [&](std::string_view key, std::string_view value) {
      again_rows.emplace_back(std::string(key), std::string(value));
    });
    Kinds kinds{};
    replay(again, &kinds);
    std::sort(kinds.begin(), kinds.end(),
              [](const Kind& a, const Kind& b) { return a.spent > b.spent; });
    double sum = 0;
    for (const Kind& k : kinds) {
      if (k.events == 0) continue;
      double seconds = std::chrono::duration<double>(k.spent).count();
      sum += seconds;
      std::printf("kind    %s %llu %.3f\n", k.name, static_cast<unsigned long long>(k.events),
                  seconds);
    }
    std::printf("kinds   %.3f s\n", sum);
  }
  return 0;
}

}  // namespace
}  // namespace vledger

int main(int argc, char** argv) { return vledger::Main(argc, argv); }
