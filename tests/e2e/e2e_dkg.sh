#!/bin/sh
# e2e_dkg.sh: the dealerless escrow key ceremony (docs/dkg.md) end to end
# through a real bisikd and the real `bisik escrow dkg` client, five
# holders with key files made by `bisik keygen` (at the interactive KDF
# level: the steps unlock a key some forty times), each step run as that
# holder would run it on their own machine:
#   - `bisik escrow ceremony` says it is the weaker form;
#   - a non-central-admin gets 403, anyone unsigned 401;
#   - a 3-of-5 ceremony in which holder 5 deals wrong sub-shares to
#     holders 1-3 (made by tests/e2e/dkg_tool.c with holder 5's real key):
#     their `check` complains, three complaints (more than k-1) put
#     dealer 5 out at the close of the complain phase; holder 4 complains
#     of dealer 1 without reason and dealer 1's `check` answers in the
#     open (holder 4's share then uses the answered pair); the four others
#     prove their parts and the ceremony finishes with every holder's
#     signature; garbage is refused 422 with the reason, a replay 409;
#     the result installs with `bisikd escrow set`;
#   - a relay that alters a relayed message, or hides one holder's deal
#     from another, through hostile_proxy.py: the holder's client refuses
#     the record and posts nothing, or its complaint is refused as made on
#     another history; a sign-in answered 503 busy is tried 10 times;
#   - the dealer's state file read at CLIENT_DKG_STATE_MAX bytes, refused
#     one byte past;
#   - a report with an identity, opened by a disclosure with 3 holders;
#   - a resharing of that key to 2-of-3, installed, which opens it again;
#   - a 2-of-3 ceremony in which two dealers cheat: fewer than k dealers
#     qualify, the ceremony fails, holder 1's client says so and wipes
#     its state file;
#   - a ceremony left unfinished past its expiry (a server restarted with
#     one-second phases): the server refuses it and shows nothing of it,
#     the holder's client refuses it;
#   - eight ceremonies open at once are taken, a ninth refused.
# No step waits for a deadline but the last: a phase closes as soon as
# nobody is due in it, and the phases last DKG_PHASE seconds (120 by
# default, so that a loaded machine never misses one).
#
#   BISIK_BUILD=build sh tests/e2e/e2e_dkg.sh
. "$(dirname "$0")/lib.sh"

need_binaries
TOOL=$BUILD_DIR/tests/dkg_tool
[ -x "$TOOL" ] || die "tools" "$TOOL is missing (make unit)"

W=$T/dkg
mkdir -p "$W"
PASS=$W/pass
printf 'correct horse battery staple e2e\n' > "$PASS"
PHASE=${DKG_PHASE:-$((120 * SLOW))}
HOLDERS="hd1 hd2 hd3 hd4 hd5"

ID_NAME='Wiranto Dealerless'
ID_NIK='3174012233445566'

