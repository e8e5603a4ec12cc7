#!/usr/bin/env bash
# Scenario test for the printables (issue 20, item 10): `report cards` (a
# 积分卡 per adult resident: no card for a minor, a resident of unknown age
# or one who left; names as the village's policy says; the QR code of the
# resident's page on the villager site, decoded with zbarimg; ten cards to
# an A4 sheet, a card a page at card size) and `report receipt` (receipt
# number, donor as consented, amount in figures and in capitals, purpose,
# fund, date, seq, county key id, record hash); bad input (exit 3, nothing
# written); both deterministic.
# Usage: print.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup
export VLEDGER_DIR="$WORK/ledger"

A=(--key admin.key)
C=(--key col.key)
T=(--key tre.key)
SITE=https://site.example.cn/county/V1/

# ----------------------------------------------------------------- setup
expect_exit 0 vl init --test-clock --name 荣成市积分账本 --admin-key-out admin.key
vl key new --out col.key >/dev/null
vl key new --out tre.key >/dev/null
vl "${A[@]}" village add V1 --name 甲夼曲家村 >/dev/null
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 --village V2 >/dev/null
vl "${A[@]}" key register --pub tre.key.pub --role treasurer --village V1 >/dev/null
vl "${C[@]}" household add H1 --village V1 --head 曲建国 >/dev/null
vl "${C[@]}" household add H9 --village V2 --head 李大山 >/dev/null
# R01..R12 adults (names of three characters, and R02 of two), R13 a minor,
# R14 of unknown age, R15 departed; R91 in another village.
names=(曲建国 王英 曲秀英 曲明月 曲子涵 曲春生 曲海燕 曲志强 曲玉兰 曲德华 曲桂芳 曲山林)
for i in $(seq 1 12); do
  expect_exit 0 vl "${C[@]}" resident add "$(printf 'R%02d' "$i")" --village V1 --household H1 \
    --name "${names[i - 1]}" --adult
done
expect_exit 0 vl "${C[@]}" resident add R13 --village V1 --household H1 --name 曲小雨 --minor
expect_exit 0 vl "${C[@]}" resident add R14 --village V1 --household H1 --name 曲无龄
expect_exit 0 vl "${C[@]}" resident add R15 --village V1 --household H1 --name 曲远行 --adult
expect_exit 0 vl "${C[@]}" resident update R15 --status departed
expect_exit 0 vl "${C[@]}" resident add R91 --village V2 --household H9 --name 李大山 --adult

