// `site --out DIR`: the villager site (app/site.h).
#include "vledger/app/site.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "guard.h"
#include "site_assets.h"
#include "site_verify.h"
#include "vledger/app/benefits.h"
#include "vledger/app/checkpoint.h"
#include "vledger/app/report.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/merkle.h"
#include "vledger/projections/age.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/state.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr std::string_view kTmpSuffix = ".site-tmp";
// A resident's page loads r.html (the village's list of data files, the
// checkpoint, key and last event) and one data file, within
// kSitePageBytesMax: a data file holds at most kDataFileBytes unless one
// resident alone fills it, and one resident's data at most
// kResidentBytesMax less r.html's size.
constexpr size_t kDataFileBytes = 64 * 1024;
constexpr size_t kResidentBytesMax = kSitePageBytesMax - kDataFileBytes;
// r.html without its list of data files, with room to spare; the list
// takes at most kShellBytesPerResident for each resident.
constexpr size_t kShellBytes = 12 * 1024;
constexpr size_t kShellBytesPerResident = 64 + 16;

// ------------------------------------------------------------ HTML

std::string Esc(std::string_view s) { return report::HtmlEscape(s); }

// JSON to put inside <script type="application/json">: '<' only occurs in
// strings, where \u003c reads back the same, so no "</script>" can end it.
std::string ScriptJson(const Json& j) {
  std::string text = j.dump();
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string PageHead(const std::string& title, const std::string& up) {
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         Esc(title) + "</title>\n<link rel=\"stylesheet\" href=\"" + up +
         "assets/site.css\">\n</head>\n<body>\n";
}

std::string PageTail(const std::string& up) {
  return "<script type=\"module\" src=\"" + up + "assets/site.js\"></script>\n</body>\n</html>\n";
}

std::string StatusBox() {
  return "<div id=\"status\" class=\"status wait\">正在核验……（需要浏览器运行脚本）</div>\n";
}

std::string Signed(int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }

// The period the village page ranks: the quarter of the checkpoint's date.
std::string QuarterOf(const std::string& date) {
  int month = std::stoi(date.substr(5, 2));
  return date.substr(0, 4) + "Q" + std::to_string((month - 1) / 3 + 1);
}

// ------------------------------------------------------------ proofs

// The tree of the checkpoint in memory: its record hashes and every level
// of complete nodes (two hashes a leaf: 88 MB for a county of 1.4M
// events), so that a page's proofs cost no reads. Built once from the
// stored record hashes.
class Tree {
 public:
  static Result<Tree> Load(const Ledger& ledger, uint64_t size) {
    Tree t;
    t.records_.reserve(size);
    VLEDGER_TRY(ledger.ScanHashes(0, size, [&](uint64_t seq, std::string_view hash) -> Status {
      auto h = HashFrom(hash);
      if (seq != t.records_.size() || !h) {
        return Status::VerificationFailed("the stored record hashes are not in order").WithSeq(seq);
      }
      t.records_.push_back(*h);
      return Status::Ok();
    }));
    if (t.records_.size() != size) {
      return Status::VerificationFailed(
          Msg("the log has {} stored record hashes, the checkpoint {}", t.records_.size(), size));
    }
    std::vector<Hash> level(size);
    for (uint64_t i = 0; i < size; i++) level[i] = MerkleLeafHash(t.records_[i]);
    while (level.size() > 1) {
      std::vector<Hash> up(level.size() / 2);
      for (size_t i = 0; i < up.size(); i++) up[i] = MerkleNodeHash(level[2 * i], level[2 * i + 1]);
      t.levels_.push_back(std::move(level));
      level = std::move(up);
    }
    t.levels_.push_back(std::move(level));
    return t;
  }
  uint64_t size() const { return records_.size(); }
  const Hash& Record(uint64_t seq) const { return records_[seq]; }
  NodeReader Nodes() const {
    return [this](int level, uint64_t index) -> Result<Hash> {
      if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
          index >= levels_[level].size()) {
        return Status::VerificationFailed(
            Msg("Merkle node {}/{} is outside the tree", level, index));
      }
      return levels_[level][index];
    };
  }

 private:
  std::vector<Hash> records_;
  std::vector<std::vector<Hash>> levels_;
};

// A JSON string.
std::string JsonText(std::string_view s) { return Json(s).dump(); }

