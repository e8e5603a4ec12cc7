// Pinyin of personal names (pinyin.h), over ICU's Han-Latin transliteration.
#include "pinyin.h"

#include <unicode/translit.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <array>
#include <unordered_map>

namespace vledger::app {
namespace {

// Surnames whose reading differs from the character's commonest one (the
// one ICU gives), longest first: a compound surname wins over its first
// character. Applied to the start of a name only.
struct SurnameReading {
  std::string_view surname;
  std::array<std::string_view, 2> syllables;  // the second empty for one character
};
constexpr SurnameReading kSurnames[] = {
    {"尉迟", {"yu", "chi"}},    {"万俟", {"mo", "qi"}}, {"澹台", {"tan", "tai"}},
    {"长孙", {"zhang", "sun"}}, {"单", {"shan", ""}},   {"曾", {"zeng", ""}},
    {"解", {"xie", ""}},        {"仇", {"qiu", ""}},    {"区", {"ou", ""}},
    {"朴", {"piao", ""}},       {"查", {"zha", ""}},    {"盖", {"ge", ""}},
    {"覃", {"qin", ""}},        {"缪", {"miao", ""}},   {"翟", {"zhai", ""}},
    {"种", {"chong", ""}},      {"召", {"shao", ""}},   {"秘", {"bi", ""}},
    {"乐", {"yue", ""}},        {"员", {"yun", ""}},    {"繁", {"po", ""}},
    {"宓", {"mi", ""}},         {"冼", {"xian", ""}},   {"句", {"gou", ""}},
    {"能", {"nai", ""}},        {"黑", {"he", ""}},     {"华", {"hua", ""}},
    {"任", {"ren", ""}},        {"沈", {"shen", ""}},   {"重", {"chong", ""}},
};

bool IsAsciiAlnum(UChar32 c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char AsciiLower(UChar32 c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }

}  // namespace

struct Pinyin::Impl {
  KnownFn known;
  std::unique_ptr<icu::Transliterator> transliterator;
  std::unordered_map<std::string, std::string> cache;  // character -> reading
  std::vector<std::pair<std::string, std::string>> learned;

  Status Start() {
    if (transliterator) return Status::Ok();
    UErrorCode status = U_ZERO_ERROR;
    transliterator.reset(
        icu::Transliterator::createInstance("Han-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !transliterator) {
      transliterator.reset();
      return Status::Internal(Msg("cannot start the pinyin transliteration (ICU: {})",
                                  std::string(u_errorName(status))));
    }
    return Status::Ok();
  }

  // The reading of one Han character: cached, stored, or transliterated.
  Result<std::string> Char(const std::string& ch) {
    auto it = cache.find(ch);
    if (it != cache.end()) return it->second;
    std::optional<std::string> stored;
    if (known) {
      VLEDGER_ASSIGN_OR_RETURN(stored, known(ch));
    }
    if (!stored) {
      VLEDGER_TRY(Start());
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(ch);
      transliterator->transliterate(u);
      std::string latin;
      u.toUTF8String(latin);
      std::string reading;
      for (char c : latin) {
        if (IsAsciiAlnum(static_cast<unsigned char>(c))) reading += AsciiLower(c);
      }
      learned.emplace_back(ch, reading);
      stored = std::move(reading);
    }
    cache.emplace(ch, *stored);
    return *stored;
  }
};

Pinyin::Pinyin(KnownFn known) : impl_(std::make_unique<Impl>()) { impl_->known = std::move(known); }
Pinyin::~Pinyin() = default;

std::optional<std::pair<size_t, std::vector<std::string_view>>> Pinyin::Surname(
    std::string_view name) {
  for (const SurnameReading& s : kSurnames) {
    if (!name.starts_with(s.surname)) continue;
    std::vector<std::string_view> syllables;
    for (std::string_view y : s.syllables) {
      if (!y.empty()) syllables.push_back(y);
    }
    return std::make_pair(s.surname.size(), std::move(syllables));
  }
  return std::nullopt;
}

Status Pinyin::Start() { return impl_->Start(); }

void Pinyin::Prepare() { (void)Pinyin(nullptr).Start(); }

Result<std::string> Pinyin::OfChar(std::string_view ch) { return impl_->Char(std::string(ch)); }

Result<PinyinReading> Pinyin::Of(std::string_view name) {
  std::vector<std::string> syllables;
  size_t start = 0;
  if (auto surname = Surname(name)) {
    start = surname->first;
    for (std::string_view y : surname->second) syllables.emplace_back(y);
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  int32_t length = static_cast<int32_t>(name.size());
  int32_t i = static_cast<int32_t>(start);
  std::string word;  // a run of ASCII letters and digits
  while (i < length) {
    int32_t begin = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && IsAsciiAlnum(c)) {
      word += AsciiLower(c);
      continue;
    }
    if (!word.empty()) syllables.push_back(std::move(word));
    word.clear();
    UErrorCode status = U_ZERO_ERROR;
    if (c < 0 || uscript_getScript(c, &status) != USCRIPT_HAN) continue;
    VLEDGER_ASSIGN_OR_RETURN(std::string reading,
                             impl_->Char(std::string(name.substr(static_cast<size_t>(begin),
                                                                 static_cast<size_t>(i - begin)))));
    if (!reading.empty()) syllables.push_back(std::move(reading));
  }
  if (!word.empty()) syllables.push_back(std::move(word));
  PinyinReading out;
  for (const std::string& y : syllables) {
    out.full += y;
    out.initials += y[0];
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Pinyin::TakeLearned() {
  return std::exchange(impl_->learned, {});
}

bool Pinyin::transliterator_created() const { return impl_->transliterator != nullptr; }

}  // namespace vledger::app
