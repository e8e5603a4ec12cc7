// Shell completion: `vledger completion bash` prints a bash script
// generated from the command tree CLI11 holds (so it names every command,
// subcommand and option there is), and the hidden `vledger __complete WHAT
// [PREFIX]` prints the ids the script completes from the ledger
// (app::Complete: residents, rules, villages, funds, households).
//
// Install: `vledger completion bash >
// ~/.local/share/bash-completion/completions/vledger`, or `source <(vledger
// completion bash)` in ~/.bashrc. The script needs bash 4 and nothing of the
// bash-completion package.
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "context.h"
#include "i18n.h"
#include "vledger/app/completion.h"
#include "vledger/app/import.h"

namespace vledger::cli {
namespace {

// What the value of an option or a positional is, for completion: a word
// list the script asks the ledger for (`@residents` …), files (`@files`),
// folders (`@dirs`), a fixed list of words, or nothing (free text).
// Positionals and options are told apart by their names across commands;
// a few depend on the command ("person erase ID").
std::string ValueKind(const std::string& path, const CLI::Option& opt) {
  static const std::map<std::string, std::string> by_name = {
      {"RESIDENT", "@residents"},
      {"--resident", "@residents"},
      {"RULE", "@rules"},
      {"--rule", "@rules"},
      {"VILLAGE", "@villages"},
      {"--village", "@villages"},
      {"FUND", "@funds"},
      {"--fund", "@funds"},
      {"HOUSEHOLD", "@households"},
      {"--household", "@households"},
      {"--to", "@payees"},
      {"FILE", "@files"},
      {"PROOF", "@files"},
      {"OLD", "@files"},
      {"NEW", "@files"},
      {"--out", "@files"},
      {"--key", "@files"},
      {"--pub", "@files"},
      {"--checkpoint", "@files"},
      {"--archive", "@files"},
      {"--admin-key", "@files"},
      {"--admin-key-out", "@files"},
      {"--tls-cert", "@files"},
      {"--tls-key", "@files"},
      {"--checkpoint-key", "@files"},
      {"DIR", "@dirs"},
      {"--ledger", "@dirs"},
      {"--lang", "zh en"},
  };
  static const std::map<std::string, std::string> by_command = {
      {"person erase ID", "@payees"},
      {"resident update ID", "@residents"},
      {"household head HOUSEHOLD", "@households"},
      {"objection file --by", "@residents"},
      {"template KIND", ""},
      {"import --kind", ""},
  };
  std::string name = opt.get_positional() && !opt.nonpositional() ? opt.get_name(true)
                     : !opt.get_lnames().empty()                  ? "--" + opt.get_lnames()[0]
                                                                  : "-" + opt.get_snames()[0];
  if (auto it = by_command.find(path + " " + name); it != by_command.end()) {
    if (!it->second.empty()) return it->second;
    std::string kinds;
    for (const std::string& k : app::ImportKindNames()) kinds += (kinds.empty() ? "" : " ") + k;
    return kinds;
  }
  if (auto it = by_name.find(name); it != by_name.end()) return it->second;
  // An IsMember check lists its words in the type name: "TEXT:{on,off}".
  std::string type = opt.get_type_name();
  size_t open = type.find('{'), close = type.rfind('}');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string words = type.substr(open + 1, close - open - 1);
    for (char& c : words) c = c == ',' ? ' ' : c;
    return words;
  }
  return "";
}

std::string OptionNames(const CLI::Option& opt) {
  std::string out;
  for (const std::string& s : opt.get_snames()) out += (out.empty() ? "-" : " -") + s;
  for (const std::string& l : opt.get_lnames()) out += (out.empty() ? "--" : " --") + l;
  return out;
}

// Shell single quotes around `s`.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One case arm of _vledger_spec per command path: its subcommands, its
// flags, its options taking a value (its own and, as CLI11 lets them
// follow, its parents'), the kind of each option's value and of each
// positional.
void SpecOf(const CLI::App& at, const std::string& path, std::vector<const CLI::Option*> inherited,
            std::ostream& out) {
  std::string subs, flags, valued, kinds, positionals;
  for (const CLI::App* sub : at.get_subcommands({})) {
    if (sub->get_group().empty()) continue;  // hidden
    subs += (subs.empty() ? "" : " ") + sub->get_name();
  }
  std::vector<const CLI::Option*> options = inherited;
  for (const CLI::Option* opt : at.get_options()) options.push_back(opt);
  for (const CLI::Option* opt : options) {
    if (!opt->nonpositional()) continue;
    std::string names = OptionNames(*opt);
    if (opt->get_expected_max() == 0) {
      flags += (flags.empty() ? "" : " ") + names;
      continue;
    }
    valued += (valued.empty() ? "" : " ") + names;
    std::string kind = ValueKind(path, *opt);
    if (kind.empty()) continue;
    std::istringstream each(names);
    for (std::string n; each >> n;) kinds += " [" + n + "]=" + Quote(kind);
  }
  for (const CLI::Option* opt : at.get_options()) {
    if (opt->nonpositional()) continue;
    positionals += (positionals.empty() ? "" : " ") + Quote(ValueKind(path, *opt));
  }
  out << "    " << Quote(path) << ")\n"
      << "      subs=" << Quote(subs) << " flags=" << Quote(flags) << " valued=" << Quote(valued)
      << "\n      kinds=(" << kinds << " ) positionals=(" << positionals << ") ;;\n";
  std::vector<const CLI::Option*> passed = inherited;
  for (const CLI::Option* opt : at.get_options()) {
    if (opt->nonpositional() && opt != at.get_help_ptr()) passed.push_back(opt);
  }
  for (const CLI::App* sub : at.get_subcommands({})) {
    if (sub->get_group().empty()) continue;
    SpecOf(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), passed, out);
  }
}