// One event as a page carries it for the browser to check, as a JSON
// object's members: seq, h[n-1], h[n], C(e) and the inclusion proof, all
// from the tree in memory but the bytes. The stored record hash is checked
// against the bytes here; the proof is checked by the page (and by
// `vledger verify` for the whole tree).
Result<std::string> ProvenEventMembers(const Tree& tree, uint64_t seq, const std::string& canonical,
                                       const Hash& stored_hash) {
  const Hash prev = seq == 0 ? kZeroHash : tree.Record(seq - 1);
  if (stored_hash != tree.Record(seq) || RecordHash(seq, prev, canonical) != stored_hash) {
    return Status::VerificationFailed(
               "the stored record hash does not match the event (run `vledger verify`)")
        .WithSeq(seq);
  }
  VLEDGER_ASSIGN_OR_RETURN(std::vector<Hash> path, InclusionProof(seq, tree.size(), tree.Nodes()));
  std::string out = "\"seq\":" + std::to_string(seq) + ",\"prev\":\"" + Base64(AsView(prev)) +
                    "\",\"hash\":\"" + Base64(AsView(stored_hash)) + "\",\"event\":\"" +
                    Base64(canonical) + "\",\"proof\":[";
  for (size_t i = 0; i < path.size(); i++) {
    out += (i == 0 ? "\"" : ",\"") + Base64(AsView(path[i])) + "\"";
  }
  return out + "]";
}

// ------------------------------------------------------------ the site

struct Context {
  const Ledger* ledger = nullptr;
  const Tree* tree = nullptr;
  bool persons_withheld = false;  // restored from a --public archive
  StateStore* state = nullptr;
  SignedHead head;
  std::string date;  // the checkpoint's date: recordedAt (CST) of its last event
  std::string key_hex, key_id;
  Json last;  // the checkpoint's last event, proven
  std::map<std::string, std::string> rule_names;
  Status person_error;
  std::map<std::string, std::optional<Person>, std::less<>> persons;
  Grading* grading = nullptr;  // VillagePages' own, on `date` over `state`

  const std::optional<Person>& PersonOf(std::string_view ref) {
    auto it = persons.find(ref);
    if (it != persons.end()) return it->second;
    std::optional<Person> person;
    if (!ref.empty()) {
      auto record = ledger->LoadPerson(ref);
      if (!record.ok()) {
        if (person_error.ok()) person_error = record.status();
      } else if (*record) {
        person = (*record)->person;
      }
    }
    return persons.emplace(std::string(ref), std::move(person)).first->second;
  }

  // The data every page carries for its script.
  Json PageData() const {
    return Json{{"checkpoint", head.text}, {"key", key_hex}, {"keyId", key_id}, {"last", last}};
  }

  std::string RuleName(const std::string& code) const {
    auto it = rule_names.find(code);
    if (it != rule_names.end() && !it->second.empty()) return it->second;
    if (auto rule = LoadRule(*state, code); rule && !rule->description.empty())
      return rule->description;
    return code;
  }
};

// The site's files, each written into the temporary folder as it is made
// (a county's pages are not all held in memory).
// The site's files, written by a thread of their own while the pages are
// made: creating some 300,000 files costs the kernel as much as making
// them costs us, and there are two cores. Add() queues a file (a bounded
// queue, so memory stays flat) and reports an earlier write's failure;
// Finish() waits for the queue to be written.
class Files {
 public:
  Files(fs::path tmp, SiteResult* out);
  ~Files();
  Status Add(const std::string& path, std::string bytes);
  Status Finish();

 private:
  void Run();

  static constexpr size_t kQueueMax = 256;
  fs::path tmp_;
  SiteResult* out_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::pair<std::string, std::string>> queue_;
  bool done_ = false;
  Status failed_ = Status::Ok();
  std::thread writer_;
};

std::string Footer(const Context& c) {
  return "<footer>\n<p>数据截至 <span class=\"cp-date\">" + Esc(c.date) +
         "</span>，县级日志检查点 " + std::to_string(c.head.head.size) +
         " 条；县级公钥编号 <code>" + Esc(c.key_id) +
         "</code>（与纸质公示上印的编号一致才可信）。</p>\n<details><summary>检查点原文</"
         "summary><pre>" +
         Esc(c.head.text) +
         "</pre></details>\n<p>本站由 vledger "
         "生成，是静态页面，所有核验都在您的手机上完成。</p>\n</footer>\n";
}

// A resident as the village's name policy shows them ("" for none).
std::string PublicName(Context& c, const ResidentRecord& r, const std::string& policy) {
  if (policy == "none") return "";
  const std::optional<Person>& person = c.PersonOf(r.person_ref);
  // No record: erased (已删除), or never there, as in a ledger restored
  // from a --public archive, whose residents have no name on the site.
  if (!person) return r.person_ref.empty() || c.persons_withheld ? "" : "已删除";
  return policy == "masked" ? MaskName(person->name) : person->name;
}

