#!/usr/bin/env bash
# The credit supermarket's shelf (issue 21 item 4, SPEC section 12 "Shop"):
# items with a price a unit and stock, restocks, redemptions at the shelf's
# price and never beyond the stock (also when several processes redeem at
# once, locally and through a server), reversals putting stock back, the
# shop's monthly statement (`report shop`), redemptions imported without
# points, and the bulletin's shops section (per shop, month and item, in
# every format and in the board edition, verify-report byte for byte).
source "$(dirname "$0")/lib.sh"
setup

expect_exit 0 vl init --test-clock --name 超市 --admin-key-out admin.key
for k in col col2; do vl key new --out $k.key >/dev/null; done
expect_exit 0 vl --key admin.key village add V1 --name 一村
expect_exit 0 vl --key admin.key village add V2 --name 二村
expect_exit 0 vl --key admin.key key register --pub col.key.pub --role collector --village V1
expect_exit 0 vl --key admin.key key register --pub col2.key.pub --role collector --village V2
expect_exit 0 vl --key admin.key rule add GOOD --category 志愿服务 --points 100
expect_exit 0 vl --key col.key household add H1 --village V1 --head 曲建国
expect_exit 0 vl --key col.key resident add R1 --village V1 --household H1 --name 曲建国 --adult
expect_exit 0 vl --key col.key resident add R2 --village V1 --household H1 --name 曲小红 --adult
for r in R1 R1 R2 R2; do expect_exit 0 vl --key col.key award $r GOOD --on 2021-09-01; done

# --- the shelf: an item with its price and stock; the key's village by default.
expect_exit 0 vl --key col.key --json shop item add CS01 --item 洗衣液 --points 10 --stock 5
expect_exit 0 vl --key col.key shop item add CS01 --item 酱油 --points 3 --stock 2 --village V1
expect_exit 0 vl --json shop items CS01
expect_json 'd["village"]' V1
expect_json 'd["items"]' '[{"item": "洗衣液", "points": 10, "stock": 5}, {"item": "酱油", "points": 3, "stock": 2}]'
expect_exit 0 vl shop items CS01
expect_stdout_contains "洗衣液  10 points a unit  5 in stock"
# Who may: an admin names the village; a collector of another village may not.
expect_error 3 "admin without --village" "--village" -- \
  vl --key admin.key shop item add CS02 --item 米 --points 5 --stock 1
expect_rejected_unchanged 3 vl --key col2.key shop item add CS01 --item 米 --points 5 --stock 1 --village V1
expect_rejected_unchanged 3 vl --key col.key shop item add CS01 --item 米 --points 0 --stock 1
expect_rejected_unchanged 3 vl --key col.key shop item add CS01 --item 米 --points 5 --stock=-1
expect_rejected_unchanged 3 vl --key col.key shop item add CS01 --item 米 --points 5 --stock 1 --village V9
expect_rejected_unchanged 3 vl --key col.key shop item add 'C/1' --item 米 --points 5 --stock 1

# --- redemptions at the shelf's price.
expect_exit 0 vl --key col.key --json redeem R1 --shop CS01 --item 洗衣液 --qty 2
expect_exit 0 vl --json log --kind redeem
expect_json 'd["events"][-1]["body"]' '{"item": "洗衣液", "points": 20, "quantity": 2, "resident": "R1", "shop": "CS01"}'
expect_exit 0 vl --json balance R1
expect_json 'd["spendablePoints"]' 180
# The total given must be the shelf's: another price is refused.
expect_error 3 "a price other than the shelf's" "costs 10 points a unit" -- \
  vl --key col.key redeem R1 --shop CS01 --item 洗衣液 --qty 2 --points 15
