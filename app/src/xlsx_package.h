// The container of an .xlsx workbook (xlsx.cc's helpers; not part of the
// application layer's interface): its zip archive, read through libzip, and
// each XML part streamed through expat to a handler, at most
// kXlsxPartBytesMax uncompressed bytes, declaring no entity.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vledger/ledger/status.h"

struct zip;  // libzip's archive (zip_t)

namespace vledger::app {

// The name of an element or attribute without its namespace prefix
// ("x:sheet" → "sheet"): generators differ in the prefixes they use.
std::string_view LocalName(const char* name);

// The value of the attribute `local` among expat's name/value pairs, or
// null: unprefixed, or with `prefixed` any prefix (a relationship id is
// `r:id`, a relationship's own id `Id`).
const char* Attr(const char** atts, std::string_view local, bool prefixed = false);

// What a part's parse is told; `error` set stops it.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view /*name*/, const char** /*atts*/) {}
  virtual void End(std::string_view /*name*/) {}
  virtual void Text(std::string_view /*text*/) {}
  Status error;
};

class XlsxPackage {
 public:
  // The zip archive `bytes` (which must outlive the package), named `file`
  // in messages; InvalidInput when it is not a zip archive.
  static Result<XlsxPackage> Open(std::string_view bytes, std::string_view file);

  bool Has(const std::string& part) const;
  // Streams `part` through `handler`: InvalidInput when the part is
  // missing, damaged, not well-formed XML, declares an entity or is larger
  // than kXlsxPartBytesMax uncompressed; else the handler's own error.
  Status Parse(const std::string& part, XmlHandler& handler) const;
  const std::string& file() const { return file_; }

 private:
  struct Discard {
    void operator()(zip* z) const;
  };
  XlsxPackage(std::string_view file, zip* archive) : file_(file), zip_(archive) {}
  Status Damaged(const std::string& part, const char* why) const;

  std::string file_;
  std::unique_ptr<zip, Discard> zip_;
};

}  // namespace vledger::app
