#!/usr/bin/env bash
# The Debian package (issue 19, item 8): CPack builds it from this build
# folder; its contents, control fields and maintainer scripts are checked
# (the scripts run against stand-in commands, so nothing of this machine
# changes), lintian lints it when installed; then it is unpacked into a
# scratch root (dpkg-deb -x, no root needed) and the installed program runs
# from there: version and help, a ledger made, awarded and verified, Chinese
# messages from the installed catalog, the demo village from the installed
# data, the bash completion and the man page, which names every command.
# Usage: package.sh PATH/TO/vledger BUILD_DIR
source "$(dirname "$0")/lib.sh"
BUILD=$(cd "${2:?usage: package.sh PATH/TO/vledger BUILD_DIR}" && pwd)
setup
unset VLEDGER_LOCALEDIR VLEDGER_DEMO_DATA

for tool in cpack dpkg-deb dpkg-shlibdeps file man; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/install-deps installs it)"
done

# ------------------------------------------------- cmake --install --prefix
# The same files under any prefix, without the .deb's unit and /etc file.
expect_exit 0 cmake --install "$BUILD" --prefix "$WORK/prefix"
for path in bin/vledger share/locale/zh_CN/LC_MESSAGES/vledger.mo \
  share/bash-completion/completions/vledger share/man/man1/vledger.1.gz \
  share/vledger/demo/village share/doc/vledger/copyright; do
  expect_eq "$([[ -f $WORK/prefix/$path ]] && echo yes)" yes "cmake --install puts $path"
done
expect_eq "$(cd "$WORK/prefix" && find . -path '*systemd*' -o -path '*default*')" "" \
  "no unit and no /etc file outside the package"
LANG=zh_CN.UTF-8 expect_exit 0 "$WORK/prefix/bin/vledger" --help
expect_stdout_contains '用法'

# ------------------------------------------------------------ the package
expect_exit 0 cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg"
version=$("$VLEDGER" --version | sed -n 's/^vledger //p')
arch=$(dpkg --print-architecture)
deb=$WORK/pkg/vledger_${version}-1_${arch}.deb
expect_eq "$(ls "$WORK"/pkg/*.deb 2>/dev/null)" "$deb" "one package, named vledger_VERSION-1_ARCH.deb"
[[ -f $deb ]] || finish

expect_exit 0 dpkg-deb -c "$deb"
cp "$(LAST_OUT_FILE)" listing
awk '{print $6}' listing | sed 's|/$||' >contents
for path in ./usr/bin/vledger \
  ./usr/share/locale/zh_CN/LC_MESSAGES/vledger.mo \
  ./usr/share/bash-completion/completions/vledger \
  ./usr/share/man/man1/vledger.1.gz \
  ./usr/share/man/zh_CN/man1/vledger.1.gz \
  ./usr/share/vledger/demo/village \
  ./usr/share/vledger/demo/residents.csv \
  ./usr/share/doc/vledger/copyright \
  ./usr/share/doc/vledger/changelog.Debian.gz \
  ./lib/systemd/system/vledger.service \
  ./etc/default/vledger; do
  expect_eq "$(grep -cxF "$path" contents)" 1 "the package holds $path"
done
expect_eq "$(grep -vE '^\./(usr/(bin|share)|lib/systemd/system|etc/default)(/|$)|^\./(usr|lib|lib/systemd|etc)?$' contents)" \
  "" "nothing outside /usr/bin, /usr/share, the unit and /etc/default (no ledger, no /usr/local)"
expect_eq "$(grep -cE '^-rwxr-xr-x root/root .* \./usr/bin/vledger$' listing)" 1 \
  "the program: root's, mode 0755"
expect_eq "$(grep -vc ' root/root ' listing)" 0 "every file is root's"

field() { dpkg-deb -f "$deb" "$1"; }
expect_eq "$(field Package)" vledger "Package"
expect_eq "$(field Version)" "${version}-1" "Version: the project's"
expect_eq "$(field Architecture)" "$arch" "Architecture"
depends=$(field Depends)
for dep in libc6 libqrencode4 adduser libxlsxwriter libzip4; do
  expect_eq "$(grep -c "\\b$dep" <<<"$depends")" 1 "Depends names $dep ($depends)"
done
expect_eq "$(field Maintainer | grep -c '<.*@.*>')" 1 "Maintainer has an address"
expect_eq "$(field Description | head -1)" \
  "signed, hash-chained ledger for village credit points and funds" "Description"