# Reads an HTML file's cards: "ID<TAB>NAME<TAB>URL<TAB>QR-PAYLOAD" a line,
# the payload decoded by zbarimg from a PNG drawn from the card's SVG.
cards_of() {
  python3 - "$1" <<'EOF'
import html, re, subprocess, sys, tempfile, zlib, struct, os
page = open(sys.argv[1], encoding="utf-8").read()
def png(path, size, scale=8):
    dark = set()
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", path):
        dark.add((int(x), int(y)))
    rows = b""
    for y in range(size * scale):
        rows += b"\0" + bytes(0 if (x // scale, y // scale) in dark else 255
                              for x in range(size * scale))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    w = size * scale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, w, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
cards = re.findall(r'<div class="card">(.*?)</svg></div>', page, re.S)
for c in cards:
    cid = re.search(r'<div class="id">([^<]*)</div>', c).group(1)
    m = re.search(r'<div class="nm">([^<]*)</div>', c)
    name = html.unescape(m.group(1)) if m else "-"
    url = html.unescape(re.search(r'<div class="url">([^<]*)</div>', c).group(1))
    size = int(re.search(r'<svg viewBox="0 0 (\d+) ', c).group(1))
    path = re.search(r'<path fill="#000" d="([^"]*)"', c).group(1)
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
        f.write(png(path, size))
    out = subprocess.run(["zbarimg", "--raw", "-q", f.name], capture_output=True, text=True)
    os.unlink(f.name)
    print("\t".join([cid, name, url, out.stdout.strip() or "UNDECODED"]))
EOF
}

# ----------------------------------------------------------- cards: site URL
# No site URL anywhere: exit 3 naming --site-url, nothing written.
expect_rejected_unchanged 3 vl report cards --village V1 --out none.html
expect_stderr_contains "--site-url"
expect_eq "$(ls none.html* 2>/dev/null)" "" "no file written without a site URL"
# The village's URL (its folder, written without the final /) is used.
expect_exit 0 vl "${A[@]}" village policy V1 --site-url https://site.example.cn/county/V1
expect_exit 0 vl report cards --village V1 --out cards.html
expect_stdout_contains "wrote cards.html"
cards_of cards.html >cards.tsv
expect_eq "$(cut -f1 cards.tsv | tr '\n' ' ')" "R01 R02 R03 R04 R05 R06 R07 R08 R09 R10 R11 R12 " \
  "a card per adult resident: no minor, unknown age, departed or other village's"
# Masked by default (the site's policy): 曲*国, two characters 王*.
expect_eq "$(sed -n 1p cards.tsv | cut -f2)" "曲*国" "masked name of three characters"
expect_eq "$(sed -n 2p cards.tsv | cut -f2)" "王*" "masked name of two characters"
expect_eq "$(grep -c '曲建国\|曲小雨\|曲无龄\|曲远行\|R13\|R14\|R15' cards.html)" "0" \
  "no full name, no minor, no unknown age, no departed resident in the file"
# The QR code decodes to the resident's page: the folder + r.html?id=<ID>.
expect_eq "$(sed -n 1p cards.tsv | cut -f4)" "https://site.example.cn/county/V1/r.html?id=R01" \
  "QR payload decoded by zbarimg"
bad=$(awk -F'\t' '$4 != "https://site.example.cn/county/V1/r.html?id=" $1 || $3 != $4' cards.tsv)
expect_eq "$bad" "" "every card's QR decodes to its own page, as its printed URL says"

# --------------------------------------------------------- cards: the sheet
# A4: ten cards a sheet, each sheet one A4 page: the sheet and the cards
# have fixed sizes in millimetres and hide what overflows, and the grid of
# 2 × 5 cards (171.2 × 270 mm) fits inside the page (210 × 297 mm).
python3 - cards.html >sheet.txt <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
sheets = page.split('<div class="sheet">')[1:]
print("sheets", len(sheets), "cards", [s.count('<div class="card">') for s in sheets])
css = page[page.index("<style>"):page.index("</style>")]
assert "@page { size: A4 portrait; margin: 0; }" in css, "A4 page"
card = re.search(r"\.card \{[^}]*width: ([\d.]+)mm; height: ([\d.]+)mm; overflow: hidden;", css)
sheet = re.search(r"\.sheet \{[^}]*width: ([\d.]+)mm; height: ([\d.]+)mm; overflow: hidden; break-after: page;", css)
grid = re.search(r"\.grid \{[^}]*left: ([\d.]+)mm; top: ([\d.]+)mm;[^}]*repeat\((\d+), ([\d.]+)mm\); grid-auto-rows: ([\d.]+)mm;", css)
w, h = float(card.group(1)), float(card.group(2))
sw, sh = float(sheet.group(1)), float(sheet.group(2))
left, top, cols = float(grid.group(1)), float(grid.group(2)), int(grid.group(3))
rows = 10 // cols
print("card", w, h, "fits", sw <= 210 and sh <= 297 and left + cols * w <= sw and top + rows * h <= sh
      and float(grid.group(4)) == w and float(grid.group(5)) == h)
EOF
expect_eq "$(sed -n 1p sheet.txt)" "sheets 2 cards [10, 2]" "12 cards: two A4 sheets of 10 and 2"
expect_eq "$(sed -n 2p sheet.txt)" "card 85.6 54.0 fits True" "85.6 x 54 mm cards, 2 x 5 fit one A4 page"
expect_eq "$(grep -c 'class="marks"' cards.html)" "2" "crop marks on each sheet"
# Card size: a page of 85.6 × 54 mm a card.
expect_exit 0 vl report cards --village V1 --size card --resident R03 --resident R01 --out one.html
expect_eq "$(grep -c '@page { size: 85.6mm 54mm; margin: 0; }' one.html)" "1" "card-sized pages"
expect_eq "$(cards_of one.html | cut -f1,2 | tr '\t\n' ' ')" "R03 曲*英 R01 曲*国 " \
  "the residents asked for, in the order asked"
expect_eq "$(grep -c 'class="sheet"' one.html)" "0" "no A4 sheet at card size"

# ------------------------------------------------------- cards: name policy
expect_exit 0 vl "${A[@]}" village policy V1 --public-names none
expect_exit 0 vl report cards --village V1 --resident R01 --out none.html
expect_eq "$(cards_of none.html | cut -f2)" "-" "--public-names none: no name on the card"
expect_exit 0 vl "${A[@]}" village policy V1 --public-names full
expect_exit 0 vl report cards --village V1 --resident R01 --out full.html
expect_eq "$(cards_of full.html | cut -f2)" "曲建国" "--public-names full: the full name"
# --site-url on the command line wins; a page's URL keeps only its folder.
expect_exit 0 vl report cards --village V1 --resident R02 --site-url "$SITE"index.html --out url.html
expect_eq "$(cards_of url.html | cut -f4)" "${SITE}r.html?id=R02" "--site-url's folder"
expect_exit 0 vl "${A[@]}" village policy V1 --public-names masked

# ---------------------------------------------------------- cards: refused
refused_cards() {  # CODE TEXT ARGS...: refused, nothing written
  local code=$1 text=$2
  shift 2
  rm -f bad.html
  expect_rejected_unchanged "$code" vl report cards "$@" --out bad.html
  expect_stderr_contains "$text"
  expect_eq "$(ls bad.html* 2>/dev/null)" "" "nothing written: $text"
}
refused_cards 3 'no resident "R99" in village V1' --village V1 --resident R99
refused_cards 3 'no resident "R91" in village V1' --village V1 --resident R91
refused_cards 3 "R13 is a minor" --village V1 --resident R01 --resident R13
refused_cards 3 "R14's age is not known" --village V1 --resident R14
refused_cards 3 "R15 has left the village" --village V1 --resident R15
refused_cards 3 'unknown village "V7"' --village V7
refused_cards 3 "--format" --village V1 --format md
refused_cards 3 "--size" --village V1 --size a5
refused_cards 3 "--period" --village V1 --period 2021Q3
refused_cards 2 "report cards needs --village"
refused_cards 2 "report cards takes no --window-days" --village V1 --window-days 5
rm -f bad.html
expect_rejected_unchanged 3 vl report cards --village V2 --out bad.html
expect_stderr_contains "--site-url"

# Cards at this size, to be made again once the log has grown.
AT=$(vl --json log | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["events"]))')
expect_exit 0 vl report cards --village V1 --at "$AT" --out cards-at-a.html

