#!/usr/bin/env bash
# The clerk's language (issue 18, item 1; SPEC section 12, "Messages"):
# with LANG=zh_CN.UTF-8 and no zh_CN locale installed, help (CLI11's own
# words included), usage errors, refusals, warnings and human output are
# Chinese; --lang beats VLEDGER_LANG, which beats LANGUAGE, LC_ALL,
# LC_MESSAGES and LANG; an unknown language is exit 2; JSON documents and
# exit codes do not change with the language.
# Usage: zh.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
C=(--key col.key)

# vledger under a Chinese locale (lib.sh set LANG=C.UTF-8 and cleared the
# other variables).
zh() {
  printf x >>"$WORK/.out/calls"
  LANG=zh_CN.UTF-8 "$VLEDGER" "$@"
}

# ------------------------------------------------------------------- help
expect_exit 0 zh --help
expect_stdout_contains '用法'
expect_stdout_contains '选项'
expect_stdout_contains '子命令'
expect_stdout_contains '显示本帮助并退出'
expect_stdout_contains '按规则加分'  # award's line in the list of commands
expect_stdout_contains '--lang 文本'
expect_stdout_lacks 'Usage:'
expect_stdout_lacks 'Options:'
expect_stdout_lacks 'Print this help message and exit'

expect_exit 0 zh award --help
expect_stdout_contains '位置参数'
expect_stdout_contains 'RESIDENT 文本 必填'
expect_stdout_contains '村民编号'
expect_stdout_contains '备注（公开）'
expect_stdout_lacks 'Options:'
expect_stdout_lacks 'REQUIRED'
expect_stdout_lacks 'public note'

# English stays the default, and the same layout.
expect_exit 0 vl award --help
expect_stdout_contains 'Usage: vledger award [OPTIONS] RESIDENT RULE'
expect_stdout_contains 'RESIDENT TEXT REQUIRED'
expect_stdout_contains 'Print this help message and exit'

# ------------------------------------------------------- usage errors: 2
expect_exit 2 zh frobnicate
expect_stderr_contains 'vledger：错误：未知命令“frobnicate”'
expect_exit 2 zh init --test-clock
expect_stderr_contains '缺少必填项 --name'
expect_exit 2 zh --wait 99999 log
expect_stderr_contains '--wait：值 99999 不在 0 到 86400 的范围内'
expect_exit 2 zh show abc
expect_stderr_contains 'SEQ：“abc”不是有效的序号'
expect_exit 2 zh log --bogus
expect_stderr_contains '多余的参数：--bogus'
# The C library's own text (strerror) is converted to UTF-8 like ours: in
# Chinese where Debian's libc-l10n is installed, else English, never "?"
# marks (the C locale's ASCII).
expect_exit 3 zh --key no-such.key award R1 VOL
expect_stderr_contains '无法读取密钥文件：'
if grep -qF '??' "$WORK/.out/stderr"; then
  fail "the C library's message shows as question marks"
else
  pass "the C library's message is readable"
fi
expect_exit 2 zh award R1 VOL --points ''
expect_stderr_contains '--points：必须给出一个值'
expect_exit 2 zh --ledger x resident add R9 --village V1 --household H1 --name 某 --minor --adult
expect_stderr_contains '--minor 不能与 --adult 同时使用'

# ------------------------------------------------------------- the ledger
expect_exit 0 zh init --test-clock --name 语言测试 --admin-key-out admin.key
expect_stdout_contains '创建账本“语言测试”'
expect_stdout_contains '管理员密钥：admin.key'
vl key new --out col.key >/dev/null
vl "${A[@]}" village add V1 --name 甲村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" rule add VOL --category 志愿服务 --points 3 >/dev/null
vl "${C[@]}" household add H1 --village V1 --head 曲户主 >/dev/null
vl "${C[@]}" resident add R1 --village V1 --household H1 --name 曲建国 --adult >/dev/null

