#!/bin/sh
# e2e_rekey.sh: `bisikd rekey` against a real data directory: a few hundred
# cases and a TOTP-enrolled admin; refused while a server runs; killed
# with SIGKILL midway; serve refuses the half-rotated directory; a second
# run resumes and finishes; the old key is gone, every case still opens
# for its reporter, the TOTP secret still works, the audit chain holds.
# Then `rekey --data-keys` (every case re-encrypted under a new data key:
# content, messages, an attachment, a sealed identity), killed midway and
# resumed the same way; everything still opens, and no case's text is
# still under its old data key. (100,000 cases: bench/rekey.sh.)
#
#   BISIK_BUILD=build sh tests/e2e/e2e_rekey.sh
. "$(dirname "$0")/lib.sh"

need_binaries
need_tools oathtool

N=${REKEY_CASES:-300}
W=$T/rk
mkdir -p "$W/sub"

start_server --escrow || die "serve" "the server did not start"

# all_open: prints how many of the cases in $W/tokens do not open for
# their reporter's token (GET /followup is 200 and names the case). One
# curl makes every request (8 at a time) and one jq reads every answer,
# in the order of $W/tokens; a missing or unreadable answer counts.
all_open() {
	rm -rf "$W/fu"
	mkdir -p "$W/fu"
	awk -v d="$W/fu" -v u="$SRV_URL/api/v1/followup" -v m="$CURL_MAX" '{
		printf "%surl = \"%s\"\noutput = \"%s/%d.json\"\n" \
		    "header = \"Authorization: Bearer %s\"\n" \
		    "write-out = \"%%{http_code}\\n\"\nmax-time = %d\nsilent\n",
		    (NR > 1 ? "next\n" : ""), u, d, NR, $1, m
		}' "$W/tokens" > "$W/fu.cfg"
	curl -Z --parallel-max 8 -K "$W/fu.cfg" > "$W/fu.st" 2> /dev/null
	cut -d' ' -f2 "$W/tokens" > "$W/fu.want"
	awk -v d="$W/fu" '{ print d "/" NR ".json" }' "$W/tokens" > "$W/fu.files"
	# One line per answer that is JSON: its case, "-" for none.
	# shellcheck disable=SC2046
	jq -r -n 'inputs | .case // "-"' $(cat "$W/fu.files") > "$W/fu.got" 2> /dev/null
	_ok200=$(grep -c '^200$' "$W/fu.st")
	_same=$(paste -d' ' "$W/fu.want" "$W/fu.got" | awk '$1 == $2' | wc -l)
	if [ "$(wc -l < "$W/fu.got")" -ne "$N" ]; then
		echo "$N"
	elif [ "$_ok200" -ne "$N" ]; then
		echo $((N - _ok200))
	else
		echo $((N - _same))
	fi
}

# ---- a few hundred cases, submitted 8 at a time -----------------------------

# Each report has words of its own, as real ones do (no duplicates).
mkdir -p "$W/req"
awk -v n="$N" -v d="$W/req" 'BEGIN { srand()
	for (i = 0; i < n; i++) {
		b = ""
		for (w = 0; w < 12; w++)
			b = b sprintf("kata%06x ", int(rand() * 16777215))
		printf "{\"kind\":\"complaint\",\"title\":\"Laporan nomor %d\"," \
		    "\"body\":\"%s\"}\n", i, b > (d "/" i ".json")
		close(d "/" i ".json")
	} }'
# One curl for all of them (a block of options per request, 8 at a
# time): a process per request costs more than the request on a busy
# machine.
awk -v n="$N" -v d="$W" -v u="$SRV_URL/api/v1/reports" -v m="$CURL_MAX" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "url = \"%s\"\noutput = \"%s/sub/%d.json\"\n" \
		    "data-binary = \"@%s/req/%d.json\"\n" \
		    "header = \"Content-Type: application/json\"\n" \
		    "header = \"Expect:\"\nmax-time = %d\nsilent\n%s", u, d, i,
		    d, i, m, (i < n - 1 ? "next\n" : "")
	}' > "$W/sub.cfg"
