// `vledger demo [DIR]`: builds a sample village ledger by running the real
// commands, verifies it, and says what it did and where the data is.
//
// The village is 甲夼曲家村 (夏庄镇, Rongcheng), modelled on the real one:
// 40 households, 120 residents, most of them surnamed 曲.
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "vledger/projections/points.h"
#include "vledger/ledger/store.h"

namespace vledger::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kHouseholds = 40;
constexpr const char* kVillage = "JKQJ";
constexpr const char* kVillageName = "甲夼曲家村";

// Runs one command quietly, stopping the demo at the first failure.
class DemoRunner {
 public:
  DemoRunner(std::string dir, std::string keys) : dir_(std::move(dir)), keys_(std::move(keys)) {}

  Status Run(const std::string& key, std::vector<std::string> args) {
    Context ctx;
    ctx.quiet = true;
    std::vector<std::string> full = {"--ledger", dir_};
    if (!key.empty()) {
      full.push_back("--key");
      full.push_back(keys_ + "/" + key + ".key");
    }
    full.insert(full.end(), args.begin(), args.end());
    int rc = RunCommandLine(ctx, full);
    commands_++;
    if (rc == 0) return Status::Ok();
    std::string line;
    for (const auto& a : args) line += a + " ";
    return Status::Internal("demo step failed (exit " + std::to_string(rc) + "): vledger " + line);
  }

  int commands() const { return commands_; }
  const std::string& keys() const { return keys_; }

 private:
  std::string dir_, keys_;
  int commands_ = 0;
};

// Deterministic sample names: most households are 曲, as in the village.
std::string Surname(int household) {
  static const char* kOthers[] = {"王", "李", "张", "孙", "刘"};
  return household % 5 == 4 ? kOthers[(household / 5) % 5] : "曲";
}

std::string GivenName(int i) {
  static const char* kGiven[] = {
      "建国", "秀英", "志强", "桂兰", "海涛", "玉梅", "德福", "春花", "明亮", "淑珍",
      "立新", "翠萍", "永刚", "红霞", "国庆", "丽娟", "长青", "凤英", "振华", "秀兰",
      "文斌", "美玲", "宝山", "晓燕", "洪波", "金凤", "世民", "雪梅", "海军", "玉珍",
      "家乐", "子涵", "浩然", "欣怡", "雨轩", "梓萱", "俊杰", "思雨", "博文", "诗琪"};
  return kGiven[i % 40];
}

Status BuildRegistry(DemoRunner& run) {
  VLEDGER_TRY(run.Run("admin", {"village", "add", kVillage, "--name", kVillageName}));
  VLEDGER_TRY(run.Run("", {"key", "new", "--out", run.keys() + "/collector.key"}));
  VLEDGER_TRY(run.Run("", {"key", "new", "--out", run.keys() + "/reviewer.key"}));
  VLEDGER_TRY(run.Run("", {"key", "new", "--out", run.keys() + "/treasurer.key"}));
  VLEDGER_TRY(run.Run("admin", {"key", "register", "--pub", run.keys() + "/collector.key.pub",
                                "--role", "collector", "--village", kVillage, "--label",
                                "甲夼曲家村信息采集员"}));
  VLEDGER_TRY(run.Run("admin", {"key", "register", "--pub", run.keys() + "/reviewer.key.pub",
                                "--role", "reviewer", "--village", kVillage, "--label",
                                "甲夼曲家村信用议事会"}));
  VLEDGER_TRY(run.Run("admin", {"key", "register", "--pub", run.keys() + "/treasurer.key.pub",
                                "--role", "treasurer", "--village", kVillage, "--label",
                                "夏庄镇慈善工作站"}));
  int resident = 0;
  for (int h = 1; h <= kHouseholds; h++) {
    const std::string hid = fmt::format("H{:03d}", h);
    std::string surname = Surname(h);
    std::string head_name = surname + GivenName(resident);
    VLEDGER_TRY(run.Run("collector", {"household", "add", hid, "--village", kVillage, "--head",
                                      head_name, "--request-id", std::string("demo-") + hid}));
    // Three residents a household: the head, a spouse, and every third
    // household a child (a minor by birth year, never named in public).
    for (int k = 0; k < 3; k++) {
      const std::string rid = fmt::format("R{:03d}", ++resident);
      bool minor = k == 2 && h % 3 == 0;
      std::string name = k == 1 ? "王" + GivenName(resident) : surname + GivenName(resident);
      if (k == 0) name = head_name;
      std::vector<std::string> args = {"resident", "add",   rid,    "--village", kVillage,
                                       "--household", hid, "--name", name};
      int birth = minor ? 2012 + h % 6 : 1950 + (resident * 7) % 45;
      args.insert(args.end(), {"--birth-year", std::to_string(birth)});
      VLEDGER_TRY(run.Run("collector", args));
      if (k == 0) VLEDGER_TRY(run.Run("collector", {"household", "head", hid, "--resident", rid}));
    }
  }
  return Status::Ok();
}

