#include "vledger/net/protocol.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "vledger/ledger/bytes.h"

namespace vledger::net {
namespace {

using Json = nlohmann::ordered_json;

Json FilesJson(const std::vector<FileBlob>& files) {
  Json out = Json::array();
  for (const FileBlob& f : files) out.push_back({{"name", f.name}, {"bytes", Base64(f.bytes)}});
  return out;
}

Status Bad(std::string_view member, Msg what) {
  return Status::InvalidInput(member, std::move(what));
}

// The string member `name` of `obj`, at most `bytes_max` bytes.
Result<std::string> StringOf(const Json& obj, const char* name, size_t bytes_max) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return Bad(name, Msg("a string is required"));
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > bytes_max) return Bad(name, Msg("too long"));
  return s;
}

Result<std::string> Base64Of(const Json& obj, const char* name, size_t bytes_max) {
  VLEDGER_ASSIGN_OR_RETURN(std::string text, StringOf(obj, name, bytes_max / 3 * 4 + 4));
  std::optional<std::string> bytes = Unbase64(text);
  if (!bytes) return Bad(name, Msg("not base64"));
  return *bytes;
}

Result<std::vector<FileBlob>> ParseFiles(const Json& obj) {
  std::vector<FileBlob> files;
  auto it = obj.find("files");
  if (it == obj.end()) return files;
  if (!it->is_array() || it->size() > kFilesMax) return Bad("files", Msg("at most 16 files"));
  for (const Json& f : *it) {
    if (!f.is_object()) return Bad("files", Msg("each file is an object"));
    FileBlob blob;
    VLEDGER_ASSIGN_OR_RETURN(blob.name, StringOf(f, "name", kArgBytesMax));
    VLEDGER_ASSIGN_OR_RETURN(blob.bytes, Base64Of(f, "bytes", kRequestBytesMax));
    files.push_back(std::move(blob));
  }
  return files;
}

Result<Json> ParseObject(std::string_view body) {
  if (body.size() > kRequestBytesMax) return Bad("body", Msg("too large"));
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Bad("body", Msg("not JSON"));
  if (!doc.is_object()) return Bad("body", Msg("not a JSON object"));
  return doc;
}

Result<uint64_t> NumberOf(const Json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) return Bad(name, Msg("a number is required"));
  return it->get<uint64_t>();
}

}  // namespace

std::string EncodeRequest(const CommandRequest& request) {
  Json doc{{"args", request.args}, {"key_id", request.key_id}, {"files", FilesJson(request.files)}};
  return doc.dump();
}

Result<CommandRequest> ParseRequest(std::string_view body) {
  VLEDGER_ASSIGN_OR_RETURN(Json doc, ParseObject(body));
  CommandRequest request;
  auto args = doc.find("args");
  if (args == doc.end() || !args->is_array())
    return Bad("args", Msg("a list of strings is required"));
  if (args->empty() || args->size() > kArgsMax) return Bad("args", Msg("1 to 256 words"));
  for (const Json& a : *args) {
    if (!a.is_string()) return Bad("args", Msg("a list of strings is required"));
    const std::string& word = a.get_ref<const std::string&>();
    if (word.size() > kArgBytesMax) return Bad("args", Msg("a word is too long"));
    request.args.push_back(word);
  }
  if (doc.contains("key_id")) {
    VLEDGER_ASSIGN_OR_RETURN(request.key_id, StringOf(doc, "key_id", 64));
  }
  VLEDGER_ASSIGN_OR_RETURN(request.files, ParseFiles(doc));
  return request;
}

std::string EncodeAnswer(const RunAnswer& answer) {
  Json doc = Json::object();
  if (answer.done) {
    const CommandOutput& o = *answer.done;
    doc["done"] = {
        {"exit", o.exit_code}, {"out", o.out}, {"err", o.err}, {"files", FilesJson(o.files)}};
  }
  if (answer.sign) {
    const Prepared& p = *answer.sign;
    Json events = Json::array();
    for (const std::string& e : p.commit.canonical_events) events.push_back(Base64(e));
    doc["sign"] = {{"lease", p.lease},
                   {"first", p.commit.first},
                   {"last", p.commit.last},
                   {"message", Base64(p.commit.message)},
                   {"events", events}};
    if (p.checkpoint) {
      const app::CheckpointToSign& c = *p.checkpoint;
      doc["sign"]["checkpoint"] = {{"origin", c.head.origin},
                                   {"size", c.head.size},
                                   {"root", Base64(AsView(c.head.root))},
                                   {"body", c.body}};
    }
  }
  return doc.dump();
}