curl -Z --parallel-max 8 -K "$W/sub.cfg" > /dev/null 2>&1
cat "$W"/sub/*.json | jq -r 'select(.token) | "\(.token) \(.case)"' > "$W/tokens"
result "$N cases submitted" "$([ "$(wc -l < "$W/tokens")" -eq "$N" ] || echo "only $(wc -l < "$W/tokens")")"

# ---- an admin with TOTP (its secret is sealed under the storage key) --------

printf 'rekey admin password\n' > "$W/adm.pw"
"$BISIKD" user add --data "$SRV_DATA" --username rkadmin --role central_admin \
    --password-file "$W/adm.pw" > /dev/null 2>&1 || die "user add" "failed"
api_json POST /api/v1/auth/login '{"username":"rkadmin","password":"rekey admin password"}'
S=$(jq -r '.session // empty' "$T/body")
api POST /api/v1/auth/totp/enroll -H "Authorization: Bearer $S"
SECRET=$(jq -r '.secret // empty' "$T/body")
code() {
	oathtool --totp -b --now "$(date -u -d "@$(( $(date +%s) + $1 ))" \
	    '+%Y-%m-%d %H:%M:%S UTC')" "$SECRET"
}
api_json POST /api/v1/auth/totp/confirm "{\"code\":\"$(code 0)\"}" \
    -H "Authorization: Bearer $S"
result "TOTP enrolled" "$([ "$ST" = 200 ] || echo "$ST $(snip "$T/body")")"

# ---- refused under a running server ----------------------------------------------

timeout $((20 * SLOW)) "$BISIKD" rekey --data "$SRV_DATA" > "$W/live.out" 2> "$W/live.err"
_rc=$?
result "rekey refuses while bisikd serve runs on the directory" \
    "$([ $_rc = 1 ] && grep -q 'in use' "$W/live.err" && [ ! -e "$SRV_DATA/keys/storage.key.new" ] || echo "rc $_rc $(snip "$W/live.err")")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
cp "$SRV_DATA/keys/storage.key" "$W/old.key"

# ---- killed midway ----------------------------------------------------------------------

"$BISIKD" rekey --data "$SRV_DATA" --batch 10 --max-rate $((N / 2)) \
    > "$W/rk1.out" 2> "$W/rk1.err" &
RK=$!
ALL_PIDS="$ALL_PIDS $RK"
_i=0
_done=0
while [ $_i -lt $((200 * SLOW)) ]; do
	_done=$(grep -o '\] [0-9]*/' "$W/rk1.err" | tail -n 1 | tr -dc 0-9)
	[ -n "$_done" ] && [ "$_done" -ge 40 ] && break
	sleep 0.05
	_i=$((_i + 1))
done
kill -KILL $RK 2>/dev/null
wait $RK 2>/dev/null
result "rekey shows progress (count, rate, time left) and is killed midway" \
    "$([ -n "$_done" ] && [ "$_done" -ge 40 ] && [ "$_done" -lt "$N" ] &&
    grep -Eq 'rekey: \[[#.]{20}\] [0-9]+/'"$N"' cases +[0-9]+/s +[0-9]+:[0-9]{2} left' "$W/rk1.err" ||
    echo "done=$_done $(snip "$W/rk1.err" 400)")"

timeout $((20 * SLOW)) "$BISIKD" serve --data "$SRV_DATA" --listen 127.0.0.1:$(rand_port) \
    $ALLOW_ROOT > /dev/null 2> "$W/half.err"
_rc=$?
result "serve refuses a half-rotated data directory" \
    "$([ $_rc = 1 ] && grep -q 'rotation is incomplete' "$W/half.err" || echo "rc $_rc $(snip "$W/half.err")")"

timeout $((60 * SLOW)) "$BISIKD" rekey --data "$SRV_DATA" > "$W/rk2.out" 2> "$W/rk2.err"
_rc=$?
result "a second run resumes where the first stopped and finishes" \
    "$([ $_rc = 0 ] && grep -q 'resuming' "$W/rk2.err" &&
    grep -q "$N/$N cases" "$W/rk2.err" && [ ! -e "$SRV_DATA/keys/storage.key.new" ] ||
    echo "rc $_rc $(snip "$W/rk2.err" 400)")"