// The village's credit rules (信用管理办法), as Wendeng-style villages write them.
Status DefineRules(DemoRunner& run) {
  const std::vector<std::vector<std::string>> rules = {
      {"VOL", "志愿服务", "1", "--min", "1", "--max", "10", "--desc", "志愿服务、为老人义务理发，每4小时1分"},
      {"ELDER", "孝老爱亲", "5", "--min", "2", "--max", "10", "--desc", "孝老爱亲、照顾老人"},
      {"CLEAN", "环境整治", "2", "--cap", "6", "--cap-period", "month", "--desc", "庭院整洁，每月至多6分"},
      {"CUSTOM", "移风易俗", "5", "--desc", "红白事简办"},
      {"DONATE", "志愿服务", "3", "--min", "1", "--max", "20", "--desc", "捐款捐物"},
      {"LITTER", "环境整治", "-10", "--desc", "乱扔垃圾"},
      {"SORT", "环境整治", "-5", "--desc", "垃圾不分类"},
  };
  for (const auto& r : rules) {
    std::vector<std::string> args = {"rule", "add", r[0], "--category", r[1], "--points", r[2],
                                     "--village", kVillage};
    args.insert(args.end(), r.begin() + 3, r.end());
    VLEDGER_TRY(run.Run("admin", args));
  }
  return Status::Ok();
}

// A deterministic stream of choices (no clock, no global RNG).
class DemoRandom {
 public:
  uint32_t Next(uint32_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((state_ >> 33) % n);
  }

 private:
  uint64_t state_ = 20210701;
};

std::string ResidentId(int n) {
  return fmt::format("R{:03d}", n);
}

// One quarter (2021Q3) of entries by the collector: about 280 awards and
// deductions in July and August, then review switched on for September,
// whose entries the village credit council approves or rejects.
Status RecordQuarter(DemoRunner& run, int* entries) {
  DemoRandom rnd;
  std::map<std::string, int> clean_count;
  static const char* kAwardRules[] = {"VOL", "VOL", "VOL", "ELDER", "CLEAN", "CLEAN", "CUSTOM", "DONATE"};
  for (int i = 0; i < 260; i++) {
    int month = 7 + i / 130;
    std::string date = "2021-0" + std::to_string(month) + "-" + (i % 28 < 9 ? "0" : "") +
                       std::to_string(i % 28 + 1);
    std::string resident = ResidentId(1 + static_cast<int>(rnd.Next(120)));
    if (i % 13 == 12) {
      const char* rule = i % 2 ? "LITTER" : "SORT";
      VLEDGER_TRY(run.Run("collector", {"deduct", resident, rule, "--on", date}));
    } else {
      std::string rule = kAwardRules[rnd.Next(8)];
      // CLEAN is capped at 6 points a month: the collector gives it at
      // most three times a month to one resident.
      if (rule == "CLEAN" && ++clean_count[resident + date.substr(0, 7)] > 3) rule = "CUSTOM";
      std::vector<std::string> args = {"award", resident, rule, "--on", date};
      if (rule == "VOL") args.insert(args.end(), {"--points", std::to_string(1 + rnd.Next(4))});
      if (rule == "ELDER") args.insert(args.end(), {"--points", std::to_string(2 + rnd.Next(9))});
      if (rule == "DONATE") args.insert(args.end(), {"--points", std::to_string(1 + rnd.Next(5))});
      VLEDGER_TRY(run.Run("collector", args));
    }
    (*entries)++;
  }
  VLEDGER_TRY(run.Run("collector", {"deduct", "--household", "H007", "SORT", "--on", "2021-08-20",
                                    "--note", "门前垃圾未分类（户主承担）"}));
  VLEDGER_TRY(run.Run("admin", {"village", "policy", kVillage, "--review", "on"}));
  for (int i = 0; i < 24; i++) {
    std::string date = "2021-09-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1);
    VLEDGER_TRY(run.Run("collector", {"award", ResidentId(1 + static_cast<int>(rnd.Next(120))),
                                      "VOL", "--points", "2", "--on", date, "--note", "为老人义务理发"}));
    (*entries)++;
  }
  return Status::Ok();
}