# ----------------------------------------------------------------- receipts
expect_exit 0 vl "${A[@]}" fund open CH --name 困境儿童关爱基金 --kind charity --village V1
donate() {  # prints the seq and the receipt number of a donation
  vl "${T[@]}" --json donate CH "$@" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seq"], d["receipt"])'
}
read -r S1 RC1 < <(donate --amount 0.01 --donor 张三 --public-name --purpose edu)
read -r S2 RC2 < <(donate --amount 10 --donor 李四)
read -r S3 RC3 < <(donate --amount 1234.5 --donor-org 荣成市慈善总会 --purpose edu)
read -r S4 RC4 < <(donate --amount 100000 --anonymous --receipt 2021-088)
expect_eq "$RC4" "2021-088" "the treasurer's own receipt number"

# Reads a receipt's rows: "LABEL<TAB>VALUE" a line.
rows_of() {
  python3 - "$1" <<'EOF'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for k, v in re.findall(r'<tr><td class="k">([^<]*)</td><td class="[^"]*">(.*?)</td></tr>', page):
    print(k + "\t" + html.unescape(re.sub(r"<[^>]*>", "", v)))
EOF
}
row() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' <(rows_of "$1"); }

expect_exit 0 vl report receipt "$S1" --out r1.html
expect_exit 0 vl report receipt "$S2" --out r2.html
expect_exit 0 vl report receipt "$S3" --out r3.html
expect_exit 0 vl report receipt "$S4" --size card --out r4.html
expect_eq "$(row r1.html 票据号)" "$RC1" "receipt number"
expect_eq "$(row r1.html 捐赠方)" "张三" "a donor who consented is named"
expect_eq "$(row r2.html 捐赠方)" "匿名" "a donor who did not consent: 匿名"
expect_eq "$(grep -c 李四 r2.html)" "0" "the name of a donor who did not consent is nowhere"
expect_eq "$(row r3.html 捐赠方)" "荣成市慈善总会" "an organisation by its name"
expect_eq "$(row r4.html 捐赠方)" "匿名" "anonymous: 匿名"
expect_eq "$(row r1.html 金额（小写）)" "¥0.01 元" "amount in figures"
expect_eq "$(row r1.html 金额（大写）)" "人民币壹分" "0.01 in capitals"
expect_eq "$(row r2.html 金额（大写）)" "人民币壹拾元整" "10 in capitals"
expect_eq "$(row r3.html 金额（大写）)" "人民币壹仟贰佰叁拾肆元伍角" "1234.5 in capitals"
expect_eq "$(row r4.html 金额（大写）)" "人民币壹拾万元整" "100000 in capitals"
expect_eq "$(row r1.html 用途)" "edu" "purpose"
expect_eq "$(row r2.html 用途)" "非定向（不限用途）" "no purpose: unrestricted"
expect_eq "$(row r1.html 基金)" "困境儿童关爱基金 (CH)" "fund by its name"
expect_eq "$(row r1.html 记录)" "第 $S1 条" "seq"
# The date, the county key and the record hash, as the log has them.
event() {  # SEQ FIELD: a field of the event at SEQ in `log --json`
  vl --json log --from "$1" --limit 1 | python3 -c 'import json, sys, datetime as t
e = json.load(sys.stdin)["events"][0]
if sys.argv[1] == "date":
    cst = t.timezone(t.timedelta(hours=8))
    print(t.datetime.fromtimestamp(e["recordedAt"] / 1000, cst).date())
else:
    print(e[sys.argv[1]])' "$2"
}
expect_eq "$(row r1.html 日期)" "$(event "$S1" date)" "date: recordedAt in China Standard Time"
expect_eq "$(row r1.html 县级公钥)" "$(event 0 keyId)" "the county key: the genesis key's id"
expect_eq "$(row r1.html 记录哈希)" "h[$S1] $(event "$S1" hash)" "record hash h[SEQ] as the log has it"
expect_eq "$(grep -c '@page { size: 85.6mm 54mm; margin: 0; }' r4.html)" "1" "receipt at card size"
expect_eq "$(grep -c '@page { size: A4 portrait' r1.html)" "1" "receipt on A4"
# English labels; the capitals stay.
expect_exit 0 vl report receipt "$S3" --lang en --out r3en.html
expect_eq "$(row r3en.html 'Amount (Chinese capitals)')" "人民币壹仟贰佰叁拾肆元伍角" "capitals in English too"
expect_eq "$(row r3en.html Donor)" "荣成市慈善总会" "English: donor"