mkdir -p ctrl
expect_exit 0 dpkg-deb -e "$deb" ctrl
expect_eq "$(cat ctrl/conffiles)" /etc/default/vledger "conffiles"
for script in postinst prerm postrm; do
  expect_eq "$(stat -c %a "ctrl/$script")" 755 "$script is executable"
  expect_exit 0 sh -n "ctrl/$script"
done

# ----------------------------------------------- the maintainer scripts
# Run with PATH holding only stand-ins that log their arguments: a command
# the scripts call that has no stand-in fails them (set -e), and none of
# them touches this machine.
mkdir -p stubs
cat >stubs/stub <<'EOS'
#!/bin/bash
echo "${0##*/} $*" >>"$STUB_LOG"
case ${0##*/} in
  getent | dpkg-statoverride) exit 2 ;;  # no such user, no override
  deb-systemd-helper) [[ $1 != --quiet && $1 != was-enabled ]] || exit 1 ;;
esac
exit 0
EOS
chmod 755 stubs/stub
for c in addgroup adduser getent mkdir chown chmod dpkg-statoverride deb-systemd-helper \
  deb-systemd-invoke systemctl rm rmdir deluser userdel; do
  ln -s stub "stubs/$c"
done
maint() {
  : >"$WORK/maint.log"
  env -i PATH="$WORK/stubs" STUB_LOG="$WORK/maint.log" /bin/sh "ctrl/$1" "${@:2}"
}
expect_exit 0 maint postinst configure
log=$(cat maint.log)
expect_eq "$(grep -c '^addgroup --system .*vledger$' <<<"$log")" 1 \
  "postinst creates the system group vledger"
expect_eq "$(grep -c '^adduser --system --ingroup vledger .* vledger$' <<<"$log")" 1 \
  "postinst creates the system user vledger"
expect_eq "$(grep -cx 'chown vledger:vledger /var/lib/vledger' <<<"$log")" 1 \
  "postinst gives the ledger folder to vledger"
expect_eq "$(grep -cx 'chmod 0700 /var/lib/vledger' <<<"$log")" 1 "the ledger folder is 0700"
expect_eq "$(grep -cE '(systemctl|deb-systemd-invoke) (start|restart|enable)|helper enable' <<<"$log")" 0 \
  "a fresh install neither enables nor starts the server"
expect_exit 0 maint postrm purge
log=$(cat maint.log)
expect_eq "$(grep -cE '^(rm|rmdir|deluser|userdel) ' <<<"$log")" 0 \
  "purge deletes neither the ledger nor the user ($log)"
expect_stderr_contains '/var/lib/vledger'

# ---------------------------------------------------------------- lintian
# (A sanitizer build's program is not what is shipped: not linted.)
if grep -qx 'VLEDGER_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt"; then
  echo "package.sh: a sanitizer build; the package was not linted"
elif command -v lintian >/dev/null; then
  expect_exit 0 lintian --fail-on error,warning "$deb"
  expect_eq "$(grep -E '^[EW]:' "$(LAST_OUT_FILE)")" "" "lintian finds no error and no warning"
else
  echo "package.sh: lintian not installed; the package was not linted"
fi

# ---------------------------------------------- the unit, as installed
ROOT=$WORK/root
expect_exit 0 dpkg-deb -x "$deb" "$ROOT"
unit=$ROOT/lib/systemd/system/vledger.service
for line in 'User=vledger' 'Environment=VLEDGER_LISTEN=127.0.0.1:8443' \
  'EnvironmentFile=-/etc/default/vledger' \
  'ExecStart=/usr/bin/vledger serve --ledger /var/lib/vledger --listen ${VLEDGER_LISTEN} $VLEDGER_SERVE_OPTIONS' \
  'ProtectSystem=strict' 'ReadWritePaths=/var/lib/vledger' 'NoNewPrivileges=yes' \
  'PrivateTmp=yes' 'ConditionPathExists=/var/lib/vledger/db/CURRENT'; do
  expect_eq "$(grep -cxF -- "$line" "$unit")" 1 "the unit says $line"
done
if command -v systemd-analyze >/dev/null; then
  # The unit as systemd reads it (the scratch root as the system's root).
  # The scratch root has no other unit (--recursive-errors=no) and no
  # manual database (--man=no).
  expect_exit 0 systemd-analyze verify --man=no --recursive-errors=no --root="$ROOT" \
    /lib/systemd/system/vledger.service
  expect_eq "$(last_stderr)" "" "systemd reads the unit without a complaint"
else
  echo "package.sh: systemd-analyze not installed; the unit was not verified"
fi

