#!/bin/sh
# e2e_clock.sh: what bisikd says once time has passed, checked by moving
# its clock with libfaketime (Debian's faketime package, LD_PRELOAD) and no
# clock hook in the binary:
# - a case filed now and read 30 days later is overdue: the staff queue
#   highlights its row and says how many days late it is, in Indonesian
#   and English, the API marks it overdue, and the reporter's /pantau
#   marks the passed deadline late with the days late. The expected due
#   time is counted here from the working-day calendar (weekends and the
#   holiday files in share/), and the days late from it.
# - the holiday warning: started on a date whose next
#   CORE_HOLIDAY_LOOKAHEAD (90) days leave the shipped holiday files,
#   bisikd names the missing year in the log at start and again once a
#   day while serving, and the staff pages show a banner naming it; on a
#   date whose 90 days are covered it says nothing.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_clock.sh
. "$(dirname "$0")/lib.sh"

need_binaries
need_tools faketime python3

FAKELIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -r "$FAKELIB" ] || die "setup" "no $FAKELIB (scripts/deps.sh installs faketime)"
# libfaketime comes before the sanitizer runtime in the list of loaded
# libraries, which ASan refuses unless told.
export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"

PASS='kata sandi yang panjang sekali'
printf '%s\n' "$PASS" > "$T/pw"
HOL=$T/holidays
mkdir -p "$HOL"
# seccomp off: libfaketime's own calls are not on bisikd's allow-list.
CONF=$(jq -cn --arg d "$HOL" '{pow_difficulty:0, holidays_dir:$d, seccomp:false}')

# faked SPEC [serve args]: serve under libfaketime's FAKETIME=SPEC.
faked() {
	_spec=$1
	shift
	MARK=$(wc -l < "$SRV_LOG")
	export LD_PRELOAD="$FAKELIB" FAKETIME="$_spec"
	serve "$@"
	_rc=$?
	unset LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC
	return $_rc
}
# new_log: the log lines since the last faked start.
new_log() {
	tail -n +$((MARK + 1)) "$SRV_LOG"
}
login() {	# login USER JAR
	api POST /staf/masuk -c "$2" --data-urlencode "username=$1" \
	    --data-urlencode "password=$PASS"
	[ "$ST" = 303 ] || die "login $1" "HTTP $ST $(snip "$T/body")"
}

# ---- overdue ---------------------------------------------------------------------

new_data --escrow || die "setup" "cannot make the data directory"
"$BISIKD" user add --data "$SRV_DATA" --username pusat --role central_admin \
    --password-file "$T/pw" > "$T/cli.out" 2>&1 ||
    die "setup" "user add: $(snip "$T/cli.out")"
serve "$CONF" || die "setup" "cannot start bisikd: $(log_problem "$SRV_LOG")"
submit_report
[ "$ST" = 201 ] || die "setup" "report: HTTP $ST $(snip "$T/body")"
LATE_CASE=$CASE
LATE_TOKEN=$TOKEN
followup "$LATE_TOKEN"
CREATED=$(jq -r .created_at "$T/body")
DUE=$(jq -r .due_at "$T/body")
DISPOSE=$(jq -r '.deadlines.dispose // empty' "$T/body")
stop_server || die "setup" "$SRV_STOP_WHY"

# The dispose deadline from the calendar: 3 working days (the default)
# after the WIB date of filing, ending 23:59:59 WIB.
WANT_DUE=$(python3 - "$CREATED" "$ROOT/share" <<'EOF'
import datetime, glob, sys
created = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ")
hol = set()
for f in glob.glob(sys.argv[2] + "/holidays-*.csv"):
    for line in open(f):
        d = line.split(",")[0].strip()
        if len(d) == 10 and d[4] == "-":
            hol.add(d)
day = (created + datetime.timedelta(hours=7)).date()
n = 0
while n < 3:
    day += datetime.timedelta(days=1)
    if day.weekday() < 5 and day.isoformat() not in hol:
        n += 1
due = datetime.datetime.combine(day, datetime.time(23, 59, 59)) - datetime.timedelta(hours=7)
print(due.strftime("%Y-%m-%dT%H:%M:%SZ"))
EOF
)
d=""
[ "$DUE" = "$WANT_DUE" ] || d="due_at $DUE, the calendar says $WANT_DUE (filed $CREATED)"
[ -z "$DISPOSE" ] || [ "$DISPOSE" = "$WANT_DUE" ] || d="$d deadlines.dispose $DISPOSE"
result "the new case is due 3 working days after filing, 23:59:59 WIB ($WANT_DUE)" "$d"