# ---------------------------------------------------------- refusal: 3
size=$(ledger_size vledger-data)
expect_exit 3 zh "${C[@]}" award NOSUCH VOL
expect_stderr_contains 'vledger：错误：'
expect_eq "$(ledger_size vledger-data)" "$size" "a refused award appends nothing"
expect_lacks_english() {
  expect_eq "$(grep -c 'error:' "$(LAST_ERR_FILE)")" 0 "no English error prefix"
}
expect_lacks_english
# A refusal of cli/ itself: an encrypted key and no terminal to ask on.
VLEDGER_KEY_PASSPHRASE=s3cret vl key new --out enc.key --encrypt >/dev/null
vl "${A[@]}" key register --pub enc.key.pub --role collector --village V1 >/dev/null
size=$(ledger_size vledger-data)
expect_exit 3 zh --key enc.key award R1 VOL </dev/null
expect_stderr_contains 'enc.key 已加密：请设置 VLEDGER_KEY_PASSPHRASE'
expect_eq "$(ledger_size vledger-data)" "$size" "a refused award appends nothing"
expect_exit 2 zh "${C[@]}" deduct R1
expect_stderr_contains 'deduct：请给出 RESIDENT RULE'
# A refusal naming the key's role names it in Chinese (a role name is a
# word of the message, not data).
expect_exit 3 zh "${C[@]}" rule add XX --category 志愿服务 --points 1
expect_stderr_contains '（信息采集员）无权写入'
expect_eq "$(grep -c collector "$(LAST_ERR_FILE)")" 0 "no English role name in a Chinese refusal"
expect_exit 0 zh key list
expect_stdout_contains '信息采集员'
expect_eq "$(grep -c collector "$WORK/.out/stdout")" 0 "key list names roles in Chinese"

# ------------------------------------------- award: its line and warning
expect_exit 0 zh "${C[@]}" award R1 VOL --note 帮助邻居打扫院子
expect_stdout_lacks 'appended'
expect_stdout_contains '第'
expect_stderr_contains 'vledger：警告：'
expect_stderr_contains '--note'
expect_eq "$(grep -c 'warning' "$(LAST_ERR_FILE)")" 0 "no English warning"

expect_exit 0 zh balance R1
expect_stdout_contains '信用分 3'
expect_stdout_contains '可用积分 3'
expect_exit 0 zh "${C[@]}" resident list --village V1
expect_stdout_contains 'R1  H1  曲建国'

# ------------------------------------------------------ choosing: --lang
expect_exit 0 zh --lang en --help
expect_stdout_contains 'Usage: vledger [OPTIONS] SUBCOMMAND'
expect_exit 0 zh balance R1 --lang=en
expect_stdout_contains 'credit score 3'
expect_exit 0 vl --lang zh --help
expect_stdout_contains '用法'
expect_exit 2 zh --lang xx --help
expect_stderr_contains '--lang：“xx”不是可用的语言'
expect_exit 2 vl --lang xx log
expect_stderr_contains '--lang: "xx" is not a language (zh or en)'

# ------------------------------------- VLEDGER_LANG and the locale variables
expect_exit 0 env VLEDGER_LANG=zh "$VLEDGER" --help
expect_stdout_contains '用法'
expect_exit 0 env VLEDGER_LANG=en LANG=zh_CN.UTF-8 "$VLEDGER" --help
expect_stdout_contains 'Usage:'
expect_exit 0 env VLEDGER_LANG=zh "$VLEDGER" --lang en --help
expect_stdout_contains 'Usage:'
expect_exit 2 env VLEDGER_LANG=xx "$VLEDGER" --help
expect_stderr_contains 'VLEDGER_LANG'
expect_exit 0 env LANGUAGE=zh_CN:en "$VLEDGER" --help
expect_stdout_contains '用法'
expect_exit 0 env LC_ALL=zh_CN.UTF-8 "$VLEDGER" --help
expect_stdout_contains '用法'
expect_exit 0 env LC_MESSAGES=zh_CN.UTF-8 "$VLEDGER" --help
expect_stdout_contains '用法'
expect_exit 0 env LANG=en_US.UTF-8 "$VLEDGER" --help
expect_stdout_contains 'Usage:'

# --------------------------------------------- JSON does not change with it
for cmd in "balance R1" "history R1" "rule list" "village list" "log" "key list" \
  "resident list --village V1"; do
  read -ra words <<<"$cmd"
  en=$(vl "${C[@]}" --json "${words[@]}")
  cn=$(zh "${C[@]}" --json "${words[@]}")
  expect_eq "$cn" "$en" "--json $cmd is the same in Chinese"
done
# A write's document too (a repeated request answers its stored result).
vl "${C[@]}" --json award R1 VOL --request-id same-doc >/dev/null
en=$(vl "${C[@]}" --json award R1 VOL --request-id same-doc)
cn=$(zh "${C[@]}" --json award R1 VOL --request-id same-doc)
expect_eq "$cn" "$en" "--json award (repeated) is the same in Chinese"

finish
