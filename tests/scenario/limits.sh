#!/usr/bin/env bash
# The bounds of docs/LIMITS.md that only the program reaches (options,
# files and the terminal), each at the bound and one past it where the
# bound can be reached quickly: --wait, publish --window-days, the rows and
# the size of an import file, the size of a report file for verify-report,
# a passphrase typed at the prompt.
# Usage: limits.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

K=admin.key
expect_exit 0 vl init --test-clock --name 界限测试 --admin-key-out $K
expect_exit 0 vl --key $K village add V1 --name 甲夼曲家村
expect_exit 0 vl key new --out col.key
expect_exit 0 vl --key $K key register --pub col.key.pub --role collector --village V1

# ------------------------------------------------------- --wait 0..86400
expect_exit 0 vl --wait 86400 log
expect_exit 2 vl --wait 86401 log

# ----------------------------------------------- publish --window-days 365
expect_exit 0 vl --key $K publish --village V1 --period 2021Q3 --window-days 365 --out w365.html
expect_error 3 "--window-days one past the bound" '--window-days: give 1..365' -- \
  vl --key $K publish --village V1 --period 2021Q4 --window-days 366 --out w366.html

# -------------------------------------------------- rows in one import
# 200,001 rows: refused before anything is read into events.
{
  echo 'resident,rule,points,date'
  for ((i = 0; i <= 200000; i++)); do echo "R1,AW,1,2021-09-01"; done
} >rows.csv
expect_rejected_unchanged 3 vl --key col.key import rows.csv --kind awards --source rows
expect_stderr_contains '200001 rows; an import takes at most 200000'

# ----------------------------------------------------- import file size
# A sparse file of 1 GiB and one byte: refused by its size, at once.
truncate -s $(((1 << 30) + 1)) big.csv
expect_rejected_unchanged 3 vl --key col.key import big.csv --kind awards --source big
expect_stderr_contains 'is larger than 1024 MiB'
rm -f big.csv

# ------------------------------------------- report file for verify-report
# At 64 MiB the file is read and found not to be a report; one byte more
# is refused by its size.
truncate -s $((64 << 20)) report64.html
run vl verify-report report64.html
if [[ $LAST_RC -ne 0 ]] && ! grep -qF 'is larger than' "$WORK/.out/stderr"; then
  pass "a 64 MiB report file is read (and is no report)"
else
  fail "a 64 MiB report file: exit $LAST_RC, $(cat "$WORK/.out/stderr")"
fi
truncate -s $(((64 << 20) + 1)) report64.html
expect_error 1 "a report file one byte past 64 MiB" "is larger than $((64 << 20))" -- \
  vl verify-report report64.html
rm -f report64.html

# -------------------------------------------- passphrase at the prompt
# pty_run.py ANSWERS... -- CMD...: CMD on a new pseudo-terminal, each
# passphrase prompt answered with the next ANSWER (as keys.sh does).
cat >pty_run.py <<'PY'
import os, pty, sys, time
sep = sys.argv.index("--")
answers, cmd = sys.argv[1:sep], sys.argv[sep + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
shown, pending = b"", b""
deadline = time.time() + 30
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    pending += chunk
    if pending.rstrip(b" ").endswith(b":") and b"passphrase" in pending:
        pending = b""
        if answers:
            os.write(fd, answers.pop(0).encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
tty() { python3 pty_run.py "$@"; }
p1024=$(printf 'p%.0s' {1..1024})
expect_exit 0 tty "$p1024" "$p1024" -- "$VLEDGER" key new --encrypt --out p1024.key
[[ -f p1024.key ]] && pass "a 1024-byte passphrase makes a key" || fail "no p1024.key"
expect_exit 3 tty "${p1024}q" "${p1024}q" -- "$VLEDGER" key new --encrypt --out p1025.key
expect_stdout_contains 'passphrase longer than 1024 bytes'
[[ ! -e p1025.key ]] && pass "no key made with a 1025-byte passphrase" || fail "p1025.key written"

finish
