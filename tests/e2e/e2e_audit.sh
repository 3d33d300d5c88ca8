#!/bin/sh
# e2e_audit.sh: the audit chain end to end against a real bisikd.
#
# Offline commands (init, escrow set, agency add, user add) and every staff
# action over HTTP (sign-in and its failures, dispose, accept, respond, a
# message, evidence, reading an original, intake, TOTP enrolment, session
# revocation, logout) each add exactly one entry; the reporter's own
# submission and messages add none. GET /audit and /audit/head answer
# auditors and central admins only (agency admin 403, no session 401).
# No entry holds a username, the typed name of a failed sign-in, the
# reporter's identity or the report's text. `bisik audit verify` (API, as
# auditor) and `bisikd audit verify` (stopped server's data dir) say
# intact; then one byte of entry 5 is changed in the data file with
# mdb_dump/mdb_load and both verifiers exit 1 naming entry 5.
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools mdb_dump mdb_load

PASS='kata sandi audit yang panjang'
printf '%s\n' "$PASS" > "$T/pw"
NAME='Siti Rahayu Kusumawardani'
EMAIL='siti.kusuma@contoh.example'
TITLE='Pungutan liar di kantor kelurahan'

new_data --escrow || die "setup" "cannot make the data directory"
add() {
	"$BISIKD" "$@" --data "$SRV_DATA" > "$T/cli.out" 2>&1 ||
	    die "setup" "bisikd $*: $(snip "$T/cli.out")"
}
add user add --username pusat.satu --role central_admin --password-file "$T/pw"
add user add --username admin.pu --role agency_admin --agency dinas-pu --password-file "$T/pw"
add user add --username audit.satu --role auditor --password-file "$T/pw"

# ---- offline: init, escrow set, agency add, three users --------------------------

"$BISIKD" audit verify --data "$SRV_DATA" > "$T/v0.out" 2> "$T/v0.err"
_rc=$?
_d=""
[ $_rc -eq 0 ] || _d="exit $_rc: $(snip "$T/v0.err")"
[ -z "$_d" ] && ! grep -q -E '^audit chain intact: 6 entries, head [0-9a-f]{64}$' \
    "$T/v0.out" && _d="output: $(snip "$T/v0.out")"
result "offline commands are audited: bisikd audit verify says intact, 6 entries" "$_d"

serve || die "setup" "cannot start bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"

# login USER [PASSWORD]: SESSION on 200.
login() {
	SESSION=""
	api_json POST /api/v1/auth/login "$(jq -nc --arg u "$1" \
	    --arg p "${2:-$PASS}" '{username:$u,password:$p}')"
	[ "$ST" = 200 ] && SESSION=$(jq -r '.session // empty' "$T/body")
	[ -n "$SESSION" ]
}
as() {
	_tok=$1
	shift
	_m=$1
	_p=$2
	shift 2
	api "$_m" "$_p" -H "Authorization: Bearer $_tok" "$@"
}
as_json() {
	_tok=$1
	shift
	api_json "$1" "$2" "$3" -H "Authorization: Bearer $_tok"
}

login audit.satu || die "login" "auditor: HTTP $ST $(snip "$T/body")"
AU=$SESSION

# audit_head: the head's seq as the auditor sees it.
audit_head() {
	as "$AU" GET /api/v1/audit/head
	[ "$ST" = 200 ] && jq -r .seq "$T/body" || echo "?"
}
# last_action: the action of the newest entry.
last_action() {
	_s=$(audit_head)
	as "$AU" GET "/api/v1/audit?after=$((_s - 1))"
	jq -r '.entries[-1].action // "?"' "$T/body"
}
# step NAME ACTION DELTA CMD...: runs CMD, then the head must have grown by
# DELTA and (DELTA 1) the newest entry must be ACTION.
step() {
	_n=$1
	_a=$2
	_k=$3
	shift 3
	_h0=$(audit_head)
	"$@"
	STEP_ST=$ST
	_h1=$(audit_head)
	_w=""
	if [ "$_h0" = "?" ] || [ "$_h1" = "?" ]; then
		_w="head unreadable"
	elif [ $((_h1 - _h0)) -ne "$_k" ]; then
		_w="head went from $_h0 to $_h1 (HTTP $STEP_ST), expected +$_k"
	elif [ "$_k" -eq 1 ] && [ "$(last_action)" != "$_a" ]; then
		_w="newest entry is $(last_action), not $_a"
	fi
	result "$_n" "$_w"
}