# days_late: whole days, rounded up, from the due time to the faked now
# (now + 30 days), as the pages count them.
DUE_S=$(date -u -d "$(echo "$DUE" | sed 's/T/ /; s/Z$//')" +%s)
days_late() {
	echo $(( ($(date +%s) + 30 * 86400 - DUE_S + 86399) / 86400 ))
}
faked +30d "$CONF" || die "overdue" "cannot start bisikd 30 days on: $(log_problem "$SRV_LOG")"
login pusat "$T/ca.jar"
for lang in id en; do
	L1=$(days_late)
	api GET "/staf?lang=$lang" -b "$T/ca.jar"
	L2=$(days_late)
	cp "$T/body" "$T/queue-$lang.html"
	# The case's row, from <tr to </tr>.
	tr -d '\n' < "$T/body" | sed 's/<tr/\n<tr/g' | grep -F "$LATE_CASE" > "$T/row" || true
	d=""
	[ "$ST" = 200 ] || d="HTTP $ST"
	grep -q '^<tr class="late">' "$T/row" || d="$d row not highlighted: $(snip "$T/row" 200)"
	for n in $L1 $L2; do
		case $lang in
		id) w="terlambat $n hari" ;;
		*) w="$n days late" ;;
		esac
		[ "$n" = 1 ] && { [ $lang = id ] && w="terlambat 1 hari" || w="1 day late"; }
		grep -q "<span class=\"overdue\">$w</span>" "$T/row" && break
		w=""
	done
	[ -n "$w" ] || d="$d no \"$L2 days late\" ($lang) in $(snip "$T/row" 300)"
	result "staff queue ($lang) 30 days on: the row is highlighted and says $L2 days late" "$d"
done
api_json POST /api/v1/auth/login "$(jq -cn --arg p "$PASS" '{username:"pusat",password:$p}')"
SESSION=$(jq -r .session "$T/body")
api GET /api/v1/cases -H "Authorization: Bearer $SESSION"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
o=$(jq -r --arg c "$LATE_CASE" '[.. | objects | select(.case == $c)][0] | "\(.overdue) \(.due_at)"' "$T/body" 2>/dev/null)
[ "$o" = "true $DUE" ] || d="$d the case in /api/v1/cases: $o (want true $DUE)"
result "GET /api/v1/cases 30 days on: the case is overdue, due_at $DUE" "$d"
for lang in id en; do
	L1=$(days_late)
	api POST "/pantau?lang=$lang" --data-urlencode "token=$LATE_TOKEN"
	L2=$(days_late)
	d=""
	[ "$ST" = 200 ] || d="HTTP $ST"
	for n in $L1 $L2; do
		case $lang in
		id) w="terlambat $n hari" ;;
		*) w="$n days late" ;;
		esac
		grep -q "<strong class=\"overdue\">$w</strong>" "$T/body" && break
		w=""
	done
	[ -n "$w" ] || d="$d no \"$L2 days late\" ($lang): $(grep -o 'class="overdue"[^<]*' "$T/body" | head -n 1)"
	result "/pantau ($lang) 30 days on: the passed deadline is marked $L2 days late" "$d"
done
stop_server || notok "bisikd under faketime stops cleanly" "$SRV_STOP_WHY"

# ---- the holiday warning ---------------------------------------------------------

# missing_year DATE: the first year from DATE to 90 days after it without a
# holidays-*-YEAR.csv in share/ (the built-in list) or $HOL; empty if none.
missing_year() {
	python3 - "$1" "$ROOT/share" "$HOL" <<'EOF'
import datetime, glob, sys
d = datetime.date.fromisoformat(sys.argv[1])
for k in range(91):
    y = (d + datetime.timedelta(days=k)).year
    if not any(glob.glob(p + "/holidays-*-%d.csv" % y) for p in sys.argv[2:]):
        print(y)
        break
EOF
}
COVERED=2026-06-01
LATE_DAY=2026-12-20
[ -z "$(missing_year $COVERED)" ] || die "holidays" "share/ does not cover 90 days from $COVERED"
MISS=$(missing_year $LATE_DAY)
MARK=0
[ -n "$MISS" ] || die "holidays" "share/ covers 90 days from $LATE_DAY: pick a later date"