# ------------------------------------------------- the installed program
iv() {
  printf x >>"$WORK/.out/calls"
  "$ROOT/usr/bin/vledger" "$@"
}
expect_exit 0 iv --version
expect_eq "$(last_stdout)" "vledger $version" "--version"
expect_exit 0 iv --help
expect_stdout_contains 'award'
expect_stdout_contains '--version'

A=(--ledger L --key admin.key)
C=(--ledger L --key col.key)
expect_exit 0 iv --ledger L init --test-clock --name 安装测试 --admin-key-out admin.key
expect_exit 0 iv "${A[@]}" village add V01 --name 曲家村
expect_exit 0 iv key new --out col.key
expect_exit 0 iv "${A[@]}" key register --pub col.key.pub --role collector --village V01
expect_exit 0 iv "${A[@]}" rule add VOL --category volunteer --points 2
expect_exit 0 iv "${C[@]}" household add H001 --village V01 --head 曲建国
expect_exit 0 iv "${C[@]}" resident add R001 --village V01 --household H001 --name 曲建国 --adult
expect_exit 0 iv "${C[@]}" award R001 VOL --json
expect_exit 0 iv --ledger L verify --json
expect_json 'd["ok"]' true
expect_exit 0 iv --ledger L balance R001 --json
expect_json 'd["creditScore"]' 2

# Chinese from the catalog installed beside the program, and English when
# that catalog is gone (so it was the one read).
LANG=zh_CN.UTF-8 expect_exit 0 iv --help
expect_stdout_contains '用法'
expect_stdout_contains '显示本程序的版本并退出'
LANG=zh_CN.UTF-8 expect_exit 3 iv "${C[@]}" award NOSUCH VOL
expect_stderr_contains '错误'
mv "$ROOT/usr/share/locale" "$ROOT/usr/share/locale.away"
LANG=zh_CN.UTF-8 expect_exit 0 iv --help
expect_stdout_lacks '用法'
mv "$ROOT/usr/share/locale.away" "$ROOT/usr/share/locale"

# The demo village from the installed data (the source tree's is not used:
# an installed script that only says so is what runs).
cp "$ROOT/usr/share/vledger/demo/village" village.orig
printf '#!/usr/bin/env bash\necho "installed demo data: $1 $2"\n' \
  >"$ROOT/usr/share/vledger/demo/village"
expect_exit 0 iv demo D
expect_stdout_contains "installed demo data: $ROOT/usr/bin/vledger D"
cp village.orig "$ROOT/usr/share/vledger/demo/village"

# The bash completion, as installed.
expect_exit 0 bash -n "$ROOT/usr/share/bash-completion/completions/vledger"
expect_exit 0 grep -c 'complete -F _vledger vledger' "$ROOT/usr/share/bash-completion/completions/vledger"

# The man page renders without a warning and names every command the
# program's help lists, and the subcommands of one with subcommands.
page=$ROOT/usr/share/man/man1/vledger.1.gz
expect_exit 0 env MANWIDTH=100 man --warnings -l "$page"
expect_eq "$(last_stderr)" "" "man renders the page without warnings"
cp "$(LAST_OUT_FILE)" man.txt
expect_exit 0 grep -c 'EXIT STATUS' man.txt
expect_exit 0 iv --help
sed -n '/^Subcommands:/,/^$/p' "$(LAST_OUT_FILE)" | awk 'NR > 1 && /^  [a-z]/ {print $1}' >commands
expect_eq "$(($(wc -l <commands) > 30))" 1 "the help lists the commands ($(wc -l <commands))"
missing=
while read -r cmd; do
  grep -qE "^ *vledger $cmd( |\$)" man.txt || missing+=" $cmd"
done <commands
expect_eq "${missing# }" "" "every command has its section in the man page"
for words in 'key new' 'key register' 'allowance run' 'objection resolve'; do
  expect_exit 0 grep -cE "^ *vledger $words\$" man.txt
done

# The Chinese page: the same commands, in the program's Chinese help.
expect_exit 0 env MANWIDTH=100 man --warnings -l "$ROOT/usr/share/man/zh_CN/man1/vledger.1.gz"
expect_eq "$(last_stderr)" "" "man renders the Chinese page without warnings"
cp "$(LAST_OUT_FILE)" man-zh.txt
expect_stdout_contains '退出码'
expect_stdout_contains '按规则加分'
missing=
while read -r cmd; do
  grep -qE "^ *vledger $cmd( |\$)" man-zh.txt || missing+=" $cmd"
done <commands
expect_eq "${missing# }" "" "every command has its section in the Chinese page"

finish