H_START=$(audit_head)
[ "$H_START" = 7 ] || notok "the auditor's sign-in is entry 7" "head $H_START"

# ---- the reporter is never audited; staff are, once per action -------------------

report_with_identity() {
	submit_report "$(jq -nc --arg t "$TITLE" --arg n "$NAME" --arg e "$EMAIL" \
	    '{kind:"complaint",title:$t,agency:"dinas-pu",
	      body:"Petugas meminta uang tambahan untuk surat pengantar.",
	      identity:{name:$n,email:$e}}')"
}
step "reporter submission: no entry" - 0 report_with_identity
[ "$STEP_ST" = 201 ] && [ -n "$CASE" ] || die "submit" "HTTP $STEP_ST"
C1=$CASE
TOK1=$TOKEN

typed_wrong() { login zz.typed.name "$PASS" || :; }
step "failed sign-in of an unknown name: one entry" auth.login_failed 1 typed_wrong
wrong_pw() { login pusat.satu 'not the password at all' || :; }
step "failed sign-in with a wrong password: one entry" auth.login_failed 1 wrong_pw
_d=""
as "$AU" GET "/api/v1/audit?after=$((H_START))"
jqt '.entries[0].actor == "system" and (.entries[0].detail // {} | has("user") | not)' ||
    _d="unknown name: $(snip "$T/body" 400)"
jqt '.entries[1].actor == "system" and (.entries[1].detail.user | type == "number")' ||
    _d="$_d wrong password: $(snip "$T/body" 400)"
result "failed sign-ins: actor system; user id only when the account exists" "$_d"

login_ca() { login pusat.satu && CA=$SESSION; }
step "central admin sign-in: one entry" auth.login 1 login_ca
login_ca2() { login pusat.satu && CA2=$SESSION; }
step "second sign-in: one entry" auth.login 1 login_ca2
login_aa() { login admin.pu && AA=$SESSION; }
step "agency admin sign-in: one entry" auth.login 1 login_aa
step "staff intake: one entry" case.intake 1 as_json "$CA" POST /api/v1/cases \
    '{"kind":"complaint","title":"Lampu jalan padam","body":"Lampu jalan di gang tiga padam sejak seminggu.","channel":"phone"}'
step "dispose: one entry" case.dispose 1 as_json "$CA" POST \
    "/api/v1/cases/$C1/actions" '{"action":"dispose","agency":"dinas-pu"}'
step "staff message to the reporter: one entry" case.message 1 as_json "$CA" \
    POST "/api/v1/cases/$C1/messages" '{"body":"Terima kasih, laporan sedang diteruskan."}'
reporter_msg() { api_json POST /api/v1/followup/messages \
    '{"body":"Saya punya bukti kuitansi."}' -H "Authorization: Bearer $TOK1"; }
step "reporter message: no entry" - 0 reporter_msg
printf 'Kuitansi pungutan: Rp 50.000\n' > "$T/bukti.txt"
step "evidence upload: one entry" attachment.upload 1 as "$AA" POST \
    "/api/v1/cases/$C1/attachments" -F "file=@$T/bukti.txt;filename=bukti.txt"
step "agency copy download: no entry" - 0 as "$CA" GET \
    "/api/v1/cases/$C1/attachments/1"
step "reading an original: one entry" attachment.original 1 as "$CA" GET \
    "/api/v1/cases/$C1/attachments/1?variant=original"
