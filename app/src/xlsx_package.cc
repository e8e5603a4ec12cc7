// The container of an .xlsx workbook (xlsx_package.h).
#include "xlsx_package.h"

#include <dlfcn.h>
#include <expat.h>
#include <zip.h>

#include <string>
#include <vector>

#include "vledger/app/xlsx.h"

namespace vledger::app {
namespace {

constexpr size_t kReadChunkBytes = 64 * 1024;

// libzip is loaded with dlopen when a workbook is first read, as
// libxlsxwriter is (template_sheets.cc): linked, it would bring the shared
// libcrypto, libbz2 and libz it depends on into the start of every command
// (about 1 ms here). The file loaded is the one the -dev package's link
// names (VLEDGER_LIBZIP_SONAME, CMakeLists.txt).
// clang-format off
#define VLEDGER_LIBZIP_FUNCTIONS(X)                                                   \
  X(zip_discard) X(zip_name_locate) X(zip_fopen_index) X(zip_fread) X(zip_fclose)    \
  X(zip_strerror) X(zip_file_strerror) X(zip_error_init) X(zip_error_fini)           \
  X(zip_source_buffer_create) X(zip_open_from_source) X(zip_source_free)
// clang-format on

struct Libzip {
#define VLEDGER_LIBZIP_POINTER(name) decltype(&::name) name = nullptr;
  VLEDGER_LIBZIP_FUNCTIONS(VLEDGER_LIBZIP_POINTER)
#undef VLEDGER_LIBZIP_POINTER
  std::string error;  // why it could not be loaded ("" when it was)
};

// The library, loaded on first use; its `error` says why it is not.
const Libzip& Zip() {
  static const Libzip lib = [] {
    Libzip z;
    void* handle = ::dlopen(VLEDGER_LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      z.error = why != nullptr ? why : VLEDGER_LIBZIP_SONAME;
      return z;
    }
#define VLEDGER_LIBZIP_LOAD(name)                                       \
  z.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name)); \
  if (z.name == nullptr && z.error.empty()) z.error = #name " is missing";
    VLEDGER_LIBZIP_FUNCTIONS(VLEDGER_LIBZIP_LOAD)
#undef VLEDGER_LIBZIP_LOAD
    return z;
  }();
  return lib;
}

struct ParseContext {
  XML_Parser parser;
  XmlHandler* handler;
};

void Stop(ParseContext* c) { XML_StopParser(c->parser, XML_FALSE); }

void OnStart(void* data, const XML_Char* name, const XML_Char** atts) {
  auto* c = static_cast<ParseContext*>(data);
  c->handler->Start(LocalName(name), atts);
  if (!c->handler->error.ok()) Stop(c);
}

void OnEnd(void* data, const XML_Char* name) {
  auto* c = static_cast<ParseContext*>(data);
  c->handler->End(LocalName(name));
  if (!c->handler->error.ok()) Stop(c);
}

void OnText(void* data, const XML_Char* s, int len) {
  auto* c = static_cast<ParseContext*>(data);
  c->handler->Text(std::string_view(s, static_cast<size_t>(len)));
  if (!c->handler->error.ok()) Stop(c);
}

// A part of a workbook declares no entities: one that does is refused
// rather than expanded.
void OnEntity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
              const XML_Char*, const XML_Char*, const XML_Char*) {
  Stop(static_cast<ParseContext*>(data));
}

struct XmlParserFree {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const { Zip().zip_fclose(f); }
};

}  // namespace

// The name of an element or attribute without its namespace prefix
// ("x:sheet" → "sheet"): generators differ in the prefixes they use.
std::string_view LocalName(const char* name) {
  std::string_view s(name);
  size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

// The value of the attribute `local` (any prefix), or null. A relationship
// id is `r:id`; a plain `id` is looked up with `prefixed`.
const char* Attr(const char** atts, std::string_view local, bool prefixed) {
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    std::string_view name(atts[i]);
    bool has_prefix = name.find(':') != std::string_view::npos;
    if (LocalName(atts[i]) == local && has_prefix == prefixed) return atts[i + 1];
  }
  return nullptr;
}

void XlsxPackage::Discard::operator()(zip* z) const { Zip().zip_discard(z); }

bool XlsxPackage::Has(const std::string& part) const {
  return Zip().zip_name_locate(zip_.get(), part.c_str(), ZIP_FL_NOCASE) >= 0;
}

Status XlsxPackage::Parse(const std::string& part, XmlHandler& handler) const {
  zip_int64_t index = Zip().zip_name_locate(zip_.get(), part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is not an .xlsx workbook: it has no part {}", file_, part));
  }
  std::unique_ptr<zip_file_t, ZipFileClose> in(
      Zip().zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
  if (!in) return Damaged(part, Zip().zip_strerror(zip_.get()));
  std::unique_ptr<XML_ParserStruct, XmlParserFree> parser(XML_ParserCreate("UTF-8"));
  if (!parser) return Status::Internal("out of memory creating an XML parser");
  ParseContext context{parser.get(), &handler};
  XML_SetUserData(parser.get(), &context);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetEntityDeclHandler(parser.get(), OnEntity);
  std::vector<char> buffer(kReadChunkBytes);
  uint64_t total = 0;
  for (;;) {
    zip_int64_t n = Zip().zip_fread(in.get(), buffer.data(), buffer.size());
    if (n < 0) return Damaged(part, Zip().zip_file_strerror(in.get()));
    total += static_cast<uint64_t>(n);
    if (total > kXlsxPartBytesMax) {
      return Status::InvalidInput(
          "FILE", Msg("\"{}\": part {} is larger than {} MiB uncompressed; split the workbook",
                      file_, part, kXlsxPartBytesMax >> 20));
    }
    bool last = n == 0;
    if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(n), last ? 1 : 0) !=
        XML_STATUS_OK) {
      if (!handler.error.ok()) return handler.error;
      const char* why = XML_GetErrorCode(parser.get()) == XML_ERROR_ABORTED
                            ? "it declares an entity"
                            : XML_ErrorString(XML_GetErrorCode(parser.get()));
      return Damaged(part, why);
    }
    if (last) break;
  }
  return handler.error;
}

Status XlsxPackage::Damaged(const std::string& part, const char* why) const {
  return Status::InvalidInput(
      "FILE", Msg("\"{}\" is not a valid .xlsx workbook: part {} is damaged ({})", file_, part,
                  std::string(why == nullptr ? "" : why)));
}

Result<XlsxPackage> XlsxPackage::Open(std::string_view bytes, std::string_view file) {
  auto not_zip = [&] {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is not a valid .xlsx workbook (it is not a zip archive); open it in "
                    "Excel or WPS and save it again as an .xlsx workbook",
                    file));
  };
  if (!LooksLikeZip(bytes)) return not_zip();
  if (!Zip().error.empty()) {
    return Status::Unavailable(Msg("cannot read .xlsx workbooks: {}", Zip().error));
  }
  zip_error_t error;
  Zip().zip_error_init(&error);
  zip_source_t* source = Zip().zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    Zip().zip_error_fini(&error);
    return not_zip();
  }
  zip_t* zip = Zip().zip_open_from_source(source, ZIP_RDONLY, &error);
  Zip().zip_error_fini(&error);
  if (zip == nullptr) {
    Zip().zip_source_free(source);
    return not_zip();
  }
  return XlsxPackage(file, zip);
}

}  // namespace vledger::app