# user NAME ROLE [AGENCY]: a staff account, password "<name> password e2e".
user() {
	printf '%s password e2e\n' "$1" > "$W/$1.pw"
	"$BISIKD" user add --data "$SRV_DATA" --username "$1" --role "$2" \
	    ${3:+--agency "$3"} --password-file "$W/$1.pw" > "$W/user.out" 2>&1 ||
	    die "user add $1" "$(snip "$W/user.out")"
}
session() {
	api_json POST /api/v1/auth/login \
	    "$(jq -nc --arg u "$1" --arg p "$1 password e2e" \
	    '{username:$u,password:$p}')"
	jq -r '.session // empty' "$T/body"
}
# dkg SUB NAME CEREMONY [ARGS...]: `bisik escrow dkg SUB` as holder NAME
# (account NAME, key $W/NAME.key); output in $W/SUB-NAME.out/.err, exit
# status there too (.rc) and in RC.
dkg() {
	_s=$1 _n=$2 _c=$3
	shift 3
	timeout -k 2 $((120 * SLOW)) "$BISIK" escrow dkg "$_s" --ceremony "$_c" \
	    --key "$W/$_n.key" --passphrase-file "$PASS" --username "$_n" \
	    --password-file "$W/$_n.pw" --server "${VIA:-$SRV_URL}" "$@" \
	    > "$W/$_s-$_n.out" 2> "$W/$_s-$_n.err" < /dev/null
	RC=$?
	echo $RC > "$W/$_s-$_n.rc"
}
# par SUB CEREMONY NAME...: holders NAME... run SUB at the same time, as
# they would on their own machines; PAR_BAD lists those that failed.
par() {
	_s=$1 _c=$2
	shift 2
	_pids=""
	for _n in "$@"; do
		_x=""
		[ "$_s" = finish ] && _x="--out-dir $W/out-$_n"
		dkg "$_s" "$_n" "$_c" $_x &
		_pids="$_pids $!"
	done
	for _p in $_pids; do
		wait "$_p"
	done
	PAR_BAD=""
	for _n in "$@"; do
		[ "$(cat "$W/$_s-$_n.rc" 2>/dev/null)" = 0 ] ||
		    PAR_BAD="$PAR_BAD $_n: $(snip "$W/$_s-$_n.err" 200)"
	done
}
# cer ID: GET /escrow/ceremonies/ID as alice (body in $T/body).
cer() {
	api GET "/api/v1/escrow/ceremonies/$1" -H "Authorization: Bearer $ALICE"
}
# post_msg ID SESSION BASE64: POST a message.
post_msg() {
	api_json POST "/api/v1/escrow/ceremonies/$1/messages" \
	    "$(jq -nc --arg m "$3" '{message:$m}')" -H "Authorization: Bearer $2"
}
# wait_until ISO: sleeps until one second past that time.
wait_until() {
	_t=$(date -u -d "$1" +%s) || return 1
	_now=$(date -u +%s)
	[ "$_now" -le "$_t" ] && sleep $((_t - _now + 1))
	return 0
}
# audit_has ACTION JQ_FILTER: an audit entry with that action whose detail
# passes the filter.
audit_has() {
	api GET "/api/v1/audit?after=0" -H "Authorization: Bearer $ALICE"
	jqt "[.entries[] | select(.action == \"$1\") | .detail |
	    select($2)] | length > 0"
}

# ---- keys, accounts, server -------------------------------------------------

_pids=""
for h in $HOLDERS; do
	"$BISIK" keygen --out "$W/$h.key" --passphrase-file "$PASS" \
	    --kdf interactive > "$W/keygen-$h.out" 2>&1 &
	_pids="$_pids $!"
done
for p in $_pids; do wait "$p" || die "keygen" "a keygen failed"; done
new_data || die "setup" "cannot make a data dir"
user alice central_admin
for h in $HOLDERS; do user "$h" central_admin; done
user dave auditor
user ana agency_admin dinas-pu
CONF=$(awk -v p="$PHASE" \
    'BEGIN { printf "{\"pow_difficulty\":0,\"dkg_phase_hours\":%.10f}", p / 3600 }')
serve "$CONF" || die "serve" "the server did not start"
ALICE=$(session alice)

# ---- the dealer ceremony says it is the weaker form ----------------------------------

"$BISIK" escrow ceremony --threshold 2 --admin "$W/hd1.key.pub" \
    --admin "$W/hd2.key.pub" --out-dir "$W/dealer" > "$W/dealer.out" 2>&1
result "bisik escrow ceremony still works and says it is the weaker, single-machine form" \
    "$([ $? = 0 ] && grep -q 'weaker, single-machine form' "$W/dealer.out" &&
    grep -q 'bisik escrow dkg' "$W/dealer.out" || snip "$W/dealer.out")"

# ---- who may take part ---------------------------------------------------------

CREATE=$(jq -nc --arg s "$(jq -r .sign_key "$W/hd1.key.pub")" \
    --arg b "$(jq -r .box_key "$W/hd1.key.pub")" \
    --arg s2 "$(jq -r .sign_key "$W/hd2.key.pub")" \
    --arg b2 "$(jq -r .box_key "$W/hd2.key.pub")" \
    '{threshold:2, holders:[{sign_key:$s,box_key:$b},{sign_key:$s2,box_key:$b2}]}')
_w=""
api_json POST /api/v1/escrow/ceremonies "$CREATE" \
    -H "Authorization: Bearer $(session dave)"
_w="$_w$(err_is 403 forbidden "auditor create")"
api GET /api/v1/escrow/ceremonies -H "Authorization: Bearer $(session dave)"
_w="$_w$(err_is 403 forbidden "auditor list")"
api_json POST /api/v1/escrow/ceremonies "$CREATE" \
    -H "Authorization: Bearer $(session ana)"