_w=""
[ "$(stat -c %a "$SRV_DATA/keys/storage.key")" = 600 ] || _w="mode not 0600;"
for f in "$SRV_DATA"/keys/*; do
	cmp -s "$f" "$W/old.key" && _w="$_w $(basename "$f") is the old key;"
done
result "the storage key file is new, 0600, and the old key is nowhere in keys/" "$_w"

serve || die "serve" "the server did not start after the rotation"
_bad=$(all_open)
result "all $N cases still open for their reporters" "$([ "$_bad" -eq 0 ] || echo "$_bad failed")"
api_json POST /api/v1/auth/login "{\"username\":\"rkadmin\",\"password\":\"rekey admin password\",\"totp\":\"$(code 30)\"}"
result "the TOTP secret, re-wrapped, still signs the admin in" \
    "$([ "$ST" = 200 ] || echo "$ST $(snip "$T/body")")"
S=$(jq -r '.session // empty' "$T/body")
api GET "/api/v1/audit?after=0" -H "Authorization: Bearer $S"
result "the audit log records the rotation's start and end" \
    "$(jqt '[.entries[].action] | (index("rekey.start") != null) and (index("rekey.finish") != null)' || snip "$T/body")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$BISIKD" audit verify --data "$SRV_DATA" > "$W/av.out" 2>&1
_rc=$?
result "the audit chain is intact after the rotation" \
    "$([ $_rc = 0 ] || snip "$W/av.out")"

# ---- --data-keys: every case under a new data key, killed midway ----------------

serve || die "serve" "the server did not start"
T1=$(head -n 1 "$W/tokens" | cut -d' ' -f1)
printf 'Bukti kuitansi pungutan, nomor 4471.\n' > "$W/bukti.txt"
api POST /api/v1/followup/attachments -H "Authorization: Bearer $T1" \
    -F "file=@$W/bukti.txt;filename=kuitansi-4471.txt"
_d="$ST"
api_json POST /api/v1/followup/messages '{"body":"Pesan kedua untuk petugas tentang kuitansi."}' \
    -H "Authorization: Bearer $T1"
_d="$_d $ST"
submit_report '{"kind":"complaint","title":"Dengan identitas","body":"Laporan yang membawa identitas tersegel.","identity":{"name":"Sukarno Identitas"}}'
_d="$_d $ST"
IT=$TOKEN
result "a case with an attachment and a message, one with an identity" \
    "$([ "$_d" = "201 201 201" ] || echo "$_d $(snip "$T/body")")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
mdb_dump -s content "$SRV_DATA" > "$W/content0.dump" 2>/dev/null
mdb_dump -s attachments "$SRV_DATA" > "$W/att0.dump" 2>/dev/null

"$BISIKD" rekey --data "$SRV_DATA" --data-keys --batch 5 --max-rate $((N / 2)) \
    > "$W/dk1.out" 2> "$W/dk1.err" &
RK=$!
ALL_PIDS="$ALL_PIDS $RK"
_i=0
_done=0
while [ $_i -lt $((200 * SLOW)) ]; do
	_done=$(grep -o '\] [0-9]*/' "$W/dk1.err" | tail -n 1 | tr -dc 0-9)
	[ -n "$_done" ] && [ "$_done" -ge 40 ] && break
	sleep 0.05
	_i=$((_i + 1))
done
kill -KILL $RK 2>/dev/null
wait $RK 2>/dev/null
NC=$((N + 1))
result "rekey --data-keys shows progress and is killed midway" \
    "$([ -n "$_done" ] && [ "$_done" -ge 40 ] && [ "$_done" -lt "$NC" ] &&
    grep -q "every case's data key" "$W/dk1.err" || echo "done=$_done $(snip "$W/dk1.err" 400)")"
timeout $((120 * SLOW)) "$BISIKD" rekey --data "$SRV_DATA" > "$W/dk2.out" 2> "$W/dk2.err"
_rc=$?
result "a second run (without the flag) resumes the data-key rotation and finishes" \
    "$([ $_rc = 0 ] && grep -q 'resuming' "$W/dk2.err" && grep -q "every case's data key" "$W/dk2.err" &&
    grep -q "$NC/$NC cases" "$W/dk2.err" && grep -q 'bisikd compact' "$W/dk2.err" ||
    echo "rc $_rc $(snip "$W/dk2.err" 400)")"
mdb_dump -s content "$SRV_DATA" > "$W/content1.dump" 2>/dev/null
mdb_dump -s attachments "$SRV_DATA" > "$W/att1.dump" 2>/dev/null
# No sealed value is the same as before: each was opened and sealed anew.
_same=$(grep '^ ' "$W/content0.dump" | awk 'NR % 2 == 0' | grep -c -x -F -f - "$W/content1.dump")
_asame=$(grep '^ ' "$W/att0.dump" | awk 'NR % 2 == 0' | grep -c -x -F -f - "$W/att1.dump")
result "every content and attachment record was re-encrypted" \
    "$([ "$_same" = 0 ] && [ "$_asame" = 0 ] || echo "$_same content, $_asame attachment values unchanged")"
"$BISIKD" compact --data "$SRV_DATA" > "$W/compact.out" 2>&1 ||
    notok "compact" "$(snip "$W/compact.out")"
serve || die "serve" "the server did not start after the data-key rotation"
_bad=$(all_open)
result "all $N cases still open for their reporters" "$([ "$_bad" -eq 0 ] || echo "$_bad failed")"
followup "$T1"
result "the message is still there" \
    "$(jqt '[.messages[]?.body, .timeline[]?.text] | map(select(. != null)) | any(test("Pesan kedua"))' ||
    snip "$T/body" 400)"
api GET /api/v1/followup/attachments/1 -H "Authorization: Bearer $T1"
result "the attachment still downloads, byte for byte" \
    "$([ "$ST" = 200 ] && cmp -s "$T/body" "$W/bukti.txt" || echo "HTTP $ST")"
followup "$IT"
result "the case with an identity still opens" "$([ "$ST" = 200 ] || echo "HTTP $ST")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$BISIKD" audit verify --data "$SRV_DATA" > "$W/av2.out" 2>&1
result "the audit chain is intact after the data-key rotation" \
    "$([ $? = 0 ] || snip "$W/av2.out")"
finish