// The credit council reviews September's pending entries.
Status ReviewRound(DemoRunner& run, const std::string& dir, int* approved, int* rejected) {
  std::vector<uint64_t> pending;
  {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(dir, {Ledger::Access::kReader, 0}));
    VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
    pending = ListPending(*state, kVillage);
  }
  std::vector<std::string> args = {"review"};
  for (size_t i = 0; i < pending.size(); i++) {
    if (i % 8 == 7) continue;
    args.insert(args.end(), {"--approve", std::to_string(pending[i])});
    (*approved)++;
  }
  for (size_t i = 7; i < pending.size(); i += 8) {
    args.insert(args.end(), {"--reject", std::to_string(pending[i]) + ":照片不清，请补充证明"});
    (*rejected)++;
  }
  return run.Run("reviewer", args);
}

// The credit supermarket (信用超市) takes points for daily goods.
Status Redemptions(DemoRunner& run, const std::string& dir, int* made) {
  static const char* kItems[] = {"洗衣粉", "食用油", "毛巾", "酱油", "香皂", "大米"};
  std::vector<std::pair<std::string, int64_t>> rich;
  {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(dir, {Ledger::Access::kReader, 0}));
    VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
    for (int n = 1; n <= 120 && rich.size() < 12; n++) {
      PointsBalance b = LoadBalance(*state, ResidentId(n));
      if (b.spendable >= 8) rich.emplace_back(ResidentId(n), b.spendable);
    }
  }
  for (size_t i = 0; i < rich.size(); i++) {
    VLEDGER_TRY(run.Run("collector", {"redeem", rich[i].first, "--points",
                                      std::to_string(std::min<int64_t>(rich[i].second, 5 + i % 4)),
                                      "--item", kItems[i % 6], "--shop", "XYCS", "--qty", "1"}));
    (*made)++;
  }
  return Status::Ok();
}

// A mistaken entry is corrected by a reversal (listed as 更正说明).
Status Correction(DemoRunner& run, const std::string& dir) {
  uint64_t target = 0;
  {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(dir, {Ledger::Access::kReader, 0}));
    VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
    // The first approved award that its resident can still give back.
    for (int n = 1; n <= 120 && target == 0; n++) {
      int64_t spendable = LoadBalance(*state, ResidentId(n)).spendable;
      for (uint64_t h : ListHistory(*state, ResidentId(n))) {
        auto e = LoadEntry(*state, h);
        if (e && !e->deduction && e->status == EntryStatus::kApproved && e->points <= spendable) {
          target = h;
          break;
        }
      }
    }
  }
  if (target == 0) return Status::Ok();
  return run.Run("collector", {"reverse", std::to_string(target), "--reason",
                               "录入错误：应记入同名村民，已更正"});
}

// Funds: a 情暖夕阳-style charity fund with donations and monthly
// allowances for three children, and the village credit fund paying the
// quarter's dividend in proportion to points.
Status RunFunds(DemoRunner& run) {
  VLEDGER_TRY(run.Run("admin", {"fund", "open", "QNXY", "--name", "情暖夕阳慈善基金", "--kind",
                                "charity", "--village", kVillage, "--list-beneficiaries", "masked"}));
  VLEDGER_TRY(run.Run("admin", {"fund", "open", "XYJJ", "--name", "甲夼曲家村信用基金", "--kind",
                                "credit", "--village", kVillage}));
  const std::vector<std::vector<std::string>> gifts = {
      {"QNXY", "--amount", "20000", "--donor-org", "荣成市慈善总会", "--purpose", "edu"},
      {"QNXY", "--amount", "5000", "--donor", "曲志强", "--public-name"},
      {"QNXY", "--amount", "2000", "--donor", "王秀英", "--purpose", "elder"},
      {"QNXY", "--amount", "1000", "--anonymous"},
      {"XYJJ", "--amount", "10000", "--donor-org", "甲夼曲家村村集体"},
  };
  for (const auto& g : gifts) {
    std::vector<std::string> args = {"donate"};
    args.insert(args.end(), g.begin(), g.end());
    VLEDGER_TRY(run.Run("treasurer", args));
  }
  for (const char* child : {"R009", "R018", "R027"}) {
    VLEDGER_TRY(run.Run("treasurer", {"allowance", "add", "QNXY", "--to", child, "--amount", "500",
                                      "--from", "2021-07", "--until", "2022-06", "--purpose", "edu"}));
  }
  for (const char* month : {"2021-07", "2021-08", "2021-09"}) {
    VLEDGER_TRY(run.Run("treasurer", {"allowance", "run", "--month", month}));
  }
  return run.Run("treasurer", {"dividend", "XYJJ", "--village", kVillage, "--period", "2021Q3",
                               "--amount", "5000", "--request-id", "dividend-JKQJ-2021Q3"});
}