expect_rejected_unchanged 3 vl --key col.key redeem R1 --shop CS01 --item 洗衣液 --qty 2 --points 15
expect_exit 0 vl --key col.key redeem R1 --shop CS01 --item 洗衣液 --qty 1 --points 10
# Beyond the stock (2 left), an unknown item, a shop without a shelf and no points.
expect_error 3 "beyond the stock" "only 2 of" -- vl --key col.key redeem R2 --shop CS01 --item 洗衣液 --qty 3
expect_rejected_unchanged 3 vl --key col.key redeem R2 --shop CS01 --item 洗衣液 --qty 3
expect_rejected_unchanged 3 vl --key col.key redeem R2 --shop CS01 --item 洗衣液 --qty 3 --points 30
expect_error 3 "an item not on the shelf" "not on the shelf" -- vl --key col.key redeem R2 --shop CS01 --item 米
expect_rejected_unchanged 3 vl --key col.key redeem R2 --shop CS01 --item 米 --points 5
expect_error 3 "a shop without a shelf needs --points" "has no shelf" -- vl --key col.key redeem R2 --item 米
expect_exit 0 vl --key col.key redeem R2 --item 米 --points 5
# The same shop code in another village is another shop: no shelf there.
expect_exit 0 vl --key admin.key household add H2 --village V2 --head 王秀英
expect_exit 0 vl --key admin.key resident add R9 --village V2 --household H2 --name 王秀英 --adult
expect_exit 0 vl --key admin.key award R9 GOOD --on 2021-09-01
expect_exit 0 vl --key col2.key redeem R9 --shop CS01 --item 洗衣液 --points 7

# --- restocks.
expect_exit 0 vl --key col.key --json shop restock CS01 --item 洗衣液 --qty 4
expect_rejected_unchanged 3 vl --key col.key shop restock CS01 --item 米 --qty 4
expect_rejected_unchanged 3 vl --key col.key shop restock CS01 --item 洗衣液 --qty 0
expect_rejected_unchanged 3 vl --key col2.key shop restock CS01 --item 洗衣液 --qty 1 --village V1
expect_exit 0 vl --json shop items CS01 --village V1
expect_json 'd["items"][0]["stock"]' 6
# A new price for an item on the shelf; its stock grows by --stock.
expect_exit 0 vl --key col.key shop item add CS01 --item 酱油 --points 4 --stock 0
expect_exit 0 vl --json shop items CS01 --village V1
expect_json 'd["items"][1]' '{"item": "酱油", "points": 4, "stock": 2}'
expect_rejected_unchanged 3 vl --key col.key redeem R2 --shop CS01 --item 酱油 --points 3
expect_exit 0 vl --key col.key redeem R2 --shop CS01 --item 酱油

# --- a reversal puts the stock back (and only a shelf redemption's).
expect_exit 0 vl --key col.key --json redeem R2 --shop CS01 --item 洗衣液 --qty 6
seq=$(json_get 'd["seq"]')
expect_exit 0 vl --json shop items CS01 --village V1
expect_json 'd["items"][0]["stock"]' 0
expect_rejected_unchanged 3 vl --key col.key redeem R1 --shop CS01 --item 洗衣液
expect_exit 0 vl --key col.key reverse "$seq" --reason 退货
expect_exit 0 vl --json shop items CS01 --village V1
expect_json 'd["items"][0]["stock"]' 6

# --- the month's statement; October's sales do not count in September's.
expect_exit 0 vl --json report shop CS01 --village V1 --period 2021-09
expect_json '[(i["item"], i["received"], i["sold"], i["pointsTaken"], i["stock"]) for i in d["items"]]' \
  '[["洗衣液", 9, 3, 30, 6], ["酱油", 2, 1, 4, 1]]'
expect_json '[d["sold"], d["pointsTaken"]]' '[4, 34]'
expect_exit 0 env VLEDGER_NOW=2021-10-02T10:00:00Z "$VLEDGER" --key col.key redeem R1 --shop CS01 --item 洗衣液 --qty 2
expect_exit 0 vl --json report shop CS01 --village V1 --period 2021-10
expect_json '[(i["item"], i["received"], i["sold"], i["pointsTaken"], i["stock"]) for i in d["items"]]' \
  '[["洗衣液", 0, 2, 20, 4], ["酱油", 0, 0, 0, 1]]'
expect_exit 0 vl --json report shop CS01 --village V1 --period 2021-09
expect_json '[d["items"][0]["stock"], d["sold"]]' '[6, 4]'
expect_exit 0 vl report shop CS01 --village V1 --period 2021-10
expect_stdout_contains "redeemed 2 units for 20 points"
expect_error 3 "a bad period" "--period" -- vl report shop CS01 --village V1 --period 2021Q3
expect_error 2 "report shop without SHOP" "SHOP" -- vl report shop --village V1 --period 2021-10

