// Credit grades: `village grades` (the policy) and `grade` (app/grades.h).
#include <memory>

#include "actions.h"
#include "i18n.h"
#include "vledger/app/grades.h"

namespace vledger::cli {
namespace {

void PrintGrade(const Context& ctx, const app::GradeResult& r) {
  std::string who = r.resident.empty() ? r.household : r.resident;
  if (!r.policy) {
    ctx.PrintLine(Tr("{}  no grade policy in force in village {} on {} (score {})", who, r.village,
                     r.date, r.score));
    return;
  }
  std::string grade = r.grade.empty() ? _("below every grade") : r.grade;
  ctx.PrintLine(Tr("{}  grade {}  score {} ({}, {})  policy of {} (seq {})", who, grade, r.score,
                   r.policy->basis, r.date, r.policy->effective_from, r.policy->seq));
}

}  // namespace

void RegisterGradeCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    CLI::App* village = app.get_subcommand("village");
    auto o = std::make_shared<app::GradePolicyRequest>();
    CLI::App* cmd = AddCommand(*village, "grades",
                               _("set a village's credit grades (信用等级) from a date (admin)"));
    cmd->add_option("VILLAGE", o->village, _("village code"))->required();
    cmd->add_option("--from", o->from, _("the first day the grades hold, YYYY-MM-DD"))->required();
    cmd->add_option("--grades", o->grades,
                    _("GRADE:MINIMUM,… best first, e.g. AAA:200,AA:150,A:100,B:50,C:0"))
        ->required();
    cmd->add_option("--households", o->households,
                    _("the same grades' minimums for the household score (default: none)"));
    cmd->add_option("--basis", o->basis,
                    _("score|year: the credit score, or the points of the year (default score)"))
        ->check(CLI::IsMember({"score", "year"}));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::SetGradePolicy, app::GradePolicyJson);
  }
  {
    auto o = std::make_shared<app::GradeRequest>();
    CLI::App* cmd = AddCommand(app, "grade", _("a resident's or household's credit grade"));
    cmd->add_option("RESIDENT", o->resident, _("resident id"));
    cmd->add_option("--household", o->household, _("household id"));
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::Grade, app::GradeJson, PrintGrade);
  }
}

}  // namespace vledger::cli