_w="$_w$(err_is 403 forbidden "agency admin create")"
api GET /api/v1/escrow/ceremonies
_w="$_w$(err_is 401 unauthorized "no session")"
result "a non-central-admin gets 403 (auditor, agency admin), no session 401" "$_w"
timeout 60 "$BISIK" escrow dkg start --threshold 2 --admin "$W/hd1.key.pub" \
    --admin "$W/hd2.key.pub" --username dave --password-file "$W/dave.pw" \
    --server "$SRV_URL" > "$W/start-dave.out" 2> "$W/start-dave.err"
result "bisik escrow dkg start by an auditor fails with the server's sentence" \
    "$([ $? = 1 ] && grep -q 'central admins' "$W/start-dave.err" || snip "$W/start-dave.err")"

# ---- open a ceremony ---------------------------------------------------------------

timeout 60 "$BISIK" escrow dkg start --threshold 3 --admin "$W/hd1.key.pub" \
    --admin "$W/hd2.key.pub" --admin "$W/hd3.key.pub" \
    --admin "$W/hd4.key.pub" --admin "$W/hd5.key.pub" --username alice \
    --password-file "$W/alice.pw" --server "$SRV_URL" \
    > "$W/start.out" 2> "$W/start.err"
_rc=$?
C1=$(tail -n 1 "$W/start.out")
result "dkg start: a 3-of-5 ceremony is open, its id the last line" \
    "$([ $_rc = 0 ] && printf '%s' "$C1" | grep -Eq '^[0-9a-f]{32}$' &&
    grep -q "3-of-5, terms fingerprint" "$W/start.out" || echo "rc $_rc $(snip "$W/start.err")")"
cer "$C1"
result "GET: phase deal, every holder due, deadlines one period apart" \
    "$([ "$ST" = 200 ] && jqt '.state == "open" and .phase == "deal" and
    .threshold == 3 and .holders == 5 and .due == [1,2,3,4,5] and
    (.record.messages | length) == 0 and (.deadlines | length) == 4' ||
    echo "$ST $(snip "$T/body")")"

# ---- deal: four honest holders and one cheat ---------------------------------------

par deal "$C1" hd1 hd2 hd3 hd4
result "dkg deal by holders 1-4 (at once, each with its own key)" "$PAR_BAD"
result "each dealer's seed is kept sealed in a 0600 state file beside its key" \
    "$(for h in hd1 hd2 hd3 hd4; do
	[ "$(stat -c %a "$W/$h.key.dkg-$C1" 2>/dev/null)" = 600 ] &&
	    jq -e '.bisik_dkg_state == 1 and (.sealed_seed | length) > 100' \
	    "$W/$h.key.dkg-$C1" > /dev/null || echo "$h"; done)"
H5=$(session hd5)
cer "$C1"
jq '.record' "$T/body" > "$W/rec-deal.json"
post_msg "$C1" "$H5" "$(jq -r '.record.messages[0]' "$T/body")"
result "a holder's deal posted again is a replay: 409 replayed" "$(err_is 409 replayed)"
BAD=$("$TOOL" bad-deal "$W/rec-deal.json" "$W/hd5.key" "$PASS" 1,2,3 2> "$W/tool.err")
[ -n "$BAD" ] || die "dkg_tool" "$(snip "$W/tool.err")"
post_msg "$C1" "$H5" "AAAA"
result "garbage is refused 422 with the reason (malformed), not stored" \
    "$(err_is 422 invalid)$(jqt '.error.fields.message == "malformed"' || snip "$T/body")"
post_msg "$C1" "$H5" "$("$TOOL" flip "$BAD" 200)"
result "a deal changed after signing is refused 422 (bad_signature)" \
    "$(err_is 422 invalid)$(jqt '.error.fields.message == "bad_signature"' || snip "$T/body")"
api_json POST "/api/v1/escrow/ceremonies/$C1/messages" '{"message":"AAAA","x":1}' \
    -H "Authorization: Bearer $H5"
_a=$ST
api_json POST "/api/v1/escrow/ceremonies/0123456789abcdef0123456789abcdef/messages" \
    "$(jq -nc --arg m "$BAD" '{message:$m}')" -H "Authorization: Bearer $H5"
result "an unknown field is 400, an unknown ceremony 404" \
    "$([ "$_a" = 400 ] && [ "$ST" = 404 ] || echo "$_a $ST")"
post_msg "$C1" "$H5" "$BAD"
result "holder 5's deal with wrong sub-shares (to holders 1-3) is taken: it looks like any deal" \
    "$([ "$ST" = 201 ] && jqt '.phase == "complain" and .due == [1,2,3,4,5]' || echo "$ST $(snip "$T/body")")"