# A reversal later in the log is printed on the receipt.
expect_exit 0 vl "${T[@]}" reverse "$S2" --reason 录入错误
expect_exit 0 vl report receipt "$S2" --out r2b.html
expect_eq "$(grep -c '本笔捐赠已冲销' r2b.html)" "1" "a reversed donation's receipt says so"

# ----------------------------------------------------------- receipts: refused
refused_receipt() {  # CODE TEXT ARGS...
  local code=$1 text=$2
  shift 2
  rm -f bad.html
  expect_rejected_unchanged "$code" vl report receipt "$@" --out bad.html
  expect_stderr_contains "$text"
  expect_eq "$(ls bad.html* 2>/dev/null)" "" "nothing written: $text"
}
refused_receipt 3 "not a donation" 3
refused_receipt 3 "not a donation" 0
refused_receipt 3 "is beyond the log" 999999
refused_receipt 3 "SEQ" x12
refused_receipt 3 "SEQ"
refused_receipt 3 "HTML only" "$S1" --format json
refused_receipt 3 "--size" "$S1" --size a3
refused_receipt 3 "--village" "$S1" --village V1
rm -f bad.html
expect_rejected_unchanged 3 vl report bulletin --village V1 --period 2021Q3 --size a4 --out bad.html
expect_stderr_contains "--size"

# ------------------------------------------------------------ determinism
# A pure function of the log and the arguments: two runs, the same bytes;
# a receipt stays the same as the log grows.
expect_exit 0 vl report cards --village V1 --out cards2.html
expect_exit 0 vl report cards --village V1 --at "$AT" --out cards-at-b.html
expect_eq "$(cmp cards-at-a.html cards-at-b.html && echo same)" "same" \
  "cards at a size: the same bytes after the log grew"
expect_exit 0 vl report receipt "$S3" --out r3b.html
expect_eq "$(cmp r3.html r3b.html && echo same)" "same" "receipt: the same bytes later in the log"
expect_exit 0 vl report receipt "$S3" --out r3c.html
expect_eq "$(cmp r3b.html r3c.html && echo same)" "same" "receipt: two runs, same bytes"
expect_exit 0 vl report cards --village V1 --out cards3.html
expect_eq "$(cmp cards2.html cards3.html && echo same)" "same" "cards: two runs, same bytes"

finish
