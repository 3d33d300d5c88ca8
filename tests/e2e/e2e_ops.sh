#!/bin/sh
# e2e_ops.sh: operations.
#  - `bisikd backup` while four clients submit; `bisikd restore` checks the
#    copy into a new data dir; a server on the restored dir answers every
#    case acknowledged before the backup started; the backup is 0600;
#  - restore refuses an existing dir, a truncated backup (leaving nothing
#    behind) and keys of another data directory;
#  - GET /metrics on its own loopback listener: counts by route and status
#    class, latency buckets, cases by status, store figures; nothing about
#    a person, token, case or address; not served on the main listener; a
#    non-loopback metrics_listen is refused;
#  - log_level "error" keeps request lines out of the log.
. "$(dirname "$0")/lib.sh"
need_binaries

# ---- backup while serving, restore ----------------------------------------------------

start_server || die "start server" "cannot start bisikd"
save_server main

# loop K: submissions until $T/stop exists (at most 400); each 201 appends
# "case token" to acks.K.
submit_loop() {
	_i=0
	while [ ! -e "$T/stop" ] && [ $_i -lt 400 ]; do
		printf '{"kind":"complaint","title":"Cadangan %s-%s","body":"Laporan uji cadangan nomor %s dari loop %s."}' \
		    "$1" "$_i" "$_i" "$1" > "$T/req.$1"
		_st=$(curl -s --max-time 10 -o "$T/res.$1" -w '%{http_code}' -H 'Expect:' \
		    -H 'Content-Type: application/json' --data-binary @"$T/req.$1" \
		    "$SRV_URL/api/v1/reports" 2> /dev/null)
		[ "$_st" = 201 ] && jq -r '[.case, .token] | join(" ")' "$T/res.$1" >> "$T/acks.$1"
		_i=$((_i + 1))
	done
}
LOOPS=""
for k in 1 2 3 4; do
	: > "$T/acks.$k"
	submit_loop $k &
	LOOPS="$LOOPS $!"
	ALL_PIDS="$ALL_PIDS $!"
done
# Until some submissions are acknowledged (a fixed pause could see none
# on a loaded machine); the bound only ends a hang.
_i=0
while [ "$(cat "$T"/acks.* | wc -l)" -lt 8 ] && [ $_i -lt $((400 * SLOW)) ]; do
	sleep 0.05
	_i=$((_i + 1))
done
# Everything acknowledged by now was acknowledged before the backup began.
cat "$T"/acks.* > "$T/before"
"$BISIKD" backup --data "$SRV_DATA" --out "$T/backup.mdb" > "$T/backup.out" 2>&1
brc=$?
sleep 0.5
: > "$T/stop"
for p in $LOOPS; do
	wait "$p"
done
before=$(wc -l < "$T/before" | tr -d ' ')
total=$(cat "$T"/acks.* | wc -l | tr -d ' ')
echo "# $before acknowledged before the backup, $total in all"
d=""
[ "$brc" = 0 ] || d="backup exit $brc: $(snip "$T/backup.out")"
[ "$before" -gt 0 ] || d="$d nothing was acknowledged before the backup"
[ "$(stat -c %a "$T/backup.mdb" 2>/dev/null)" = 600 ] || d="$d mode $(stat -c %a "$T/backup.mdb" 2>/dev/null)"
alive || d="$d the server is not alive"
result "bisikd backup runs while four clients submit; the file is 0600" "$d"

"$BISIKD" restore --in "$T/backup.mdb" --data "$T/restored" \
    --keys-from "$SRV_DATA/keys" > "$T/restore.out" 2>&1
rrc=$?
d=""
[ "$rrc" = 0 ] || d="exit $rrc: $(snip "$T/restore.out")"
grep -q 'the storage key opens the cases' "$T/restore.out" || d="$d says: $(snip "$T/restore.out" 400)"
result "bisikd restore --keys-from checks the backup into a new data dir" "$d"
echo "# $(tr '\n' ' ' < "$T/restore.out")"

