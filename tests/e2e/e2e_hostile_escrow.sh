#!/bin/sh
# e2e_hostile_escrow.sh: the server's own operator as the attacker. Root
# on the server holds every server key, the disk and all traffic; it must
# not be able to open a reporter's identity without K central admins
# knowingly agreeing. Each attack is played against a real bisikd:
#
# (a) through a proxy that rewrites answers (hostile_proxy.py): the served
#     escrow file with holder 1's signing and box keys swapped for the
#     operator's (Y and commitments unchanged) and a request forged "from"
#     holder 1 with a blinding the operator knows (hostile_tool forge):
#     the honest approver's client refuses, uploading nothing; so do
#     request and deny; had the approver trusted the served file, their
#     client would have sent a partial (the control that shows the attack
#     is real). Approving without a terminal or --yes, or answering "no",
#     uploads nothing, and the request is shown first.
# (b) by editing a stopped server's data directory (hostile_tool get/put):
#     the installed escrow file swapped and a forged request stored; a
#     denied request set to approved; an approval copied from another
#     request. Each is refused, nothing uploaded or opened.
# (c) partials of denied requests are never served, and the approvals of
#     two denied requests (3-of-4) do not add up even when root copies
#     them into one; a replayed request (same id, or same body later) is
#     refused, so is one brought in after its expiry; a resharing voids
#     the retired holders' pending requests and a retired holder cannot
#     approve.
# (d) the honest path still works: 2-of-3 request, approve, reveal, all
#     through the same proxy.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_hostile_escrow.sh
. "$(dirname "$0")/lib.sh"

need_binaries
TOOL=$BUILD_DIR/tests/hostile_tool
[ -x "$TOOL" ] || die "tools" "$TOOL is missing (make unit)"
command -v python3 > /dev/null 2>&1 || die "tools" "python3 is missing"
command -v script > /dev/null 2>&1 || die "tools" "script is missing"

W=$T/h
mkdir -p "$W"
PASS=$W/pass
printf 'correct horse battery staple hostile\n' > "$PASS"
ID_NAME='Ratna Sumirat Penandaunik'
ID_NIK='3174019988001122'

