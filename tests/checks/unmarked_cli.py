#!/usr/bin/python3
"""Every string cli/ shows a person is marked for translation.

Scans cli/*.cc and cli/*.h for string literals handed to what people read:
  - PrintLine(...), Warn(...), PromptPassphrase(...), a ProgressBar's label;
  - help texts: AddCommand, add_subcommand, add_option, add_flag, the
    CLI::App of the program;
  - the message of a Status built in cli/ (Status::Usage(...), ...);
  - whatever is written with std::cerr << or std::cout <<.
A literal there must sit inside _(), Tr(), N_(), P_(), Msg() or Word() (a
word of cli/i18n.cc's vocabulary table); a literal passed straight as a
Status's message is a Msg pattern already. Not words,
and so never flagged: literals with no letter (separators such as "  " or
".."), option names ("--points", "-h,--help"), upper-case value names
("SEQ", "FILE"), and the name argument of a command or option. Anything else
that is not words (a code, a word of the board such as 红旗) is let through
by a comment `// i18n-ok: WHY` on its line.

A built-in self-test first checks that the scanner flags what it must.
Usage: unmarked_cli.py SOURCE_DIR
"""
import os
import re
import sys

MARKERS = {"_", "Tr", "N_", "P_", "Msg", "Word"}
CODES = ["InvalidInput", "NotFound", "AlreadyExists", "Conflict", "PermissionDenied",
         "FailedPrecondition", "VerificationFailed", "Corruption", "Unavailable", "Io",
         "Internal", "Usage"]
# Call name -> indexes of arguments that are names, not words.
CALLS = {
    "PrintLine": (), "Warn": (), "PromptPassphrase": (), "ProgressBar": (),
    "AddCommand": (1,), "add_subcommand": (0,), "add_option": (0,), "add_flag": (0,),
    "set_help_flag": (0,),
}
for _code in CODES:
    CALLS["Status::" + _code] = ("field",)
CALL_RE = re.compile(r"(Status::(?:%s)|\b(?:%s))\s*(?:<[^<>;]*>|>)?\s*\(" % (
    "|".join(CODES), "|".join(k for k in CALLS if not k.startswith("Status::"))))
APP_RE = re.compile(r"\bCLI::App\s+\w+\s*\(")
STREAM_RE = re.compile(r"std::c(?:err|out)\s*<<")
LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
WORDY = re.compile(r"[A-Za-z\u3400-\u9fff]")
NAME = re.compile(r'^"(-{1,2}[A-Za-z][\w-]*(,\s*-{1,2}[\w-]+)*|[A-Z][A-Z0-9_]*)"$')
ESCAPE = "// i18n-ok"


def strip_comments(text):
    """The text with comments blanked (same length, newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(text, open_paren):
    """(start, end) of each top-level argument of the call whose '(' is at
    open_paren, and the index after its ')'."""
    args, depth, start, i = [], 0, open_paren + 1, open_paren + 1
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append((start, i))
                return args, i + 1
            depth -= 1
        elif c == "," and depth == 0:
            args.append((start, i))
            start = i + 1
        i += 1
    return args, len(text)


def enclosing_calls(text, start, pos):
    """Names of the calls open at pos, counting from start."""
    stack, i = [], start
    while i < pos:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c == "(":
            m = re.search(r"([A-Za-z_][\w:]*)\s*$", text[start:i])
            stack.append(m.group(1).split("::")[-1] if m else "")
        elif c == ")" and stack:
            stack.pop()
        i += 1
    return stack


def unmarked_in(text, start, end, names=()):
    """Offsets of wordy literals in text[start:end] outside any marker."""
    found = []
    for m in LITERAL.finditer(text, start, end):
        lit = m.group(0)
        if not WORDY.search(re.sub(r"\\.", "", lit)) or NAME.match(lit):
            continue
        if any(a <= m.start() < b for a, b in names):
            continue
        if MARKERS & set(enclosing_calls(text, start, m.start())):
            continue
        found.append(m.start())
    return found


def scan(text):
    """Offsets of unmarked person-facing literals in one source text."""
    code = strip_comments(text)
    found = []
    for m in CALL_RE.finditer(code):
        name = m.group(1)
        args, _ = call_args(code, m.end() - 1)
        skip = CALLS[name]
        names = []
        if skip == ("field",):
            # Status::X(field, message): the field is a name; a literal
            # message alone is the Msg pattern itself.
            if len(args) == 2:
                names.append(args[0])
            for a, b in args:
                if LITERAL.fullmatch(code[a:b].strip()):
                    names.append((a, b))
        else:
            names += [args[k] for k in skip if k < len(args)]
        found += unmarked_in(code, args[0][0], args[-1][1], names)
    for m in APP_RE.finditer(code):
        args, _ = call_args(code, m.end() - 1)
        found += unmarked_in(code, args[0][0], args[-1][1], args[1:2])
    for m in STREAM_RE.finditer(code):
        end = code.find(";", m.end())
        found += unmarked_in(code, m.end(), end)
    return sorted(set(found))


def problems_in(path, text):
    lines = text.split("\n")
    out = []
    for offset in scan(text):
        line = text.count("\n", 0, offset)
        if ESCAPE in lines[line]:
            continue
        lit = LITERAL.match(text, offset).group(0)
        out.append(f"{path}:{line + 1}: not marked for translation: {lit}")
    return out


SELF_TEST = [
    ('ctx.PrintLine("appended seq " + s);', 1),
    ('ctx.PrintLine(Tr("appended seq {}", s));', 0),
    ('ctx.PrintLine(a + "  " + b + "..");', 0),
    ('ctx.Warn("keep it out");', 1),
    ('cmd->add_option("--points", o->p, "default points");', 1),
    ('cmd->add_option("--points", o->p, _("default points"));', 0),
    ('AddCommand(app, "award", "award points");', 1),
    ('AddCommand(app, "award", _("award points"));', 0),
    ('return Status::Usage("no command given");', 0),
    ('return Status::Usage("unknown " + w);', 1),
    ('return Status::InvalidInput("--key", Msg("{} is encrypted", k));', 0),
    ('return Status::InvalidInput("--key", k + " is encrypted");', 1),
    ('std::cerr << "vledger: error: " << m << "\\n";', 1),
    ('std::cerr << _("vledger: error: ") << m << "\\n";', 0),
    ('ctx.PrintLine(x ? "  红旗" : "");', 1),
    ('ctx.PrintLine(x ? "  红旗" : "");  // i18n-ok: the board\'s word', 0),
    ('bar = std::make_unique<ProgressBar>("checking", n);', 1),
]


def self_test():
    failed = []
    for snippet, want in SELF_TEST:
        got = len(problems_in("self-test", snippet))
        if got != want:
            failed.append(f"self-test: {snippet!r}: {got} flagged, expected {want}")
    return failed


def main():
    root = sys.argv[1]
    problems = self_test()
    cli = os.path.join(root, "cli")
    for name in sorted(os.listdir(cli)):
        if name.endswith((".cc", ".h")):
            path = os.path.join(cli, name)
            with open(path, encoding="utf-8") as f:
                problems += problems_in(os.path.relpath(path, root), f.read())
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} strings of cli/ not marked for translation")
        return 1
    print("every person-facing string of cli/ is marked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