if [ "$rrc" = 0 ]; then
	new_data > /dev/null 2>&1	# fresh SRV_DIR for logs; its data is replaced
	rm -rf "$SRV_DATA"
	SRV_DATA=$T/restored
	serve || die "serve restored" "$(tail -n 3 "$SRV_LOG")"
	bad=""
	while read -r c t; do
		followup "$t"
		if [ "$ST" != 200 ] || ! jqt ".case == \"$c\""; then
			bad="$bad $c:$ST"
		fi
	done < "$T/before"
	result "every case acknowledged before the backup began is in the restored copy ($before)" "$bad"
	stop_server
	result "the restored server stops cleanly" "$SRV_STOP_WHY"
	"$BISIKD" audit verify --data "$T/restored" > "$T/audit.out" 2>&1
	check "bisikd audit verify passes on the restored copy" [ $? -eq 0 ]
else
	notok "the restored copy serves every acknowledged case" "set-up: restore failed"
fi

"$BISIKD" restore --in "$T/backup.mdb" --data "$T/restored" > "$T/again.out" 2>&1
rc=$?
d=""
[ "$rc" = 1 ] || d="exit $rc"
grep -q 'exists already' "$T/again.out" || d="$d: $(snip "$T/again.out")"
result "restore refuses a data dir that exists" "$d"

head -c $(($(stat -c %s "$T/backup.mdb") / 2)) "$T/backup.mdb" > "$T/half.mdb"
"$BISIKD" restore --in "$T/half.mdb" --data "$T/r-half" > "$T/half.out" 2>&1
rc=$?
d=""
[ "$rc" = 1 ] || d="exit $rc"
[ -e "$T/r-half" ] && d="$d left $T/r-half behind"
grep -q 'not a sound data file' "$T/half.out" || d="$d: $(snip "$T/half.out")"
result "restore refuses a truncated backup and leaves nothing behind" "$d"

new_data > /dev/null 2>&1
OTHER=$SRV_DATA
"$BISIKD" restore --in "$T/backup.mdb" --data "$T/r-wrong" --keys-from "$OTHER/keys" \
    > "$T/wrong.out" 2>&1
rc=$?
d=""
[ "$rc" = 1 ] || d="exit $rc"
[ -e "$T/r-wrong" ] && d="$d left $T/r-wrong behind"
grep -q 'another data directory' "$T/wrong.out" || d="$d: $(snip "$T/wrong.out")"
result "restore refuses keys of another data directory" "$d"

"$BISIKD" restore --in "$T/backup.mdb" --data "$T/r-nokeys" > "$T/nokeys.out" 2>&1
rc=$?
d=""
[ "$rc" = 0 ] || d="exit $rc: $(snip "$T/nokeys.out")"
grep -q 'keys: none copied' "$T/nokeys.out" || d="$d: $(snip "$T/nokeys.out")"
[ -e "$T/r-nokeys/keys" ] && d="$d a keys dir appeared"
result "restore without --keys-from installs the data and says the keys are to be put back" "$d"

# ---- /metrics ------------------------------------------------------------------------------

use_server main
stop_server
MPORT=$(rand_port)
serve '{"pow_difficulty":0,"metrics_listen":"127.0.0.1:'"$MPORT"'"}' ||
    die "serve with metrics" "$(tail -n 3 "$SRV_LOG")"