key() {
	"$BISIK" keygen --out "$W/$1.key" --passphrase-file "$PASS" \
	    --kdf interactive > "$W/keygen.out" 2>&1 || die "keygen $1" "$(snip "$W/keygen.out")"
}
# user NAME ROLE [KEY]
user() {
	printf '%s password e2e\n' "$1" > "$W/$1.pw"
	"$BISIKD" user add --data "$SRV_DATA" --username "$1" --role "$2" \
	    --password-file "$W/$1.pw" > "$W/user.out" 2>&1 ||
	    die "user add $1" "$(snip "$W/user.out")"
	if [ $# -ge 3 ]; then
		"$BISIKD" user set-key --data "$SRV_DATA" --username "$1" \
		    --public-key "$W/$3.key.pub" > "$W/user.out" 2>&1 ||
		    die "user set-key $1" "$(snip "$W/user.out")"
	fi
}
session() {
	api_json POST /api/v1/auth/login \
	    "$(jq -nc --arg u "$1" --arg p "$1 password e2e" \
	    '{username:$u,password:$p}')"
	jq -r '.session // empty' "$T/body"
}
# sign FILE KEY [ARGS...]
sign() {
	_f=$1 _k=$2
	shift 2
	"$BISIK" escrow sign --escrow "$_f" --key "$W/$_k.key" \
	    --passphrase-file "$PASS" "$@" > "$W/sign.out" 2>&1 ||
	    die "escrow sign $_k" "$(snip "$W/sign.out")"
}
# dis SUB NAME KEY PIN [ARGS...]: bisik disclose SUB as NAME with KEY and
# the pinned escrow file PIN, to $VIA (the proxy, or the server); rc in RC.
VIA=""
dis() {
	_sub=$1 _n=$2 _k=$3 _pin=$4
	shift 4
	# deny takes no key: a refusal opens nothing
	if [ "$_sub" = deny ]; then
		set -- --username "$_n" "$@"
	else
		set -- --key "$W/$_k.key" --passphrase-file "$PASS" \
		    --username "$_n" "$@"
	fi
	timeout -k 2 $((60 * SLOW)) "$BISIK" disclose "$_sub" --escrow "$_pin" \
	    --password-file "$W/$_n.pw" --server "${VIA:-$SRV_URL}" "$@" \
	    > "$W/dis.out" 2> "$W/dis.err" < /dev/null
	RC=$?
}
# uploads REGEX: how many POSTs to a path matching REGEX the proxy saw.
uploads() {
	jq -s --arg r "$1" '[.[] | select(.method == "POST" and
	    (.path | test($r)))] | length' "$W/proxy.log" 2>/dev/null || echo 0
}
rules() { printf '%s\n' "$1" > "$W/rules.json"; }
# opened: the identity appears in the last client output.
opened() { grep -q -F -e "$ID_NIK" -e Penandaunik "$W/dis.out" "$W/dis.err"; }
report() {
	submit_report "$(jq -nc --arg n "$ID_NAME" --arg k "$ID_NIK" '{
	    kind:"complaint", title:"Pungutan liar di puskesmas",
	    body:"Petugas meminta uang untuk setiap surat rujukan pasien.",
	    identity:{name:$n, nik:$k}}')"
	[ "$ST" = 201 ] || die "submit" "status $ST $(snip "$T/body")"
}
# approvals ID: how many approvals the server records (as the auditor).
approvals() {
	api GET "/api/v1/disclosures/$1" -H "Authorization: Bearer $(session dave)"
	jq -r '.approvals_count // "?"' "$T/body"
}
# restart [CONFIG]: stop the server, serve the same data dir again and
# put the proxy in front of it.
restart() {
	stop_server || notok "server stops" "$SRV_STOP_WHY"
	serve "${1:-$DEFAULT_CONFIG}" || die "serve" "the server did not restart"
	set_upstream
}

# ---- setup: a 2-of-3 escrow signed by its holders, and the operator's key --------

for k in a b c d m; do key $k; done
"$BISIK" escrow ceremony --threshold 2 --admin "$W/a.key.pub" \
    --admin "$W/b.key.pub" --admin "$W/c.key.pub" --out-dir "$W/esc1" \
    > "$W/cer.out" 2>&1 || die "ceremony" "$(snip "$W/cer.out")"
for k in a b c; do sign "$W/esc1/escrow.pub" $k; done
for k in a b c; do cp "$W/esc1/escrow.pub" "$W/pin-$k.pub"; done
new_data || die "setup" "cannot make a data dir"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$W/esc1/escrow.pub" \
    > "$W/set.out" 2>&1 || die "escrow set" "$(snip "$W/set.out")"
user alice central_admin a
user bob central_admin b
user carol central_admin c
user dave auditor
serve '{"pow_difficulty":0}' || die "serve" "the server did not start"
report
CASE1=$CASE