// The script's fixed part: walks the words before the cursor to find the
// command path (options and their values skipped, --ledger remembered),
// then completes the option, the option's value or the positional there.
constexpr const char* kScriptBody = R"SH(
_vledger_words() {
  local what=$1 cur=$2 args=()
  [[ -n $_vledger_dir ]] && args=(--ledger "$_vledger_dir")
  case $what in
    payees)
      "$_vledger_prog" "${args[@]}" __complete residents "$cur" 2>/dev/null
      "$_vledger_prog" "${args[@]}" __complete households "$cur" 2>/dev/null ;;
    *) "$_vledger_prog" "${args[@]}" __complete "$what" "$cur" 2>/dev/null ;;
  esac
}

_vledger_value() {
  local kind=$1 cur=$2
  case $kind in
    '') COMPREPLY=() ;;
    @files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    @dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    @*) COMPREPLY=($(compgen -W "$(_vledger_words "${kind#@}" "$cur")" -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$kind" -- "$cur")) ;;
  esac
}

_vledger() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local _vledger_prog=${COMP_WORDS[0]} _vledger_dir=
  local path= npos=0 i w expect= subs flags valued positionals
  local -A kinds
  _vledger_spec ''
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if [[ -n $expect ]]; then
      # bash splits --opt=value at the = (COMP_WORDBREAKS): skip the =.
      [[ $w == = ]] && continue
      [[ $expect == --ledger ]] && _vledger_dir=$w
      expect=
      continue
    fi
    case $w in
      --ledger=*) _vledger_dir=${w#--ledger=}; continue ;;
      -*=*) continue ;;
      -*) [[ " $valued " == *" $w "* ]] && expect=$w; continue ;;
    esac
    if [[ $npos == 0 && " $subs " == *" $w "* ]]; then
      path=${path:+$path }$w
      _vledger_spec "$path"
    else
      npos=$((npos + 1))
    fi
  done
  if [[ -n $expect ]]; then
    [[ $cur == = ]] && cur=
    _vledger_value "${kinds[$expect]}" "$cur"
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags $valued" -- "$cur"))
    return 0
  fi
  COMPREPLY=()
  if [[ $npos == 0 && -n $subs ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return 0
  fi
  if ((npos < ${#positionals[@]})); then
    _vledger_value "${positionals[$npos]}" "$cur"
  fi
  return 0
}
complete -F _vledger vledger
)SH";

Status RunCompletionBash(const CLI::App& root) {
  std::ostringstream out;
  out << "# bash completion for vledger, generated by `vledger completion bash`.\n"
      << "# Install: vledger completion bash > "
         "~/.local/share/bash-completion/completions/vledger\n"
      << "# (or `source <(vledger completion bash)` in ~/.bashrc).\n\n"
      << "_vledger_spec() {\n  kinds=()\n  case $1 in\n";
  SpecOf(root, "", {}, out);
  out << "    *) subs= flags= valued= positionals=() ;;\n  esac\n}\n" << kScriptBody;
  std::cout << out.str() << std::flush;
  return Status::Ok();
}

Status RunComplete(Context& ctx, const app::CompleteRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::CompleteResult r, app::Complete(ctx.Session(), request));
  std::string text;
  for (const std::string& w : r.words) text += w + "\n";
  std::cout << text << std::flush;
  return Status::Ok();
}

}  // namespace

void RegisterCompletionCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* completion = AddCommand(app, "completion", _("print a shell completion script"));
  completion->require_subcommand(1);
  CLI::App* bash =
      AddCommand(*completion, "bash",
                 _("print the bash completion script (install: vledger completion bash > "
                   "~/.local/share/bash-completion/completions/vledger)"));
  const CLI::App* root = &app;
  bash->callback([action, root] { *action = [root] { return RunCompletionBash(*root); }; });

  // Hidden (no group): what the script asks the ledger for.
  auto o = std::make_shared<app::CompleteRequest>();
  CLI::App* complete = AddCommand(app, "__complete", "");
  complete->group("");
  complete->add_option("WHAT", o->what)->required();
  complete->add_option("PREFIX", o->prefix);
  complete->callback([&ctx, action, o] { *action = [&ctx, o] { return RunComplete(ctx, *o); }; });
}

}  // namespace vledger::cli
