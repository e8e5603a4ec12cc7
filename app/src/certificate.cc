// The credit certificate's text and its QR code (attest.h; the format is
// docs/FORMAT.md "Credit certificates").
#include <qrencode.h>
#include <zlib.h>

#include <array>
#include <vector>

#include "vledger/app/attest.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

// The lines of a body, each without its '\n'; nullopt when the body does
// not end in one.
std::optional<std::vector<std::string_view>> Lines(std::string_view body) {
  if (body.empty() || body.back() != '\n') return std::nullopt;
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    lines.push_back(body.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

Status Malformed(std::string_view why) {
  return Status::VerificationFailed(Msg("certificate malformed: {}", std::string(why)));
}

// "KEY VALUE": the value of a line that must begin with `key` and a space.
std::optional<std::string> Value(std::string_view line, std::string_view key) {
  if (line.size() <= key.size() + 1 || line.substr(0, key.size()) != key ||
      line[key.size()] != ' ') {
    return std::nullopt;
  }
  return std::string(line.substr(key.size() + 1));
}

bool IsLowerHex(std::string_view s) {
  return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
void Chunk(std::string& png, std::string_view type, std::string_view data) {
  auto u32 = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>((v >> shift) & 0xff);
  };
  u32(static_cast<uint32_t>(data.size()));
  std::string typed = std::string(type) + std::string(data);
  png += typed;
  u32(static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()))));
}

}  // namespace

std::string CertificateBody(const Certificate& c) {
  std::string b;
  b += std::string(kCertificateFormat) + "\n";
  b += c.origin + "\n";
  b += "resident " + c.resident + "\n";
  b += "name " + c.name + "\n";
  b += "village " + c.village + "\n";
  b += "grade " + c.grade + "\n";
  b += "checkpoint " + std::to_string(c.checkpoint_size) + " " + Base64(AsView(c.checkpoint_root)) +
       "\n";
  b += "issued " + c.issued + "\n";
  b += "valid-until " + c.valid_until + "\n";
  if (!c.benefit.empty()) {
    b += "benefit " + c.benefit + "\n";
    b += "benefit-name " + c.benefit_name + "\n";
    b += "partner " + c.partner + "\n";
  }
  b += "attestor " + c.attestor + "\n";
  b += "id-check " + Hex(c.salt) + " " + c.id_check + "\n";
  return b;
}