# The proxy in front of the server: what every client talks to.
rules '{}'
: > "$W/proxy.log"
PROXY_PID=""
set_upstream() {
	# The proxy forwards to the URL it was started with; a restarted
	# server gets a new port, so the proxy is started again.
	if [ -n "${PROXY_PID:-}" ] && is_ours "$PROXY_PID"; then
		kill -TERM "$PROXY_PID"
		wait "$PROXY_PID" 2>/dev/null
	fi
	rm -f "$W/proxy.port"
	python3 "$E2E_DIR/hostile_proxy.py" "$W/proxy.port" "$W/rules.json" \
	    "$W/proxy.log" "$SRV_URL" 2> "$W/proxy.err" &
	PROXY_PID=$!
	ALL_PIDS="$ALL_PIDS $PROXY_PID"
	_i=0
	while [ ! -s "$W/proxy.port" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$W/proxy.port" ] || die "proxy" "$(snip "$W/proxy.err")"
	VIA=http://127.0.0.1:$(cat "$W/proxy.port")
}
set_upstream

# ---- (d) control: the honest path through the proxy -----------------------------

dis request alice a "$W/pin-a.pub" --case "$CASE1" \
    --reason "Saksi kunci penyidikan" --legal-basis "UU 31/1999 Pasal 26"
REQ1=$(tail -n 1 "$W/dis.out")
_r=$RC
dis approve bob b "$W/pin-b.pub" --request "$REQ1" --yes
_a=$RC
dis reveal alice a "$W/pin-a.pub" --request "$REQ1"
result "(d) control: 2-of-3 request, approve and reveal through the proxy open the identity" \
    "$([ $_r = 0 ] && [ $_a = 0 ] && [ $RC = 0 ] && jq -e --arg k "$ID_NIK" \
    '.nik == $k' "$W/dis.out" > /dev/null 2>&1 || echo "$_r $_a $RC $(snip "$W/dis.err")")"

# ---- (a) the served escrow file rewritten -----------------------------------------------

ALICE=$(session alice)
api GET "/api/v1/cases/$CASE1/disclosures" -H "Authorization: Bearer $ALICE"
cp "$T/body" "$W/prep.json"
mkdir -p "$W/forge"
FID=$("$TOOL" forge "$W/prep.json" "$W/m.key" "$PASS" 1 alice "$W/forge" 2> "$W/forge.err")
[ -n "$FID" ] || die "forge" "$(snip "$W/forge.err")"
result "(a) the operator's swapped file agrees with itself: same public key and fingerprint" \
    "$([ "$("$BISIK" escrow fingerprint "$W/forge/escrow.pub" 2>&1)" = \
    "$("$BISIK" escrow fingerprint "$W/pin-b.pub")" ] &&
    [ "$(jq -r .holders[0].sign_key "$W/forge/escrow.pub")" != \
    "$(jq -r .holders[0].sign_key "$W/pin-b.pub")" ] || echo "$(snip "$W/forge/escrow.pub")")"
rules "$(jq -nc --slurpfile e "$W/forge/escrow.pub" --slurpfile v "$W/forge/view.json" \
    --arg p "/api/v1/disclosures/$FID" '{escrow: $e[0], fake: {($p): $v[0]}}')"
: > "$W/proxy.log"
dis approve bob b "$W/pin-b.pub" --request "$FID" --yes
result "(a) a forged request from holder 1 with the served file's keys swapped: bob's client refuses, naming holder 1's signing key" \
    "$([ $RC = 1 ] && grep -q "holder 1's signing key" "$W/dis.err" || echo "rc $RC $(snip "$W/dis.err")")"
result "(a) ... and uploads nothing" "$([ "$(uploads /approve)" = 0 ] || echo "$(uploads /approve) uploads")"
# The control: trusting the served file is exactly the attack.
dis approve bob b "$W/forge/escrow.pub" --request "$FID" --yes
result "(a) control: a client that trusted the served file would have computed and sent a partial for the operator's request" \
    "$([ "$(uploads "/disclosures/$FID/approve")" = 1 ] || echo "rc $RC $(snip "$W/dis.err") uploads $(uploads /approve)")"
: > "$W/proxy.log"
dis request alice a "$W/pin-a.pub" --case "$CASE1" --reason "Uji" --legal-basis "Uji"
result "(a) request with the served file swapped: refused, nothing uploaded" \
    "$([ $RC = 1 ] && grep -q 'differs from your pinned' "$W/dis.err" &&
    [ "$(uploads /disclosures)" = 0 ] || echo "rc $RC $(snip "$W/dis.err")")"
timeout 30 "$BISIK" disclose deny --request "$REQ1" --reason "Uji" \
    --escrow "$W/pin-c.pub" --username carol --password-file "$W/carol.pw" \
    --server "$VIA" > "$W/deny.out" 2> "$W/deny.err" < /dev/null