// The benefits the resident qualifies for on the checkpoint's date
// (benefits.h): name and partner of each, shown and not verified.
Json BenefitsJson(Context& c, const ResidentRecord& r) {
  Json out = Json::array();
  for (const BenefitRecord& b : c.grading->For(r.village, r.id).benefits) {
    out.push_back(Json::array({b.name, b.partner}));
  }
  return out;
}

struct HistoryRow {
  uint64_t seq = 0;
  std::string canonical;
  Hash hash{};
  std::string date, what, points, note, why;
  bool entry = false;  // pointsAwarded or pointsDeducted
  int64_t value = 0;   // an entry's points
};

// One resident's data, as their page (DIR/<VILLAGE>/r.html?id=<ID>) reads
// it from the village's data file: what the page shows (name, scores,
// benefits, the history newest first) and, for each event, its bytes, h[n-1],
// h[n] and inclusion proof. With `base` (r.html's size) it stays within
// kResidentBytesMax: a resident whose history is longer gets the newest
// entries that fit, and the data says how many older ones are left out and
// the points they count.
Result<std::string> ResidentData(Context& c, const ResidentRecord& r, const std::string& name,
                                 size_t base) {
  StateStore& state = *c.state;
  PointsBalance balance = LoadBalance(state, r.id);
  // The events to show and prove: entries, redemptions and reversals of them.
  std::map<uint64_t, std::string> why;  // entries that do not count, and why
  // Each event read once: its stored bytes and record hash, and decoded.
  struct Read {
    StoredEvent stored;
    Event event;
  };
  auto read = [&c](uint64_t seq) -> Result<Read> {
    VLEDGER_ASSIGN_OR_RETURN(StoredEvent stored, c.ledger->ReadEvent(seq));
    auto event = DecodeEvent(stored.canonical);
    if (!event.ok()) return event.status().WithSeq(seq);
    return Read{std::move(stored), std::move(*event)};
  };
  std::map<uint64_t, std::optional<Read>> events;
  for (uint64_t seq : ListHistory(state, r.id)) {
    if (seq >= c.head.head.size) continue;
    VLEDGER_ASSIGN_OR_RETURN(Read one, read(seq));
    const Event& ev = one.event;
    if (std::holds_alternative<PointsAwarded>(ev.body) ||
        std::holds_alternative<PointsDeducted>(ev.body)) {
      auto entry = LoadEntry(state, seq);
      if (auto reversal = ReversedBy(state, seq)) {
        why[seq] = "reversed";
        events.try_emplace(*reversal);
      } else if (entry && entry->status == EntryStatus::kPending) {
        why[seq] = "pending";
      } else if (entry && entry->status == EntryStatus::kRejected) {
        why[seq] = "rejected";
      }
      events[seq] = std::move(one);
    } else if (std::holds_alternative<PointsRedeemed>(ev.body) ||
               std::holds_alternative<EventReversed>(ev.body)) {
      events[seq] = std::move(one);
    }
  }
  std::vector<HistoryRow> rows;
  for (auto& [seq, stored] : events) {
    if (!stored) {
      VLEDGER_ASSIGN_OR_RETURN(stored, read(seq));
    }
    const Event& ev = stored->event;
    HistoryRow row;
    row.seq = seq;
    row.canonical = std::move(stored->stored.canonical);
    row.hash = stored->stored.hash;
    row.date = CstDate(ev.recorded_at_ms);
    if (auto it = why.find(seq); it != why.end()) row.why = it->second;
    if (const auto* e = std::get_if<PointsAwarded>(&ev.body)) {
      row.date = e->occurred_on;
      row.what = c.RuleName(e->rule);
      row.points = Signed(e->points);
      row.note = e->note;
      row.entry = true;
      row.value = e->points;
    } else if (const auto* d = std::get_if<PointsDeducted>(&ev.body)) {
      row.date = d->occurred_on;
      row.what = c.RuleName(d->rule);
      row.points = Signed(d->points);
      row.note = d->note;
      row.entry = true;
      row.value = d->points;
    } else if (const auto* p = std::get_if<PointsRedeemed>(&ev.body)) {
      row.what = "兑换：" + p->item;
      row.points = Signed(-p->points);
    } else if (const auto* x = std::get_if<EventReversed>(&ev.body)) {
      row.what = "撤销第 " + std::to_string(x->target) + " 条";
      row.note = x->reason;
    }
    rows.push_back(std::move(row));
  }
  // Newest first; entries that do not fit are left out, oldest first, and
  // their counted points carried.
  std::reverse(rows.begin(), rows.end());
  std::string list;
  uint64_t listed = 0;
  size_t used = base;
  uint64_t omitted = 0;
  int64_t carried = 0;
  for (const HistoryRow& row : rows) {
    if (used < kResidentBytesMax) {
      VLEDGER_ASSIGN_OR_RETURN(std::string text,
                               ProvenEventMembers(*c.tree, row.seq, row.canonical, row.hash));
      text = "{" + text + ",\"date\":" + JsonText(row.date) + ",\"what\":" + JsonText(row.what) +
             ",\"points\":" + JsonText(row.points) + ",\"note\":" + JsonText(row.note);
      if (!row.why.empty()) text += ",\"why\":" + JsonText(row.why);
      text += "}";
      if (used + text.size() + 1 <= kResidentBytesMax) {
        used += text.size() + 1;
        list += (listed++ == 0 ? "" : ",") + text;
        continue;
      }
      used = kResidentBytesMax;
    }
    omitted++;
    if (row.entry && row.why.empty()) carried += row.value;
  }
  Json data{{"name", name},
            {"score", balance.credit_score},
            {"spendable", balance.spendable},
            {"benefits", BenefitsJson(c, r)},
            {"omitted", omitted},
            {"carried", carried}};
  std::string out = data.dump();
  out.pop_back();  // the closing brace: the events, already written, go last
  return out + ",\"events\":[" + list + "]}";
}