post_msg "$C1" "$H5" "$BAD"
result "the same deal after the deal phase closed: 409 wrong_phase" "$(err_is 409 wrong_phase)"
dkg deal hd2 "$C1"
result "dealing after the deal phase closed fails in one sentence" \
    "$([ $RC = 1 ] && grep -q 'deal phase .* is closed' "$W/deal-hd2.err" || snip "$W/deal-hd2.err")"

# ---- a relay that alters what it relays -----------------------------------------
# hostile_proxy.py in front of the server answers holder 2's GET of the
# ceremony with a record the operator changed; what holder 2 then posts
# (nothing, or a complaint made on the forged history) is logged.

: > "$W/proxy.log"
printf '{}\n' > "$W/rules.json"
python3 "$E2E_DIR/hostile_proxy.py" "$W/proxy.port" "$W/rules.json" \
    "$W/proxy.log" "$SRV_URL" 2> "$W/proxy.err" &
PROXY_PID=$!
ALL_PIDS="$ALL_PIDS $PROXY_PID"
_i=0
while [ ! -s "$W/proxy.port" ] && [ $_i -lt $((100 * SLOW)) ]; do
	sleep 0.1
	_i=$((_i + 1))
done
[ -s "$W/proxy.port" ] || die "proxy" "$(snip "$W/proxy.err")"
cer "$C1"
cp "$T/body" "$W/view-complain.json"
# posts REGEX: how many POSTs to a path matching REGEX the proxy saw.
posts() {
	jq -s --arg r "$1" '[.[] | select(.method == "POST" and
	    (.path | test($r)))] | length' "$W/proxy.log" 2>/dev/null || echo 0
}
# fake VIEW: the proxy answers GET of ceremony C1 with VIEW.
fake() {
	jq -c --arg p "/api/v1/escrow/ceremonies/$C1" '{fake: {($p): .}}' "$1" \
	    > "$W/rules.json"
}
jq --arg m "$("$TOOL" flip "$(jq -r '.record.messages[0]' "$W/view-complain.json")" 200)" \
    '.record.messages[0] = $m' "$W/view-complain.json" > "$W/view-altered.json"
fake "$W/view-altered.json"
VIA=http://127.0.0.1:$(cat "$W/proxy.port") dkg check hd2 "$C1"
result "a relay that changes one byte of a relayed deal: the holder's client refuses the record, posts nothing" \
    "$([ $RC = 1 ] && grep -q 'refused: .*not signed' "$W/check-hd2.err" &&
    [ "$(posts /messages)" = 0 ] || echo "rc $RC $(snip "$W/check-hd2.err") posts $(posts /messages)")"
# sender BASE64: the sender index of a message (its header's low byte).
sender() { printf '%s' "$1" | base64 -d | od -An -tu1 -j21 -N1 | tr -d ' '; }
for _i in 0 1 2 3; do
	[ "$(sender "$(jq -r ".record.messages[$_i]" "$W/view-complain.json")")" != 2 ] &&
	    break
done
jq --argjson i "$_i" '.record.messages |= del(.[$i])' "$W/view-complain.json" \
    > "$W/view-hidden.json"
fake "$W/view-hidden.json"
VIA=http://127.0.0.1:$(cat "$W/proxy.port") dkg check hd2 "$C1"
result "a relay that hides one holder's deal from another: the complaint made on that history is refused (stale)" \
    "$([ $RC = 1 ] && [ "$(posts /messages)" = 1 ] &&
    grep -qi 'another record\|stale' "$W/check-hd2.err" || echo "rc $RC $(snip "$W/check-hd2.err")")"
_before=$(posts /auth/login)
printf '{"swallow": ["/auth/login$"]}\n' > "$W/rules.json"
VIA=http://127.0.0.1:$(cat "$W/proxy.port") dkg check hd2 "$C1"
result "a sign-in answered 503 busy is tried LOGIN_TRIES (10) times in all, then the step fails" \
    "$([ $RC = 1 ] && [ $(($(posts /auth/login) - _before)) = 10 ] &&
    grep -q 'busy' "$W/check-hd2.err" ||
    echo "rc $RC tries $(($(posts /auth/login) - _before)) $(snip "$W/check-hd2.err")")"
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null

# ---- complaints, an answer ----------------------------------------------------------
# Holders 1-3 complain of dealer 5 (their clients find its sub-shares
# wrong); holder 4 complains of dealer 1 without reason (dkg_tool), so
# dealer 1 must answer in the open.

