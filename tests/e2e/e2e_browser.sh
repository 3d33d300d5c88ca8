#!/bin/sh
# e2e_browser.sh: the pages in a real browser: Debian's chromium driven
# by playwright-core, every tests/browser/*.test.js in turn (pages.test.js:
# the whole flow with staff; reporter.test.js: every reporter and public
# page state with JavaScript on and off, at 1280 and 390 px, in both
# languages, with axe-core and the overflow check; lib.js is what they
# share) against two bisikd on loopback, both with a proof of work of 12
# bits. The main one has a 1-of-1 escrow key, waits 2 s before a form
# without JavaScript is accepted, and has a suppression threshold of 2, so
# that /statistik shows figures beside suppressed ones. The other waits
# 600 s (the largest form_min_seconds), longer than the whole run may last,
# so that the JavaScript submission sent there can only pass by its proof
# of work, whatever the machine's load. Screenshots go to
# build/screenshots/ (build-asan/screenshots/ for the sanitizer build,
# which runs a reduced matrix: the reporter's part of pages.test.js, and
# reporter.test.js in Indonesian at 390 px only, as the slower server
# makes the whole run too long there): pages.test.js's steps of the flow,
# and of the matrix of states only those whose check failed;
# BISIK_SHOTS_ALL=1 leaves one of every state.
#
# A missing chromium, node, playwright-core or axe-core after
# scripts/deps.sh and scripts/browser-deps.sh is a failure ("not ok"),
# never a silent pass.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_browser.sh
#   BROWSER_TESTS=tests/browser/reporter.test.js sh tests/e2e/e2e_browser.sh
. "$(dirname "$0")/lib.sh"

need_binaries
[ -x /usr/bin/chromium ] || die "chromium" "/usr/bin/chromium is missing (scripts/deps.sh installs the package chromium)"
need_tools node	# scripts/browser-deps.sh
[ -f "$ROOT/tests/browser/node_modules/playwright-core/package.json" ] ||
    die "playwright-core" "tests/browser/node_modules is missing (scripts/browser-deps.sh)"
[ -f "$ROOT/tests/browser/node_modules/axe-core/axe.min.js" ] ||
    die "axe-core" "tests/browser/node_modules/axe-core is missing (scripts/browser-deps.sh)"

PASS='kata sandi yang panjang sekali'
printf '%s\n' "$PASS" > "$T/pw"
add() {
	"$BISIKD" "$@" --data "$SRV_DATA" > "$T/cli.out" 2>&1 ||
	    die "setup" "bisikd $*: $(snip "$T/cli.out")"
}
start_server '{"pow_difficulty":12,"form_min_seconds":600}' ||
    die "setup" "cannot start the proof-of-work-only bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"
POW_URL=$SRV_URL
save_server pow
new_data --escrow || die "setup" "cannot make the data directory"
# The starter directory (ministries, national agencies, provinces) and a
# city agency, as a real server has them.
add agency import "$ROOT/share/agencies.csv"
add agency add --id dinas-pu-bdg --name "Dinas PU Kota Bandung" --parent dinas-pu --level kota
add user add --username pusat --role central_admin --password-file "$T/pw"
add user add --username admin-pu --role agency_admin --agency dinas-pu --password-file "$T/pw"
add user add --username lia-pu --role liaison --agency dinas-pu --password-file "$T/pw"
CONF='{"pow_difficulty":12,"form_min_seconds":2,"suppression_threshold":2}'
serve "${BISIK_PAGES_CONFIG:-$CONF}" ||
    die "setup" "cannot start bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"

SHOTS=$BUILD_DIR/screenshots
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
REDUCED=0
case $BISIK_BUILD in *asan*) REDUCED=1 ;; esac
# Each node run prints its own ok / not ok lines and the count.
# BROWSER_TESTS (paths) runs only those, while working on one.
for t in ${BROWSER_TESTS:-"$ROOT"/tests/browser/*.test.js}; do
	name=$(basename "$t")
	SRV_URL=$SRV_URL POW_URL=$POW_URL SHOTS=$SHOTS WAIT_MS=2000 \
	    PASSWORD=$PASS REDUCED=$REDUCED SHOTS_ALL=${BISIK_SHOTS_ALL:-0} \
	    timeout $((600 * SLOW)) node "$t" > "$T/node.out" 2>&1
	rc=$?
	grep -E '^(ok|not ok) - |^# ' "$T/node.out"
	P=$(grep -c '^ok - ' "$T/node.out")
	F=$(grep -c '^not ok - ' "$T/node.out")
	PASSED=$((PASSED + P))
	FAILED=$((FAILED + F))
	if [ $rc -ne 0 ] && [ "$F" -eq 0 ]; then
		notok "$name" "node exited $rc: $(tail -n 5 "$T/node.out" | tr '\n' ' ')"
	fi
done
n=$(ls "$SHOTS" 2>/dev/null | wc -l)
if [ "$n" -gt 0 ]; then ok "screenshots in $SHOTS ($n)"; else notok "screenshots" "none in $SHOTS"; fi
stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
use_server pow
stop_server || notok "the proof-of-work-only server stops cleanly" "$SRV_STOP_WHY"
finish