[ "$STEP_ST" = 200 ] || notok "original download" "HTTP $STEP_ST"
step "TOTP enrolment: one entry" auth.totp_enroll 1 as "$CA2" POST /api/v1/auth/totp/enroll
revoke() {
	as "$CA" GET /api/v1/auth/sessions
	_sid=$(jq -r '[.sessions[] | select(.current | not)][0].id // empty' "$T/body")
	as "$CA" POST "/api/v1/auth/sessions/$_sid/revoke"
}
step "session revoke: one entry" auth.session_revoke 1 revoke
step "logout: one entry" auth.logout 1 as "$AA" POST /api/v1/auth/logout

# ---- who may read it -------------------------------------------------------------

login admin.pu || die "login" "agency admin again"
AA=$SESSION
as "$AA" GET /api/v1/audit
_d=$(err_is 403 forbidden)
as "$AA" GET /api/v1/audit/head
_d="$_d$(err_is 403 forbidden head)"
result "agency admin: GET /audit and /audit/head are 403" "$_d"
api GET /api/v1/audit
_d=$(err_is 401 unauthorized)
result "no session: GET /audit is 401" "$_d"
as "$AU" GET '/api/v1/audit?after=x'
result "after=x is 422" "$(err_is 422 invalid)"

as "$CA" GET /api/v1/audit/head
_d=""
[ "$ST" = 200 ] || _d="HTTP $ST"
jqt '(.seq | type == "number") and (.hash | test("^[0-9a-f]{64}$")) and
    (.signature | type == "string") and (.audit_key | type == "string")' ||
    _d="$_d body: $(snip "$T/body")"
_k=$(jq -r .audit_key "$T/body")
api GET /api/v1/keys
[ "$(jq -r .audit_key "$T/body")" = "$_k" ] || _d="$_d audit_key differs from /keys"
result "central admin: /audit/head has seq, hash, signature, the audit key of /keys" "$_d"

as "$AU" GET /api/v1/audit
cp "$T/body" "$T/all.json"
_d=""
jqt '.entries | length > 20 and all(.[]; (.seq | type == "number") and
    (.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")) and
    (.actor | test("^(system|operator|[a-z_]+:[0-9]+)$")) and
    (.action | type == "string") and (.hash | test("^[0-9a-f]{64}$")) and
    (.canonical | type == "string"))' "$T/all.json" || _d="shape: $(snip "$T/all.json" 400)"
jqt '[.entries[].seq] == [range(1; (.entries | length) + 1)]' "$T/all.json" ||
    _d="$_d seqs are not 1..N"
jqt 'all(.entries[]; (.canonical | fromjson) as $c | $c.seq == .seq and
    $c.action == .action and $c.actor == .actor)' "$T/all.json" ||
    _d="$_d canonical text and fields disagree"
as "$AU" GET "/api/v1/audit?after=3"
jqt '.entries[0].seq == 4' || _d="$_d after=3 does not start at 4"
result "auditor: entries 1..N with seq, at, actor, action, hash, canonical; after= pages" "$_d"

_d=""
for w in pusat.satu admin.pu audit.satu zz.typed.name "$NAME" Rahayu "$EMAIL" \
    "$TITLE" Pungutan kuitansi Kuitansi bukti.txt "Lampu jalan" "$PASS"; do
	grep -q -F -- "$w" "$T/all.json" && _d="$_d '$w' is in the log;"
done
result "no username, typed name, identity, report text or file name in the log" "$_d"

# ---- verifying ---------------------------------------------------------------------

"$BISIK" audit verify --server "$SRV_URL" --username audit.satu \
    --password-file "$T/pw" > "$T/c.out" 2> "$T/c.err"
_rc=$?
_d=""
[ $_rc -eq 0 ] || _d="exit $_rc: $(snip "$T/c.err")"
grep -q -E '^audit chain intact: [0-9]+ entries, head [0-9a-f]{64}$' "$T/c.out" ||
    _d="$_d output: $(snip "$T/c.out")"
result "bisik audit verify as auditor: exit 0, intact" "$_d"
"$BISIK" audit verify --server "$SRV_URL" --username audit.satu \
    --password-file "$T/pw" --audit-key "$(printf '%044d' 0 | tr 0 A)" \
    > /dev/null 2> "$T/c2.err"