// DIR/<VILLAGE>/r.html: the page of every adult resident of the village,
// opened as r.html?id=<RESIDENT>. Its script finds the resident's data
// file in `files` (resident id -> number of d/<N>.json), shows the page
// from it and checks it.
std::string ResidentShell(const Context& c, const VillageRecord& village, const Json& files) {
  std::string page = PageHead("村民积分 · " + village.name, "../");
  page +=
      "<p class=\"sub\"><a id=\"back\" href=\"index.html\">← " + Esc(village.name) + "</a></p>\n";
  page += "<h1 id=\"who\">村民积分</h1>\n<p class=\"sub\" id=\"who-sub\">" + Esc(village.name) +
          "</p>\n";
  page += StatusBox();
  page +=
      "<div id=\"resident\" hidden>\n<div class=\"cards\">\n<div class=\"card\"><div>信用积分</div>"
      "<div class=\"n\" id=\"score\"></div></div>\n<div class=\"card\"><div>可用积分</div>"
      "<div class=\"n\" id=\"spendable\"></div></div>\n</div>\n";
  page +=
      "<p class=\"sub\">"
      "信用积分是已审核、未撤销的加减分合计；可用积分再减去已兑换和已过期的积分（本页核验信用积分）"
      "。</p>\n";
  page +=
      "<div id=\"benefits\" hidden><h2>可享礼遇</h2>\n<ul class=\"benefits\"></ul>\n<p "
      "class=\"sub\">按本村信用等级办法，截至检查点之日；仅供参考，未在本页核验。</p></div>\n";
  page += "<h2>积分记录</h2>\n<p class=\"sub\" id=\"omitted\" hidden></p>\n";
  page +=
      "<div class=\"scroll\"><table>\n<thead><tr><th>日期</th><th>事项</th><th "
      "class=\"pts\">积分</th><th>说明</th></tr></thead>\n<tbody id=\"history\"></tbody></table>"
      "</div>\n<p id=\"no-history\" hidden>暂无积分记录。</p>\n</div>\n";
  page += Footer(c);
  Json data = c.PageData();
  data["village"] = village.name;
  data["files"] = files;
  page += "<script type=\"application/json\" id=\"vdata\">" + ScriptJson(data) + "</script>\n";
  page += PageTail("../");
  return page;
}

std::string Yuan(int64_t fen) { return report::Yuan(fen); }

std::string RankName(const RankedRow& row) { return row.name.empty() ? row.id : row.name; }