_d=$?
dis reveal alice a "$W/pin-a.pub" --request "$REQ1"
result "(a) deny and reveal with the served file swapped: refused, nothing uploaded or opened" \
    "$([ $_d = 1 ] && [ $RC = 1 ] && [ "$(uploads /deny)" = 0 ] && ! opened ||
    echo "$_d $RC $(snip "$W/deny.err")")"

# Finding 6: the approver sees first, and nothing leaves without a yes.
rules '{}'
dis request alice a "$W/pin-a.pub" --case "$CASE1" --reason "Saksi tambahan" \
    --legal-basis "PP 43/2018"
REQ2=$(tail -n 1 "$W/dis.out")
: > "$W/proxy.log"
setsid -w timeout -k 2 $((60 * SLOW)) "$BISIK" disclose approve --request "$REQ2" \
    --escrow "$W/pin-b.pub" --key "$W/b.key" --passphrase-file "$PASS" \
    --username bob --password-file "$W/bob.pw" --server "$VIA" \
    > "$W/nt.out" 2> "$W/nt.err" < /dev/null
_n=$?
result "(6) approve without a terminal and without --yes: refused after showing the request, nothing uploaded" \
    "$([ $_n = 1 ] && grep -q 'confirmation on a terminal' "$W/nt.err" &&
    grep -q 'Saksi tambahan' "$W/nt.out" && [ "$(uploads /approve)" = 0 ] ||
    echo "rc $_n $(snip "$W/nt.err") $(snip "$W/nt.out")")"
printf 'no\n' | timeout -k 2 $((60 * SLOW)) script -qec "'$BISIK' disclose approve \
    --request $REQ2 --escrow '$W/pin-b.pub' --key '$W/b.key' \
    --passphrase-file '$PASS' --username bob --password-file '$W/bob.pw' \
    --server $VIA" /dev/null > "$W/tty.out" 2>&1
result "(6) on a terminal: case, reason, legal basis, requester account and key fingerprint and expiry shown before the question" \
    "$(awk '/Type yes/ { exit } { print }' "$W/tty.out" | tr -d '\r' > "$W/tty.before"
    grep -q "$CASE1" "$W/tty.before" && grep -q 'Saksi tambahan' "$W/tty.before" &&
    grep -q 'PP 43/2018' "$W/tty.before" && grep -q 'requester: *alice' "$W/tty.before" &&
    grep -q 'key fingerprint [0-9a-f]' "$W/tty.before" && grep -Eq 'expires: *20[0-9-]{8} [0-9:]{5} WIB' "$W/tty.before" ||
    snip "$W/tty.out" 600)"
result "(6) ... answering no uploads nothing" \
    "$([ "$(uploads /approve)" = 0 ] && grep -q 'nothing was sent' "$W/tty.out" &&
    [ "$(approvals "$REQ2")" = 0 ] || echo "$(uploads /approve) $(snip "$W/tty.out")")"

# ---- (c) replays and expiry -----------------------------------------------------------

# A real request shown with another reason: the requester's signature
# does not cover what the approver would be shown.
api GET "/api/v1/disclosures/$REQ2" -H "Authorization: Bearer $(session bob)"
jq '.reason = "Permintaan kepolisian yang mendesak"' "$T/body" > "$W/rereason.json"
rules "$(jq -nc --slurpfile v "$W/rereason.json" --arg p "/api/v1/disclosures/$REQ2" \
    '{fake: {($p): $v[0]}}')"
: > "$W/proxy.log"
dis approve bob b "$W/pin-b.pub" --request "$REQ2" --yes
result "(a) a real request shown with another reason: bob's client refuses, nothing uploaded" \
    "$([ $RC = 1 ] && grep -q 'not as shown' "$W/dis.err" && [ "$(uploads /approve)" = 0 ] ||
    echo "rc $RC $(snip "$W/dis.err")")"
rules '{}'

