// Printables (SPEC §12): the 积分卡 (a points card per adult resident, with
// the QR code of the resident's page on the villager site) and the 捐赠票据
// (a donation receipt). Like reports, each is a pure function of the log
// and the arguments: app/ gathers CardsData or ReceiptData (privacy rules
// applied there: no card for a minor or a resident of unknown age, names
// as the village's policy says, a donor named only with consent), and the
// renderers here turn them into one self-contained HTML page for print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vledger {

// Page sizes, in millimetres. A card is ISO/IEC 7810 ID-1 (a bank card).
// On A4 the cards sit in a grid of kCardColumns × kCardRows (shared cut
// lines, crop marks in the margin), one grid a page; the grid must fit the
// page inside kA4MarginMm.
inline constexpr double kCardWidthMm = 85.6, kCardHeightMm = 54;
inline constexpr int kCardColumns = 2, kCardRows = 5;
inline constexpr int kCardsPerA4 = kCardColumns * kCardRows;
inline constexpr double kA4WidthMm = 210, kA4HeightMm = 297, kA4MarginMm = 10;
static_assert(kCardColumns * kCardWidthMm <= kA4WidthMm - 2 * kA4MarginMm);
static_assert(kCardRows * kCardHeightMm <= kA4HeightMm - 2 * kA4MarginMm);

// The resident's page on the villager site, given the village's site URL
// (the URL of the village's folder): the folder + "r/<RESIDENT>.html".
// The folder is the URL up to its last "/" once a query or fragment is cut
// off, or the whole URL plus "/" when its last path segment has no "."
// (https://x.cn/v/V1 and https://x.cn/v/V1/ and https://x.cn/v/V1/index.html
// all give https://x.cn/v/V1/r.html?id=R001).
std::string ResidentPageUrl(std::string_view site_url, std::string_view resident);

struct CardLine {
  std::string id;
  std::string name;  // as the village's policy shows it; "" = no name
  std::string url;   // the resident's page
  std::string qr_svg;
};

struct CardsData {
  std::string village, village_name, ledger_name;
  std::string paper = "a4";  // a4, card
  std::string lang = "zh";
  uint64_t size = 0;  // the log prefix
  std::string date;   // recordedAt (China Standard Time) of event size-1
  std::vector<CardLine> cards;
};

struct ReceiptData {
  uint64_t seq = 0;
  std::string paper = "a4", lang = "zh";
  std::string receipt;  // the receipt number
  std::string donor;    // as consented: a name, an organisation; "" = anonymous
  int64_t amount_fen = 0;
  std::string purpose;  // display name; "" = unrestricted
  std::string fund, fund_name, village_name, ledger_name;
  std::string date;           // recordedAt in China Standard Time
  std::string county_key_id;  // the ledger's root key id
  std::string record_hash;    // h[seq], lowercase hex
  uint64_t reversed_by = 0;   // seq of its reversal in the log, 0 = none
};

// One HTML page: kCardsPerA4 cards a printed A4 sheet, or one card a page
// of the card's own size.
std::string RenderCardsHtml(const CardsData& data);
// One HTML page: the receipt on A4, or on a page of the card's size.
std::string RenderReceiptHtml(const ReceiptData& data);

// "vledger-print kind=cards village=V paper=P lang=L size=N" /
// "vledger-print kind=receipt seq=S paper=P lang=L": what a printable was
// made from, in its last line.
std::string PrintFooterLine(const CardsData& data);
std::string PrintFooterLine(const ReceiptData& data);

}  // namespace vledger