jq '.record' "$W/view-complain.json" > "$W/rec-complain.json"
post_msg "$C1" "$(session hd4)" \
    "$("$TOOL" complain "$W/rec-complain.json" "$W/hd4.key" "$PASS" 1 2> "$W/tool.err")"
result "holder 4's complaint of dealer 1 (without reason) is taken" \
    "$([ "$ST" = 201 ] || echo "$ST $(snip "$T/body") $(snip "$W/tool.err")")"
par check "$C1" hd1 hd2 hd3 hd5
result "dkg check by holders 1-3 and 5 in the complain phase" "$PAR_BAD"
result "holders 1-3 complain of dealer 5; holder 5 accepts every deal" \
    "$(for h in hd1 hd2 hd3; do grep -q 'complained of dealer 5' "$W/check-$h.out" ||
    echo "$h: $(snip "$W/check-$h.out")"; done
    grep -q 'accept every deal' "$W/check-hd5.out" || echo "hd5: $(snip "$W/check-hd5.out")")"
cer "$C1"
result "three complaints (more than k-1) put dealer 5 out; dealer 1, with one, must answer" \
    "$([ "$ST" = 200 ] && jqt '.phase == "answer" and .due == [1] and
    .dealers[4].status == "complaints"' ||
    echo "$ST $(snip "$T/body" 400)")"
audit_has dkg.close '.phase == "complain" and .disqualified == [5] and .failed == false'
result "the disqualification is in the audit chain" "$([ $? = 0 ] || snip "$T/body")"
audit_has dkg.refuse '.why == "bad_signature"'
result "the refused message is in the audit chain" "$([ $? = 0 ] || echo refuse)"
dkg check hd5 "$C1"
result "holder 5, out, has nothing to do" \
    "$([ $RC = 0 ] && grep -q 'nothing for you' "$W/check-hd5.out" || snip "$W/check-hd5.out")"
# pad FILE SIZE: spaces after the JSON up to SIZE bytes.
pad() { printf '%*s' $(($2 - $(stat -c %s "$1"))) '' >> "$1"; }
pad "$W/hd1.key.dkg-$C1" 4096
dkg check hd1 "$C1"
result "dkg check: dealer 1 answers the complaint in the open, from its kept seed (state file of CLIENT_DKG_STATE_MAX bytes)" \
    "$([ $RC = 0 ] && grep -q 'answered the complaints' "$W/check-hd1.out" ||
    snip "$W/check-hd1.err")"
cer "$C1"
result "the answer checks; the four qualified dealers extract" \
    "$([ "$ST" = 200 ] && jqt '.phase == "extract" and .due == [1,2,3,4] and
    .dealers[0].status == "qualified" and .dealers[4].status == "complaints"' ||
    echo "$ST $(snip "$T/body" 400)")"

# ---- extract, finish ---------------------------------------------------------------

pad "$W/hd2.key.dkg-$C1" 4097
dkg check hd2 "$C1"
result "a state file of CLIENT_DKG_STATE_MAX + 1 bytes is refused in one sentence" \
    "$([ $RC = 1 ] && grep -q 'larger than 4096 bytes' "$W/check-hd2.err" ||
    echo "rc $RC $(snip "$W/check-hd2.err")")"
truncate -s 4096 "$W/hd2.key.dkg-$C1"
par check "$C1" hd1 hd2 hd3 hd4
result "dkg check: the four qualified dealers prove their parts" "$PAR_BAD"
result "... and their seeds are wiped" \
    "$(for h in hd1 hd2 hd3 hd4; do [ -e "$W/$h.key.dkg-$C1" ] && echo "$h"; done)"
cer "$C1"
result "the ceremony has made its key (done)" \
    "$(jqt '.state == "done" and .phase == "done" and .signed == []' || snip "$T/body")"
par finish "$C1" hd1 hd2 hd3 hd4
result "dkg finish by holders 1-4: share checked, configuration signed" "$PAR_BAD"
FP=$(sed -n 's/^fingerprint: //p' "$W/finish-hd1.out")
dkg finish hd5 "$C1" --out-dir "$W/out-hd5"
result "dkg finish by holder 5 (the last) writes escrow.pub and the record" \
    "$([ $RC = 0 ] && [ -f "$W/out-hd5/escrow.pub" ] && [ -f "$W/out-hd5/dkg-record.json" ] ||
    snip "$W/finish-hd5.err")"