# One open request per admin and case: REQ2 is settled first.
dis deny carol c "$W/pin-c.pub" --request "$REQ2" --reason "Tidak cukup dasar"
ALICE=$(session alice)

# A request held back by the operator and played later: the proxy keeps
# it from the server, the test plays it (once fresh, then again).
rules '{"swallow": ["/cases/.*/disclosures$"]}'
: > "$W/proxy.log"
dis request alice a "$W/pin-a.pub" --case "$CASE1" --reason "Ditahan operator" \
    --legal-basis "UU 14/2008"
# posted: the body of the first POST of a disclosure request the proxy saw.
posted() {
	jq -s -r '[.[] | select(.method == "POST" and
	    (.path | test("/cases/.*/disclosures$")))][0].body // empty' \
	    "$W/proxy.log"
}
posted > "$W/held.json"
rules '{}'
api_json POST "/api/v1/cases/$CASE1/disclosures" "$(cat "$W/held.json")" \
    -H "Authorization: Bearer $ALICE"
_first=$ST
HELD=$(jq -r .request "$W/held.json")
api_json POST "/api/v1/cases/$CASE1/disclosures" "$(cat "$W/held.json")" \
    -H "Authorization: Bearer $ALICE"
result "(c) a signed request played twice: the first is stored, the replay is 409" \
    "$([ "$_first" = 201 ] && [ "$ST" = 409 ] && jqt '.error.code == "replayed"' ||
    echo "$_first $ST $(snip "$T/body")")"
api_json POST "/api/v1/cases/$CASE1/disclosures" \
    "$(jq -c '.request = "0123456789abcdef"' "$W/held.json")" \
    -H "Authorization: Bearer $ALICE"
_id=$ST
jqt '.error.code == "replayed"' || _id="$_id $(snip "$T/body")"
api_json POST "/api/v1/cases/$CASE1/disclosures" \
    "$(jq -c '.request = "0123456789abcdee" | .nonce = "AAECAwQFBgcICQoLDA0ODw=="' \
    "$W/held.json")" -H "Authorization: Bearer $ALICE"
_sig=$ST
jqt '.error.fields.blind_proof or .error.fields.signature' ||
    _sig="$_sig $(snip "$T/body")"
api_json POST "/api/v1/cases/$CASE1/disclosures" \
    "$(jq -c --arg c "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)" \
    '.request = "0123456789abcded" | .created_at = $c' "$W/held.json")" \
    -H "Authorization: Bearer $ALICE"
result "(c) replayed under a new id: its nonce is refused (409); with a new nonce too its proof no longer verifies (422); with an old creation time 422" \
    "$([ "$_id" = 409 ] && [ "$_sig" = 422 ] && [ "$ST" = 422 ] &&
    jqt '.error.fields.created_at' || echo "$_id / $_sig / $ST $(snip "$T/body")")"
dis deny carol c "$W/pin-c.pub" --request "$HELD" --reason "Ditolak"

# Expiry: a short time to live, and a request the operator holds back
# until it has expired.
restart '{"pow_difficulty":0,"disclosure_ttl_hours":0.0006}'
rules '{"swallow": ["/cases/.*/disclosures$"]}'
: > "$W/proxy.log"
dis request alice a "$W/pin-a.pub" --case "$CASE1" --reason "Kedaluwarsa" \
    --legal-basis "Uji"
posted > "$W/late.json"
sleep 3
ALICE=$(session alice)
api_json POST "/api/v1/cases/$CASE1/disclosures" "$(cat "$W/late.json")" \
    -H "Authorization: Bearer $ALICE"
result "(c) a request brought in after its signed expiry is refused (409 expired)" \
    "$([ -s "$W/late.json" ] && [ "$ST" = 409 ] && jqt '.error.code == "expired"' ||
    echo "$ST $(snip "$T/body")")"
rules '{}'
restart

# ---- (b) the stopped server's data directory edited ---------------------------------

dis request alice a "$W/pin-a.pub" --case "$CASE1" --reason "Dibatalkan" \
    --legal-basis "Uji"
