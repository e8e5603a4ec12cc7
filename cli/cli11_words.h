// CLI11's own words in the user's language: the layout of --help
// ("Usage:", "Options:", "REQUIRED", the type names TEXT, INT ...) and its
// parse errors (a missing option, an unexpected argument, a value that does
// not convert or validate), which it writes in English only.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace vledger::cli {

// Makes `app`'s help speak the current language (i18n.h): its formatter,
// the -h/--help flag and the names of the option and subcommand groups.
// Called on the root before any subcommand or option is added: CLI11
// copies these into each subcommand when it is created.
void UseTranslatedHelp(CLI::App& app);

// The text of a parse error of CLI11 in the current language, one line,
// naming the option or argument at fault; what CLI11 said when its shape is
// not one this knows.
std::string ParseErrorText(const CLI::ParseError& error);

}  // namespace vledger::cli