dkg finish hd1 "$C1" --out-dir "$W/out-hd1"
result "holder 1 runs finish again and gets the same file" \
    "$([ $RC = 0 ] && cmp -s "$W/out-hd1/escrow.pub" "$W/out-hd5/escrow.pub" || snip "$W/finish-hd1.err")"
E=$W/out-hd5/escrow.pub
result "the escrow file: 3-of-5, every holder's signature, the dkg record" \
    "$(jq -e --arg c "$C1" '.bisik_escrow == 1 and .threshold == 3 and
    (.holders | length) == 5 and (.holder_signatures | length) == 5 and
    .dkg.ceremony == $c and (.dkg.transcript | length) == 44 and
    (.holders | all(has("sealed_share")))' "$E" > /dev/null || snip "$E")"
result "finish printed the escrow fingerprint of the file" \
    "$([ -n "$FP" ] && [ "$("$BISIK" escrow fingerprint "$E")" = "$FP" ] || echo "fp '$FP'")"
cer "$C1"
result "the server records the ceremony complete" \
    "$(jqt '.state == "complete" and (.signed | sort) == [1,2,3,4,5]' || snip "$T/body")"
for h in $HOLDERS; do cp "$E" "$W/pin-$h.pub"; done

# ---- a ceremony that fails: two cheating dealers of three ---------------------------

timeout 60 "$BISIK" escrow dkg start --threshold 2 --admin "$W/hd1.key.pub" \
    --admin "$W/hd2.key.pub" --admin "$W/hd3.key.pub" --username alice \
    --password-file "$W/alice.pw" --server "$SRV_URL" \
    > "$W/start2.out" 2> "$W/start2.err"
C2=$(tail -n 1 "$W/start2.out")
dkg deal hd1 "$C2"
_d=$RC
cer "$C2"
jq '.record' "$T/body" > "$W/rec2.json"
post_msg "$C2" "$(session hd2)" "$("$TOOL" bad-deal "$W/rec2.json" "$W/hd2.key" "$PASS" 1,3)"
_b2=$ST
post_msg "$C2" "$(session hd3)" "$("$TOOL" bad-deal "$W/rec2.json" "$W/hd3.key" "$PASS" 1,2)"
_b3=$ST
par check "$C2" hd1 hd2 hd3
result "2-of-3: holder 1 deals, holders 2 and 3 each deal wrong sub-shares to the other two; all complain" \
    "$([ $_d = 0 ] && [ $_b2 = 201 ] && [ $_b3 = 201 ] && [ -z "$PAR_BAD" ] ||
    echo "$_d $_b2 $_b3 $PAR_BAD")"
cer "$C2"
result "two dealers out with k-1 = 1: fewer than k qualify, the ceremony fails (no key)" \
    "$(jqt '.state == "failed" and .dealers[1].status == "complaints" and
    .dealers[2].status == "complaints" and ((.signatures // []) | length) == 0' ||
    snip "$T/body" 400)"
dkg check hd1 "$C2"
_ck=$RC
dkg finish hd1 "$C2" --out-dir "$W/out-c2"
result "holder 1's client says it failed, makes no file and wipes its state file" \
    "$([ $_ck = 1 ] && [ $RC = 1 ] && grep -q 'has failed' "$W/check-hd1.err" &&
    [ ! -e "$W/hd1.key.dkg-$C2" ] && [ ! -e "$W/out-c2" ] ||
    echo "$_ck $RC $(snip "$W/check-hd1.err")")"
audit_has dkg.close '.failed == true'
result "the failure is in the audit chain" "$([ $? = 0 ] || echo close)"

# ---- install, report, disclosure -----------------------------------------------------

stop_server || notok "server stops" "$SRV_STOP_WHY"
jq '.dkg.transcript = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" | del(.config_hash)' \
    "$E" > "$W/tampered.pub"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$W/tampered.pub" \
    > "$W/set-bad.out" 2>&1
result "escrow set refuses the file with another transcript hash (signatures fail)" \
    "$([ $? != 0 ] && grep -q 'does not verify' "$W/set-bad.out" || snip "$W/set-bad.out")"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$E" > "$W/set.out" 2>&1
result "bisikd escrow set installs the ceremony's file as generation 1" \
    "$([ $? = 0 ] && grep -q 'generation 1' "$W/set.out" || snip "$W/set.out")"
for h in $HOLDERS; do
	"$BISIKD" user set-key --data "$SRV_DATA" --username "$h" \
	    --public-key "$W/$h.key.pub" > "$W/sk.out" 2>&1 ||
	    die "set-key $h" "$(snip "$W/sk.out")"
