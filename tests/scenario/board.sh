#!/usr/bin/env bash
# Scenario test for the board bulletin (issue 20, items 1-6), driving the
# real binary over a village of 500 adult residents: the board edition on
# one page (top 10, ties at rank 10 all shown; shrunk to 5, then two pages,
# when star households fill the page), page numbers, the notice (date,
# 公示期 and its last day across a weekend and a county holiday, office and
# telephone, signature line, size and date in words, the county key's id),
# names in corrections and objections under --public-names, the same
# correction lists whichever format was published first, the QR payload
# URL#SIZE-ROOTHEX, the footer's edition= and renderer=, verify-report of a
# board bulletin and of another renderer's report (1, and 5 before the
# shops section), the phone viewport, and a board with seven credit
# supermarkets printed on one page.
# Usage: board.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

sha() { sha256sum "$1" | cut -d' ' -f1; }
A=(--key admin.key)
C=(--key col.key)
residents=500

# ----------------------------------------------------------------- setup
expect_exit 0 vl init --test-clock --name 看板测试 --admin-key-out admin.key
vl key new --out col.key >/dev/null
vl key new --out aud.key >/dev/null
vl "${A[@]}" village add V1 --name 甲夼曲家村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub aud.key.pub --role auditor >/dev/null
vl "${A[@]}" rule add VOL --category 志愿服务 --points 5 --min 1 --max 500 --desc 义务劳动 >/dev/null
vl "${A[@]}" rule add LITTER --category 环境整治 --points -10 >/dev/null
# Residents R001..R500 in households of three; given names from two
# syllable lists, so that each name is unique and reads as a name.
python3 - "$residents" <<'EOF'
import sys
n = int(sys.argv[1])
a = "建国秀英明月子涵春生海燕志强玉兰德华桂芳"
b = "山水林田湖海江河松柏梅竹兰菊云霞"
with open("households.csv", "w") as h, open("residents.csv", "w") as r, \
     open("awards.csv", "w") as w:
    h.write("id,village,head\n")
    r.write("name,id,household,village,minor,birth_year\n")
    w.write("resident,rule,points,date,note\n")
    for i in range(1, n + 1):
        name = "曲" + a[(i - 1) % len(a)] + b[(i - 1) // len(a) % len(b)] + "一二三四五六七八九十"[(i - 1) // (len(a) * len(b)) % 10]
        hh = "H%03d" % ((i + 2) // 3)
        if i % 3 == 1:
            h.write("%s,V1,%s\n" % (hh, name))
        r.write("%s,R%03d,%s,V1,否,1970\n" % (name, i, hh))
        # R001..R009: 200 down to 120; R010 and R011 tie at 100 (rank 10);
        # the others 1..20.
        pts = 200 - (i - 1) * 10 if i <= 9 else 100 if i <= 11 else 1 + i % 20
        w.write("R%03d,VOL,%d,2021-09-0%d,\n" % (i, pts, 1 + i % 9))
EOF
expect_exit 0 vl "${C[@]}" import households.csv --kind households
expect_exit 0 vl "${C[@]}" import residents.csv --kind residents
expect_exit 0 vl "${C[@]}" import awards.csv --kind awards
R11_NAME=$(sed -n 's/^\([^,]*\),R011,.*/\1/p' residents.csv)
R12_NAME=$(sed -n 's/^\([^,]*\),R012,.*/\1/p' residents.csv)
# A correction and an objection, to be named in the notice.
DEDUCT_SEQ=$(vl --json "${C[@]}" deduct R005 LITTER --on 2021-09-10 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
R5_NAME=$(sed -n 's/^\([^,]*\),R005,.*/\1/p' residents.csv)
expect_exit 0 vl "${C[@]}" reverse "$DEDUCT_SEQ" --reason 录入错误
expect_exit 0 vl --key aud.key objection file --event "$DEDUCT_SEQ" --by R005 --text 不是我乱扔的

# ------------------------------------------------------ the village policy
# Bounds (docs/LIMITS.md): the calendar's dates, the board's top, the URL, the phone.
DATES_401=$(python3 -c 'import datetime as t; d=t.date(2030,1,1); o=[]
while len(o) < 401:
  o += [d.isoformat()] if d.weekday() < 5 else []; d += t.timedelta(days=1)
print(",".join(o))')
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --holidays "$DATES_401"
expect_stderr_contains "--holidays: at most 400 dates"
expect_exit 0 vl "${A[@]}" village policy V1 --holidays "${DATES_401%,*}"
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --board-top 51
expect_stderr_contains "--board-top: give 1..50"
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --site-url "https://x.cn/$(printf 'a%.0s' {1..200})"
expect_stderr_contains "--site-url: give an http"
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --objection-phone 0631-76543210-0631-7654321
expect_stderr_contains "--objection-phone: digits"
# Red flags for 2 % (11 names, with a tie): with the default 10 % (36
# names with ties, four lines) the board of this village keeps its top 5.
expect_exit 0 vl "${A[@]}" village policy V1 --objection-office 村务监督委员会办公室 \
  --red-flag-share 2 --objection-phone 0631-7654321 --site-url https://site.example.cn/v/V1 \
  --holidays 2021-10-01,2021-10-04,2021-10-05,2021-10-06,2021-10-07 --workdays 2021-09-26,2021-10-09
expect_exit 0 vl --json village list
expect_json 'd["villages"][0]["objectionPhone"]' "0631-7654321"
expect_json 'd["villages"][0]["holidays"][0]' "2021-10-01"
# An objection's reply is due in working days of the same calendar.
expect_exit 0 vl --json --key aud.key objection file --event "$DEDUCT_SEQ" --by R005 --text 再次提出
OBJ2=$(json_get 'd["seq"]')
expect_exit 0 vl --json objection list
expect_json "[o['replyDue'] for o in d['objections'] if o['seq'] == $OBJ2][0]" "2021-10-15"
expect_exit 0 vl --key aud.key objection resolve "$OBJ2" --dismissed --answer 重复提出
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --holidays 2021-10-02
expect_stderr_contains "--holidays"
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --site-url ftp://x.cn/
expect_stderr_contains "--site-url"
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --objection-phone 'call me'
expect_stderr_contains "--objection-phone"
expect_exit 2 vl "${A[@]}" village policy V1 --public-names some

# ------------------------------------------------------------- the board
expect_exit 0 vl "${A[@]}" checkpoint
N=$(ledger_size vledger-data)
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --out board.html
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --format md --out board.md
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --format json --out board.json
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --out full.html
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --out board2.html
expect_eq "$(sha board2.html)" "$(sha board.html)" "the board edition is byte-identical across runs"
expect_eq "$(grep -c '^vledger-report village=V1 period=2021Q3 kind=bulletin format=md lang=zh size='"$N"' edition=board renderer=7 window=7 *$' board.md)" 1 \
  "the footer continues after size= with edition= and renderer="
# One A4 page: the page markers say 第 1 页 / 共 1 页, and only once.
expect_eq "$(grep -c 'class="page"' board.html)" 1 "board: one page section"
expect_eq "$(grep -c '第 1 页 / 共 1 页' board.html)" 1 "board: page number 1 of 1"
expect_eq "$(grep -c '共 1 页' board.md)" 1 "board (md): one page marker"
# Top 10 with the tie at rank 10: 11 rows, R011 in, R012 out.
expect_json_file() { run python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; expect_eq "$(last_stdout)" "$3" "$4"; }
expect_json_file board.json 'len(d["rankingResidents"])' 11 "top 10 and the resident tied at rank 10"
expect_json_file board.json 'd["rankingResidents"][-1]["rank"]' 10 "the last row is rank 10"
expect_json_file board.json 'd["board"]["top"]' 10 "board top is 10"
expect_json_file board.json 'd["board"]["residentsRanked"]' "$residents" "every resident ranked before the cut"
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format json --out full.json
FLAGS=$(python3 -c "import json; print(sum(r['redFlag'] for r in json.load(open('full.json'))['rankingResidents']))")
[[ $FLAGS -ge 10 ]] && pass "500 x 2 % red flags or more (ties)" || fail "red flags: $FLAGS"
expect_json_file board.json 'len(d["board"]["redFlags"])' "$FLAGS" "every red flag of the full ranking"
expect_json_file board.json 'd["board"]["pages"]' 1 "board pages"
grep -qF "$R11_NAME" board.html && pass "rank-10 tie shown" || fail "rank-10 tie missing"
grep -qF "<td>$R12_NAME" board.html && fail "rank 11 shown on the board" || pass "rank 11 not in the top table"
expect_json_file board.json '"rankingHouseholds" in d or "rules" in d' False "no household ranking or rules on the board"
# The notice.
grep -qF '公示期：7 个工作日' board.html && pass "window days printed" || fail "window days"
grep -qF '村务监督委员会办公室，电话 0631-7654321' board.html && pass "office and phone" || fail "office and phone"
grep -qF '村务监督委员会（盖章）' board.html && pass "signature and stamp line" || fail "signature line"
grep -qF '二〇二一年九月三十日' board.html && pass "date in words" || fail "date in words"
KEY_ID=$(vl --json key list | python3 -c 'import json,sys; print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k["role"]=="admin"][0])' 2>/dev/null || true)
[[ -n $KEY_ID ]] && { grep -qF "$KEY_ID" board.html && pass "county key id" || fail "county key id $KEY_ID"; }
grep -q 'name="viewport" content="width=device-width' board.html && pass "viewport" || fail "viewport"
grep -q 'name="viewport"' full.html && pass "viewport (full)" || fail "viewport (full)"
grep -qF 'counter(pages)' full.html && pass "full edition: printed page numbers" || fail "full page numbers"
# 2021-09-30 (Thursday) + 7 working days: 10-01 and 10-04..07 holidays,
# 10-02/03 a weekend, 10-09 (Saturday) worked: 10-08, 10-09, 10-11..15.
expect_json_file board.json 'd["notice"]["windowEnd"]' 2021-10-15 "window's last day across a weekend and holidays"
# The QR payload: URL#SIZE-ROOTHEX of the checkpoint.
CP_ROOT=$(python3 -c "import json,base64; d=json.load(open('board.json')); print(base64.b64decode(d['checkpoint'].split('\n')[2]).hex())")
expect_json_file board.json 'd["notice"]["qr"]' "https://site.example.cn/v/V1#$N-$CP_ROOT" "QR payload URL#SIZE-ROOTHEX"
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --site-url https://other.example.cn/x --format json --out url.json
expect_json_file url.json 'd["notice"]["qr"]' "https://other.example.cn/x#$N-$CP_ROOT" "--site-url overrides the policy"
expect_exit 0 vl verify-report url.json
expect_exit 3 vl report bulletin --village V1 --period 2021Q3 --site-url 'https://a.cn/#x' --out bad.html
expect_stderr_contains "--site-url"
expect_exit 3 vl report points --village V1 --period 2021Q3 --edition board --out bad.html
expect_stderr_contains "--edition"

# -------------------------------------------------------- names, masking
grep -qF "$R5_NAME「LITTER」-10 分（2021-09-10）" board.html &&
  pass "correction names whose entry, which rule and what" || fail "correction without names"
grep -qF "第 $DEDUCT_SEQ 条" board.html && pass "第 N 条, not seq N" || fail "seq label"
grep -qF "seq $DEDUCT_SEQ" board.html && fail "seq N in a Chinese bulletin" || pass "no seq N"
expect_exit 0 vl "${A[@]}" village policy V1 --public-names masked
expect_exit 0 vl "${A[@]}" checkpoint
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --out masked.html
MASKED_R5="${R5_NAME:0:1}*${R5_NAME: -1}"
grep -qF "$R5_NAME" masked.html && fail "a full name under --public-names masked" || pass "no full name when masked"
grep -qF "$MASKED_R5" masked.html && pass "masked name $MASKED_R5" || fail "masked name missing"
expect_exit 0 vl "${A[@]}" village policy V1 --public-names none
expect_exit 0 vl "${A[@]}" checkpoint
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --format json --out none.json
grep -qF "${R5_NAME:0:1}*" none.json && fail "names under --public-names none" || pass "no names under none"
expect_json_file none.json 'd["rankingResidents"][0]["name"]' "" "no name under none"
expect_exit 0 vl "${A[@]}" village policy V1 --public-names full

# ------------------------------------------- the same lists in every format
expect_exit 0 vl "${A[@]}" publish --village V1 --period 2021Q3 --format json --out pub1.json
expect_exit 0 vl "${A[@]}" publish --village V1 --period 2021Q3 --format json --edition board --out pub2.json
expect_exit 0 vl "${A[@]}" publish --village V1 --period 2021Q3 --format md --out pub3.md
expect_json_file pub1.json 'len(d["corrections"])' 1 "first publication lists the correction"
expect_json_file pub2.json 'len(d["corrections"])' 1 "after another publication of the period, still"
grep -qF "录入错误" pub3.md && pass "md after json lists the correction" || fail "md lost the correction"
expect_json_file pub2.json 'sorted(set(o["about"].split("：")[0] for o in d["objections"]))' "['第 $DEDUCT_SEQ 条']" "objection says which entry"
expect_json_file pub2.json '"LITTER" in d["objections"][0]["about"]' True "objection names the rule"

# ------------------------------------------------------------ verify-report
expect_exit 0 vl verify-report board.html
expect_exit 0 vl verify-report pub2.json
expect_stdout_contains "published at seq"
sed 's/ renderer=7 / renderer=1 /' board.md >old.md
expect_exit 3 vl verify-report old.md
expect_stderr_contains "renderer version 1"
# A report of renderer 6 (before the board's grade line) is another
# version's report, not a tampered one: exit 3 naming both versions.
sed 's/ renderer=7 / renderer=6 /' board.md >r6.md
expect_exit 3 vl verify-report r6.md
expect_stderr_contains "renderer version 6"
expect_stderr_contains "version 7"
sed 's/ edition=board renderer=7 window=7//' board.md >older.md
expect_exit 3 vl verify-report older.md
expect_stderr_contains "renderer version 1"
sed 's/公示期：7/公示期：9/' board.html >tampered.html
expect_exit 1 vl verify-report tampered.html
expect_stderr_contains "notice"

# ------------------------------------ shrink to 5, then two pages
expect_exit 0 vl "${A[@]}" village policy V1 --star-household-stars 1
expect_exit 0 vl "${A[@]}" checkpoint
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --format json --out two.json
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --edition board --out two.html
expect_json_file two.json 'd["board"]["top"]' 5 "a full page shrinks the top list to 5"
expect_json_file two.json 'len(d["rankingResidents"])' 5 "five rows"
expect_json_file two.json 'd["board"]["pages"]' 2 "past that, two pages"
expect_eq "$(grep -c 'class="page"' two.html)" 2 "two page sections"
grep -qF '第 2 页 / 共 2 页' two.html && pass "page 2 of 2" || fail "page 2 of 2"
expect_exit 0 vl verify-report two.html

# ------------------- hundreds tied at the last rank: left to the full bulletin
# A new village where everyone has the same 5 points (a first award to all):
# all 300 tie at rank 1 (and all are red flags), which no page holds, so
# the ranking lists none of them and says how many.
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
python3 - <<'EOF2'
with open("households2.csv", "w") as h, open("residents2.csv", "w") as r, \
     open("awards2.csv", "w") as w:
    h.write("id,village,head\n")
    r.write("name,id,household,village,minor,birth_year\n")
    w.write("resident,rule,points,date\n")
    for i in range(1, 301):
        hh = "G%03d" % ((i + 2) // 3)
        name = "孙" + "建国秀英明月子涵春生"[i % 10] + "山水林田湖海江河松柏"[i // 10 % 10] + "一二三"[i // 100 % 3]
        if i % 3 == 1:
            h.write("%s,V2,%s\n" % (hh, name))
        r.write("%s,S%03d,%s,V2,否,1970\n" % (name, i, hh))
        w.write("S%03d,VOL,5,2021-09-01\n" % i)
EOF2
expect_exit 0 vl "${A[@]}" import households2.csv --kind households
expect_exit 0 vl "${A[@]}" import residents2.csv --kind residents
expect_exit 0 vl "${A[@]}" import awards2.csv --kind awards
expect_exit 0 vl "${A[@]}" checkpoint
expect_exit 0 vl report bulletin --village V2 --period 2021Q3 --edition board --format json --out tie.json
expect_exit 0 vl report bulletin --village V2 --period 2021Q3 --edition board --out tie.html
expect_json_file tie.json '[d["board"]["tiedLeftOff"], d["board"]["tiedRank"], d["board"]["top"]]' \
  '[300, 1, 5]' "300 tied at rank 1 left to the full bulletin"
expect_json_file tie.json 'len(d["rankingResidents"])' 0 "none of the tied listed in the ranking"
expect_json_file tie.json 'len(d["board"]["redFlags"])' 300 "every red flag still named"
TIE_PAGES=$(python3 -c "import json; print(json.load(open('tie.json'))['board']['pages'])")
grep -qF '另有 300 人并列第 1 名' tie.html && pass "the board says how many are tied" ||
  fail "no line for the tied residents in tie.html"
expect_exit 0 vl verify-report tie.html
expect_exit 0 vl report bulletin --village V2 --period 2021Q3 --edition full --format json --out tie-full.json
expect_json_file tie-full.json 'len(d["rankingResidents"])' 300 "the full edition lists all 300"
expect_json_file board.json '"tiedLeftOff" in d["board"]' False "no tiedLeftOff when the ties fit"

# ------------------------------------------- printed and shown by Chromium
# Headless Chromium (tests/browser/print_pages.py) prints each to an A4 PDF
# and counts its pages, and lays it out in a 390 px wide phone window.
# The demo village's board too (scripts/demo's village, 94 adults).
expect_exit 0 vl demo demo
expect_exit 0 vl --ledger demo report bulletin --village JKQJ --period 2021Q3 --edition board \
  --out demo-board.html
# The demo village with credit supermarkets (renderer 6): a row a shop on
# the board, counted in its page estimate. Seven shops are the most its
# one page holds at the top 5 (an eighth: two pages, by the estimate).
expect_exit 0 vl demo shopdemo
for i in 1 2 3 4 5 6 7; do
  vl --ledger shopdemo --key shopdemo-keys/collector.key shop item add CS0$i --item 洗衣液 \
    --points 10 --stock 20 >/dev/null 2>&1
done
expect_exit 0 vl --ledger shopdemo --key shopdemo-keys/admin.key checkpoint
expect_exit 0 vl --ledger shopdemo report bulletin --village JKQJ --period 2021Q3 --edition board \
  --out shops-board.html
expect_exit 0 vl --ledger shopdemo report bulletin --village JKQJ --period 2021Q3 --edition board \
  --format json --out shops-board.json
expect_json_file shops-board.json '[len(d["shops"]), d["board"]["top"], d["board"]["pages"]]' \
  '[7, 5, 1]' "seven shops: the top 5 and the shops on one page, by the estimate"
expect_exit 0 vl --ledger shopdemo --key shopdemo-keys/collector.key shop item add CS08 \
  --item 洗衣液 --points 10 --stock 20
expect_exit 0 vl --ledger shopdemo --key shopdemo-keys/admin.key checkpoint
expect_exit 0 vl --ledger shopdemo report bulletin --village JKQJ --period 2021Q3 --edition board \
  --format json --out shops8-board.json
expect_json_file shops8-board.json 'd["board"]["pages"]' 2 "an eighth shop: two pages"
run /usr/bin/python3 "$REPO_ROOT/tests/browser/print_pages.py" board.html two.html full.html \
  demo-board.html tie.html shops-board.html
expect_eq "$LAST_RC" 0 "Chromium printed the bulletins"
pages() { sed -n "s/^$1 pages=\([0-9]*\) .*/\1/p" "$(LAST_OUT_FILE)"; }
expect_eq "$(pages board.html)" 1 "the board of 500 residents, top 10, prints on one A4 page"
expect_eq "$(pages two.html)" 2 "the two-page board prints on two pages"
expect_eq "$(pages demo-board.html)" 1 "the demo village's board prints on one A4 page"
expect_eq "$(pages tie.html)" "$TIE_PAGES" "the board of 300 tied residents prints on the pages it says"
expect_eq "$(pages shops-board.html)" 1 "the board with seven shops prints on one A4 page"
FULL_PAGES=$(pages full.html)
[[ ${FULL_PAGES:-0} -ge 3 ]] && pass "the full edition prints on $FULL_PAGES pages" ||
  fail "full edition pages: ${FULL_PAGES:-none}"
NARROW=$(awk '{split($3, w, "="); split($4, v, "="); if (w[2] + 0 > v[2] + 0) print $1}' "$(LAST_OUT_FILE)")
expect_eq "$NARROW" "" "no bulletin is wider than a 390 px phone window"

finish