submit_report
mcase=$CASE
mtoken=$TOKEN
followup "$mtoken"
api GET /api/v1/nothing-here
curl -s --max-time "$CURL_MAX" -D "$T/mh" -o "$T/metrics" "http://127.0.0.1:$MPORT/metrics"
d=""
grep -qi '^content-type: text/plain; version=0.0.4' "$T/mh" || d="content type: $(grep -i content-type "$T/mh")"
grep -Eq '^bisik_http_requests_total\{route="reports",code="2xx"\} [1-9]' "$T/metrics" || d="$d no reports 2xx count"
grep -Eq '^bisik_http_requests_total\{route="followup",code="2xx"\} [1-9]' "$T/metrics" || d="$d no followup count"
grep -Eq '^bisik_http_requests_total\{route="none",code="4xx"\} [1-9]' "$T/metrics" || d="$d no 4xx for unknown paths"
grep -Eq '^bisik_http_request_duration_seconds_bucket\{route="reports",le="\+Inf"\} [1-9]' "$T/metrics" || d="$d no histogram"
grep -Eq '^bisik_cases\{status="submitted"\} [1-9]' "$T/metrics" || d="$d no submitted cases"
grep -Eq '^bisik_store_commits_total [1-9]' "$T/metrics" || d="$d no commits"
grep -Eq '^bisik_store_map_bytes [1-9]' "$T/metrics" || d="$d no map size"
grep -Eq '^bisik_store_write_wait_seconds_bucket\{le="\+Inf"\} [1-9]' "$T/metrics" || d="$d no write wait histogram"
grep -Eq '^bisik_store_write_wait_seconds_bucket\{le="0.001"\} [0-9]' "$T/metrics" || d="$d no 1 ms wait bucket"
grep -Eq '^bisik_http_connections_parked [0-9]+$' "$T/metrics" || d="$d no parked gauge"
grep -Eq '^bisik_auth_argon_running [0-9]+$' "$T/metrics" || d="$d no Argon2id gauge"
awk '/^bisik_store_write_wait_seconds_count/ { c = $2 } /^bisik_store_jobs_total/ { j = $2 } END { exit !(c >= j && j > 0) }' "$T/metrics" || d="$d write waits fewer than committed jobs"
result "GET /metrics: requests by route and status class, latency, parked, Argon2id, cases by status, store, write waits" "$d"
d=""
grep -q "$mcase" "$T/metrics" && d="a case reference"
grep -q "$mtoken" "$T/metrics" && d="$d a token"
grep -q '127\.0\.0\.1' "$T/metrics" && d="$d an address"
grep -q 'nothing-here' "$T/metrics" && d="$d a raw path"
result "/metrics holds no case, token, address or raw path" "$d"
api GET /metrics
[ "$ST" = 404 ] && ok "/metrics is not served on the public listener" ||
    notok "/metrics is not served on the public listener" "status $ST"
stop_server
result "a server with a metrics listener stops cleanly" "$SRV_STOP_WHY"

printf '{"metrics_listen":"0.0.0.0:9099"}' > "$T/m.json"
"$BISIKD" serve --data "$SRV_DATA" --config "$T/m.json" $ALLOW_ROOT > "$T/m.out" 2>&1 < /dev/null
rc=$?
d=""
[ "$rc" = 2 ] || d="exit $rc"
grep -q 'metrics_listen' "$T/m.out" || d="$d: $(snip "$T/m.out")"
result "a metrics_listen that is not loopback is refused (exit 2)" "$d"

# ---- log level -------------------------------------------------------------------------------

# (serve waits for the info line "listening": start by hand here.)
printf '{"pow_difficulty":0,"log_level":"error"}' > "$T/quiet.json"
try=0
while [ $try -lt 5 ]; do
	try=$((try + 1))
	SRV_PORT=$(rand_port)
	SRV_URL=http://127.0.0.1:$SRV_PORT
	"$BISIKD" serve --data "$SRV_DATA" --listen "127.0.0.1:$SRV_PORT" \
	    --config "$T/quiet.json" $ALLOW_ROOT 2>> "$T/quiet.log" &
	SRV_PID=$!
	ALL_PIDS="$ALL_PIDS $SRV_PID"
	i=0
	while is_ours "$SRV_PID" && ! alive && [ $i -lt $((100 * SLOW)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	is_ours "$SRV_PID" && break
	wait "$SRV_PID"		# the port was taken: another
	: > "$T/quiet.log"
done
submit_report
followup "$TOKEN"
stop_server
d=""
grep -q 'event=http' "$T/quiet.log" && d="request lines at level error"
_l=$(grep -v '^#' "$T/quiet.log" | grep -v -E '^ts=[^ ]+ level=[a-z]+ event=[a-z_]+( [a-z_]+=[^ ]*)*$' |
    head -n 1)
[ -n "$_l" ] && d="$d a line that is not key=value: $(printf '%s' "$_l" | cut -c1-200)"
result "log_level \"error\": no request lines; every line is key=value" "$d"

finish
