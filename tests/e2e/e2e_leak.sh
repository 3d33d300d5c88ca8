#!/bin/sh
# e2e_leak.sh: nothing a reporter sends may be found in plain in the data
# directory or in the server's log (docs/design.md, "Abuse without tracking":
# no client addresses, user agents, tokens, identities or report text).
# Reports carry distinctive markers in every field and in the headers; after
# a clean stop every file of the data dir (data.mdb, lock.mdb, keys/) and the
# log are searched for each marker and for each token in its display,
# canonical, lower-case, base64 and hex forms. One line per marker.
. "$(dirname "$0")/lib.sh"
need_binaries

start_server --escrow || die "start server" "cannot start bisikd"

UA=UAMARK-5d1e
XFF=203.0.113.77
XRI=198.51.100.23

# Everything is sent with these headers.
H1="User-Agent: Mozilla/5.0 $UA"
H2="X-Forwarded-For: $XFF"
H3="X-Real-IP: $XRI"
H4="Forwarded: for=$XFF;proto=https"

MARKERS="Zyxwvut Leakname|leak.marker@example.test|+62 812 9999 1234|3171234567890123|Jl. Leakmarkerstraat 77|TITLEMARK-7f3a|BODYMARK-91c2|LOCMARK-c0de|MSGMARK-4e4e|$UA|$XFF|$XRI|QUERYMARK-3b7e|PATHMARK-88aa|SEALNAME-Qwertz|seal.marker@example.test|SEALNIK9876543210"
TOKENS=""

REQ=$(jq -cn '{kind:"complaint",title:"Pungli TITLEMARK-7f3a di kantor",
    body:"Saya dimintai uang BODYMARK-91c2 oleh petugas loket.",
    location:"Gedung LOCMARK-c0de lantai 2",
    identity:{name:"Zyxwvut Leakname",email:"leak.marker@example.test",
      phone:"+62 812 9999 1234",nik:"3171234567890123",address:"Jl. Leakmarkerstraat 77"}}')
submit_report "$REQ" -H "$H1" -H "$H2" -H "$H3" -H "$H4"
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
result "report with identity and markers: 201" "$d"
T1=$TOKEN
TOKENS="$TOKENS $T1"

followup "$T1" -H "$H1" -H "$H2" -H "$H3"
d=""
[ "$ST" = 200 ] && jqt '.title | contains("TITLEMARK-7f3a")' || d="HTTP $ST $(snip "$T/body")"
result "follow-up with the token: 200" "$d"

api_json POST /api/v1/followup/messages '{"body":"Tambahan MSGMARK-4e4e: petugas yang sama."}' \
    -H "Authorization: Bearer $T1" -H "$H1" -H "$H2" -H "$H3"
result "message with a marker: 201" "$([ "$ST" = 201 ] || echo "HTTP $ST $(snip "$T/body")")"

api POST /api/v1/followup/rotate -H "Authorization: Bearer $T1" -H "$H1" -H "$H2" -H "$H3"
T2=$(jq -r '.token // empty' "$T/body" 2>/dev/null)
result "rotate: 200 with a new token" "$([ "$ST" = 200 ] && [ -n "$T2" ] || echo "HTTP $ST")"
TOKENS="$TOKENS $T2"
followup "$T2" -H "$H1" -H "$H2"
result "the new token follows the case" "$([ "$ST" = 200 ] || echo "HTTP $ST")"

# Failed and odd requests carrying markers must not be logged either.
api GET "/api/v1/health?q=QUERYMARK-3b7e" -H "$H1" -H "$H2"
api GET "/api/v1/PATHMARK-88aa" -H "$H1" -H "$H2"
api GET /api/v1/followup -H "Authorization: Bearer PATHMARK-88aa-QUERYMARK-3b7e" -H "$H1"
api_json POST /api/v1/reports '{"kind":"complaint","title":"TITLEMARK-7f3a","body":"pendek","oops":"BODYMARK-91c2"}' \
    -H "$H1" -H "$H2"