faked "@$COVERED 08:00:00" "$CONF" || die "holidays" "cannot start bisikd on $COVERED: $(log_problem "$SRV_LOG")"
login pusat "$T/ca.jar"
api GET /staf -b "$T/ca.jar"
d=""
new_log > "$T/new.log"
grep -q 'holidays_missing' "$T/new.log" && d="the log says: $(grep holidays_missing "$T/new.log" | head -n 1 | cut -c1-200)"
grep -q 'class="alert holidays"' "$T/body" && d="$d a banner"
grep -q "ts=$COVERED" "$T/new.log" || d="$d the clock was not moved (no ts=$COVERED in the log)"
result "started on $COVERED (90 days covered): no holiday warning, no banner" "$d"
stop_server || notok "bisikd on $COVERED stops cleanly" "$SRV_STOP_WHY"

faked "@$LATE_DAY 08:00:00" "$CONF" || die "holidays" "cannot start bisikd on $LATE_DAY: $(log_problem "$SRV_LOG")"
d=""
new_log | grep "event=holidays_missing" > "$T/hol.log" || d="no holidays_missing line"
[ "$(wc -l < "$T/hol.log")" = 1 ] || d="$d $(wc -l < "$T/hol.log") lines"
grep -q "^ts=$LATE_DAY.* level=warn event=holidays_missing year=$MISS days_ahead=90 how=\"add holidays-id-$MISS.csv" "$T/hol.log" ||
    d="$d line: $(snip "$T/hol.log" 300)"
result "started on $LATE_DAY: one warning at start naming $MISS and how to add it" "$d"
login pusat "$T/ca.jar"
for lang in id en; do
	api GET "/staf?lang=$lang" -b "$T/ca.jar"
	case $lang in
	id) w="Daftar hari libur tahun $MISS belum dipasang" ;;
	*) w="No holiday list for $MISS is installed" ;;
	esac
	d=""
	grep -q 'class="alert holidays"' "$T/body" || d="no banner"
	grep -q -F "$w" "$T/body" || d="$d no \"$w\""
	grep -q -F "holidays-id-$MISS.csv" "$T/body" || d="$d not how to add it"
	result "staff page ($lang) on $LATE_DAY: the banner names $MISS and how to add it" "$d"
done
stop_server || notok "bisikd on $LATE_DAY stops cleanly" "$SRV_STOP_WHY"

# Once a day while serving: the sweeper looks every sweep_interval_seconds
# (1 here, 60 by default) of the monotonic clock, which stays real here
# (faking it scales the image helper's start-up deadline down too); the
# wall clock runs 20000 times faster, so a faked day passes in about 4.3
# real seconds, and a sweep after it warns again.
export FAKETIME_DONT_FAKE_MONOTONIC=1
CONF_SWEEP=$(printf '%s' "$CONF" | jq -c '. + {sweep_interval_seconds: 1}')
faked "@$LATE_DAY 08:00:00 x20000" "$CONF_SWEEP" || die "holidays" "cannot start bisikd sped up: $(log_problem "$SRV_LOG")"
i=0
# Polled every 0.2 s; 120 s (times SLOW) only ends a hang.
while [ $i -lt $((600 * SLOW)) ] && [ "$(new_log | grep -c 'event=holidays_missing')" -lt 2 ]; do
	sleep 0.2
	i=$((i + 1))
done
new_log | grep "event=holidays_missing" > "$T/hol.log"
d=""
[ "$(wc -l < "$T/hol.log")" -ge 2 ] || d="$(wc -l < "$T/hol.log") lines after $i polls"
[ "$(grep -c "year=$MISS days_ahead=90" "$T/hol.log")" = "$(wc -l < "$T/hol.log")" ] || d="$d $(snip "$T/hol.log" 300)"
# The second line is at least a day (of the faked clock) after the first.
t1=$(sed -n '1s/^ts=\([^ ]*\)Z .*/\1/p' "$T/hol.log" | tr T ' ')
t2=$(sed -n '2s/^ts=\([^ ]*\)Z .*/\1/p' "$T/hol.log" | tr T ' ')
if [ -n "$t1" ] && [ -n "$t2" ]; then
	gap=$(( $(date -u -d "$t2" +%s) - $(date -u -d "$t1" +%s) ))
	[ "$gap" -ge 86400 ] || d="$d the second line came $gap s after the first"
else
	d="$d no times ($t1, $t2)"
fi
result "serving on: the warning again once a day (faked clock), naming $MISS" "$d"
stop_server || notok "bisikd sped up stops cleanly" "$SRV_STOP_WHY"

finish