Status Demo(Context& ctx, std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::string keys = dir + "-keys";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::Rejected("DIR: " + dir + " exists and is not empty (remove it, or name another)");
  }
  if (fs::exists(keys, ec) && !fs::is_empty(keys, ec)) {
    return Status::Rejected("DIR: " + keys + " exists and is not empty");
  }
  fs::create_directories(keys, ec);
  if (ec) return Status::Rejected("DIR: cannot create " + keys + ": " + ec.message());
  fs::permissions(keys, fs::perms::owner_all, ec);

  DemoRunner run(dir, keys);
  ctx.PrintLine("vledger demo: building the sample village " + std::string(kVillageName) +
                " (夏庄镇, 荣成市) in " + dir);
  // A test clock: scripts/demo pins VLEDGER_NOW for a reproducible demo.
  VLEDGER_TRY(run.Run("", {"init", "--name", "荣成市信用积分演示", "--test-clock",
                           "--admin-key-out", keys + "/admin.key"}));
  VLEDGER_TRY(BuildRegistry(run));
  ctx.PrintLine("  registered 1 village, " + std::to_string(kHouseholds) +
                " households and 120 residents (names kept beside the chain)");
  ctx.PrintLine("  keys: admin, collector (信息采集员), reviewer (信用议事会), treasurer");
  VLEDGER_TRY(DefineRules(run));
  int entries = 0, approved = 0, rejected = 0, redemptions = 0;
  VLEDGER_TRY(RecordQuarter(run, &entries));
  VLEDGER_TRY(ReviewRound(run, dir, &approved, &rejected));
  VLEDGER_TRY(Redemptions(run, dir, &redemptions));
  VLEDGER_TRY(Correction(run, dir));
  ctx.PrintLine("  7 village rules; " + std::to_string(entries) +
                " awards and deductions in 2021Q3; review on for September: " +
                std::to_string(approved) + " approved, " + std::to_string(rejected) + " rejected");
  ctx.PrintLine("  " + std::to_string(redemptions) +
                " redemptions at the 信用超市; one entry corrected by a reversal");
  VLEDGER_TRY(RunFunds(run));
  ctx.PrintLine("  情暖夕阳 charity fund: 4 donations (28,000.00 yuan), 500 yuan a month to 3 "
                "children for 2021-07..09; credit fund: 5,000.00 yuan dividend for 2021Q3 by points");

  VLEDGER_TRY(run.Run("", {"verify"}));
  // A villager objects to one entry; the quarter's bulletin shows it as
  // disputed. Then the bulletin is written at a checkpoint the admin signs.
  VLEDGER_TRY(run.Run("collector", {"objection", "file", "--event", "300", "--by", "R061", "--text",
                                    "本人当日不在村，积分记录有误，请核实"}));
  std::string html = dir + "-bulletin.html", md = dir + "-bulletin.md";
  VLEDGER_TRY(run.Run("admin", {"report", "bulletin", "--village", kVillage, "--period", "2021Q3",
                                "--format", "html", "--out", html}));
  VLEDGER_TRY(run.Run("admin", {"report", "bulletin", "--village", kVillage, "--period", "2021Q3",
                                "--format", "md", "--out", md}));
  ctx.PrintLine("  ran " + std::to_string(run.commands()) + " commands; `vledger verify` passed");
  ctx.PrintLine("");
  ctx.PrintLine("ledger: " + dir + "    keys: " + keys + "/ (mode 0600)");
  ctx.PrintLine("2021Q3 bulletin (公示): " + html + " (print on A4) and " + md);
  ctx.PrintLine("try:    vledger --ledger " + dir + " log --limit 10");
  ctx.PrintLine("        vledger --ledger " + dir + " rank --village " + kVillage + " --period 2021Q3");
  ctx.PrintLine("        vledger --ledger " + dir + " balance R001");
  ctx.PrintLine("        vledger --ledger " + dir + " balance --fund QNXY");
  ctx.PrintLine("        vledger --ledger " + dir + " verify");
  return Status::Ok();
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, Context& ctx, Action* action) {
  auto dir = std::make_shared<std::string>("./vledger-demo");
  CLI::App* cmd = AddCommand(app, "demo", "build, verify and show a sample village ledger");
  cmd->add_option("DIR", *dir, "ledger folder (default ./vledger-demo; keys go to DIR-keys/)");
  cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return Demo(ctx, *dir); }; });
}

}  // namespace vledger::cli