# An identity sealed by the client never reaches the server in plain.
C=$T/cli
mkdir -p "$C"
printf '%s\n' 'Laporan dengan identitas tersegel BODYMARK-91c2 dari klien.' > "$C/body.txt"
printf '%s\n' '{"name":"SEALNAME-Qwertz","email":"seal.marker@example.test","nik":"SEALNIK9876543210"}' > "$C/id.json"
"$BISIK" submit --server "$SRV_URL" --title "Laporan TITLEMARK-7f3a tersegel" \
    --body-file "$C/body.txt" --identity-file "$C/id.json" --token-out "$C/tok" \
    > "$C/out" 2> "$C/err"
rc=$?
T3=$(head -n 1 "$C/tok" 2>/dev/null)
result "bisik submit with a sealed identity: exit 0" "$([ $rc -eq 0 ] && [ -n "$T3" ] || echo "exit $rc $(snip "$C/err")")"
TOKENS="$TOKENS $T3"
"$BISIK" reply --server "$SRV_URL" --token-file "$C/tok" --message-file "$C/body.txt" > /dev/null 2>&1
"$BISIK" follow --server "$SRV_URL" --token-file "$C/tok" > /dev/null 2>&1

stop_server
result "server stops cleanly" "$SRV_STOP_WHY"

# ---- the scan ----------------------------------------------------------------------

SCAN="$SRV_DATA $SRV_LOG"
[ -f "$SRV_DATA/data.mdb" ] || notok "data.mdb exists" "no $SRV_DATA/data.mdb"

# found STRING: the files that hold STRING.
found() {
	grep -a -r -l -F -- "$1" $SCAN 2>/dev/null | sed "s#^$T/##" | tr '\n' ' '
}
# b64forms STRING: base64 of STRING at the three alignments, without the
# edge characters that depend on the bytes around it.
b64forms() {
	for pre in "" "x" "xy"; do
		printf '%s%s' "$pre" "$1" | base64 -w0 | awk -v p=${#pre} '{
		    s = (p == 0) ? 1 : (p == 1 ? 3 : 4)
		    n = length($0) - s - 4
		    if (n >= 8) print substr($0, s, n) }'
	done
}

# Control: the scan does find what is stored in plain (the agency name).
d=""
case $(found "Dinas Pekerjaan Umum") in
*data.mdb*) ;;
*) d="the scan did not find the agency name in data.mdb" ;;
esac
result "control: the scan finds plain stored text (agency name in data.mdb)" "$d"

OLDIFS=$IFS
IFS='|'
set -f
for m in $MARKERS; do
	IFS=$OLDIFS
	d=""
	w=$(found "$m")
	[ -n "$w" ] && d="plain in $w"
	h=$(printf '%s' "$m" | od -An -tx1 | tr -d ' \n')
	w=$(found "$h")
	[ -n "$w" ] && d="$d hex in $w"
	for b in $(b64forms "$m"); do
		w=$(found "$b")
		[ -n "$w" ] && d="$d base64 in $w"
	done
	result "marker '$m' is nowhere in the data dir or the log" "$d"
	IFS='|'
done
IFS=$OLDIFS
set +f

n=0
for tk in $TOKENS; do
	n=$((n + 1))
	canon=$(printf '%s' "$tk" | tr -d '-')
	lower=$(printf '%s' "$canon" | tr 'A-Z' 'a-z')
	d=""
	for f in "$tk" "$canon" "$lower" \
	    "$(printf '%s' "$tk" | tr 'A-Z' 'a-z')" \
	    "$(printf '%s' "$canon" | od -An -tx1 | tr -d ' \n')" \
	    "$(printf '%s' "$tk" | od -An -tx1 | tr -d ' \n')"; do
		w=$(found "$f")
		[ -n "$w" ] && d="$d '$f' in $w;"
	done
	for f in $(b64forms "$canon") $(b64forms "$tk"); do
		w=$(found "$f")
		[ -n "$w" ] && d="$d base64 '$f' in $w;"
	done
	# A run of 12 symbols of the token is enough to call it leaked.
	part=$(printf '%s' "$canon" | cut -c5-16)
	w=$(found "$part")
	[ -n "$w" ] && d="$d its symbols 5-16 in $w;"
	result "token $n (display, canonical, lower case, hex, base64) is nowhere" "$d"
done

# The log is there and says something (so the scan looked at a real log).
d=""
grep -q 'event=http' "$SRV_LOG" || d="no request lines in the log"
result "the scanned log holds the request lines" "$d"

finish