Status VillagePages(Context& c, const VillageRecord& village, Files* files, SiteResult* out) {
  StateStore& state = *c.state;
  Grading grading(state, c.date);
  c.grading = &grading;
  struct Unset {
    Context& c;
    ~Unset() { c.grading = nullptr; }
  } unset{c};
  ReportArgs args(village.code, QuarterOf(c.date), "bulletin", "html", "zh", c.head.head.size);
  args.edition = "board";
  // On the site names are masked unless the village's policy says
  // otherwise (reports default to full): the in-memory state says so for
  // this run only (the reader's state is never written back).
  if (village.public_names.empty()) {
    VillageRecord masked = village;
    masked.public_names = "masked";
    StoreVillage(state, masked);
  }
  PersonLookup persons = [&c](std::string_view ref) -> std::optional<Person> {
    return c.PersonOf(ref);
  };
  VLEDGER_ASSIGN_OR_RETURN(ReportData d, BuildReport(state, persons, args, c.head.text));
  const std::string& policy = d.public_names;

  std::vector<std::pair<ResidentRecord, std::string>> adults;  // with their public names
  for (const ResidentRecord& r : ListResidents(state, village.code)) {
    if (!KnownAdultOn(AgeFactsOf(r, c.PersonOf(r.person_ref)), c.date)) continue;
    adults.emplace_back(r, PublicName(c, r, policy));
  }
  VLEDGER_TRY(c.person_error);

  // The residents' data, in id order, packed into files of at most
  // kDataFileBytes (one resident alone may fill a larger one).
  std::string base = village.code + "/";
  Json file_of = Json::object();
  std::string bundle;
  uint64_t bundles = 0;
  auto flush = [&]() -> Status {
    if (bundle.empty()) return Status::Ok();
    bundle += "}\n";
    VLEDGER_TRY(files->Add(base + "d/" + std::to_string(bundles) + ".json", std::move(bundle)));
    bundle.clear();
    bundles++;
    return Status::Ok();
  };
  const size_t shell = kShellBytes + adults.size() * kShellBytesPerResident;
  for (const auto& [r, name] : adults) {
    VLEDGER_ASSIGN_OR_RETURN(std::string data, ResidentData(c, r, name, shell));
    std::string member = Json(r.id).dump() + ":" + data;
    if (!bundle.empty() && bundle.size() + member.size() + 2 > kDataFileBytes) VLEDGER_TRY(flush());
    bundle += bundle.empty() ? "{" : ",\n";
    bundle += member;
    file_of[r.id] = bundles;
    out->residents++;
  }
  VLEDGER_TRY(flush());
  VLEDGER_TRY(files->Add(base + "r.html", ResidentShell(c, village, file_of)));

  std::string page = PageHead(village.name + " 积分公示", "../");
  page += "<p class=\"sub\"><a href=\"../index.html\">← 全部村</a></p>\n";
  page += "<h1>" + Esc(village.name) + "</h1>\n<p class=\"sub\">" + Esc(d.ledger_name) +
          " · 数据截至 <span class=\"cp-date\">" + Esc(c.date) + "</span></p>\n";
  page += StatusBox();
  page +=
      "<h2>查我的积分</h2>\n<form id=\"find\"><input id=\"rid\" placeholder=\"积分卡上的村民编号\" "
      "autocomplete=\"off\"><button type=\"submit\">查看</button></form>\n<p id=\"find-msg\" "
      "class=\"flag\"></p>\n";
  page +=
      "<h2>" + Esc(args.period) + " 积分排名（前 " + std::to_string(d.board.top) + " 名）</h2>\n";
  if (d.residents_ranked.empty()) {
    page += "<p>本期暂无积分。</p>\n";
  } else {
    page +=
        "<div class=\"scroll\"><table>\n<thead><tr><th>名次</th><th>村民</th><th "
        "class=\"pts\">积分</th>"
        "<th>星级</th></tr></thead>\n<tbody>\n";
    for (const RankedRow& row : d.residents_ranked) {
      page += "<tr><td>" + std::to_string(row.rank) + "</td><td>" + Esc(RankName(row)) +
              (row.red_flag ? " <span class=\"flag\">红旗</span>" : "") +
              "</td><td class=\"pts\">" + std::to_string(row.points) + "</td><td>" +
              report::Stars(row.stars) + "</td></tr>\n";
    }
    page += "</tbody></table></div>\n";
  }
  if (!d.board.red_flags.empty()) {
    page += "<h2>红旗</h2>\n<ul class=\"names\">\n";
    for (const RankedRow& row : d.board.red_flags) page += "<li>" + Esc(RankName(row)) + "</li>\n";
    page += "</ul>\n";
  }
  if (!d.board.star_households.empty()) {
    page += "<h2>星级文明户（" + std::to_string(d.board.star_household_stars) +
            " 星及以上）</h2>\n<ul class=\"names\">\n";
    for (const RankedRow& row : d.board.star_households) {
      page += "<li>" + Esc(RankName(row)) + " " + report::Stars(row.stars) + "</li>\n";
    }
    page += "</ul>\n";
  }
  if (!d.funds.empty()) {
    page += "<h2>" + Esc(args.period) +
            " 基金账目（元）</h2>\n<div class=\"scroll\"><table>\n<thead><tr>"
            "<th>基金</th><th class=\"pts\">期初</th><th class=\"pts\">收入</th><th "
            "class=\"pts\">支出</th>"
            "<th class=\"pts\">结余</th></tr></thead>\n<tbody>\n";
    for (const FundSummary& f : d.funds) {
      page += "<tr><td>" + Esc(f.name.empty() ? f.code : f.name) + "</td><td class=\"pts\">" +
              Yuan(f.opening_fen) + "</td><td class=\"pts\">" + Yuan(f.income_fen) +
              "</td><td class=\"pts\">" + Yuan(f.payments_fen) + "</td><td class=\"pts\">" +
              Yuan(f.closing_fen) + "</td></tr>\n";
    }
    page += "</tbody></table></div>\n";
  }
  page += "<h2>村民名单</h2>\n";
  if (adults.empty()) {
    page += "<p>暂无可公示的成年村民。</p>\n";
  } else {
    page += "<p class=\"sub\">点姓名查看本人积分（未成年人不公示）。</p>\n<ul class=\"names\">\n";
    for (const auto& [r, name] : adults) {
      page += "<li><a class=\"res\" href=\"r.html?id=" + Esc(r.id) + "\">" +
              Esc(name.empty() ? std::string(r.id) : name + " " + std::string(r.id)) +
              "</a></li>\n";
    }
    page += "</ul>\n";
  }
  page += Footer(c);
  Json ids = Json::array();
  for (const auto& [r, name] : adults) ids.push_back(r.id);
  page += "<script type=\"application/json\" id=\"ids\">" + ScriptJson(ids) + "</script>\n";
  page +=
      "<script type=\"application/json\" id=\"vdata\">" + ScriptJson(c.PageData()) + "</script>\n";
  page += PageTail("../");
  VLEDGER_TRY(files->Add(base + "index.html", std::move(page)));
  out->villages++;
  return Status::Ok();
}

