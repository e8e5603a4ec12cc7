#!/usr/bin/env bash
# Credit grades (issue 21 item 1, SPEC section 12 "Benefits"): a village's
# grade policy from a date, `grade RESIDENT` and `grade --household H`,
# grades in balance and rankings, a policy change taking effect on its
# date, the year's points as the basis, and refused thresholds.
source "$(dirname "$0")/lib.sh"
setup

expect_exit 0 vl init --test-clock --name 等级 --admin-key-out admin.key
vl key new --out col.key >/dev/null
expect_exit 0 vl --key admin.key village add V1 --name 一村
expect_exit 0 vl --key admin.key key register --pub col.key.pub --role collector --village V1
expect_exit 0 vl --key admin.key rule add GOOD --category 志愿服务 --points 50
expect_exit 0 vl --key col.key household add H1 --village V1 --head 曲建国
expect_exit 0 vl --key col.key household add H2 --village V1 --head 王秀英
expect_exit 0 vl --key col.key resident add R1 --village V1 --household H1 --name 曲建国 --adult
expect_exit 0 vl --key col.key resident add R2 --village V1 --household H1 --name 曲小红 --adult
expect_exit 0 vl --key col.key resident add R3 --village V1 --household H2 --name 王秀英 --adult
for r in R1 R1 R1 R1 R2 R2; do expect_exit 0 vl --key col.key award $r GOOD --on 2021-09-01; done

# --- no policy yet: no grade.
expect_exit 0 vl --json grade R1
expect_json '[d["grade"], d["score"]]' '[null, 200]'
expect_exit 0 vl --json balance R1
expect_json '"grade" in d' false

# --- refused policies: exit 3, nothing written.
G=AAA:200,AA:150,A:100,B:50,C:0
expect_error 3 "unordered thresholds" "strictly" -- \
  vl --key admin.key village grades V1 --from 2021-09-01 --grades AAA:100,AA:150,A:50
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades AAA:100,AA:150
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades AAA:100,AA:100
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades A:100,A:50
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades AAA:x
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades AAA
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-31 --grades $G
expect_rejected_unchanged 3 vl --key admin.key village grades V9 --from 2021-09-01 --grades $G
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades $G \
  --households AAA:400,AA:300,A:200,B:100
expect_rejected_unchanged 3 vl --key admin.key village grades V1 --from 2021-09-01 --grades $G \
  --households AAA:400,AA:300,A:300,B:100,C:0
expect_rejected_unchanged 3 vl --key col.key village grades V1 --from 2021-09-01 --grades $G

# --- a policy in force: residents, households, balance, rankings.
expect_exit 0 vl --key admin.key --json village grades V1 --from 2021-09-01 --grades $G \
  --households AAA:400,AA:300,A:200,B:100,C:0
before_change=$(json_get 'd["seq"]')
expect_exit 0 vl --json grade R1
expect_json '[d["grade"], d["score"], d["basis"], d["effectiveFrom"], d["date"]]' \
  '["AAA", 200, "score", "2021-09-01", "2021-09-30"]'
