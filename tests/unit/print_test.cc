// The printables' pure parts: the resident page's URL on the villager site
// (print.h) and the HTML of cards and receipts.
#include "vledger/projections/print.h"

#include <gtest/gtest.h>

namespace vledger {
namespace {

TEST(ResidentPageUrl, IsTheVillageFolderPlusRHtmlWithTheId) {
  EXPECT_EQ(ResidentPageUrl("https://x.cn/v/V1/", "R1"), "https://x.cn/v/V1/r.html?id=R1");
  EXPECT_EQ(ResidentPageUrl("https://x.cn/v/V1", "R1"), "https://x.cn/v/V1/r.html?id=R1");
  EXPECT_EQ(ResidentPageUrl("https://x.cn/v/V1/index.html", "R1"),
            "https://x.cn/v/V1/r.html?id=R1");
  EXPECT_EQ(ResidentPageUrl("https://x.cn/v/V1/?a=b", "R1"), "https://x.cn/v/V1/r.html?id=R1");
  EXPECT_EQ(ResidentPageUrl("https://x.cn", "R1"), "https://x.cn/r.html?id=R1");
  EXPECT_EQ(ResidentPageUrl("http://x.cn/", "R1"), "http://x.cn/r.html?id=R1");
}

CardsData Cards(size_t n, const std::string& paper) {
  CardsData d;
  d.village = "V1";
  d.village_name = "甲村";
  d.paper = paper;
  d.size = 9;
  for (size_t i = 0; i < n; i++) {
    d.cards.push_back({"R" + std::to_string(i), "张*", "https://x.cn/V1/r/R.html", "<svg></svg>"});
  }
  return d;
}

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) n++;
  return n;
}

TEST(RenderCardsHtml, PutsTenCardsOnEachA4Sheet) {
  for (size_t n : {1u, 10u, 11u, 25u}) {
    std::string html = RenderCardsHtml(Cards(n, "a4"));
    EXPECT_EQ(Count(html, "<div class=\"card\">"), n);
    EXPECT_EQ(Count(html, "<div class=\"sheet\">"), (n + kCardsPerA4 - 1) / kCardsPerA4) << n;
    EXPECT_EQ(html, RenderCardsHtml(Cards(n, "a4")));  // deterministic
  }
  std::string card = RenderCardsHtml(Cards(3, "card"));
  EXPECT_EQ(Count(card, "<div class=\"sheet\">"), 0u);
  EXPECT_NE(card.find("@page { size: 85.6mm 54mm; margin: 0; }"), std::string::npos);
  EXPECT_NE(card.find("vledger-print kind=cards village=V1 paper=card lang=zh size=9"),
            std::string::npos);
}

TEST(RenderReceiptHtml, EscapesAndSaysAnonymous) {
  ReceiptData d;
  d.seq = 7;
  d.receipt = "CH-1";
  d.amount_fen = 120000;
  d.fund = "CH";
  d.fund_name = "<b>基金</b>";
  std::string html = RenderReceiptHtml(d);
  EXPECT_NE(html.find("人民币壹仟贰佰元整"), std::string::npos);
  EXPECT_NE(html.find("匿名"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;基金&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>基金"), std::string::npos);
}

}  // namespace
}  // namespace vledger