std::string IndexPage(const Context& c, const std::string& ledger_name,
                      const std::vector<VillageRecord>& villages) {
  std::string page = PageHead(ledger_name + " 村民积分", "");
  page += "<h1>" + Esc(ledger_name) +
          "</h1>\n<p class=\"sub\">村民积分公示 · 数据截至 <span "
          "class=\"cp-date\">" +
          Esc(c.date) + "</span></p>\n";
  page += StatusBox();
  page += "<h2>各村</h2>\n<ul>\n";
  for (const VillageRecord& v : villages) {
    page += "<li><a href=\"" + Esc(v.code) + "/index.html\">" + Esc(v.name) + "</a>（" +
            Esc(v.code) + "）</li>\n";
  }
  page +=
      "</ul>\n<h2>合作单位</h2>\n<p><a href=\"verify.html\">核验村民出示的信用证明</a>"
      "（在手机上离线核验，不上传任何内容）</p>\n" +
      Footer(c);
  page +=
      "<script type=\"application/json\" id=\"vdata\">" + ScriptJson(c.PageData()) + "</script>\n";
  page += PageTail("");
  return page;
}

// verify.html: the certificate checked by assets/verify.js against
// attest.json; the page carries the county's key to check the data's
// checkpoint by (site_verify.h). It does not run site.js's page check.
std::string VerifyPage(const Context& c, const std::string& ledger_name) {
  std::string page = PageHead("核验信用证明 · " + ledger_name, "");
  page += VerifyPageBody(ledger_name, c.date, c.head.head.size);
  page += Footer(c);
  page += "<script type=\"application/json\" id=\"vcounty\">" + ScriptJson(c.PageData()) +
          "</script>\n";
  page += "<script type=\"module\" src=\"assets/verify.js\"></script>\n</body>\n</html>\n";
  return page;
}

// ------------------------------------------------------------ writing

std::string ErrnoText() { return std::strerror(errno); }

Status WriteAll(const fs::path& path, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    return Status::InvalidInput(
        "--out", Msg("cannot create {}: {}", path.parent_path().string(), ec.message()));
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::InvalidInput("--out", Msg("cannot write {}: {}", path.string(), ErrnoText()));
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  std::string why = done == bytes.size() ? "" : ErrnoText();
  if (::close(fd) != 0 && why.empty()) why = ErrnoText();
  if (!why.empty())
    return Status::InvalidInput("--out", Msg("cannot write {}: {}", path.string(), why));
  return Status::Ok();
}

// DIR must be absent or an empty folder.
Status CheckOutDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Ok();
  if (!fs::is_directory(dir, ec))
    return Status::InvalidInput("--out", Msg("{} is not a folder", dir));
  if (!fs::is_empty(dir, ec)) {
    return Status::InvalidInput("--out", Msg("{} is not empty; give a new or empty folder", dir));
  }
  return Status::Ok();
}

Files::Files(fs::path tmp, SiteResult* out) : tmp_(std::move(tmp)), out_(out) {
  writer_ = std::thread([this] { Run(); });
}

