// `vledger demo [DIR]`: builds a sample village ledger by running the real
// commands, verifies it, and says what it did and where the data is.
//
// The village is 甲夼曲家村 (夏庄镇, Rongcheng), as DOMAIN.md describes it:
// 40 households, 120 residents, most of them surnamed 曲.
#include <filesystem>
#include <memory>

#include "context.h"

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
    char hid[16];
    std::snprintf(hid, sizeof hid, "H%03d", h);
    std::string surname = Surname(h);
    std::string head_name = surname + GivenName(resident);
    VLEDGER_TRY(run.Run("collector", {"household", "add", hid, "--village", kVillage, "--head",
                                      head_name, "--request-id", std::string("demo-") + hid}));
    // Three residents a household: the head, a spouse, and every third
    // household a child (a minor, never named in public).
    for (int k = 0; k < 3; k++) {
      char rid[16];
      std::snprintf(rid, sizeof rid, "R%03d", ++resident);
      bool minor = k == 2 && h % 3 == 0;
      std::string name = k == 1 ? "王" + GivenName(resident) : surname + GivenName(resident);
      if (k == 0) name = head_name;
      std::vector<std::string> args = {"resident", "add",   rid,    "--village", kVillage,
                                       "--household", hid, "--name", name};
      int birth = minor ? 2012 + h % 6 : 1950 + (resident * 7) % 45;
      args.insert(args.end(), {"--birth-year", std::to_string(birth)});
      if (minor) args.push_back("--minor");
      VLEDGER_TRY(run.Run("collector", args));
      if (k == 0) VLEDGER_TRY(run.Run("collector", {"household", "head", hid, "--resident", rid}));
    }
  }
  return Status::Ok();
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
  VLEDGER_TRY(run.Run("", {"init", "--name", "荣成市信用积分演示", "--admin-key-out",
                           keys + "/admin.key"}));
  VLEDGER_TRY(BuildRegistry(run));
  ctx.PrintLine("  registered 1 village, " + std::to_string(kHouseholds) +
                " households and 120 residents (names kept beside the chain)");
  ctx.PrintLine("  keys: admin, collector (信息采集员), reviewer (信用议事会), treasurer");

  VLEDGER_TRY(run.Run("", {"verify"}));
  ctx.PrintLine("  ran " + std::to_string(run.commands()) + " commands; `vledger verify` passed");
  ctx.PrintLine("");
  ctx.PrintLine("ledger: " + dir + "    keys: " + keys + "/ (mode 0600)");
  ctx.PrintLine("try:    vledger --ledger " + dir + " log --limit 10");
  ctx.PrintLine("        vledger --ledger " + dir + " resident list --village " + kVillage);
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
