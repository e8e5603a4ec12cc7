#!/usr/bin/env bash
# Bash completion (issue 18, item 8): `vledger completion bash` prints a
# script generated from the command tree; sourced in a plain bash (no
# bash-completion package), its function completes commands, subcommands,
# each command's flags, and resident, rule, village and fund ids read from
# the ledger (the hidden `__complete`), and file names for --out.
# Usage: completion.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
vl init --test-clock --name 补全测试 --admin-key-out admin.key >/dev/null
vl "${A[@]}" village add V01 --name 曲家村 >/dev/null
vl "${A[@]}" household add H001 --village V01 --head 曲建国 >/dev/null
for r in R001 R002 R010; do
  vl "${A[@]}" resident add $r --village V01 --household H001 --name 曲$r >/dev/null
done
vl "${A[@]}" rule add VOL --category volunteer --points 2 >/dev/null
vl "${A[@]}" rule add CLEAN --category hygiene --points 3 >/dev/null
vl "${A[@]}" fund open EDU --name 助学基金 --kind charity >/dev/null

expect_exit 0 vl completion bash
cp "$(LAST_OUT_FILE)" vledger.bash
expect_stdout_contains 'complete -F _vledger vledger'
expect_exit 0 bash -n vledger.bash

# complete WORD... — the candidates bash offers for the last word (the
# cursor at its end), one a line, sorted; run in a clean bash with the
# script sourced and the binary as the command word.
complete_words() {
  env -i PATH="$PATH" HOME="$WORK" LANG=C.UTF-8 ${VLEDGER_DIR:+VLEDGER_DIR="$VLEDGER_DIR"} \
    bash --norc --noprofile -c '
    source ./vledger.bash
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    _vledger
    printf "%s\n" "${COMPREPLY[@]}" | sort' complete "$VLEDGER" "$@"
}

# expect_offers WHAT EXPECTED WORD... — the candidates for WORD... are EXPECTED
# (space-separated).
expect_offers() {
  local what=$1 want=$2
  shift 2
  expect_eq "$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')" "$want" "$what"
}

# expect_offers_some WHAT WANTED WORD... — every word of WANTED is offered.
expect_offers_some() {
  local what=$1 want=$2 got w missing=
  shift 2
  got=" $(complete_words "$@" | tr '\n' ' ') "
  for w in $want; do
    [[ $got == *" $w "* ]] || missing+=" $w"
  done
  expect_eq "${missing# }" "" "$what"
}

echo "== commands and subcommands"
expect_offers_some "the commands" "init award deduct village resident import template completion" ""
expect_offers "commands starting with aw" "award" aw
expect_offers "commands starting with te" "template" te
expect_eq "$(complete_words "" | grep -c __complete)" 0 "the hidden command is not offered"
expect_offers "village's subcommands" "add grades list policy" village ""
expect_offers "completion's subcommand" "bash" completion ""

echo "== flags"
expect_offers_some "award's flags" "--points --on --note --evidence --request-id --json --ledger --key --help" award --
expect_offers "award's flags starting with --n" "--note" award --n
expect_offers_some "global options before the command" "--ledger --key --lang --json --wait" --
expect_offers_some "template's flags" "--village --out" template awards --

echo "== values from the ledger"
export VLEDGER_DIR="$WORK/vledger-data"
expect_offers "resident ids for award" "R001 R002 R010" award ""
expect_offers "resident ids by prefix" "R001 R002" award R00
expect_offers "rule ids after the resident" "CLEAN VOL" award R001 ""
expect_offers "a village for --village" "V01" resident list --village ""
expect_offers "a fund for donate" "EDU" donate ""
unset VLEDGER_DIR
# --ledger on the command line is the ledger the ids come from.
mv vledger-data other-ledger
expect_offers "ids of the --ledger given" "R001 R002 R010" --ledger other-ledger balance ""
expect_offers "ids of --ledger=DIR" "R001 R002 R010" --ledger=other-ledger balance ""
# As bash splits it (COMP_WORDBREAKS holds =): --ledger, =, DIR.
expect_offers "ids of --ledger = DIR" "R001 R002 R010" --ledger = other-ledger balance ""
expect_offers "a value right after the =" "V01" --ledger = other-ledger resident list --village =
expect_offers "a value after --village=" "V01" --ledger = other-ledger resident list --village = V
expect_offers "no ledger: no ids, no error" "" balance ""

echo "== fixed words and files"
expect_offers "import kinds" "redemptions residents rules" import x.csv --kind r
expect_offers "template kinds" "deductions disbursements donations" template d
expect_offers "languages" "en zh" --lang ""
touch out-a.xlsx out-b.xlsx
expect_offers "files for --out" "out-a.xlsx out-b.xlsx" template awards --out out-
expect_offers "files for import FILE" "out-a.xlsx out-b.xlsx" import out-

echo "== the hidden query"
expect_exit 0 vl --ledger other-ledger __complete residents R0
expect_eq "$(last_stdout | tr '\n' ' ')" "R001 R002 R010 " "__complete prints the ids a line each"
expect_exit 3 vl --ledger other-ledger __complete people
expect_exit 0 vl --help
expect_stdout_lacks '__complete'


# --- a command line builds only its command's group of commands
# (cli/run.cc); the completion script is made from all of them. Each
# command it lists shows its help, with the same subcommands, when named.
mismatch=0
paths=0
while IFS=$'\t' read -r path subs; do
  paths=$((paths + 1))
  # shellcheck disable=SC2086 # the path's words
  if ! VLEDGER_LANG=en "$VLEDGER" $path --help >help.out 2>&1; then
    fail "vledger $path --help: $(head -n 3 help.out)"
    mismatch=1
    continue
  fi
  shown=$(sed -n '/^Subcommands:/,$p' help.out | awk 'NR > 1 && /^  [a-z]/ {print $1}' | tr '\n' ' ')
  if [[ ${shown% } != "$subs" ]]; then
    fail "vledger $path --help lists subcommands '${shown% }', the completion script '$subs'"
    mismatch=1
  fi
done < <(awk -v q="'" '
  index($0, "    " q) == 1 && $0 ~ /\)$/ { split($0, a, q); path = a[2]; next }
  index($0, "      subs=" q) == 1 && path != "" { split($0, a, q); print path "\t" a[2]; path = "" }
' vledger.bash)
((paths > 80)) && pass "$paths commands of the completion script checked" ||
  fail "only $paths commands read from the completion script"
((mismatch == 0)) && pass "each command built alone has the subcommands the whole tree gives it"

finish