Files::~Files() { (void)Finish(); }

Status Files::Add(const std::string& path, std::string bytes) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < kQueueMax || !failed_.ok(); });
  if (!failed_.ok()) return failed_;
  out_->files++;
  out_->bytes += bytes.size();
  queue_.emplace_back(path, std::move(bytes));
  changed_.notify_all();
  return Status::Ok();
}

Status Files::Finish() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
    changed_.notify_all();
  }
  if (writer_.joinable()) writer_.join();
  return failed_;
}

void Files::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) return;  // done
    auto [path, bytes] = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    lock.unlock();
    Status st = WriteAll(tmp_ / path, bytes);
    lock.lock();
    if (!st.ok() && failed_.ok()) failed_ = st;
    if (!failed_.ok()) {
      queue_.clear();
      changed_.notify_all();
      if (done_) return;
    }
  }
}

// DIR as a path without a trailing slash, and the folder written first.
fs::path FinalDir(const std::string& dir) {
  fs::path final_dir = fs::path(dir).lexically_normal();
  if (!final_dir.has_filename()) final_dir = final_dir.parent_path();
  return final_dir;
}

fs::path TmpDir(const std::string& dir) {
  fs::path tmp = FinalDir(dir);
  tmp += std::string(kTmpSuffix);
  return tmp;
}

// The genesis admin key's public half, from the state at the log's end.
Result<PublicKey> CountyKey(const Ledger& ledger) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(ledger, ledger.size() - 1));
  auto meta = LoadMeta(*state);
  if (!meta) return Status::FailedPrecondition("--ledger", "the ledger has no genesis");
  auto key = LoadKey(*state, meta->root_key_id);
  if (!key) return Status::Corruption(Msg("the root key {} is not registered", meta->root_key_id));
  return PublicKey::FromRaw(key->public_key);
}

// `head` when the county key signed it; else, without --at, the newest
// stored checkpoint it signed (a server's checkpointer signs the others).
Result<SignedHead> CountySignedHead(const Session& session, const Ledger& ledger,
                                    const SignedHead& head, std::optional<uint64_t> at) {
  VLEDGER_ASSIGN_OR_RETURN(PublicKey county, CountyKey(ledger));
  if (VerifyCheckpoint(head.text, county, nullptr).ok()) return head;
  if (at) {
    return Status::FailedPrecondition(
        "--at", Msg("the checkpoint at size {} is not signed by the county key; sign it with "
                    "`vledger checkpoint --size {} --key ADMIN.key`",
                    head.head.size, head.head.size));
  }
  std::optional<uint64_t> newest;
  VLEDGER_TRY(ledger.ScanCheckpoints([&](uint64_t size, std::string_view text) {
    if (VerifyCheckpoint(text, county, nullptr).ok()) newest = size;
    return Status::Ok();
  }));
  if (!newest) {
    return Status::FailedPrecondition(
        Msg("no stored checkpoint is signed by the county key; sign one with "
            "`vledger checkpoint --key ADMIN.key`"));
  }
  return CheckpointForUse(session.WithoutSigner(), ledger, *newest);
}

}  // namespace