# --- an import: the points cell may be empty for a shelf item.
export VLEDGER_NOW=2021-10-03T10:00:00Z
printf 'resident,points,item,shop,quantity\nR1,,酱油,CS01,1\nR2,10,洗衣液,CS01,1\n' >red.csv
expect_exit 0 vl --key col.key import red.csv --kind redemptions
expect_exit 0 vl --json shop items CS01 --village V1
expect_json '[i["stock"] for i in d["items"]]' '[3, 0]'
printf 'resident,points,item,shop,quantity\nR1,,酱油,CS01,1\n' >bad.csv
expect_exit 3 vl --key col.key import bad.csv --kind redemptions
expect_stderr_contains 'only 0 of'
expect_exit 0 vl --json shop items CS01 --village V1
expect_json '[i["stock"] for i in d["items"]]' '[3, 0]'

# --- concurrent redemptions: 3 in stock, 8 processes each redeem one.
expect_exit 0 vl --key col.key shop item add CS01 --item 面粉 --points 1 --stock 3
race() {  # race N: N local redemptions at once; their exit codes in rc.N
  local i pids=()
  for i in $(seq 1 "$1"); do
    (
      "$VLEDGER" --key col.key --wait 60 redeem R1 --shop CS01 --item 面粉 >/dev/null 2>"err.$i"
      echo $? >"rc.$i"
    ) &
    pids+=($!)
  done
  wait "${pids[@]}"
}
race 8
expect_eq "$(cat rc.* | sort | uniq -c | tr -s ' ' | xargs)" "3 0 5 3" "three of eight redeemed, five refused (exit 3)"
expect_eq "$(cat err.* | grep -c 'only 0 of')" 5 "each refusal says the stock is out"
expect_exit 0 vl --json shop items CS01 --village V1
expect_json '[i["stock"] for i in d["items"] if i["item"] == "面粉"]' '[0]'
rm -f rc.* err.*

# ... and through a server.
expect_exit 0 vl --key col.key shop restock CS01 --item 面粉 --qty 2
bg_run "$VLEDGER" --ledger vledger-data serve --listen 127.0.0.1:0 --address-limit 0 --key-limit 0 \
  >serve.out 2>serve.err
SERVER=$BG_PID
for _ in $(seq 1 100); do
  grep -q listening serve.out 2>/dev/null && break
  sleep 0.1
done
URL=$(sed -n 's/^listening on //p' serve.out)
[[ -n "$URL" ]] && pass "server listening at $URL" || fail "server did not start: $(cat serve.err)"
pids=()
for i in $(seq 1 6); do
  (
    "$VLEDGER" --remote "$URL" --key col.key redeem R1 --shop CS01 --item 面粉 >/dev/null 2>"err.$i"
    echo $? >"rc.$i"
  ) &
  pids+=($!)
done
wait "${pids[@]}"
expect_eq "$(grep -c '^0$' rc.*  | awk -F: '{s+=$2} END {print s}')" 2 "two of six remote redemptions went through"
expect_eq "$(cat rc.* | grep -vc '^0$')" 4 "four were refused"
bg_stop "$SERVER"
expect_exit 0 vl --json shop items CS01 --village V1
expect_json '[i["stock"] for i in d["items"] if i["item"] == "面粉"]' '[0]'

# The replayed projections equal the stored ones (verify), stock included.
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
expect_exit 0 vl log --kind shop-item
expect_exit 0 vl log --kind restock