REQ3=$(tail -n 1 "$W/dis.out")
dis deny carol c "$W/pin-c.pub" --request "$REQ3" --reason "Tidak"
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$TOOL" get "$SRV_DATA" meta escrow.gen.1 > "$W/gen1.orig" 2> "$W/tool.err" ||
    die "tool get" "$(snip "$W/tool.err")"
"$TOOL" put "$SRV_DATA" meta escrow.gen.1 "$W/forge/escrow.pub" 2> "$W/tool.err" &&
    "$TOOL" put "$SRV_DATA" disclosures "$FID" "$W/forge/record.json" 2>> "$W/tool.err" ||
    die "tool put" "$(snip "$W/tool.err")"
serve '{"pow_difficulty":0}' || die "serve" "the server did not restart"
VIA=""
dis approve bob b "$W/pin-b.pub" --request "$FID" --yes
_b=$RC
grep -q "holder 1's signing key" "$W/dis.err" || _b="$_b $(snip "$W/dis.err")"
result "(b) installed escrow file swapped on disk and a forged request stored: bob's client refuses, naming holder 1's signing key" \
    "$([ "$_b" = 1 ] || echo "$_b")"
result "(b) ... and nothing was uploaded: the forged request holds no approval" \
    "$([ "$(approvals "$FID")" = 0 ] || snip "$T/body")"
dis reveal alice a "$W/pin-a.pub" --request "$REQ1"
result "(b) ... even the approved request's reveal refuses the edited file, opening nothing" \
    "$([ $RC = 1 ] && ! opened || echo "rc $RC")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
jq '.state = "denied"' "$W/forge/record.json" > "$W/forge/denied.json"
"$TOOL" put "$SRV_DATA" meta escrow.gen.1 "$W/gen1.orig" 2> "$W/tool.err" &&
    "$TOOL" put "$SRV_DATA" disclosures "$FID" "$W/forge/denied.json" \
    2>> "$W/tool.err" || die "tool put" "$(snip "$W/tool.err")"
# A denied request set to approved, with and then without bob's approval
# of REQ1 copied into it.
"$TOOL" get "$SRV_DATA" disclosures "$REQ3" > "$W/req3.json" &&
    "$TOOL" get "$SRV_DATA" disclosures "$REQ1" > "$W/req1.json" ||
    die "tool get" "requests"
jq '.state = "approved" | .denial = null' "$W/req3.json" > "$W/req3a.json"
"$TOOL" put "$SRV_DATA" disclosures "$REQ3" "$W/req3a.json" ||
    die "tool put" "req3"
serve '{"pow_difficulty":0}' || die "serve" "the server did not restart"
dis reveal alice a "$W/pin-a.pub" --request "$REQ3"
result "(b) a denied request set to approved on disk: reveal finds too few approvals, opens nothing" \
    "$([ $RC = 1 ] && grep -q 'only 1 of the 2' "$W/dis.err" && ! opened ||
    echo "rc $RC $(snip "$W/dis.err")")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
jq --slurpfile o "$W/req1.json" '.approvals = $o[0].approvals' "$W/req3a.json" > "$W/req3b.json"
"$TOOL" put "$SRV_DATA" disclosures "$REQ3" "$W/req3b.json" ||
    die "tool put" "req3b"
serve '{"pow_difficulty":0}' || die "serve" "the server did not restart"
dis reveal alice a "$W/pin-a.pub" --request "$REQ3"
result "(b) bob's approval of another request copied in on disk: refused as not for this request, nothing opened" \
    "$([ $RC = 1 ] && grep -q "holder 2's approval does not verify for this request" "$W/dis.err" &&
    ! opened || echo "rc $RC $(snip "$W/dis.err")")"

# ---- (c) a resharing retires holders and voids their pending requests ----------------------

dis request alice a "$W/pin-a.pub" --case "$CASE1" --reason "Sebelum pergantian" \
    --legal-basis "UU 31/1999"
