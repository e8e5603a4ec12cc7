#!/usr/bin/python3
"""Every message the program can show has its Chinese translation.

Extracts the marked strings of cli/, app/, projections/ and ledger/ with
xgettext (the marks of cli/i18n.h and the Msg patterns of message.h: a
Status's literal message included), joins po/zh_CN/*.po as the build does,
and fails, listing them, on:
  - a marked string with no translation (or a fuzzy one);
  - a translation whose placeholders ({} / {N}) differ from its pattern's;
  - one string translated differently in two files of po/zh_CN;
  - a translation of a string the program no longer has (stale).
Usage: translations.py SOURCE_DIR
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

import polib

CODES = ["InvalidInput", "NotFound", "AlreadyExists", "Conflict", "PermissionDenied",
         "FailedPrecondition", "VerificationFailed", "Corruption", "Unavailable", "Io",
         "Internal", "Usage"]
KEYWORDS = ["_", "N_", "Tr:1", "P_:1c,2", "Msg:1", "WithPrefix:1"]
for code in CODES:
    KEYWORDS += [f"{code}:1,1t", f"{code}:2,2t"]

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\d*)\}")


def placeholders(text):
    """The arguments a pattern uses, as a sorted list of indexes."""
    used, nxt = [], 0
    for m in PLACEHOLDER.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        if m.group(1):
            used.append(int(m.group(1)))
        else:
            used.append(nxt)
            nxt += 1
    return sorted(used)


def sources(root):
    out = []
    for top in ("cli", "net", "app", "projections", "ledger"):
        for d, _, files in os.walk(os.path.join(root, top)):
            out += [os.path.join(d, f) for f in files if f.endswith((".cc", ".h"))]
    return sorted(out)


def main():
    root = sys.argv[1]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "vledger.pot")
        args = ["xgettext", "--language=C++", "--from-code=UTF-8", "--no-wrap", "-k"]
        args += ["-k" + k for k in KEYWORDS]
        subprocess.run(args + ["-o", pot] + sources(root), check=True)
        template = polib.pofile(pot) if os.path.exists(pot) else []

        fragments = sorted(os.path.join(root, "po", "zh_CN", f)
                           for f in os.listdir(os.path.join(root, "po", "zh_CN"))
                           if f.endswith(".po"))
        translated = {}
        where = {}
        for path in fragments:
            for e in polib.pofile(path):
                if e.obsolete:
                    continue
                key = (e.msgctxt, e.msgid)
                name = os.path.relpath(path, root)
                if key in translated and translated[key] != e.msgstr:
                    problems.append(f"{name}: \"{e.msgid}\" is translated differently in "
                                    f"{where[key]}")
                    continue
                if "fuzzy" in e.flags:
                    problems.append(f"{name}: \"{e.msgid}\" is marked fuzzy")
                translated[key] = e.msgstr
                where[key] = name

        wanted = set()
        for e in template:
            key = (e.msgctxt, e.msgid)
            wanted.add(key)
            at = e.occurrences[0] if e.occurrences else ("?", "?")
            loc = f"{os.path.relpath(at[0], root)}:{at[1]}"
            text = translated.get(key, "")
            if not text:
                problems.append(f"{loc}: no Chinese translation for \"{e.msgid}\"")
            elif placeholders(text) != placeholders(e.msgid):
                problems.append(f"{where[key]}: the translation of \"{e.msgid}\" uses other "
                                f"placeholders: \"{text}\"")
        for key in sorted(set(translated) - wanted, key=lambda k: (k[0] or "", k[1])):
            problems.append(f"{where[key]}: \"{key[1]}\" is translated but no longer used")

    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} translation problems "
              f"({len(wanted)} marked strings, {len(translated)} translations)")
        return 1
    print(f"all {len(wanted)} marked strings translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