# --- the bulletin's shops section (renderer 6): per shop, per month of the
# quarter up to the bulletin's date, per item what `report shop` gives; the
# board edition a row a shop. A fresh ledger: shelves from June (CS03, no
# movement in Q3, left out), July and August of 2021Q3, a July redemption
# reversed in August (counted in August, the month it was recorded).
L=(--ledger bul)
bul() { vl "${L[@]}" "$@"; }
export VLEDGER_NOW=2021-06-20T02:00:00Z
expect_exit 0 bul init --test-clock --name 超市公示 --admin-key-out badmin.key
bul key new --out bcol.key >/dev/null
expect_exit 0 bul --key badmin.key village add V1 --name 一村
expect_exit 0 bul --key badmin.key village add V2 --name 二村
expect_exit 0 bul --key badmin.key key register --pub bcol.key.pub --role collector --village V1
expect_exit 0 bul --key badmin.key rule add GOOD --category 志愿服务 --points 100
expect_exit 0 bul --key bcol.key household add H1 --village V1 --head 曲建国
expect_exit 0 bul --key bcol.key resident add R1 --village V1 --household H1 --name 曲建国 --adult
expect_exit 0 bul --key bcol.key resident add R2 --village V1 --household H1 --name 曲小红 --adult
for r in R1 R2; do expect_exit 0 bul --key bcol.key award $r GOOD --on 2021-06-20; done
expect_exit 0 bul --key bcol.key shop item add CS03 --item 面粉 --points 5 --stock 3
expect_exit 0 bul --key badmin.key name set shop CS01 爱心超市 --village V1
export VLEDGER_NOW=2021-07-05T02:00:00Z
expect_exit 0 bul --key bcol.key shop item add CS01 --item 洗衣液 --points 10 --stock 5
expect_exit 0 bul --key bcol.key shop item add CS01 --item 酱油 --points 3 --stock 4
expect_exit 0 bul --key bcol.key shop item add CS02 --item 大米 --points 20 --stock 10
expect_exit 0 bul --key bcol.key redeem R1 --shop CS01 --item 洗衣液 --qty 2
expect_exit 0 bul --key bcol.key --json redeem R2 --shop CS01 --item 酱油
JULY_SEQ=$(json_get 'd["seq"]')
export VLEDGER_NOW=2021-08-10T02:00:00Z
expect_exit 0 bul --key bcol.key shop restock CS01 --item 洗衣液 --qty 3
expect_exit 0 bul --key bcol.key redeem R1 --shop CS01 --item 洗衣液 --qty 4
expect_exit 0 bul --key bcol.key redeem R2 --shop CS01 --item 酱油 --qty 2
expect_exit 0 bul --key bcol.key reverse "$JULY_SEQ" --reason 退货
# The bulletin's date is its last event's: an award on 30 September.
export VLEDGER_NOW=2021-09-30T10:00:00Z
expect_exit 0 bul --key bcol.key award R1 GOOD --on 2021-09-30
expect_exit 0 bul --key badmin.key checkpoint
# What `report shop` says of each month, as (month, item, price, received,
# redeemed, points taken, stock left) rows: the bulletin must say the same.
: >statement.rows
for m in 2021-07 2021-08 2021-09; do
  expect_exit 0 bul --json report shop CS01 --village V1 --period $m
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for i in d["items"]: print("|".join(map(str, [sys.argv[2], i["item"], i["points"], i["received"], i["sold"], i["pointsTaken"], i["stock"]])))' \
    "$(LAST_OUT_FILE)" $m >>statement.rows
done
expect_eq "$(cat statement.rows)" "2021-07|洗衣液|10|5|2|20|3
2021-07|酱油|3|4|1|3|3
2021-08|洗衣液|10|3|4|40|2
2021-08|酱油|3|0|1|3|2
2021-09|洗衣液|10|0|0|0|2
2021-09|酱油|3|0|0|0|2" "report shop: July, August (a July redemption reversed) and September"
expect_exit 0 bul --key bcol.key publish --village V1 --period 2021Q3 --out q3.html
expect_exit 0 bul --key bcol.key publish --village V1 --period 2021Q3 --format md --out q3.md
expect_exit 0 bul report bulletin --village V1 --period 2021Q3 --format json --out q3.json
expect_exit 0 bul report bulletin --village V1 --period 2021Q3 --format csv --out q3.csv
for e in html md json csv; do
  expect_exit 0 bul report bulletin --village V1 --period 2021Q3 --edition board --format $e --out board.$e
done
# The shops section's rows in each format, as the lines above: "## shop"
# then "month|item|price|received|redeemed|taken|stock", and the total.
cat >shops_rows.py <<'EOF'
import csv, html, json, re, sys
path, fmt = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8-sig").read()
out = []
if fmt in ("html", "md"):
    m = re.search(r"<!-- section:shops -->\n(.*?)<!-- section:", text, re.S)
    body = m.group(1) if m else ""
    if fmt == "html":
        for part in re.findall(r"<h3>(.*?)</h3>|<tr>(.*?)</tr>", body):
            if part[0]:
                out.append("## " + html.unescape(part[0]))
            elif "<td" in part[1]:
                cells = re.findall(r"<td[^>]*>(.*?)</td>", part[1])
                out.append("|".join(html.unescape(re.sub("<[^>]*>", "", c)) for c in cells))
    else:
        for line in body.splitlines():
            if line.startswith("### "):
                out.append("## " + line[4:].replace("\\", ""))
            elif line.startswith("|") and "---" not in line:
                cells = [c.strip().replace("\\", "") for c in line.strip("|").split("|")]
                if cells[0] not in ("月份", "超市"):
                    out.append("|".join(cells))