Result<SiteResult> Site(const Session& session, const SiteRequest& request) try {
  if (request.out_dir.empty()) return Status::InvalidInput("--out", "give the folder to write");
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  if (request.at && *request.at > ledger->size()) {
    return Status::InvalidInput(
        "--at", Msg("size {} is past the end of the log (size {})", *request.at, ledger->size()));
  }
  auto head = CheckpointForUse(session.WithoutSigner(), *ledger, request.at);
  if (!head.ok() && request.at && head.status().code() == Code::kNotFound) {
    return Status::NotFound("--at", Msg("no checkpoint is stored at size {} (sign one with "
                                        "`vledger checkpoint --size {}`)",
                                        *request.at, *request.at));
  }
  if (!head.ok()) return head.status();
  // The pages check the checkpoint by the county's key (the genesis admin
  // key): a stored checkpoint signed only by a server's checkpointer key
  // would fail in every browser, so the newest one the county key signed.
  VLEDGER_ASSIGN_OR_RETURN(head, CountySignedHead(session, *ledger, *head, request.at));
  const uint64_t size = head->head.size;
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(*ledger, size - 1));

  Context c;
  c.ledger = ledger.get();
  VLEDGER_ASSIGN_OR_RETURN(uint64_t withheld, ledger->PersonsWithheld());
  c.persons_withheld = withheld > 0;
  VLEDGER_ASSIGN_OR_RETURN(Tree tree, Tree::Load(*ledger, size));
  c.tree = &tree;
  c.state = state.get();
  c.head = *head;
  auto meta = LoadMeta(*state);
  if (!meta) return Status::FailedPrecondition("--ledger", "the ledger has no genesis");
  auto key = LoadKey(*state, meta->root_key_id);
  if (!key) return Status::Corruption(Msg("the root key {} is not registered", meta->root_key_id));
  c.key_hex = Hex(key->public_key);
  c.key_id = meta->root_key_id;
  VLEDGER_ASSIGN_OR_RETURN(Event last, state->ReadEvent(size - 1));
  c.date = CstDate(last.recorded_at_ms);
  VLEDGER_ASSIGN_OR_RETURN(StoredEvent last_stored, ledger->ReadEvent(size - 1));
  VLEDGER_ASSIGN_OR_RETURN(
      std::string last_members,
      ProvenEventMembers(tree, size - 1, last_stored.canonical, last_stored.hash));
  c.last = Json::parse("{" + last_members + "}");
  c.rule_names = DisplayNames(*state, NameKind::kRule, "");

  std::vector<VillageRecord> villages = ListVillages(*state);
  if (!request.village.empty()) {
    auto it = std::find_if(villages.begin(), villages.end(),
                           [&](const VillageRecord& v) { return v.code == request.village; });
    if (it == villages.end()) {
      return Status::NotFound("--village",
                              Msg("unknown village \"{}\" at size {}", request.village, size));
    }
    villages = {*it};
  }
  VLEDGER_TRY(CheckOutDir(request.out_dir));
  // Before the village pages, which mask names in the in-memory state.
  VLEDGER_ASSIGN_OR_RETURN(std::string attest_data, SiteAttestData(*state, c.head, c.date));

  SiteResult out;
  out.out_dir = request.out_dir;
  out.head = head->head;
  const fs::path tmp = TmpDir(request.out_dir), final_dir = FinalDir(request.out_dir);
  std::error_code ec;
  fs::remove_all(tmp, ec);  // of a run cut short
  Status st = [&]() -> Status {
    Files files(tmp, &out);
    VLEDGER_TRY(files.Add("index.html", IndexPage(c, meta->name, villages)));
    VLEDGER_TRY(files.Add("verify.html", VerifyPage(c, meta->name)));
    VLEDGER_TRY(files.Add("attest.json", std::move(attest_data)));
    for (const SiteAsset& asset : SiteAssets()) {
      VLEDGER_TRY(files.Add("assets/" + std::string(asset.path), std::string(asset.bytes)));
    }
    // The villages' pages, on two threads when the state is the stored one:
    // each thread reads its own StateStore over the same rows (a state
    // replayed into memory for an older --at is not copied: one thread).
    // Villages alternate between them; the first failure in village order
    // is the one reported.
    std::vector<Context> workers{c};
    std::unique_ptr<StateStore> second_state;
    if (size == ledger->size() && villages.size() > 1) {
      VLEDGER_ASSIGN_OR_RETURN(second_state, StoredState(*ledger));
      workers.push_back(c);
      workers.back().state = second_state.get();
    }
    std::vector<Status> failed(villages.size(), Status::Ok());
    std::vector<SiteResult> counts(workers.size());
    std::atomic<bool> stop{false};
    auto work = [&](size_t w) {
      for (size_t i = w; i < villages.size() && !stop; i += workers.size()) {
        Status done = [&]() -> Status {
          try {
            return VillagePages(workers[w], villages[i], &files, &counts[w]);
          } catch (...) {
            return CaughtStatus();
          }
        }();
        if (!done.ok()) {
          failed[i] = done;
          stop = true;
        }
      }
    };
    std::thread second;
    if (workers.size() > 1) second = std::thread(work, 1);
    work(0);
    if (second.joinable()) second.join();
    for (const Status& village : failed) VLEDGER_TRY(village);
    for (const SiteResult& n : counts) {
      out.villages += n.villages;
      out.residents += n.residents;
    }
    VLEDGER_TRY(files.Finish());
    VLEDGER_TRY(SyncFolder(tmp.string()));
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) {
      return Status::InvalidInput("--out", Msg("cannot rename {} to {}: {}", tmp.string(),
                                               final_dir.string(), ErrnoText()));
    }
    return Status::Ok();
  }();
  if (!st.ok()) {
    fs::remove_all(tmp, ec);
    return st;
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string SiteJson(const SiteResult& r) {
  return Json{{"dir", r.out_dir},       {"size", r.head.size},      {"root", Hex(r.head.root)},
              {"villages", r.villages}, {"residents", r.residents}, {"files", r.files},
              {"bytes", r.bytes}}
      .dump();
}

}  // namespace vledger::app
