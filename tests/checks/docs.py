#!/usr/bin/env python3
"""The documents say what is true of the repository, and cite nothing outside it.

1. docs/LIMITS.md: in every table, each `kName` constant is defined in a
   source file, each `Function` or `Type::Member` it names is in a source
   file, each file it names exists, and in the tables with a "Tested in"
   column every row names at least one test that exists, in the form the
   page describes ("How tests are named"), or says **untested** and why.
   The same holds for the names and files in its text outside the tables.
2. No file of the repository cites a path outside it (a sibling folder of
   the repository, a folder of the machine it was written on), a section of
   "SPEC" that docs/SPEC.md does not have, or a Markdown link to a file that
   does not exist.

Usage: docs.py [REPO_ROOT]   (default: two folders above this file)
Prints one line per fault, "FILE:LINE: what is wrong", and exits 1 if any.
"""

import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
SOURCE_DIRS = ("ledger", "projections", "app", "net", "cli", "bench", "fuzz", "tests")
faults = []


def fault(path, line, text):
    faults.append(f"{path}:{line}: {text}")


def repo_files():
    """Files of the repository: git's (tracked and new, not ignored), else a walk."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
            check=True, capture_output=True, text=True).stdout
        files = [ROOT / f for f in out.splitlines()]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for dirpath, dirnames, filenames in os.walk(ROOT):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "build"))]
            files += [pathlib.Path(dirpath) / f for f in filenames]
    return sorted(f for f in files if f.is_file())


FILES = repo_files()
SOURCES = {f: f.read_text(encoding="utf-8", errors="replace") for f in FILES
           if f.suffix in (".h", ".cc") and f.relative_to(ROOT).parts[0] in SOURCE_DIRS}
BASENAMES = {f.name for f in FILES}


def defined_constant(name):
    pattern = re.compile(r"\b" + re.escape(name) + r"\s*(=|\{)")
    return any(pattern.search(text) for text in SOURCES.values())


def named_in_sources(name):
    # `Type::Member`: both names appear in one file; `Function`: as a word.
    parts = name.split("::")
    patterns = [re.compile(r"\b" + re.escape(p) + r"\b") for p in parts]
    return any(all(p.search(text) for p in patterns) for text in SOURCES.values())


def file_exists(name):
    if "/" in name:
        return (ROOT / name).exists()
    return name in BASENAMES


# ----------------------------------------------------------------- tests

UNIT_DIR = ROOT / "tests" / "unit"
SCENARIO_DIR = ROOT / "tests" / "scenario"
FUZZ_DIR = ROOT / "fuzz"


def unit_test_exists(file, suite_and_name):
    path = UNIT_DIR / file
    if not path.is_file():
        return f"no tests/unit/{file}"
    if "." not in suite_and_name:
        return f"'{suite_and_name}' is not Suite.Name"
    suite, name = suite_and_name.split(".", 1)
    text = path.read_text(encoding="utf-8")
    if not re.search(r"\bTEST(_F|_P)?\(\s*" + re.escape(suite) + r"\s*,\s*" + re.escape(name)
                     + r"\s*\)", text):
        return f"no TEST({suite}, {name}) in tests/unit/{file}"
    return None


def scenario_check_exists(file, what):
    path = SCENARIO_DIR / file
    if not path.is_file():
        return f"no tests/scenario/{file}"
    if what not in path.read_text(encoding="utf-8"):
        return f"tests/scenario/{file} does not contain '{what}'"
    return None


def fuzz_target_exists(name):
    if not (FUZZ_DIR / f"{name}.cc").is_file():
        return f"no fuzz/{name}.cc"
    if f"vledger_fuzz_target({name} " not in (FUZZ_DIR / "fuzz.cmake").read_text(encoding="utf-8"):
        return f"{name} is not registered in fuzz/fuzz.cmake"
    return None


TEST_REF = re.compile(r"`([^`]+)`")


def check_tested_in(path, line, cell):
    """Returns the number of test references in a "Tested in" cell; reports the bad ones."""
    if cell.lstrip().startswith("**untested**"):
        if len(cell.strip()) <= len("**untested**") + 2:
            fault(path, line, "**untested** without saying why")
        return 1
    count = 0
    for ref in TEST_REF.findall(cell):
        if re.fullmatch(r"fuzz_\w+", ref):
            why = fuzz_target_exists(ref)
        elif m := re.fullmatch(r"(\w+_test\.cc):(\S+)", ref):
            why = unit_test_exists(m.group(1), m.group(2))
        elif m := re.fullmatch(r"(\w+\.sh): (.+)", ref):
            why = scenario_check_exists(m.group(1), m.group(2))
        else:
            why = (f"`{ref}` is not a test reference (`FILE_test.cc:Suite.Name`, "
                   "`SCRIPT.sh: text it contains` or `fuzz_TARGET`)")
        if why:
            fault(path, line, why)
        count += 1
    return count


# ------------------------------------------------------------ LIMITS.md

CONSTANT = re.compile(r"^k[A-Z]\w*$")
IDENT = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*(::[A-Za-z]\w*)?$")
FILE_NAME = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.(?:cc|h|sh|md|py|cmake))\b")


def check_names(path, line, text):
    """Checks the constants, functions and files `text` names."""
    for token in TEST_REF.findall(text):
        token = token.strip()
        if CONSTANT.match(token):
            if not defined_constant(token):
                fault(path, line, f"`{token}` is not defined in any source file")
        elif IDENT.match(token) and not named_in_sources(token):
            fault(path, line, f"`{token}` is named in no source file")
    for name in FILE_NAME.findall(text):
        if re.search(r"[A-Z]{4,}", name):
            continue  # a placeholder such as tests/unit/FILE_test.cc
        if not file_exists(name):
            fault(path, line, f"{name} does not exist")


def check_limits():
    path = ROOT / "docs" / "LIMITS.md"
    rel = path.relative_to(ROOT)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = None
    rows = tables = 0
    for number, line in enumerate(lines, 1):
        if not line.startswith("|"):
            header = None
            check_names(rel, number, line)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            tables += 1
            continue
        if all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        rows += 1
        if len(cells) != len(header):
            fault(rel, number, f"{len(cells)} cells in a table of {len(header)} columns")
            continue
        for title, cell in zip(header, cells):
            if title == "Tested in":
                if check_tested_in(rel, number, cell) == 0:
                    fault(rel, number, "names no test (or says **untested** and why)")
            else:
                check_names(rel, number, cell)
    if tables == 0 or rows == 0:
        fault(rel, 1, "no table of bounds found")
    return rows


# ------------------------------------------- citations outside the repo

SPEC_SECTIONS = set(re.findall(r"^## (\d+)\.", (ROOT / "docs" / "SPEC.md").read_text(
    encoding="utf-8"), re.M))
OUTSIDE = [
    # A folder beside the repository, or a document kept outside it.
    (re.compile(r"\.\./shared\b|\bshared/[A-Z]+\.md"), "cites a file outside the repository"),
    # A folder of the machine a file was written on.
    (re.compile(r"(?<![\w.~-])/(?:work|root|home|Users)/[^\s`'\")]*"),
     "cites a path of one machine"),
]
SPEC_REF = re.compile(r"\bSPEC(?:\.md)?\s*(?:§\s*|sections?\s+)(\d+)")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")


def check_citations():
    me = pathlib.Path(__file__).resolve()
    for f in FILES:
        if f.resolve() == me:
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # not text
        rel = f.relative_to(ROOT)
        for number, line in enumerate(text.splitlines(), 1):
            for pattern, why in OUTSIDE:
                if m := pattern.search(line):
                    fault(rel, number, f"{why}: {m.group(0)}")
            for m in SPEC_REF.finditer(line):
                if m.group(1) not in SPEC_SECTIONS:
                    fault(rel, number, f"{m.group(0)}: docs/SPEC.md has no section {m.group(1)}")
            if f.suffix != ".md":
                continue
            for m in MD_LINK.finditer(line):
                target = m.group(1).split("#", 1)[0]
                if not target or re.match(r"^[a-z]+:", target):
                    continue  # an anchor on the page, or a URL
                resolved = (f.parent / target).resolve()
                if not resolved.is_relative_to(ROOT.resolve()):
                    fault(rel, number, f"links outside the repository: {m.group(1)}")
                elif not resolved.exists():
                    fault(rel, number, f"links to a file that does not exist: {m.group(1)}")


def main():
    rows = check_limits()
    check_citations()
    for f in faults:
        print(f)
    if faults:
        print(f"docs: {len(faults)} fault(s)", file=sys.stderr)
        return 1
    untested = sum(1 for line in (ROOT / "docs" / "LIMITS.md").read_text(
        encoding="utf-8").splitlines() if re.search(r"\|\s*\*\*untested\*\*", line))
    print(f"docs: docs/LIMITS.md ({rows} rows, {untested} marked untested) names what exists; "
          f"{len(FILES)} files cite nothing outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
