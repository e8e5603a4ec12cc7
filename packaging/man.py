#!/usr/bin/python3
"""Writes vledger(1), the manual page, from the program's own help.

Runs `VLEDGER --help`, then `VLEDGER CMD... --help` for every command and
subcommand the help lists, and turns each into a section of the page: its
description, usage, arguments and options. The build runs it with the
program just built (packaging/package.cmake), so the page names every
command and option the program has and changes with it. What the help
does not say (exit codes, environment, files) is written here; SPEC.md
section 7 is their contract.

Usage: man.py VLEDGER VERSION OUT [--lang en|zh]
  --lang zh writes the Chinese page (share/man/zh_CN/man1), from the
  program's Chinese help.
"""
import os
import re
import subprocess
import sys

COLUMN = 30  # CLI11's column of descriptions (cli/cli11_words.cc)
SECTION = re.compile(r"^(\S.*)[:：]$")
USAGE = re.compile(r"^(?:Usage: |用法：)(.*)$")
SUBCOMMANDS = {"Subcommands", "子命令"}
ENTRY = re.compile(r"^  (\S(?:.*?\S)?)(?: {2,}(\S.*))?$")


def help_of(vledger, words, lang):
    env = dict(os.environ, VLEDGER_LANG=lang, COLUMNS="80")
    for name in ("VLEDGER_DIR", "VLEDGER_KEY", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    out = subprocess.run([vledger, *words, "--help"], env=env, check=True, text=True,
                         stdout=subprocess.PIPE).stdout
    return parse(out)


def parse(text):
    """{"about": [lines], "usage": str, "sections": [(heading, [[name, desc]])]}"""
    about, usage, sections = [], "", []
    entries = None
    for line in text.splitlines():
        m = USAGE.match(line)
        if m:
            usage = m.group(1)
            continue
        m = SECTION.match(line)
        if m:
            entries = []
            sections.append((m.group(1), entries))
            continue
        if entries is None:
            if line.strip():
                about.append(line.strip())
            continue
        if not line.strip():
            continue
        if line.startswith(" " * 3) and entries:  # a description continued
            prev = entries[-1]
            prev[1] = (prev[1] + " " + line.strip()).strip()
            continue
        m = ENTRY.match(line)
        if m:
            entries.append([m.group(1), m.group(2) or ""])
    return {"about": about, "usage": usage, "sections": sections}


# A Chinese character or full-width mark not followed by a mark that may not
# begin a line.
CJK = re.compile(r"([\u3000-\u303f\u3400-\u9fff\uff00-\uffef])(?![，。、；：！？）》」』”’…])")


def roff(text):
    """Text escaped for a roff line (not at its start). groff breaks lines
    only at spaces: after a Chinese character or full-width mark a line may
    break too (\\:), unless a closing mark follows."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return CJK.sub(r"\1\\:", text)


def line(text):
    """A roff text line: a leading dot or quote would be a request."""
    text = roff(text)
    return "\\&" + text if text[:1] in (".", "'") else text


def option_name(name):
    """`--points INT REQUIRED` with the option names bold, the rest italic."""
    words = []
    for word in name.split(" "):
        if word.startswith("-"):
            words.append("\\fB" + ",\\fB".join(roff(w) for w in word.split(",")) + "\\fR")
        else:
            words.append("\\fI" + roff(word) + "\\fR")
    return " ".join(words)


def entries_roff(out, entries, skip=()):
    for name, desc in entries:
        if name in skip:
            continue
        out.append(".TP")
        out.append(option_name(name))
        if desc:
            out.append(line(desc))


def commands(vledger, words, out, listed, lang):
    h = help_of(vledger, words, lang)
    if words:
        out.append('.SS "%s"' % roff(" ".join(["vledger", *words])))
        for text in h["about"]:
            out.append(line(text))
        if h["usage"]:
            out.append(".PP")
            out.append("\\fB%s\\fR " % ("用法：" if lang == "zh" else "Usage:") + roff(h["usage"]))
        listed.append(" ".join(words))
    subs = []
    for heading, entries in h["sections"]:
        if heading in SUBCOMMANDS:
            subs = [name for name, _ in entries]
            continue
        if words:
            entries_roff(out, entries, skip={"-h,--help"})
    for sub in subs:
        commands(vledger, [*words, sub], out, listed, lang)
    return h


# What the help does not say, in each language: (section, [(term, text)]) or
# (section, text). Terms are bold (options, codes) or italic (files).
TEXTS = {
    "en": {
        "title": "User Commands",
        "sections": ["NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS", "COMMANDS",
                     "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"],
        "synopsis": "[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR] "
                    "[\\fIOPTIONS\\fR]",
        "description": [
            "vledger keeps a village or county ledger of credit points and funds: an "
            "append-only log of events, each encoded canonically, hash-chained to the one "
            "before and signed with the Ed25519 key of whoever recorded it. Balances, "
            "rankings and reports are computed from the log; verify checks all of it, and "
            "Merkle proofs check one event against a signed checkpoint.",
            "Global options are accepted before or after the command. Messages and help "
            "are in Chinese or English (--lang). With --json a command prints one JSON "
            "document on standard output; errors go to standard error as one line "
            "\"vledger: error: ...\".",
        ],
        "commands": "Every command, as its --help describes it:",
        "exit": [
            ("0", "success"),
            ("1", "verification found a fault (tamper, broken chain, bad signature, "
                  "invariant), or an archive, proof, checkpoint or report failed to parse or "
                  "verify"),
            ("2", "usage: the command line does not parse"),
            ("3", "input rejected (validation, authorization, overdraft, unknown id, a bad "
                  "key): nothing was written"),
            ("4", "ledger unavailable: missing, locked by another writer, unreadable or "
                  "damaged"),
            ("5", "internal error"),
        ],
        "environment": [
            ("VLEDGER_DIR", "the ledger folder when --ledger is not given (default "
                            "./vledger-data)"),
            ("VLEDGER_KEY", "the signing key when --key is not given"),
            ("VLEDGER_KEY_PASSPHRASE", "the passphrase of a passphrase-protected key (else "
                                       "it is asked for on the terminal)"),
            ("VLEDGER_LANG", "zh or en, when --lang is not given; else LANGUAGE, LC_ALL, "
                             "LC_MESSAGES and LANG choose"),
            ("VLEDGER_LOCALEDIR", "where the message catalogs are (default ../share/locale "
                                  "from the program)"),
            ("VLEDGER_DEMO_DATA", "the demo village's folder for vledger demo (default "
                                  "../share/vledger/demo from the program)"),
            ("VLEDGER_NOW", "the time of a test ledger (init --test-clock); refused by any "
                            "other"),
        ],
        "files": [
            ("/var/lib/vledger", "the county server's ledger (vledger.service), owned by the "
                                 "user vledger"),
            ("/etc/default/vledger", "the server's listening address and options "
                                     "(VLEDGER_LISTEN, VLEDGER_SERVE_OPTIONS)"),
            ("/etc/vledger", "the server's TLS certificate and key and its checkpointer key"),
            ("/usr/share/vledger/demo", "the demo village's registers and entries, and the "
                                        "script vledger demo runs"),
        ],
    },
    "zh": {
        "title": "用户命令",
        "sections": ["名称", "用法概要", "说明", "全局选项", "命令", "退出码", "环境变量",
                     "文件", "参见"],
        "synopsis": "[\\fI全局选项\\fR] \\fI命令\\fR [\\fI参数\\fR] [\\fI选项\\fR]",
        "description": [
            "vledger 记录村级或县级的信用积分与资金台账：一条只能追加的事件日志，每个事件按规范"
            "编码，用哈希与前一个事件相连，并由记录人的 Ed25519 密钥签名。余额、排名和报表都由"
            "日志计算得出；verify 检查全部内容，Merkle 证明可以对照已签名的检查点核对单个事件。",
            "全局选项可以写在命令之前或之后。提示和帮助为中文或英文（--lang）。加 --json 时，"
            "命令在标准输出打印一个 JSON 文档；错误以一行“vledger：错误：……”写到标准错误。",
        ],
        "commands": "每个命令，与其 --help 所述相同：",
        "exit": [
            ("0", "成功"),
            ("1", "校验发现问题（篡改、链断裂、签名无效、不变量不成立），或归档、证明、检查点、"
                  "报表无法解析或校验不通过"),
            ("2", "用法错误：命令行无法解析"),
            ("3", "输入被拒绝（校验、权限、透支、编号不存在、密钥有误）：没有写入任何内容"),
            ("4", "账本不可用：不存在、被其他写入者锁定、无法读取或已损坏"),
            ("5", "内部错误"),
        ],
        "environment": [
            ("VLEDGER_DIR", "未给出 --ledger 时的账本文件夹（默认 ./vledger-data）"),
            ("VLEDGER_KEY", "未给出 --key 时的签名密钥"),
            ("VLEDGER_KEY_PASSPHRASE", "有口令保护的密钥的口令（否则在终端上询问）"),
            ("VLEDGER_LANG", "zh 或 en，未给出 --lang 时使用；否则按 LANGUAGE、LC_ALL、"
                             "LC_MESSAGES、LANG 决定"),
            ("VLEDGER_LOCALEDIR", "翻译目录所在的文件夹（默认为程序所在位置的 "
                                  "../share/locale）"),
            ("VLEDGER_DEMO_DATA", "vledger demo 使用的示范村数据文件夹（默认为程序所在位置的 "
                                  "../share/vledger/demo）"),
            ("VLEDGER_NOW", "测试账本（init --test-clock）使用的时间；其他账本拒绝它"),
        ],
        "files": [
            ("/var/lib/vledger", "县级服务器的账本（vledger.service），属于用户 vledger"),
            ("/etc/default/vledger", "服务器的监听地址和选项（VLEDGER_LISTEN、"
                                     "VLEDGER_SERVE_OPTIONS）"),
            ("/etc/vledger", "服务器的 TLS 证书和私钥，以及检查点签名密钥"),
            ("/usr/share/vledger/demo", "示范村的登记表和记录，以及 vledger demo 运行的脚本"),
        ],
    },
}


def main():
    args = sys.argv[1:]
    lang = "en"
    if len(args) == 5 and args[3] == "--lang" and args[4] in TEXTS:
        lang = args[4]
        args = args[:3]
    if len(args) != 3:
        sys.exit("usage: man.py VLEDGER VERSION OUT [--lang en|zh]")
    vledger, version, path = args
    t = TEXTS[lang]
    sec = dict(zip(["name", "synopsis", "description", "global", "commands", "exit",
                    "environment", "files", "see"], t["sections"]))
    top = help_of(vledger, [], lang)
    summary = top["about"][0] if top["about"] else "vledger"
    summary = re.sub(r"^vledger[:：] ?", "", summary)
    body, listed = [], []
    commands(vledger, [], body, listed, lang)

    out = [
        "'\\\" -*- coding: UTF-8 -*-",
        '.\\" Generated by packaging/man.py from `vledger --help`; do not edit.',
        '.TH VLEDGER 1 "" "vledger %s" "%s"' % (roff(version), t["title"]),
        # Chinese is not justified (spaces stretched between words it has not).
        *([".ad l"] if lang == "zh" else []),
        ".SH " + sec["name"],
        "vledger \\- " + roff(summary),
        ".SH " + sec["synopsis"],
        ".B vledger",
        t["synopsis"],
        ".SH " + sec["description"],
    ]
    for i, para in enumerate(t["description"]):
        out += ([".PP"] if i else []) + [line(para)]
    out.append('.SH "%s"' % sec["global"])
    for heading, entries in top["sections"]:
        if heading not in SUBCOMMANDS:
            entries_roff(out, entries)
    out += [".SH " + sec["commands"], line(t["commands"]), *body]
    out.append('.SH "%s"' % sec["exit"])
    for code, text in t["exit"]:
        out += [".TP", "\\fB%s\\fR" % code, line(text)]
    out.append(".SH " + sec["environment"])
    for name, text in t["environment"]:
        out += [".TP", "\\fB%s\\fR" % roff(name), line(text)]
    out.append(".SH " + sec["files"])
    for name, text in t["files"]:
        out += [".TP", "\\fI%s\\fR" % roff(name), line(text)]
    out += ['.SH "%s"' % sec["see"], "\\fBjournalctl\\fR(1) \\-u vledger, \\fBsystemctl\\fR(1)"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("man.py: %s, %d commands" % (lang, len(listed)))


if __name__ == "__main__":
    main()
