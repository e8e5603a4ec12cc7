// `resident find TEXT [--village V]` (SPEC section 12): residents by name,
// pinyin, initials, household or id. The search is app::ResidentFind
// (vledger/app/people.h); this file registers it and prints its result.
#include <memory>

#include "actions.h"
#include "context.h"
#include "i18n.h"
#include "vledger/app/people.h"

namespace vledger::cli {
namespace {

const char* StatusWord(ResidentStatus status) {
  switch (status) {
    case ResidentStatus::kActive:
      return P_("resident status", "active");
    case ResidentStatus::kDeparted:
      return P_("resident status", "departed");
    case ResidentStatus::kDeceased:
      break;
  }
  return P_("resident status", "deceased");
}

void PrintFound(const Context& ctx, const app::ResidentFindResult& result) {
  if (result.residents.empty()) ctx.PrintLine(_("no resident matches"));
  for (const app::ResidentMatch& m : result.residents) {
    std::string born = m.birth_year ? std::to_string(m.birth_year) : "?";
    std::string head = m.head.empty() ? "-" : m.head;
    ctx.PrintLine(Tr("{0}  {1}  village {2}  household {3} (head {4})  born {5}  {6}", m.id, m.name,
                     m.village, m.household, head, born, StatusWord(m.status)));
  }
  if (result.truncated) {
    ctx.PrintLine(Tr("more residents match than the {} listed: give more of the name, or --village",
                     app::kFindMatchesMax));
  }
  if (result.unread_pinyin > 0) {
    ctx.Warn(
        Tr("the pinyin of {} residents is not indexed yet (the ledger cannot be written "
           "now): they are found by name only",
           result.unread_pinyin));
  }
}

}  // namespace

void RegisterResidentFind(CLI::App& resident, Context& ctx, Action* action) {
  auto o = std::make_shared<app::ResidentFindRequest>();
  CLI::App* cmd =
      AddCommand(resident, "find", _("find residents by name, pinyin, initials, household or id"));
  cmd->add_option("TEXT", o->text,
                  _("a name or its start, pinyin (wangjianguo), initials (wjg), "
                    "a household or resident id"))
      ->required();
  cmd->add_option("--village", o->village, _("only this village's residents"));
  OnQuery(cmd, ctx, action, o, app::ResidentFind, app::ResidentFindJson, PrintFound);
}

}  // namespace vledger::cli