_rc=$?
result "bisik audit verify with another pinned audit key: exit 1" \
    "$([ $_rc -eq 1 ] && grep -q 'audit-key' "$T/c2.err" || echo "exit $_rc: $(snip "$T/c2.err")")"
"$BISIK" audit verify --server "$SRV_URL" --username admin.pu \
    --password-file "$T/pw" > /dev/null 2> "$T/c3.err"
_rc=$?
result "bisik audit verify as agency admin: exit 1" \
    "$([ $_rc -eq 1 ] || echo "exit $_rc: $(snip "$T/c3.err")")"

H_END=$(audit_head)
stop_server || notok "server stops" "$SRV_STOP_WHY"
add user disable --username admin.pu
"$BISIKD" audit verify --data "$SRV_DATA" > "$T/v1.out" 2> "$T/v1.err"
_rc=$?
_d=""
[ $_rc -eq 0 ] || _d="exit $_rc: $(snip "$T/v1.err")"
grep -q -E "^audit chain intact: $((H_END + 1)) entries" "$T/v1.out" ||
    _d="$_d output (head was $H_END, then user disable): $(snip "$T/v1.out")"
result "bisikd audit verify on the stopped server's data: exit 0, every entry" "$_d"

# ---- tampering with the data file ---------------------------------------------------

# Entry 5's value in mdb_dump's hex: 01, 32 hash bytes, then the JSON
# '{"action"...': its third byte 'a' (61) gets its top bit flipped (e1),
# which is not UTF-8 either, so the API serves it as canonical_base64.
_d=""
if mdb_dump -s audit "$SRV_DATA" > "$T/audit.dump" 2> "$T/dump.err"; then
	awk '
		hit { v = substr($0, 2)
		      if (substr(v, 71, 2) != "61") bad = 1
		      $0 = " " substr(v, 1, 70) "e1" substr(v, 73); hit = 0; done = 1 }
		$0 == " 0000000000000005" { hit = 1 }
		{ print }
		END { exit (done && !bad) ? 0 : 1 }' "$T/audit.dump" > "$T/audit.bad" ||
	    _d="entry 5 not found in the dump"
	[ -z "$_d" ] && ! mdb_load -s audit "$SRV_DATA" < "$T/audit.bad" \
	    > "$T/load.out" 2>&1 && _d="mdb_load: $(snip "$T/load.out")"
else
	_d="mdb_dump: $(snip "$T/dump.err")"
fi
[ -z "$_d" ] && ! cmp -s "$T/audit.dump" "$T/audit.bad" || _d="$_d (nothing changed)"
result "one byte of entry 5 changed in data.mdb (mdb_dump/mdb_load)" "$_d"

"$BISIKD" audit verify --data "$SRV_DATA" > "$T/v2.out" 2> "$T/v2.err"
_rc=$?
_d=""
[ $_rc -eq 1 ] || _d="exit $_rc"
grep -q -F 'audit entry 5 does not match the chain: its hash differs' "$T/v2.err" ||
    _d="$_d stderr: $(snip "$T/v2.err")"
[ "$(wc -l < "$T/v2.err")" -eq 1 ] || _d="$_d not one line"
result "bisikd audit verify: exit 1 naming entry 5" "$_d"

serve || die "serve" "cannot restart bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"
"$BISIK" audit verify --server "$SRV_URL" --username audit.satu \
    --password-file "$T/pw" > "$T/c4.out" 2> "$T/c4.err"
_rc=$?
_d=""
[ $_rc -eq 1 ] || _d="exit $_rc"
grep -q -F 'audit entry 5 does not match the chain: its hash differs' "$T/c4.err" ||
    _d="$_d stderr: $(snip "$T/c4.err")"
result "bisik audit verify through the API: exit 1 naming entry 5" "$_d"
stop_server || notok "server stops" "$SRV_STOP_WHY"

finish