REQ4=$(tail -n 1 "$W/dis.out")
for k in a b; do
	i=$( [ $k = a ] && echo 1 || echo 2)
	"$BISIK" escrow reshare deal --escrow "$W/pin-$k.pub" --key "$W/$k.key" \
	    --passphrase-file "$PASS" --dealers 1,2 --new-threshold 2 \
	    --new-admin "$W/b.key.pub" --new-admin "$W/d.key.pub" \
	    --out "$W/deal$i.json" > "$W/rs.out" 2>&1 || die "deal $k" "$(snip "$W/rs.out")"
done
"$BISIK" escrow reshare combine --escrow "$W/pin-c.pub" --deal "$W/deal1.json" \
    --deal "$W/deal2.json" --out-dir "$W/esc2" > "$W/rs.out" 2>&1 ||
    die "combine" "$(snip "$W/rs.out")"
sign "$W/esc2/escrow.pub" b --previous "$W/pin-b.pub"
sign "$W/esc2/escrow.pub" d --previous "$W/pin-b.pub"
cp "$W/esc2/escrow.pub" "$W/pin2.pub"
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$W/esc2/escrow.pub" \
    > "$W/set2.out" 2>&1
result "(c) installing the resharing to {bob, dan} voids the one pending request" \
    "$([ $? = 0 ] && grep -q '1 pending disclosure request of the retired holders was voided' "$W/set2.out" ||
    snip "$W/set2.out")"
user dan central_admin d
serve '{"pow_difficulty":0}' || die "serve" "the server did not restart"
api GET "/api/v1/disclosures/$REQ4" -H "Authorization: Bearer $(session dave)"
_s=$(jq -r .state "$T/body")
dis approve carol c "$W/pin-c.pub" --request "$REQ4" --yes
_c=$RC
api_json POST "/api/v1/disclosures/$REQ4/approve" \
    "$(jq -nc '{index:3, partial:"4M5i3dhy0ZNn/a2mLmjbwTjK4/U4Z5HS3RWE5+9tuAA=",
    proof:("A" * 86 + "=="), signature:("A" * 86 + "==")}')" \
    -H "Authorization: Bearer $(session carol)"
result "(c) the voided request reads voided; the retired holder's approval is refused by client and server (409)" \
    "$([ "$_s" = voided ] && [ $_c = 1 ] && [ "$ST" = 409 ] || echo "$_s $_c $ST $(snip "$T/body")")"
dis request dan d "$W/pin2.pub" --case "$CASE1" --reason "Setelah pergantian" \
    --legal-basis "UU 31/1999"
REQ5=$(tail -n 1 "$W/dis.out")
_r=$RC
dis approve carol c "$W/pin-c.pub" --request "$REQ5" --yes
_c=$RC
api_json POST "/api/v1/disclosures/$REQ5/approve" \
    "$(jq -nc '{index:2, partial:"4M5i3dhy0ZNn/a2mLmjbwTjK4/U4Z5HS3RWE5+9tuAA=",
    proof:("A" * 86 + "=="), signature:("A" * 86 + "==")}')" \
    -H "Authorization: Bearer $(session carol)"
result "(c) a retired holder cannot approve a new generation's request: client refuses its pin, server 403 not_holder" \
    "$([ $_r = 0 ] && [ $_c = 1 ] && grep -q 'differs from your pinned' "$W/dis.err" &&
    [ "$ST" = 403 ] && jqt '.error.code == "not_holder"' || echo "$_r $_c $ST $(snip "$T/body")")"
dis approve bob b "$W/pin2.pub" --request "$REQ5" --yes
_b=$RC
dis reveal dan d "$W/pin2.pub" --request "$REQ5"
result "(d) control: after the resharing, the new holders open the identity" \
    "$([ $_b = 0 ] && [ $RC = 0 ] && opened || echo "$_b $RC $(snip "$W/dis.err")")"
stop_server || notok "server stops" "$SRV_STOP_WHY"