done
serve "$CONF" || die "serve" "the server did not restart"
ALICE=$(session alice)

submit_report "$(jq -nc --arg n "$ID_NAME" --arg k "$ID_NIK" '{kind:"complaint",
    title:"Pungutan liar di loket", identity:{name:$n,nik:$k},
    body:"Petugas loket meminta uang tambahan untuk setiap berkas yang diurus."}')"
[ "$ST" = 201 ] || die "submit" "status $ST $(snip "$T/body")"

# dis SUB NAME [ARGS...]: bisik disclose as holder NAME with its pin.
dis() {
	_sub=$1 _n=$2
	shift 2
	_y=""
	[ "$_sub" = approve ] && _y=--yes
	timeout -k 2 $((60 * SLOW)) "$BISIK" disclose "$_sub" --key "$W/$_n.key" \
	    --passphrase-file "$PASS" --username "$_n" --escrow "$W/pin-$_n.pub" \
	    --password-file "$W/$_n.pw" --server "$SRV_URL" $_y "$@" \
	    > "$W/dis.out" 2> "$W/dis.err" < /dev/null
	RC=$?
}
dis request hd1 --case "$CASE" --reason "Saksi dalam penyidikan" --legal-basis "UU 31/1999"
REQ=$(tail -n 1 "$W/dis.out")
_r=$RC
dis approve hd2 --request "$REQ"
_a2=$RC
dis reveal hd1 --request "$REQ"
_v=$RC
dis approve hd3 --request "$REQ"
_a3=$RC
result "3-of-5 from the ceremony: requester and one approval do not open it" \
    "$([ $_r = 0 ] && [ $_a2 = 0 ] && [ $_v = 1 ] && [ $_a3 = 0 ] || echo "$_r $_a2 $_v $_a3")"
dis reveal hd1 --request "$REQ"
result "three holders open the identity sealed to the key no machine held" \
    "$([ $RC = 0 ] && jq -e --arg n "$ID_NAME" --arg k "$ID_NIK" \
    '.name == $n and .nik == $k' "$W/dis.out" > /dev/null 2>&1 ||
    echo "rc $RC $(snip "$W/dis.err")")"

# ---- resharing to 2-of-3 -----------------------------------------------------------------

_pids=""
for h in hd1 hd2 hd3; do
	"$BISIK" escrow reshare deal --escrow "$W/pin-$h.pub" --key "$W/$h.key" \
	    --passphrase-file "$PASS" --dealers 1,2,3 --new-threshold 2 \
	    --new-admin "$W/hd1.key.pub" --new-admin "$W/hd2.key.pub" \
	    --new-admin "$W/hd3.key.pub" --out "$W/deal-$h.json" \
	    > "$W/rs-$h.out" 2>&1 &
	_pids="$_pids $!"
done
_bad=""
for p in $_pids; do wait "$p" || _bad="$_bad $p"; done
"$BISIK" escrow reshare combine --escrow "$W/pin-hd1.pub" --deal "$W/deal-hd1.json" \
    --deal "$W/deal-hd2.json" --deal "$W/deal-hd3.json" --out-dir "$W/esc2" \
    > "$W/combine.out" 2>&1 || _bad="$_bad combine $(snip "$W/combine.out")"
for h in hd1 hd2 hd3; do
	"$BISIK" escrow sign --escrow "$W/esc2/escrow.pub" --key "$W/$h.key" \
	    --passphrase-file "$PASS" --previous "$W/pin-$h.pub" \
	    > "$W/sign-$h.out" 2>&1 || _bad="$_bad sign-$h $(snip "$W/sign-$h.out")"
done
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$W/esc2/escrow.pub" \
    > "$W/set2.out" 2>&1 || _bad="$_bad set $(snip "$W/set2.out")"
result "the ceremony's key reshared to 2-of-3 installs as generation 2, same key" \
    "$([ -z "$_bad" ] && grep -q 'generation 2' "$W/set2.out" &&
    [ "$(jq -r .public_key "$W/esc2/escrow.pub")" = "$(jq -r .public_key "$E")" ] &&
    jq -e '.bisik_escrow == 2 and .threshold == 2 and (.holders | length) == 3 and
    (has("dkg") | not)' "$W/esc2/escrow.pub" > /dev/null || echo "$_bad")"
