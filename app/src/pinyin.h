// Pinyin of personal names, for the name index (name_index.h): the full
// reading without tones ("wangjianguo") and its initials ("wjg").
//
// Readings come from ICU's Han-Latin transliteration, one character at a
// time, with a table of surname readings where it errs (单 shan, 曾 zeng,
// 解 xie, 尉迟 yuchi …) applied to the first character(s) of a name only.
// Creating the transliterator costs ~170 ms, so it is made only when a
// character is met whose reading is not known yet: readings already known
// (the index keeps one row per character, `c/`) are given by `known`, and
// the ones learned are returned by learned() for the caller to store.
// ICU stays inside pinyin.cc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/ledger/status.h"

namespace vledger::app {

struct PinyinReading {
  std::string full;      // lower-case ASCII, no tones, no separators
  std::string initials;  // the first letter of each syllable
};

class Pinyin {
 public:
  // The stored reading of one character (UTF-8), nullopt when unknown.
  using KnownFn = std::function<Result<std::optional<std::string>>(std::string_view ch)>;
  explicit Pinyin(KnownFn known);
  ~Pinyin();
  Pinyin(const Pinyin&) = delete;
  Pinyin& operator=(const Pinyin&) = delete;

  // The reading of `name`. Characters neither Han nor ASCII letters or
  // digits (·, spaces) are left out; a run of ASCII letters or digits is
  // one syllable. Internal error when ICU cannot be started.
  Result<PinyinReading> Of(std::string_view name);
  // The reading of one Han character `ch` as the transliteration gives it
  // (no surname table), e.g. "dan" for 单.
  Result<std::string> OfChar(std::string_view ch);

  // Characters whose readings were transliterated (not given by `known`)
  // since the last call, with their readings; clears the list.
  std::vector<std::pair<std::string, std::string>> TakeLearned();
  // Whether the transliterator was created (the ~170 ms were spent).
  bool transliterator_created() const;
  // Creates the transliterator now rather than at the first character it
  // reads (a thread can pay its start while another works); learns nothing.
  // Internal error when ICU cannot be started.
  Status Start();
  // Compiles ICU's transliteration rules for this process without keeping
  // a transliterator: ICU keeps the compiled rules, so that every Start()
  // after it takes well under a millisecond instead of ~150 ms. For a
  // thread that has time before others start theirs. A failure is left to
  // Start(), which reports it.
  static void Prepare();

  // The reading of a surname at the start of `name`, from the table: the
  // bytes it takes and its syllables; nullopt when the name starts with
  // none of the table's surnames.
  static std::optional<std::pair<size_t, std::vector<std::string_view>>> Surname(
      std::string_view name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vledger::app
