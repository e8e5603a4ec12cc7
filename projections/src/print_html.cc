// The printables as self-contained HTML pages (print.h): no external
// fonts, scripts or images; sizes in millimetres so that a browser prints
// them at their true size (CSS @page).
#include <cstdio>

#include "vledger/projections/money.h"
#include "vledger/projections/print.h"
#include "vledger/projections/report.h"

namespace vledger {
namespace {

std::string E(std::string_view s) { return report::HtmlEscape(s); }

const char* L(std::string_view lang, const char* zh, const char* en) {
  return lang == "en" ? en : zh;
}

// A length in millimetres as CSS writes it (one decimal at most).
std::string Mm(double mm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fmm", mm);
  std::string s = buf;
  if (s.size() > 4 && s.compare(s.size() - 4, 4, ".0mm") == 0) s.erase(s.size() - 4, 2);
  return s;
}

// Tenths of a millimetre, for the crop marks' SVG.
std::string Tenths(double mm) { return std::to_string(static_cast<long>(mm * 10 + 0.5)); }

const char* kFonts =
    "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", "
    "\"Microsoft YaHei\", \"PingFang SC\", sans-serif";

std::string Head(std::string_view lang, const std::string& title, const std::string& style) {
  return "<!DOCTYPE html>\n<html lang=\"" + std::string(lang == "en" ? "en" : "zh-CN") +
         "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         E(title) + "</title>\n<style>\n" + style + "</style>\n</head>\n";
}

// ------------------------------------------------------------- cards

std::string CardsStyle(const CardsData& d) {
  const bool a4 = d.paper == "a4";
  const std::string w = Mm(kCardWidthMm), h = Mm(kCardHeightMm);
  std::string s;
  if (a4) {
    s += "@page { size: A4 portrait; margin: 0; }\n";
  } else {
    s += "@page { size: " + w + " " + h + "; margin: 0; }\n";
  }
  s += "* { box-sizing: border-box; }\nbody { margin: 0; color: #111; background: #fff; "
       "font-family: " +
       std::string(kFonts) +
       "; }\n"
       ".card { position: relative; width: " +
       w + "; height: " + h +
       "; overflow: hidden; padding: 3mm; display: flex; gap: 2mm; "
       "align-items: center; }\n"
       ".card .txt { flex: 1; min-width: 0; display: flex; flex-direction: column; "
       "gap: 0.8mm; }\n"
       ".card .v { font-size: 8pt; color: #333; }\n"
       ".card .t { font-size: 13pt; font-weight: bold; color: #c00; letter-spacing: 0.1em; }\n"
       ".card .id { font-size: 15pt; font-weight: bold; font-family: monospace; }\n"
       ".card .nm { font-size: 11pt; }\n"
       ".card .cap { font-size: 6.5pt; color: #333; }\n"
       ".card .url { font-size: 5pt; color: #555; word-break: break-all; }\n"
       ".card svg { width: 40mm; height: 40mm; flex: none; }\n";
  if (a4) {
    const double grid_w = kCardColumns * kCardWidthMm, grid_h = kCardRows * kCardHeightMm;
    s += ".sheet { position: relative; width: " + Mm(kA4WidthMm) +
         "; height: 296mm; overflow: hidden; break-after: page; }\n"
         ".sheet:last-of-type { break-after: auto; }\n"
         ".grid { position: absolute; left: " +
         Mm((kA4WidthMm - grid_w) / 2) + "; top: " + Mm((kA4HeightMm - grid_h) / 2) +
         "; display: grid; grid-template-columns: repeat(" + std::to_string(kCardColumns) + ", " +
         w + "); grid-auto-rows: " + h +
         "; }\n"
         ".grid .card { outline: 0.2mm dashed #aaa; outline-offset: -0.1mm; }\n"
         ".marks { position: absolute; left: 0; top: 0; width: " +
         Mm(kA4WidthMm) + "; height: " + Mm(kA4HeightMm) + "; }\n";
  } else {
    s += ".card { break-after: page; }\n.card:last-of-type { break-after: auto; }\n";
  }
  return s;
}

// Crop marks in the sheet's margin, at every cut line of a full grid.
std::string CropMarks() {
  const double grid_w = kCardColumns * kCardWidthMm, grid_h = kCardRows * kCardHeightMm;
  const double left = (kA4WidthMm - grid_w) / 2, top = (kA4HeightMm - grid_h) / 2;
  const double gap = 1, len = 5;
  std::string p;
  auto line = [&](double x1, double y1, double x2, double y2) {
    p += "M" + Tenths(x1) + " " + Tenths(y1) + "L" + Tenths(x2) + " " + Tenths(y2);
  };
  for (int c = 0; c <= kCardColumns; c++) {
    double x = left + c * kCardWidthMm;
    line(x, top - gap - len, x, top - gap);
    line(x, top + grid_h + gap, x, top + grid_h + gap + len);
  }
  for (int r = 0; r <= kCardRows; r++) {
    double y = top + r * kCardHeightMm;
    line(left - gap - len, y, left - gap, y);
    line(left + grid_w + gap, y, left + grid_w + gap + len, y);
  }
  return "<svg class=\"marks\" viewBox=\"0 0 " + Tenths(kA4WidthMm) + " " + Tenths(kA4HeightMm) +
         "\" aria-hidden=\"true\"><path stroke=\"#000\" stroke-width=\"2\" fill=\"none\" d=\"" + p +
         "\"/></svg>";
}

std::string Card(const CardsData& d, const CardLine& c) {
  std::string s = "<div class=\"card\"><div class=\"txt\">";
  s += "<div class=\"v\">" + E(d.village_name) + "</div>";
  s += "<div class=\"t\">" + E(L(d.lang, "积分卡", "Points card")) + "</div>";
  s += "<div class=\"id\">" + E(c.id) + "</div>";
  if (!c.name.empty()) s += "<div class=\"nm\">" + E(c.name) + "</div>";
  s += "<div class=\"cap\">" +
       E(L(d.lang, "扫码查看本人积分和明细（可凭编号查询）",
           "Scan to see your points and entries (or look up this id)")) +
       "</div>";
  s += "<div class=\"url\">" + E(c.url) + "</div>";
  s += "</div>" + c.qr_svg + "</div>\n";
  return s;
}

}  // namespace

std::string ResidentPageUrl(std::string_view site_url, std::string_view resident) {
  std::string_view url = site_url.substr(0, site_url.find_first_of("?#"));
  size_t scheme = url.find("://");
  size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  std::string folder;
  if (path == std::string_view::npos) {
    folder = std::string(url) + "/";
  } else {
    size_t last = url.rfind('/');
    std::string_view segment = url.substr(last + 1);
    folder = segment.find('.') == std::string_view::npos && !segment.empty()
                 ? std::string(url) + "/"
                 : std::string(url.substr(0, last + 1));
  }
  return folder + "r.html?id=" + std::string(resident);
}

std::string PrintFooterLine(const CardsData& d) {
  return "vledger-print kind=cards village=" + d.village + " paper=" + d.paper + " lang=" + d.lang +
         " size=" + std::to_string(d.size);
}

std::string PrintFooterLine(const ReceiptData& d) {
  return "vledger-print kind=receipt seq=" + std::to_string(d.seq) + " paper=" + d.paper +
         " lang=" + d.lang;
}

std::string RenderCardsHtml(const CardsData& d) {
  std::string title = d.village_name + " " + L(d.lang, "积分卡", "points cards");
  std::string out = Head(d.lang, title, CardsStyle(d)) + "<body>\n";
  if (d.paper == "a4") {
    for (size_t i = 0; i < d.cards.size(); i += kCardsPerA4) {
      out += "<div class=\"sheet\">" + CropMarks() + "<div class=\"grid\">\n";
      for (size_t j = i; j < d.cards.size() && j < i + kCardsPerA4; j++) out += Card(d, d.cards[j]);
      out += "</div></div>\n";
    }
  } else {
    for (const CardLine& c : d.cards) out += Card(d, c);
  }
  out += "<!-- " + PrintFooterLine(d) + " -->\n</body>\n</html>\n";
  return out;
}

// ------------------------------------------------------------- receipt

std::string RenderReceiptHtml(const ReceiptData& d) {
  const bool a4 = d.paper == "a4";
  std::string style;
  if (a4) {
    style =
        "@page { size: A4 portrait; margin: 15mm; }\n"
        "body { font-size: 12pt; max-width: 180mm; margin: 0 auto; }\n"
        ".r { border: 0.5mm solid #c00; padding: 6mm 8mm; }\n"
        "h1 { font-size: 22pt; letter-spacing: 0.3em; }\n"
        ".k { width: 32mm; }\n";
  } else {
    style = "@page { size: " + Mm(kCardWidthMm) + " " + Mm(kCardHeightMm) +
            "; margin: 0; }\n"
            "body { font-size: 5.5pt; line-height: 1.2; margin: 0; }\n"
            ".r { width: " +
            Mm(kCardWidthMm) + "; height: " + Mm(kCardHeightMm) +
            "; overflow: hidden; padding: 2mm 2.5mm; }\n"
            "h1 { font-size: 9pt; letter-spacing: 0.2em; margin: 0 0 0.5mm; }\n"
            ".k { width: 11mm; }\n.sub, .sign, .note { font-size: 5pt; }\n";
  }
  style += "* { box-sizing: border-box; }\nbody { color: #111; background: #fff; font-family: " +
           std::string(kFonts) +
           "; }\n"
           "h1 { color: #c00; text-align: center; margin-top: 0; }\n"
           ".sub { text-align: center; color: #333; }\n"
           "table { width: 100%; border-collapse: collapse; }\n"
           "td { border-bottom: 0.2mm solid #999; padding: 0.4em 0.5em; vertical-align: top; }\n"
           ".k { color: #333; white-space: nowrap; }\n"
           ".big { font-weight: bold; }\n"
           ".hash { font-family: monospace; word-break: break-all; }\n"
           ".void { color: #c00; font-weight: bold; }\n"
           ".sign { text-align: right; margin-top: 1em; }\n"
           ".note { color: #444; }\n";
  // A card holds no room for the note: the rows are tighter and it is left out.
  if (!a4)
    style +=
        "td { padding: 0.1em 0.4em; }\n.note { display: none; }\n.sign { margin-top: 0.3em; }\n";
  const std::string_view lang = d.lang;
  std::string title = L(lang, "捐赠票据", "Donation receipt");
  std::string out = Head(lang, title + " " + d.receipt, style) + "<body>\n<div class=\"r\">\n";
  out += "<h1>" + E(title) + "</h1>\n<div class=\"sub\">" + E(d.ledger_name);
  if (!d.village_name.empty()) out += " · " + E(d.village_name);
  out += "</div>\n";
  if (d.reversed_by != 0) {
    out += "<p class=\"void\">" +
           E(std::string(L(lang, "本笔捐赠已冲销（第 ", "This donation was reversed (seq ")) +
             std::to_string(d.reversed_by) + L(lang, " 条）。", ").")) +
           "</p>\n";
  }
  auto row = [&](const char* zh, const char* en, const std::string& value, const char* cls = "") {
    out += "<tr><td class=\"k\">" + E(L(lang, zh, en)) + "</td><td class=\"" + cls + "\">" + value +
           "</td></tr>\n";
  };
  out += "<table>\n";
  row("票据号", "Receipt no.", E(d.receipt), "big");
  row("捐赠方", "Donor", E(d.donor.empty() ? L(lang, "匿名", "Anonymous") : d.donor));
  row("金额（小写）", "Amount", "¥" + FormatYuan(d.amount_fen) + E(L(lang, " 元", " yuan")), "big");
  row("金额（大写）", "Amount (Chinese capitals)", "人民币" + E(RmbCapitals(d.amount_fen)), "big");
  row("用途", "Purpose",
      E(d.purpose.empty() ? L(lang, "非定向（不限用途）", "Unrestricted") : d.purpose));
  row("基金", "Fund", E(d.fund_name) + " (" + E(d.fund) + ")");
  row("日期", "Date", E(d.date));
  row("记录", "Record",
      E(std::string(L(lang, "第 ", "seq ")) + std::to_string(d.seq) + L(lang, " 条", "")));
  row("县级公钥", "County key", E(d.county_key_id), "hash");
  row("记录哈希", "Record hash", E("h[" + std::to_string(d.seq) + "] " + d.record_hash), "hash");
  out += "</table>\n<p class=\"note\">" +
         E(L(lang, "凭记录编号和记录哈希，可在县账本中核对本笔捐赠（vledger prove 或村民网站）。",
             "The record number and hash let anyone check this donation against the county's "
             "log (vledger prove, or the villager site).")) +
         "</p>\n<p class=\"sign\">" +
         E(L(lang, "收款单位（盖章）：　　　　经手人：　　　　",
             "Received by (stamp):            Clerk:            ")) +
         "</p>\n</div>\n<!-- " + PrintFooterLine(d) + " -->\n</body>\n</html>\n";
  return out;
}

}  // namespace vledger