elif fmt == "json":
    for s in json.loads(text).get("shops", []):
        out.append("## " + (s["shopName"] + "（" + s["shop"] + "）" if "shopName" in s else s["shop"]))
        if "months" in s:
            for m in s["months"]:
                for i in m["items"]:
                    out.append("|".join(map(str, [m["month"], i["item"], i["points"], i["received"], i["sold"], i["pointsTaken"], i["stock"]])))
            out.append("|".join(map(str, ["合计", "", "", s["received"], s["sold"], s["pointsTaken"], ""])))
        else:
            out.append("|".join(map(str, [s["items"], s["received"], s["sold"], s["pointsTaken"], s["stock"]])))
else:
    last = None
    for row in csv.reader(text.splitlines()):
        if row[0] != "shops" or row[1] == "shop":
            continue
        code, name, line = row[1], row[2], row[3]
        if code != last:
            out.append("## " + (name + "（" + code + "）" if name else code))
            last = code
        if line == "item":
            out.append("|".join(row[4:11]))
        elif row[11]:
            out.append("|".join([row[11], row[7], row[8], row[9], row[10]]))
        else:
            out.append("|".join(["合计", "", "", row[7], row[8], row[9], ""]))
print("\n".join(out))
EOF
FULL_ROWS="## 爱心超市（CS01）
$(cat statement.rows)
合计|||12|8|66|
## CS02
2021-07|大米|20|10|0|0|10
2021-08|大米|20|0|0|0|10
2021-09|大米|20|0|0|0|10
合计|||10|0|0|"
for f in q3.html q3.md q3.json q3.csv; do
  run python3 shops_rows.py $f "${f##*.}"
  expect_eq "$(last_stdout)" "$FULL_ROWS" "$f: the shops section holds report shop's months, CS03 (no movement) left out"
done
# The board: a row a shop (items on the shelf, received, redeemed, points
# taken, stock left at the end of September). The board's html and md
# rows hold the shop's label first.
BOARD_ROWS="## 爱心超市（CS01）
2|12|8|66|4
## CS02
1|10|0|0|10"
for f in board.json board.csv; do
  run python3 shops_rows.py $f "${f##*.}"
  expect_eq "$(last_stdout)" "$BOARD_ROWS" "$f: a row a shop"
done
for f in board.html board.md; do
  run python3 shops_rows.py $f "${f##*.}"
  expect_eq "$(last_stdout)" "爱心超市（CS01）|2|12|8|66|4
CS02|1|10|0|0|10" "$f: a row a shop"
done
# No resident in the section (names nor ids).
for f in q3.html q3.md board.html board.md; do
  sed -n '/section:shops/,/section:corrections/p' $f >section.txt
  if grep -q '曲\|R1\|R2' section.txt; then fail "$f: a resident in the shops section"; else pass "$f: no resident in the shops section"; fi
done
# Regenerated byte for byte; a changed figure is named by its section.
for f in q3.html q3.md q3.json q3.csv board.html board.md board.json board.csv; do
  expect_exit 0 bul verify-report $f
done
expect_exit 0 bul verify-report q3.md
expect_stdout_contains "published at seq"
sed 's/| 2021-08 | 洗衣液 | 10 | 3 | 4 | 40 | 2 |/| 2021-08 | 洗衣液 | 10 | 3 | 4 | 30 | 2 |/' q3.md >tampered.md
expect_eq "$(cmp -s q3.md tampered.md && echo same || echo changed)" changed "the tampered copy differs"
expect_exit 1 bul verify-report tampered.md
expect_stderr_contains "shops"
# A village without a shelf, and a quarter without movement (CS03's June
# is Q2's): no shops section; Q2's bulletin has CS03's.
expect_exit 0 bul report bulletin --village V2 --period 2021Q3 --format md
expect_stdout_lacks "section:shops"
expect_exit 0 bul report bulletin --village V1 --period 2021Q1 --format md
expect_stdout_lacks "section:shops"
expect_exit 0 bul report bulletin --village V1 --period 2021Q2 --format json
expect_json '[(s["shop"], s["received"], [m["month"] for m in s["months"]]) for s in d["shops"]]' \
  '[["CS03", 3, ["2021-06"]]]'
# The points and funds reports have no shops section.
expect_exit 0 bul report funds --village V1 --period 2021Q3 --format md
expect_stdout_lacks "section:shops"
unset VLEDGER_NOW
finish