# ---- (c) 3-of-4: partials of denied requests never served, never added up -------------

"$BISIK" escrow ceremony --threshold 3 --admin "$W/a.key.pub" \
    --admin "$W/b.key.pub" --admin "$W/c.key.pub" --admin "$W/d.key.pub" \
    --out-dir "$W/esc3" > "$W/cer.out" 2>&1 || die "ceremony 3-of-4" "$(snip "$W/cer.out")"
for k in a b c d; do sign "$W/esc3/escrow.pub" $k; done
P3=$W/esc3/escrow.pub
new_data || die "setup" "cannot make a second data dir"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$P3" > "$W/set3.out" 2>&1 ||
    die "escrow set 3-of-4" "$(snip "$W/set3.out")"
user alice central_admin a
user bob central_admin b
user carol central_admin c
user dan central_admin d
user dave auditor
serve '{"pow_difficulty":0}' || die "serve" "the second server did not start"
report
CASE2=$CASE
dis request alice a "$P3" --case "$CASE2" --reason "Pertama" --legal-basis "Uji"
R1=$(tail -n 1 "$W/dis.out")
dis approve bob b "$P3" --request "$R1" --yes
api GET "/api/v1/disclosures/$R1" -H "Authorization: Bearer $(session alice)"
result "(c) a pending request holding 1 of its 2 approvals: the requester is served no partial" \
    "$(jqt '.state == "pending" and (.approvals | length) == 1 and
    ([.approvals[] | has("partial")] | any | not)' || snip "$T/body")"
dis deny dan d "$P3" --request "$R1" --reason "Tidak"
dis request alice a "$P3" --case "$CASE2" --reason "Kedua" --legal-basis "Uji"
R2=$(tail -n 1 "$W/dis.out")
dis approve carol c "$P3" --request "$R2" --yes
_c=$RC
dis deny dan d "$P3" --request "$R2" --reason "Tidak"
ALICE=$(session alice)
api GET "/api/v1/disclosures/$R1" -H "Authorization: Bearer $ALICE"
_1=$(jq -c '[.state, (.approvals | length), ([.approvals[] | has("partial")] | any)]' "$T/body")
api GET "/api/v1/disclosures/$R2" -H "Authorization: Bearer $ALICE"
_2=$(jq -c '[.state, (.approvals | length), ([.approvals[] | has("partial")] | any)]' "$T/body")
result "(c) two denied requests, one approval each: the requester is served no partial of either" \
    "$([ $_c = 0 ] && [ "$_1" = '["denied",1,false]' ] && [ "$_2" = '["denied",1,false]' ] ||
    echo "$_c $_1 $_2")"
dis reveal alice a "$P3" --request "$R1"
result "(c) ... and reveal of a denied request opens nothing" \
    "$([ $RC = 1 ] && grep -q 'not approved' "$W/dis.err" && ! opened || echo "rc $RC")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$TOOL" get "$SRV_DATA" disclosures "$R1" > "$W/r1.json" &&
    "$TOOL" get "$SRV_DATA" disclosures "$R2" > "$W/r2.json" || die "tool get" "r1 r2"
jq --slurpfile o "$W/r2.json" '.state = "approved" | .denial = null |
    .approvals += $o[0].approvals' "$W/r1.json" > "$W/r1x.json"
"$TOOL" put "$SRV_DATA" disclosures "$R1" "$W/r1x.json" || die "tool put" "r1x"
serve '{"pow_difficulty":0}' || die "serve" "the second server did not restart"
dis reveal alice a "$P3" --request "$R1"
result "(c) root adds the second denied request's approval to the first and marks it approved: the two do not add up, nothing opened" \
    "$([ $RC = 1 ] && grep -q "holder 3's approval does not verify for this request" "$W/dis.err" &&
    grep -q 'only 2 of the 3' "$W/dis.err" && ! opened || echo "rc $RC $(snip "$W/dis.err")")"

stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
finish
