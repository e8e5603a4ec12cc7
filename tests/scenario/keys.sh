#!/usr/bin/env bash
# Passphrase-protected keys (encrypted PKCS#8): `key new --encrypt` with the
# passphrase from VLEDGER_KEY_PASSPHRASE or typed twice at a prompt on a
# terminal; signing with such a key, the passphrase again from the
# environment or the prompt; wrong, mismatched and missing passphrases
# refused with nothing appended; and the prompt never echoes what is typed.
# The terminal is a pseudo-terminal driven by pty_run.py below.
# Usage: keys.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

# pty_run.py ANSWERS... -- CMD...: runs CMD on a new pseudo-terminal (its
# controlling terminal, so /dev/tty is it), answers each prompt ending in
# ": " with the next ANSWER (PTY_DELAY seconds after the prompt), prints
# everything the terminal showed and exits with CMD's exit code.
cat >pty_run.py <<'EOF'
import os, pty, sys, time
delay = float(os.environ.get("PTY_DELAY", "0"))
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
            time.sleep(delay)
            os.write(fd, answers.pop(0).encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
tty() { python3 pty_run.py "$@"; }

K=admin.key
expect_exit 0 vl init --test-clock --name 密钥测试 --admin-key-out $K
expect_exit 0 vl --key $K village add V1 --name 甲夼曲家村

# ---------------------------------------- the passphrase from the environment
VLEDGER_KEY_PASSPHRASE='村委会 2021' expect_exit 0 vl key new --encrypt --out env.key
expect_eq "$(head -n1 env.key)" "-----BEGIN ENCRYPTED PRIVATE KEY-----" "the key file is encrypted PKCS#8"
expect_eq "$(stat -c %a env.key)" 600 "the key file is 0600"
expect_eq "$(grep -c 'BEGIN PRIVATE KEY' env.key)" 0 "no clear private key in the file"
expect_exit 0 vl --key $K key register --pub env.key.pub --role collector --village V1 --label 采集员甲
VLEDGER_KEY_PASSPHRASE='村委会 2021' expect_exit 0 vl --key env.key household add H01 --village V1 \
  --head 曲大山
VLEDGER_KEY_PASSPHRASE='wrong' expect_rejected_unchanged 3 vl --key env.key household add H02 \
  --village V1 --head 曲建国
expect_stderr_contains '--key'
# No passphrase and no terminal: refused, saying how to give one.
expect_rejected_unchanged 3 vl --key env.key household add H02 --village V1 --head 曲建国 </dev/null
expect_stderr_contains 'VLEDGER_KEY_PASSPHRASE'
# The same file read with openssl and the passphrase is an Ed25519 key.
if openssl pkey -in env.key -passin 'pass:村委会 2021' -noout -text 2>/dev/null | grep ED25519 >/dev/null; then
  pass "openssl reads the encrypted key as Ed25519"
else
  fail "openssl cannot read env.key with its passphrase"
fi

# ---------------------------------------------- the passphrase at a prompt
expect_exit 0 tty 'mountain road 7' 'mountain road 7' -- "$VLEDGER" key new --encrypt --out tty.key
expect_stdout_contains 'passphrase for the new key:'
expect_stdout_contains 'the same passphrase again:'
expect_stdout_lacks 'mountain road 7'
expect_eq "$(head -n1 tty.key)" "-----BEGIN ENCRYPTED PRIVATE KEY-----" "the prompted key is encrypted"
expect_exit 0 vl --key $K key register --pub tty.key.pub --role collector --village V1 --label 采集员乙
before=$(ledger_size vledger-data)
expect_exit 0 tty 'mountain road 7' -- "$VLEDGER" --key tty.key household add H02 --village V1 \
  --head 曲建国
expect_stdout_contains 'passphrase for tty.key:'
expect_stdout_lacks 'mountain road 7'
expect_eq "$(ledger_size vledger-data)" $((before + 1)) "signed with the prompted passphrase"
# A wrong passphrase at the prompt: refused, nothing appended.
expect_exit 3 tty 'valley road 8' -- "$VLEDGER" --key tty.key household add H03 --village V1 \
  --head 王秀英
expect_eq "$(ledger_size vledger-data)" $((before + 1)) "a wrong typed passphrase appends nothing"
# Two different passphrases when making a key: no key written.
expect_exit 3 tty 'first one' 'second one' -- "$VLEDGER" key new --encrypt --out differ.key
expect_stdout_contains 'differ'
[[ ! -e differ.key && ! -e differ.key.pub ]] && pass "no key written when passphrases differ" ||
  fail "differ.key written"
# VLEDGER_KEY_PASSPHRASE wins over the terminal: no prompt.
VLEDGER_KEY_PASSPHRASE='mountain road 7' expect_exit 0 tty -- "$VLEDGER" --key tty.key household add \
  H03 --village V1 --head 王秀英
expect_stdout_lacks 'passphrase for'
# An unencrypted key never prompts, even on a terminal.
expect_exit 0 tty -- "$VLEDGER" --key $K village add V2 --name 二村
expect_stdout_lacks 'passphrase'

# A key file readable by others is refused before any prompt.
chmod 640 tty.key
expect_exit 3 tty 'mountain road 7' -- "$VLEDGER" --key tty.key household add H04 --village V1 \
  --head 张桂兰
expect_stdout_contains 'chmod 600'
expect_stdout_lacks 'passphrase for'
chmod 600 tty.key

# Someone typing a passphrase does not hold the writer lock: the key is
# read before the ledger opens, so another writer goes on meanwhile.
PTY_DELAY=3 bg_run tty 'mountain road 7' -- "$VLEDGER" --key tty.key household add H05 \
  --village V1 --head 赵丽 >typed.out
typing=$BG_PID
sleep 1
expect_exit 0 vl --key $K village add V3 --name 三村
wait "$typing"
expect_eq "$?" 0 "the command whose passphrase was typed slowly"
grep -q 'Registered household H05' typed.out && pass "it appended" || fail "it did not append: $(cat typed.out)"

# ---------------------------------------- what is not a key file (LIMITS.md)
# Each is refused (exit 3) before a byte is read, within seconds: `timeout`
# turns a hang into a failure (124) instead of a stuck test.
key_refused() {  # key_refused TEXT FLAG FILE: a signing command, then key register
  local text=$1 flag=$2 file=$3
  if [[ $flag == --key ]]; then
    expect_rejected_unchanged 3 timeout 10 "$VLEDGER" --key "$file" village add V9 --name 九村
  else
    expect_rejected_unchanged 3 timeout 10 "$VLEDGER" --key $K key register --pub "$file" \
      --role collector --village V1 --label 错
  fi
  expect_stderr_contains "$text"
}
key_refused 'not a regular file' --key /dev/zero
key_refused 'not a regular file' --pub /dev/zero
mkfifo key.fifo
chmod 600 key.fifo
key_refused 'not a regular file' --key key.fifo
key_refused 'not a regular file' --pub key.fifo
truncate -s 300M big.key
chmod 600 big.key
key_refused 'too large' --key big.key
key_refused 'too large' --pub big.key
# 300 GB, sparse: refused by its size, not after reading it.
if truncate -s 300G huge.key 2>/dev/null; then
  chmod 600 huge.key
  key_refused 'too large' --key huge.key
  rm -f huge.key
fi
mkdir key.dir
chmod 700 key.dir
key_refused 'is a directory' --key key.dir
key_refused 'is a directory' --pub key.dir
# The .pub written beside a key, given as the key, is named a public key
# (mode 0644 or 0600 alike).
key_refused 'is a public key, not a private key' --key env.key.pub
cp env.key.pub pub600.pub
chmod 600 pub600.pub
key_refused 'is a public key, not a private key' --key pub600.pub
# A file holding two private keys is refused, not read as its first.
expect_exit 0 vl key new --out second.key
cat $K second.key >two.key
chmod 600 two.key
key_refused 'holds 2 PEM blocks' --key two.key
key_refused 'holds 2 PEM blocks' --pub two.key
cat env.key.pub second.key.pub >two.pub
key_refused 'holds 2 PEM blocks' --pub two.pub

expect_exit 0 vl verify
finish
