#!/usr/bin/env python3
"""Public headers include nothing from a third party, and nothing of a layer above.

Every header under ledger/include, projections/include, app/include and net/include may
include only C++ standard library headers, POSIX (and C standard) system
headers, and the project's own vledger/... headers of its own layer or a
layer below it (ledger <- projections <- app <- net). A front end that includes a
layer's headers then needs no third-party header to compile against it.

Usage: public_headers.py [REPO_ROOT]   (default: two folders above this file)
Prints one line per offending include, "HEADER:LINE: includes <X>: WHY", and
exits 1 if there is any.
"""

import pathlib
import re
import sys

CXX_STD = {
    "algorithm", "any", "array", "atomic", "barrier", "bit", "bitset", "cassert", "cctype",
    "cerrno", "cfenv", "cfloat", "charconv", "chrono", "cinttypes", "climits", "clocale",
    "cmath", "codecvt", "compare", "complex", "concepts", "condition_variable", "coroutine",
    "csetjmp", "csignal", "cstdarg", "cstddef", "cstdint", "cstdio", "cstdlib", "cstring",
    "ctime", "cuchar", "cwchar", "cwctype", "deque", "exception", "execution", "expected",
    "filesystem", "format", "forward_list", "fstream", "functional", "future",
    "initializer_list", "iomanip", "ios", "iosfwd", "iostream", "istream", "iterator",
    "latch", "limits", "list", "locale", "map", "memory", "memory_resource", "mutex", "new",
    "numbers", "numeric", "optional", "ostream", "queue", "random", "ranges", "ratio",
    "regex", "scoped_allocator", "semaphore", "set", "shared_mutex", "source_location", "span",
    "sstream", "stack", "stdexcept", "stop_token", "streambuf", "string", "string_view",
    "syncstream", "system_error", "thread", "tuple", "type_traits", "typeindex", "typeinfo",
    "unordered_map", "unordered_set", "utility", "valarray", "variant", "vector", "version",
}
# C standard and POSIX headers (the .h forms), and every <sys/...>,
# <netinet/...>, <arpa/...> header.
POSIX = {
    "aio.h", "arpa/inet.h", "assert.h", "complex.h", "cpio.h", "ctype.h", "dirent.h",
    "dlfcn.h", "errno.h", "fcntl.h", "fenv.h", "float.h", "fmtmsg.h", "fnmatch.h", "ftw.h",
    "glob.h", "grp.h", "iconv.h", "inttypes.h", "iso646.h", "langinfo.h", "libgen.h",
    "limits.h", "locale.h", "math.h", "monetary.h", "mqueue.h", "ndbm.h", "net/if.h",
    "netdb.h", "nl_types.h", "poll.h", "pthread.h", "pwd.h", "regex.h", "sched.h",
    "search.h", "semaphore.h", "setjmp.h", "signal.h", "spawn.h", "stdalign.h", "stdarg.h",
    "stdbool.h", "stddef.h", "stdint.h", "stdio.h", "stdlib.h", "stdnoreturn.h", "string.h",
    "strings.h", "stropts.h", "syslog.h", "tar.h", "termios.h", "tgmath.h", "threads.h",
    "time.h", "trace.h", "uchar.h", "ulimit.h", "unistd.h", "utime.h", "utmpx.h", "wchar.h",
    "wctype.h", "wordexp.h",
}
POSIX_DIRS = ("sys/", "netinet/", "arpa/")

# Each layer's headers may include its own and those of the layers below.
LAYERS = {
    "ledger": ("ledger",),
    "projections": ("ledger", "projections"),
    "app": ("ledger", "projections", "app"),
    "net": ("ledger", "projections", "app", "net"),
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def check_include(layer, name):
    """Returns why `name` may not be included by a public header of `layer`, or None."""
    if name.startswith("vledger/"):
        parts = name.split("/")
        if len(parts) < 3 or parts[1] not in LAYERS:
            return "not a header of a vledger layer (vledger/ledger, vledger/projections, vledger/app, vledger/net)"
        if parts[1] not in LAYERS[layer]:
            return f"a header of {parts[1]}/, a layer above {layer}/"
        return None
    if name in CXX_STD or name in POSIX or name.startswith(POSIX_DIRS):
        return None
    return "a third-party header (only the C++ standard library, POSIX and vledger/ headers)"


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
    problems = []
    headers = 0
    for layer in LAYERS:
        folder = root / layer / "include"
        for header in sorted(folder.rglob("*")):
            if header.suffix not in (".h", ".hh", ".hpp") or not header.is_file():
                continue
            headers += 1
            rel = header.relative_to(root)
            text = header.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                why = check_include(layer, m.group(2))
                if why:
                    quote = "<>" if m.group(1) == "<" else '""'
                    problems.append(
                        f"{rel}:{number}: includes {quote[0]}{m.group(2)}{quote[1]}: {why}")
    if headers == 0:
        print(f"public_headers: no header found under {root}/{{ledger,projections,app,net}}/include",
              file=sys.stderr)
        return 1
    for p in problems:
        print(p)
    if problems:
        print(f"public_headers: {len(problems)} forbidden include(s) in public headers",
              file=sys.stderr)
        return 1
    print(f"public_headers: {headers} public headers include only std, POSIX and their "
          "own or lower layers' vledger/ headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