for h in hd1 hd2 hd3; do cp "$W/esc2/escrow.pub" "$W/pin-$h.pub"; done
serve "$CONF" || die "serve" "the server did not restart"
ALICE=$(session alice)
dis request hd2 --case "$CASE" --reason "Setelah pergantian" --legal-basis "UU 31/1999"
REQ2=$(tail -n 1 "$W/dis.out")
dis approve hd3 --request "$REQ2"
dis reveal hd2 --request "$REQ2"
result "2-of-3 after the resharing: two holders open the same identity" \
    "$([ $RC = 0 ] && jq -e --arg k "$ID_NIK" '.nik == $k' "$W/dis.out" \
    > /dev/null 2>&1 || echo "rc $RC $(snip "$W/dis.err")")"

# ---- a ceremony past its expiry ----------------------------------------------------
# The server restarted with one-second phases: a new ceremony expires five
# seconds after it opens.

stop_server || notok "server stops" "$SRV_STOP_WHY"
serve "$(printf '%s' "$CONF" | jq -c '.dkg_phase_hours = (1 / 3600)')" ||
    die "serve" "the server did not restart"
ALICE=$(session alice)
timeout 60 "$BISIK" escrow dkg start --threshold 2 --admin "$W/hd1.key.pub" \
    --admin "$W/hd2.key.pub" --username alice --password-file "$W/alice.pw" \
    --server "$SRV_URL" > "$W/start3.out" 2> "$W/start3.err"
C3=$(tail -n 1 "$W/start3.out")
cer "$C3"
wait_until "$(jq -r '.expires_at' "$T/body")"
cer "$C3"
result "past its expiry the unfinished ceremony shows nothing but its terms" \
    "$([ "$ST" = 200 ] && jqt '.state == "expired" and (has("record") | not) and
    (has("signatures") | not)' || echo "$ST $(snip "$T/body")")"
post_msg "$C3" "$(session hd2)" "$BAD"
result "... and refuses every message (409 expired)" "$(err_is 409 expired)"
dkg deal hd1 "$C3"
_ck=$RC
dkg finish hd1 "$C3" --out-dir "$W/out-c3"
result "the holder's client refuses it and makes no file" \
    "$([ $_ck = 1 ] && [ $RC = 1 ] && grep -q 'expired' "$W/deal-hd1.err" &&
    [ ! -e "$W/hd1.key.dkg-$C3" ] && [ ! -e "$W/out-c3" ] || echo "$_ck $RC $(snip "$W/deal-hd1.err")")"
audit_has dkg.expire ".ceremony == \"$C3\""
result "the expiry is in the audit chain" "$([ $? = 0 ] || echo expire)"
api GET /api/v1/escrow/ceremonies -H "Authorization: Bearer $ALICE"
result "the list shows all three: complete, failed (purged once expired), expired" \
    "$(jqt "[.ceremonies[] | {id, state}] | sort_by(.id) == ([{id: \"$C1\",
    state: \"complete\"}, {id: \"$C2\", state: \"failed\"}, {id: \"$C3\",
    state: \"expired\"}] | sort_by(.id))" || snip "$T/body")"

# ---- at most SRV_DKG_OPEN_MAX (8) ceremonies open at once ------------------------------
# Back to long phases, so that none expires while this runs. The failed
# ceremony counts until it expires.

stop_server || notok "server stops" "$SRV_STOP_WHY"
serve "$CONF" || die "serve" "the server did not restart"
ALICE=$(session alice)
api GET /api/v1/escrow/ceremonies -H "Authorization: Bearer $ALICE"
_i=$(jq '[.ceremonies[] | select(.state != "complete" and .state != "expired")] |
    length' "$T/body")
_w=""
[ "$_i" = 1 ] || _w="open before: $_i"
while [ "$_i" -lt 8 ]; do
	api_json POST /api/v1/escrow/ceremonies "$CREATE" \
	    -H "Authorization: Bearer $ALICE"
	[ "$ST" = 201 ] || _w="$_w; ceremony $((_i + 1)): $ST"
	_i=$((_i + 1))
done
api_json POST /api/v1/escrow/ceremonies "$CREATE" -H "Authorization: Bearer $ALICE"
result "8 ceremonies open at once (the limit) are taken, a ninth is refused 409" \
    "$_w$(err_is 409 too_many_ceremonies)"

stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
"$BISIKD" audit verify --data "$SRV_DATA" > "$W/av.out" 2>&1
result "the audit chain is intact after all of it" "$([ $? = 0 ] || snip "$W/av.out")"
finish
