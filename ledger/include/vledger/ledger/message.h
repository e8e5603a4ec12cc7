// Msg: a message as a pattern and its arguments, so that a front end can
// show it in its user's language.
//
// The pattern is an English string literal with `{}` (or `{0}`, `{1}` ...)
// where an argument goes; it is also the key of its translation in the
// message catalogs (po/). Library code never translates: a Status carries
// its Msg, `English()` renders it as the pattern says, and a front end
// renders the translated pattern with the same arguments (cli/i18n.h; a
// server sends the pattern and the arguments and its client renders them).
//
// The constructor takes only a string literal (a char array), so every
// message a Status can carry is a literal that the catalog extractor finds:
// text built at run time (a file name, a RocksDB error) is an argument.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace vledger {

namespace message_internal {
inline std::string ArgText(std::string_view s) { return std::string(s); }
inline std::string ArgText(const std::string& s) { return s; }
inline std::string ArgText(const char* s) { return s; }
inline std::string ArgText(char c) { return std::string(1, c); }
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) std::string ArgText(T v) {
  return std::to_string(v);
}
}  // namespace message_internal

class Msg {
 public:
  Msg() = default;
  // `pattern` is a literal; `args` are strings or integers.
  template <size_t N, typename... Args>
  Msg(const char (&pattern)[N], const Args&... args)  // NOLINT: implicit by design
      : pattern_(pattern), args_{message_internal::ArgText(args)...} {}

  // The pattern: the catalog key.
  const char* pattern() const { return pattern_; }
  const std::vector<std::string>& args() const { return args_; }
  bool empty() const { return pattern_[0] == '\0'; }

  // The message in English: the pattern with its arguments in place.
  std::string English() const { return FormatPattern(pattern_, args_); }

  // `pattern` with `{}` replaced by the next argument and `{N}` by argument
  // N (from 0); `{{` and `}}` are literal braces. A placeholder without an
  // argument is left as it is, so a wrong translation shows, never crashes.
  static std::string FormatPattern(std::string_view pattern, const std::vector<std::string>& args);

  bool operator==(const Msg& o) const {
    return std::string_view(pattern_) == o.pattern_ && args_ == o.args_;
  }

 private:
  const char* pattern_ = "";
  std::vector<std::string> args_;
};

inline std::string Msg::FormatPattern(std::string_view pattern,
                                      const std::vector<std::string>& args) {
  std::string out;
  out.reserve(pattern.size() + 16 * args.size());
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); i++) {
    char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      out += c;
      i++;
      continue;
    }
    if (c == '{') {
      size_t close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view inside = pattern.substr(i + 1, close - i - 1);
        size_t index = next;
        bool numbered = !inside.empty();
        bool valid = true;
        if (numbered) {
          index = 0;
          for (char d : inside) {
            if (d < '0' || d > '9' || index > 99) {
              valid = false;
              break;
            }
            index = index * 10 + static_cast<size_t>(d - '0');
          }
        }
        if (valid && index < args.size()) {
          out += args[index];
          if (!numbered) next++;
          i = close;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

}  // namespace vledger
