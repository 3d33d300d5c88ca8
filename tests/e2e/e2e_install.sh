#!/bin/sh
# e2e_install.sh: `make install` into a temporary DESTDIR, as a packager
# would run it: exactly the expected files with their modes (programs
# 0755, the rest 0644), the systemd unit's ExecStart pointing at the
# installed bisikd (also with another PREFIX), installed man pages that
# man(1) can render, and the installed programs working: bisikd initialises
# a data directory and imports the starter agency directory from where
# docs/operations.md says it is.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_install.sh
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools make mandoc

case $BISIK_BUILD in
*asan*) MODE=asan ;;
*) MODE=release ;;
esac
# The build is already made (make test builds it first); `make install`
# must find it up to date and only copy.
minstall() {
	make -C "$ROOT" --no-print-directory MODE=$MODE BUILD="$BUILD_DIR" \
	    install "$@" > "$T/install.out" 2>&1
}

D=$T/root
minstall DESTDIR="$D" || die "make install" "$(snip "$T/install.out" 600)"
grep -E '^(CC|LD|CCLD|GEN) ' "$T/install.out" > "$T/rebuilt"
result "make install finds the build up to date (nothing rebuilt)" \
    "$([ -s "$T/rebuilt" ] && snip "$T/rebuilt")"

P=/usr/local
{
	echo "755 $P/bin/bisik"
	echo "755 $P/bin/bisikd"
	[ -x "$BUILD_DIR/bisik-media" ] && echo "755 $P/bin/bisik-media"
	echo "644 $P/lib/systemd/system/bisikd.service"
	echo "644 $P/share/bisik/agencies.csv"
	for h in "$ROOT"/share/holidays-*.csv; do
		echo "644 $P/share/bisik/$(basename "$h")"
	done
	echo "644 $P/share/man/man1/bisik.1"
	echo "644 $P/share/man/man8/bisikd.8"
} | sort > "$T/want"
(cd "$D" && find . -type f -printf '%m /%P\n') | sort > "$T/got"
result "exactly the programs, man pages, unit and data, with their modes" \
    "$(diff "$T/want" "$T/got" | grep '^[<>]' | tr '\n' ' ')"
d=""
for f in bisik bisikd; do
	cmp -s "$BUILD_DIR/$f" "$D$P/bin/$f" || d="$d $f differs from the build;"
done
cmp -s "$ROOT/share/agencies.csv" "$D$P/share/bisik/agencies.csv" || d="$d agencies.csv differs;"
result "the installed files are the built and shipped ones" "$d"
d=$(find "$D" -type d ! -perm 0755 -printf '%m %P; ')
result "installed directories are 0755" "$d"

ex=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$D$P/lib/systemd/system/bisikd.service")
result "the unit runs the installed bisikd ($ex)" \
    "$([ "$ex" = "$P/bin/bisikd" ] && [ -x "$D$ex" ] || echo "ExecStart $ex")"
d=""
for m in man1/bisik.1 man8/bisikd.8; do
	mandoc -T lint -W warning "$D$P/share/man/$m" > "$T/lint.out" 2>&1 ||
	    d="$d $m: $(snip "$T/lint.out")"
done
result "the installed man pages render (mandoc -T lint)" "$d"

"$D$P/bin/bisikd" init --data "$T/data" > "$T/init.out" 2>&1 ||
    die "installed bisikd init" "$(snip "$T/init.out")"
# Every data line of the CSV (not the header, not a comment) is added.
n=$(grep -v '^#' "$ROOT/share/agencies.csv" | tail -n +2 | grep -c .)
"$D$P/bin/bisikd" agency import --data "$T/data" "$D$P/share/bisik/agencies.csv" \
    > "$T/import.out" 2>&1
rc=$?
result "the installed bisikd imports the installed agency directory ($n agencies)" \
    "$([ $rc -eq 0 ] && grep -q "^agencies: $n added, 0 changed, 0 unchanged, 0 refused$" \
    "$T/import.out" || echo "exit $rc: $(snip "$T/import.out")")"
"$D$P/bin/bisik" help > "$T/help.out" 2>&1
rc=$?
result "the installed bisik runs (bisik help)" \
    "$([ $rc -eq 0 ] && grep -q '^usage: bisik ' "$T/help.out" || echo "exit $rc: $(snip "$T/help.out")")"

D2=$T/root2
minstall DESTDIR="$D2" PREFIX=/opt/bisik ||
    die "make install PREFIX=/opt/bisik" "$(snip "$T/install.out" 600)"
ex=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$D2/opt/bisik/lib/systemd/system/bisikd.service")
d=""
[ "$ex" = /opt/bisik/bin/bisikd ] || d="ExecStart $ex"
[ -x "$D2/opt/bisik/bin/bisikd" ] || d="$d no /opt/bisik/bin/bisikd"
[ -f "$D2/opt/bisik/share/man/man8/bisikd.8" ] || d="$d no man page under /opt/bisik"
[ -e "$D2/usr" ] && d="$d something went to /usr"
result "PREFIX=/opt/bisik: everything under it, the unit runs /opt/bisik/bin/bisikd" "$d"

finish