expect_exit 0 vl --json grade R2
expect_json 'd["grade"]' A
expect_exit 0 vl --json grade R3
expect_json '[d["grade"], d["score"]]' '["C", 0]'
expect_exit 0 vl --json grade --household H1
expect_json '[d["household"], d["grade"], d["score"]]' '["H1", "AA", 300]'
expect_exit 0 vl grade R1
expect_stdout_contains "R1  grade AAA  score 200"
expect_exit 0 vl --json balance R1
expect_json 'd["grade"]' AAA
expect_exit 0 vl balance R1
expect_stdout_contains "grade AAA"
expect_exit 0 vl --json balance --village V1
expect_json '[r.get("grade") for r in d["residents"]]' '["AAA", "A", "C"]'
expect_exit 0 vl --json rank --village V1 --period 2021
expect_json '[(r["resident"], r.get("grade")) for r in d["ranking"]]' '[["R1", "AAA"], ["R2", "A"]]'
expect_exit 0 vl --json rank --village V1 --period 2021 --households
expect_json '[(r["household"], r.get("grade")) for r in d["ranking"]]' '[["H1", "AA"]]'
expect_exit 0 vl --lang zh grade R1
expect_stdout_contains "等级 AAA"
expect_error 3 "grade of an unknown resident" "R9" -- vl grade R9
# The bulletin: a grade column and the residents per grade (renderer 3).
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --format json
expect_json '[(r["id"], r.get("grade")) for r in d["rankingResidents"]]' '[["R1", "AAA"], ["R2", "A"]]'
expect_json '[(r["id"], r.get("grade")) for r in d["rankingHouseholds"]]' '[["H1", "AA"]]'
expect_json '[(g["grade"], g["residents"]) for g in d["grades"]]' \
  '[["AAA", 1], ["AA", 0], ["A", 1], ["B", 0], ["C", 1], ["", 0]]'
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --format md
expect_stdout_contains "<!-- section:grades -->"
expect_stdout_contains "| AAA | 1 |"
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --out b.html
expect_exit 0 vl --key admin.key verify-report b.html
grep -q 'renderer=7' b.html && pass "the footer says renderer=7" || fail "no renderer=7 in b.html"
# The board edition has the residents per grade too: one line (renderer 7),
# the same rows as the full edition's in JSON and CSV.
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --edition board --format json
expect_json '[(g["grade"], g["residents"]) for g in d["grades"]]' \
  '[["AAA", 1], ["AA", 0], ["A", 1], ["B", 0], ["C", 1], ["", 0]]'
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --edition board --format md
expect_stdout_contains "**信用等级：**AAA 级 1 人、AA 级 0 人、A 级 1 人、B 级 0 人、C 级 1 人、未达等级 0 人"
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --edition board --format csv
expect_stdout_contains "grades,AAA,1"
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --edition board --out board.html
expect_eq "$(grep -c '<b>信用等级：</b>AAA 级 1 人、AA 级 0 人' board.html)" 1 "the board's grade line"
expect_exit 0 vl --key admin.key verify-report board.html
expect_exit 0 vl --key admin.key report bulletin --village V1 --period 2021 --edition board --format md --lang en
expect_stdout_contains "**Credit grades:** AAA: 1, AA: 0, A: 1, B: 0, C: 1, no grade: 0"

# --- a change, effective from a later date: the old policy holds until then.
expect_exit 0 vl --key admin.key village grades V1 --from 2021-10-01 \
  --grades AAA:300,AA:200,A:100,B:50,C:0
expect_exit 0 vl --json grade R1
expect_json '[d["grade"], d["effectiveFrom"]]' '["AAA", "2021-09-01"]'
export VLEDGER_NOW=2021-10-02T02:00:00Z
expect_exit 0 vl --key col.key award R3 GOOD --on 2021-10-01
expect_exit 0 vl --json grade R1
expect_json '[d["grade"], d["effectiveFrom"], d["date"]]' '["AA", "2021-10-01", "2021-10-02"]'
expect_exit 0 vl --json grade R3
expect_json 'd["grade"]' B
# As of an earlier event, the grade of that day.
expect_exit 0 vl --json grade R1 --at "$before_change"
expect_json '[d["grade"], d["date"]]' '["AAA", "2021-09-30"]'

# --- the year's points as the basis.
export VLEDGER_NOW=2022-01-05T02:00:00Z
expect_exit 0 vl --key admin.key village grades V1 --from 2022-01-01 --basis year \
  --grades A:100,B:50,C:0
expect_exit 0 vl --key col.key award R2 GOOD --on 2022-01-04
expect_exit 0 vl --json grade R2
expect_json '[d["grade"], d["score"], d["basis"]]' '["B", 50, "year"]'
expect_exit 0 vl --json grade R1
expect_json '[d["grade"], d["score"]]' '["C", 0]'
expect_exit 0 vl --json grade --household H1
expect_json 'd["grade"]' null  # households not graded by this policy

expect_exit 0 vl log --kind grades
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
finish
