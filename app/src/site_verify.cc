// verify.html and attest.json of the villager site (site_verify.h).
#include "site_verify.h"

#include <nlohmann/json.hpp>

#include "internal.h"
#include "vledger/ledger/bytes.h"
#include "vledger/projections/benefits.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

Json AttestorsJson(StateStore& state) {
  Json out = Json::array();
  for (const KeyRecord& k : ListKeys(state)) {
    if (k.role != Role::kAttestor) continue;
    Json j{{"keyId", k.key_id},
           {"key", Hex(k.public_key)},
           {"label", k.label},
           {"registeredSeq", k.registered_seq}};
    if (k.revoked_seq) j["revokedSeq"] = *k.revoked_seq;
    out.push_back(std::move(j));
  }
  return out;
}

Result<Json> LapsedJson(StateStore& state, uint64_t size, const std::string& date) {
  Json out = Json::array();
  for (const AttestationRecord& a : ListAttestations(state)) {
    // Expired on the checkpoint's date: the page refuses it as expired
    // before it looks here, so the list need not carry it.
    if (a.valid_until < date) continue;
    Json j{{"hash", Hex(a.certificate_hash)}};
    if (a.revoked_seq) {
      j["from"] = *a.revoked_seq;
      j["why"] = "revoked";
      out.push_back(std::move(j));
      continue;
    }
    VLEDGER_ASSIGN_OR_RETURN(std::optional<Lapse> lapse,
                             CertificateLapse(state, size, a.village, a.resident, a.grade,
                                              a.benefit, a.checkpoint_size));
    if (!lapse) continue;
    j["from"] = size - 1;
    if (lapse->benefit_withdrawn) {
      j["why"] = "benefit";
    } else {
      j["why"] = "grade";
      j["grade"] = lapse->grade_now;
      j["least"] = lapse->least;
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

Result<std::string> SiteAttestData(StateStore& state, const SignedHead& head,
                                   const std::string& date) {
  VLEDGER_ASSIGN_OR_RETURN(Json lapsed, LapsedJson(state, head.head.size, date));
  Json j{{"format", "vledger-site-attest/v1"},
         {"origin", head.head.origin},
         {"size", head.head.size},
         {"date", date},
         {"checkpoint", head.text},
         {"attestors", AttestorsJson(state)},
         {"lapsed", std::move(lapsed)}};
  return j.dump(1) + "\n";
}

std::string VerifyPageBody(const std::string& ledger_name, const std::string& date, uint64_t size) {
  std::string esc_name = report::HtmlEscape(ledger_name);
  return "<p class=\"sub\"><a href=\"index.html\">← " + esc_name +
         "</a></p>\n<h1>核验信用证明</h1>\n<p class=\"sub\">供公交公司、学校等合作单位核验村民出示"
         "的信用证明。证明文本在您的手机上核验，不会发送到任何地方。</p>\n"
         "<form id=\"verify\">\n<label for=\"cert\">证明文本（扫描证明上的二维码所得的文字，"
         "或整份粘贴）</label>\n<textarea id=\"cert\" rows=\"10\" spellcheck=\"false\" "
         "autocomplete=\"off\" placeholder=\"vledger-attestation/v1 …\"></textarea>\n"
         "<label for=\"idcard\">身份证号码（可选：核对出示证明的是否本人）</label>\n"
         "<input id=\"idcard\" inputmode=\"text\" autocomplete=\"off\" maxlength=\"18\" "
         "placeholder=\"18 位号码\">\n<button type=\"submit\" id=\"check\">核验</button>\n"
         "</form>\n<div id=\"result\" class=\"status wait\" hidden></div>\n"
         "<dl id=\"details\" hidden></dl>\n<p class=\"sub\">核验内容：签名是否为本县登记的"
         "核验员密钥所签、文本有无改动、是否本县签发、是否在有效期内（按北京时间今天）、"
         "身份证号码是否相符；吊销与等级下降以本站数据为准，截至 <span class=\"cp-date\">" +
         report::HtmlEscape(date) + "</span>（检查点 " + std::to_string(size) +
         " 条），之后的变化本页不知道。</p>\n";
}

}  // namespace vledger::app