Result<Certificate> ParseCertificateBody(std::string_view body) {
  auto lines = Lines(body);
  if (!lines) return Malformed("the body does not end in a line end");
  if (lines->size() != 11 && lines->size() != 14) {
    return Malformed("a certificate has 11 lines, or 14 with a benefit");
  }
  const std::vector<std::string_view>& l = *lines;
  if (l[0] != kCertificateFormat) return Malformed("the first line is not vledger-attestation/v1");
  Certificate c;
  c.origin = std::string(l[1]);
  if (!IsValidNoteKeyName(c.origin)) return Malformed("the origin line is not a key name");
  size_t i = 2;
  auto next = [&](std::string_view key, std::string* out) -> Status {
    std::optional<std::string> v = Value(l[i], key);
    if (!v)
      return Malformed(std::string("line ") + std::to_string(i + 1) + " is not " +
                       std::string(key) + " …");
    i++;
    *out = std::move(*v);
    return Status::Ok();
  };
  std::string checkpoint, id_check;
  VLEDGER_TRY(next("resident", &c.resident));
  VLEDGER_TRY(next("name", &c.name));
  VLEDGER_TRY(next("village", &c.village));
  VLEDGER_TRY(next("grade", &c.grade));
  VLEDGER_TRY(next("checkpoint", &checkpoint));
  VLEDGER_TRY(next("issued", &c.issued));
  VLEDGER_TRY(next("valid-until", &c.valid_until));
  if (l.size() == 14) {
    VLEDGER_TRY(next("benefit", &c.benefit));
    VLEDGER_TRY(next("benefit-name", &c.benefit_name));
    VLEDGER_TRY(next("partner", &c.partner));
  }
  VLEDGER_TRY(next("attestor", &c.attestor));
  VLEDGER_TRY(next("id-check", &id_check));
  if (!CheckId("resident", c.resident).ok() || !CheckId("village", c.village).ok() ||
      (!c.benefit.empty() && !CheckId("benefit", c.benefit).ok())) {
    return Malformed("an id is not of [A-Za-z0-9_.-]");
  }
  if (!CheckDate("issued", c.issued).ok() || !CheckDate("valid-until", c.valid_until).ok() ||
      c.valid_until < c.issued) {
    return Malformed("the dates are not YYYY-MM-DD, issued first");
  }
  size_t space = checkpoint.find(' ');
  if (space == std::string::npos || space == 0 || checkpoint[0] == '0' ||
      checkpoint.find_first_not_of("0123456789") != space || space > 19) {
    return Malformed("the checkpoint line is not SIZE ROOT");
  }
  c.checkpoint_size = std::stoull(checkpoint.substr(0, space));
  std::optional<std::string> root = Unbase64(checkpoint.substr(space + 1));
  std::optional<Hash> root_hash = root ? HashFrom(*root) : std::nullopt;
  if (!root_hash) return Malformed("the checkpoint root is not base64 of 32 bytes");
  c.checkpoint_root = *root_hash;
  if (c.attestor.size() != 16 || !IsLowerHex(c.attestor)) {
    return Malformed("the attestor is not a key id (16 hex digits)");
  }
  if (id_check.size() != 2 * kCertificateSaltBytes + 1 + kIdCheckHexDigits ||
      id_check[2 * kCertificateSaltBytes] != ' ' || !IsLowerHex(id_check.substr(0, 32)) ||
      !IsLowerHex(id_check.substr(33))) {
    return Malformed("the id-check line is not SALT CHECK in lowercase hex");
  }
  c.salt = *Unhex(id_check.substr(0, 2 * kCertificateSaltBytes));
  c.id_check = id_check.substr(2 * kCertificateSaltBytes + 1);
  if (CertificateBody(c) != body) return Malformed("the body is not in its one canonical form");
  return c;
}

std::string IdCardCheck(std::string_view salt, std::string_view id_card) {
  return Hex(Sha256(std::string(salt) + std::string(id_card))).substr(0, kIdCheckHexDigits);
}

std::string QrPng(const std::string& text) {
  QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (qr == nullptr) return "";
  constexpr int kScale = 8, kQuiet = 4;
  const int width = qr->width, side = (width + 2 * kQuiet) * kScale;
  const size_t row_bytes = (static_cast<size_t>(side) + 7) / 8;
  std::string raw;  // each row: filter type 0, then 1-bit pixels (1 white)
  for (int y = 0; y < side; y++) {
    std::string row(row_bytes, '\xff');
    int my = y / kScale - kQuiet;
    for (int x = 0; x < side; x++) {
      int mx = x / kScale - kQuiet;
      bool dark =
          my >= 0 && my < width && mx >= 0 && mx < width && (qr->data[my * width + mx] & 1) != 0;
      if (dark) row[x / 8] = static_cast<char>(row[x / 8] & ~(0x80 >> (x % 8)));
    }
    raw += '\0';
    raw += row;
  }
  QRcode_free(qr);
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  int z = compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                    reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 9);
  VLEDGER_ASSERT(z == Z_OK);
  packed.resize(packed_size);
  std::string ihdr;
  for (int shift = 24; shift >= 0; shift -= 8) ihdr += static_cast<char>((side >> shift) & 0xff);
  ihdr += ihdr;                                    // width, then the same height
  ihdr += std::string("\x01\x00\x00\x00\x00", 5);  // 1-bit grey, deflate, filter 0, no interlace
  std::string png("\x89PNG\r\n\x1a\n", 8);
  Chunk(png, "IHDR", ihdr);
  Chunk(png, "IDAT", packed);
  Chunk(png, "IEND", "");
  return png;
}

}  // namespace vledger::app