Result<RunAnswer> ParseAnswer(std::string_view body) {
  // An answer may be larger than a request (a log, a report).
  Json doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("answer", Msg("not a JSON object"));
  RunAnswer answer;
  if (auto d = doc.find("done"); d != doc.end() && d->is_object()) {
    CommandOutput o;
    auto code = d->find("exit");
    if (code == d->end() || !code->is_number_integer())
      return Bad("exit", Msg("a number is required"));
    o.exit_code = code->get<int>();
    VLEDGER_ASSIGN_OR_RETURN(o.out, StringOf(*d, "out", SIZE_MAX));
    VLEDGER_ASSIGN_OR_RETURN(o.err, StringOf(*d, "err", SIZE_MAX));
    VLEDGER_ASSIGN_OR_RETURN(o.files, ParseFiles(*d));
    answer.done = std::move(o);
  } else if (auto s = doc.find("sign"); s != doc.end() && s->is_object()) {
    Prepared p;
    VLEDGER_ASSIGN_OR_RETURN(p.lease, StringOf(*s, "lease", 128));
    VLEDGER_ASSIGN_OR_RETURN(p.commit.first, NumberOf(*s, "first"));
    VLEDGER_ASSIGN_OR_RETURN(p.commit.last, NumberOf(*s, "last"));
    VLEDGER_ASSIGN_OR_RETURN(p.commit.message, Base64Of(*s, "message", 1024));
    auto events = s->find("events");
    if (events == s->end() || !events->is_array()) return Bad("events", Msg("a list is required"));
    for (const Json& e : *events) {
      if (!e.is_string()) return Bad("events", Msg("a list of base64 strings is required"));
      std::optional<std::string> bytes = Unbase64(e.get_ref<const std::string&>());
      if (!bytes) return Bad("events", Msg("not base64"));
      p.commit.canonical_events.push_back(std::move(*bytes));
    }
    if (auto c = s->find("checkpoint"); c != s->end()) {
      if (!c->is_object()) return Bad("checkpoint", Msg("an object is required"));
      app::CheckpointToSign item;
      VLEDGER_ASSIGN_OR_RETURN(item.head.origin, StringOf(*c, "origin", 1024));
      VLEDGER_ASSIGN_OR_RETURN(item.head.size, NumberOf(*c, "size"));
      VLEDGER_ASSIGN_OR_RETURN(std::string root, Base64Of(*c, "root", 32));
      if (root.size() != item.head.root.size()) return Bad("root", Msg("32 bytes are required"));
      std::copy(root.begin(), root.end(), item.head.root.begin());
      VLEDGER_ASSIGN_OR_RETURN(item.body, StringOf(*c, "body", 2048));
      p.checkpoint = std::move(item);
    }
    answer.sign = std::move(p);
  } else {
    return Bad("answer", Msg("neither done nor sign"));
  }
  return answer;
}

std::string EncodeSignature(const CommitSignature& signature) {
  return Json{{"lease", signature.lease}, {"signature", Base64(signature.signature)}}.dump();
}

Result<CommitSignature> ParseSignature(std::string_view body) {
  VLEDGER_ASSIGN_OR_RETURN(Json doc, ParseObject(body));
  CommitSignature out;
  VLEDGER_ASSIGN_OR_RETURN(out.lease, StringOf(doc, "lease", 128));
  VLEDGER_ASSIGN_OR_RETURN(out.signature, Base64Of(doc, "signature", 64));
  if (out.signature.size() != 64) return Bad("signature", Msg("64 bytes are required"));
  return out;
}

std::string EncodeError(const std::string& line, int exit_code) {
  return Json{{"error", line}, {"exit", exit_code}}.dump();
}

std::optional<std::pair<std::string, int>> ParseError(std::string_view body) {
  Json doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("error") ||
      !doc["error"].is_string() || !doc.contains("exit") || !doc["exit"].is_number_integer()) {
    return std::nullopt;
  }
  return std::make_pair(doc["error"].get<std::string>(), doc["exit"].get<int>());
}

}  // namespace vledger::net
