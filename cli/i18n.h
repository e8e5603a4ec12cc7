// The language of everything the CLI prints for people: help, errors,
// warnings, prompts, progress and human output (SPEC section 12,
// "Messages"). JSON documents, exit codes and stored data never change
// with it.
//
// Strings are marked where they are written: `_("text")` for a plain
// string, `Tr("pattern {}", args...)` for one with arguments (the
// placeholders of message.h), `P_("context", "text")` where one English
// word needs different translations (event kinds), `N_("text")` to mark a
// literal translated later. The catalogs are po/zh_CN/*.po, built into
// <build>/locale with the program; tests/checks/translations.py fails when
// a marked string has no Chinese translation.
//
// The language is chosen before the command line is parsed (help texts
// are registered in it) and kept for the thread: a server runs each
// client's command in the client's language on a thread of its own.
// gettext's binding is process-wide: it is made once, the first time
// Chinese is used (a server makes it before its threads start, as it sets
// LANGUAGE), and English skips gettext altogether.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/message.h"
#include "vledger/ledger/status.h"

namespace vledger::cli {

enum class Language { kEnglish, kChinese };

// The language a value of --lang, VLEDGER_LANG or a locale variable names:
// "zh", "zh_CN.UTF-8", "zh_TW" ... are Chinese (the one Chinese catalog is
// Simplified); "en*", "C", "POSIX", "C.UTF-8" are English; anything else
// names no language we have (nullopt). LANGUAGE's colon-separated list is
// read entry by entry.
std::optional<Language> LanguageNamed(std::string_view value);

// The language of a command line: `--lang L` (or `--lang=L`) among `args`,
// else VLEDGER_LANG, else the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG
// that names a language (read through `env`), else English. A --lang or
// VLEDGER_LANG naming no language is an error (usage, naming it).
Result<Language> ChooseLanguage(const std::vector<std::string>& args,
                                const std::function<const char*(const char*)>& env);

// Switches the process's messages to `lang`. Chinese needs no installed
// locale: the catalog is read from the folder of the program (see
// i18n.cc), VLEDGER_LOCALEDIR overriding it.
void UseLanguage(Language lang);
// The process's part of Chinese (LANGUAGE, the catalog's binding), which
// UseLanguage makes once; a server calls it before its threads start.
void BindCatalog();
Language CurrentLanguage();

// The translation of `msgid` (itself when English or untranslated).
const char* _(const char* msgid);
// Marks a literal for the catalog without translating it here.
constexpr const char* N_(const char* msgid) { return msgid; }
// The translation of `msgid` in `context` (e.g. P_("event", "award")).
const char* P_(const char* context, const char* msgid);

// A pattern translated, then its arguments put in (message.h).
template <size_t N, typename... Args>
std::string Tr(const char (&pattern)[N], const Args&... args) {
  return Msg::FormatPattern(_(pattern), Msg(pattern, args...).args());
}
// A word of a closed vocabulary (vledger/ledger/vocab.h: roles, resident
// statuses, fund kinds, cap periods; entry statuses, a gift's uses) in the
// current
// language, for human output; a word it does not know is shown as it is.
std::string Word(std::string_view english);

// A library's message in the current language.
std::string Tr(const Msg& msg);
// A Status's whole line in the current language: "row R: seq S: FIELD:
// DETAIL" as message() says, each word translated.
std::string Tr(const Status& status);

}  // namespace vledger::cli
