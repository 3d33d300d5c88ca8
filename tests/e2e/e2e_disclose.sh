#!/bin/sh
# e2e_disclose.sh: identity disclosure under a 2-of-3 escrow, end to end
# through `bisik disclose` and the HTTP API against a real bisikd:
# admin keys linked to accounts (`bisikd user set-key`); a request; reveal
# refused before approval; a bad proof refused with 422 and audited; one
# approval; reveal by the requester prints the identity, by anyone else
# fails; the reporter's follow-up shows the disclosure (not who); the data
# directory, read in full, holds no identity value; deny; expiry with a
# tiny TTL; then a resharing 2-of-3 -> 3-of-5 installed as a new
# generation, after which the new holders alone open the same identity.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_disclose.sh
. "$(dirname "$0")/lib.sh"

need_binaries

W=$T/dis
mkdir -p "$W"
PASS=$W/pass
printf 'correct horse battery staple e2e\n' > "$PASS"

# The identity; none of these values may ever be in the data directory.
ID_NAME='Zulkifli Penandaunik'
ID_EMAIL='zpenanda-7731@example.test'
ID_PHONE='081299887766'
ID_NIK='3174019988776655'

# key NAME: an admin key pair $W/NAME.key(.pub)
key() {
	"$BISIK" keygen --out "$W/$1.key" --passphrase-file "$PASS" \
	    --kdf interactive > "$W/keygen.out" 2>&1 || die "keygen $1" "$(snip "$W/keygen.out")"
}
# user NAME ROLE [KEY]: a staff account with password "<name> password
# e2e" and, with KEY, its admin key linked.
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
# session NAME: a session token for the user on stdout.
session() {
	api_json POST /api/v1/auth/login \
	    "$(jq -nc --arg u "$1" --arg p "$1 password e2e" \
	    '{username:$u,password:$p}')"
	jq -r '.session // empty' "$T/body"
}
# dis SUB NAME KEY [ARGS...]: bisik disclose SUB as NAME with KEY and
# the escrow file KEY pinned ($W/pin-KEY.pub); approvals with --yes; rc in
# RC, output in $W/dis.out and $W/dis.err.
dis() {
	_sub=$1 _n=$2 _k=$3
	shift 3
	_y=""
	[ "$_sub" = approve ] && _y=--yes
	timeout -k 2 $((60 * SLOW)) "$BISIK" disclose "$_sub" --key "$W/$_k.key" \
	    --passphrase-file "$PASS" --username "$_n" --escrow "$W/pin-$_k.pub" \
	    --password-file "$W/$_n.pw" --server "$SRV_URL" $_y "$@" \
	    > "$W/dis.out" 2> "$W/dis.err" < /dev/null
	RC=$?
}
# sign FILE KEY [ARGS...]: holder KEY checks their share and signs FILE.
sign() {
	_f=$1 _k=$2
	shift 2
	"$BISIK" escrow sign --escrow "$_f" --key "$W/$_k.key" \
	    --passphrase-file "$PASS" "$@" > "$W/sign.out" 2>&1 ||
	    die "escrow sign $_k" "$(snip "$W/sign.out")"
}
b64rand() { head -c "$1" /dev/urandom | base64 -w0; }

# ---- setup: keys, a 2-of-3 ceremony, accounts ---------------------------------

for k in a b c; do key $k; done
"$BISIK" escrow ceremony --threshold 2 --admin "$W/a.key.pub" \
    --admin "$W/b.key.pub" --admin "$W/c.key.pub" --out-dir "$W/esc1" \
    > "$W/cer.out" 2>&1 || die "ceremony" "$(snip "$W/cer.out")"
for k in a b c; do sign "$W/esc1/escrow.pub" $k; done
# Each holder keeps the file they signed and gives it with --escrow.
for k in a b c; do cp "$W/esc1/escrow.pub" "$W/pin-$k.pub"; done
new_data || die "setup" "cannot make a data dir"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$W/esc1/escrow.pub" \
    > "$W/set.out" 2>&1 || die "escrow set" "$(snip "$W/set.out")"
user alice central_admin a
user bob central_admin b
user carol central_admin c
user dave auditor

"$BISIKD" user set-key --data "$SRV_DATA" --username dave \
    --public-key "$W/a.key.pub" > "$W/sk.out" 2> "$W/sk.err"
_a=$?
"$BISIKD" user add --data "$SRV_DATA" --username eve --role central_admin \
    --password-file "$W/alice.pw" > /dev/null 2>&1
"$BISIKD" user set-key --data "$SRV_DATA" --username eve \
    --public-key "$W/a.key.pub" > "$W/sk2.out" 2> "$W/sk2.err"
_b=$?
result "user set-key: refused for an auditor and for a key linked to another account" \
    "$([ $_a = 1 ] && [ $_b = 1 ] && grep -q 'central admin' "$W/sk.err" &&
    grep -q 'another account' "$W/sk2.err" || echo "$_a $_b $(snip "$W/sk.err") $(snip "$W/sk2.err")")"

serve '{"pow_difficulty":0}' || die "serve" "the server did not start"

# ---- a report with an identity --------------------------------------------------

submit_report "$(jq -nc --arg n "$ID_NAME" --arg e "$ID_EMAIL" \
    --arg p "$ID_PHONE" --arg k "$ID_NIK" '{kind:"complaint",
    title:"Pungutan liar di kantor kelurahan",
    body:"Petugas meminta uang tambahan untuk surat pengantar setiap hari.",
    identity:{name:$n,email:$e,phone:$p,nik:$k}}')"
[ "$ST" = 201 ] || die "submit" "status $ST $(snip "$T/body")"
followup "$TOKEN"
result "before: the reporter's follow-up lists no disclosure" \
    "$([ "$ST" = 200 ] && jqt '.identity_disclosures == []' || echo "$ST $(snip "$T/body")")"

# ---- request ------------------------------------------------------------------------

dis request alice a --case "$CASE" --reason "Saksi kunci dalam penyidikan" \
    --legal-basis "UU 31/1999 Pasal 26; surat penyidik No. 12/2026"
REQ=$(tail -n 1 "$W/dis.out")
result "disclose request: exit 0, the request id as the last line" \
    "$([ $RC = 0 ] && printf '%s' "$REQ" | grep -Eq '^[0-9a-f]{16}$' || echo "rc $RC $(snip "$W/dis.err") $(snip "$W/dis.out")")"
result "disclose request: the request is open until a time in WIB" \
    "$(grep -Eq 'open until [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} WIB: ' "$W/dis.out" || snip "$W/dis.out")"

DAVE=$(session dave)
BOB=$(session bob)
CAROL=$(session carol)
api GET "/api/v1/disclosures/$REQ" -H "Authorization: Bearer $DAVE"
result "auditor sees the request, no cryptographic material" \
    "$([ "$ST" = 200 ] && jqt '.state == "pending" and .case == "'"$CASE"'" and
    .threshold == 2 and .approvals_needed == 1 and .requester.index == 1 and
    (has("blinded") or has("R") or has("escrow") or has("nonce") or
     has("sealed_identity") | not)' || echo "$ST $(snip "$T/body")")"
api GET "/api/v1/disclosures/$REQ" -H "Authorization: Bearer $BOB"
result "another central admin sees the statement to approve, no identity" \
    "$([ "$ST" = 200 ] && jqt '(.blinded | type) == "string" and
    (.escrow.holders | length) == 3 and (has("sealed_identity") | not)' ||
    echo "$ST $(snip "$T/body")")"
api GET "/api/v1/disclosures?state=pending" -H "Authorization: Bearer $DAVE"
result "GET /disclosures?state=pending lists it" \
    "$([ "$ST" = 200 ] && jqt '[.disclosures[].request] == ["'"$REQ"'"]' || echo "$ST $(snip "$T/body")")"

dis reveal alice a --request "$REQ"
result "reveal before approval fails (exit 1, one sentence)" \
    "$([ $RC = 1 ] && grep -q 'not approved' "$W/dis.err" && [ ! -s "$W/dis.out" ] || echo "rc $RC $(snip "$W/dis.err")")"

# ---- bad approvals ---------------------------------------------------------------------

api GET "/api/v1/disclosures/$REQ" -H "Authorization: Bearer $BOB"
BLINDED=$(jq -r .blinded "$T/body")
# A proof that is valid-looking bytes but proves nothing (c and z < L).
BADPROOF=$( (head -c 31 /dev/urandom; printf '\001'; head -c 31 /dev/urandom; printf '\001') | base64 -w0)
api_json POST "/api/v1/disclosures/$REQ/approve" \
    "$(jq -nc --arg p "$BLINDED" --arg q "$BADPROOF" --arg s "$(b64rand 64)" \
    '{index:3, partial:$p, proof:$q, signature:$s}')" \
    -H "Authorization: Bearer $CAROL"
result "a third admin's bad proof: 422 naming the proof" \
    "$([ "$ST" = 422 ] && jqt '.error.fields.proof == "invalid"' && error_shape 422 || echo "$ST $(snip "$T/body")")"
grep -q 'event=disclosure_refused' "$SRV_LOG"
result "the refusal is logged" "$([ $? = 0 ] || echo "no disclosure_refused in the log")"
api GET "/api/v1/audit?after=0" -H "Authorization: Bearer $DAVE"
result "the refusal is audited (disclosure.refuse)" \
    "$([ "$ST" = 200 ] && jqt '[.entries[] | select(.action == "disclosure.refuse" and .request == "'"$REQ"'")] | length == 1' || echo "$ST $(snip "$T/body")")"
api_json POST "/api/v1/disclosures/$REQ/approve" \
    "$(jq -nc --arg p "$BLINDED" --arg q "$BADPROOF" --arg s "$(b64rand 64)" \
    '{index:3, partial:$p, proof:$q, signature:$s}')" \
    -H "Authorization: Bearer $BOB"
_b=$ST
api_json POST "/api/v1/disclosures/$REQ/approve" '{"index":2}' \
    -H "Authorization: Bearer $BOB"
result "an approval under another holder's index is 403; a short body 422" \
    "$([ "$_b" = 403 ] && [ "$ST" = 422 ] || echo "$_b $ST")"
api GET "/api/v1/disclosures/$REQ" -H "Authorization: Bearer $DAVE"
result "still pending, no approval recorded" \
    "$(jqt '.state == "pending" and .approvals == []' || snip "$T/body")"

# ---- approval and reveal ------------------------------------------------------------------

dis approve bob b --request "$REQ"
result "disclose approve by the second holder: exit 0, request approved" \
    "$([ $RC = 0 ] && grep -q 'now approved' "$W/dis.out" || echo "rc $RC $(snip "$W/dis.err")")"
dis reveal carol c --request "$REQ"
result "reveal by another admin fails" \
    "$([ $RC = 1 ] && [ ! -s "$W/dis.out" ] || echo "rc $RC $(snip "$W/dis.out")")"
dis reveal alice a --request "$REQ"
result "reveal by the requester prints the identity JSON" \
    "$([ $RC = 0 ] && jq -e --arg n "$ID_NAME" --arg k "$ID_NIK" \
    '.name == $n and .nik == $k' "$W/dis.out" > /dev/null 2>&1 || echo "rc $RC $(snip "$W/dis.err") $(snip "$W/dis.out")")"
api GET "/api/v1/audit?after=0" -H "Authorization: Bearer $DAVE"
result "audit: request, approve, grant and release are recorded" \
    "$(jqt '[.entries[] | select(.request == "'"$REQ"'") | .action] as $a |
    ($a | index("disclosure.request")) and ($a | index("disclosure.approve")) and
    ($a | index("disclosure.grant")) and ($a | index("disclosure.release"))' || snip "$T/body" 600)"

followup "$TOKEN"
result "the reporter's follow-up shows the disclosure: when, how many, basis" \
    "$([ "$ST" = 200 ] && jqt '(.identity_disclosures | length) == 1 and
    .identity_disclosures[0].approvals == 2 and
    (.identity_disclosures[0].legal_basis | startswith("UU 31/1999")) and
    (.identity_disclosures[0].at | test("^[0-9]{4}-"))' || echo "$ST $(snip "$T/body")")"
result "... and not who (no username, no user id)" \
    "$(grep -Eq 'alice|bob|"user"|requester' "$T/body" && snip "$T/body")"

# The server cannot open it: no identity value anywhere in its data.
_leak=""
for v in "$ID_NAME" "$ID_EMAIL" "$ID_PHONE" "$ID_NIK" Penandaunik; do
	grep -r -a -q -F -- "$v" "$SRV_DATA" && _leak="$_leak [$v]"
	grep -a -q -F -- "$v" "$SRV_LOG" && _leak="$_leak log:[$v]"
done
result "the data directory, read in full, holds no identity value" "$_leak"

# ---- deny and expiry -------------------------------------------------------------------

dis request bob b --case "$CASE" --reason "Pemeriksaan ulang" --legal-basis "PP 71/2000"
REQ2=$(tail -n 1 "$W/dis.out")
timeout 30 "$BISIK" disclose deny --request "$REQ2" --reason "Tidak cukup dasar" \
    --escrow "$W/pin-c.pub" \
    --username carol --password-file "$W/carol.pw" --server "$SRV_URL" \
    > "$W/deny.out" 2> "$W/deny.err"
_d=$?
api GET "/api/v1/disclosures/$REQ2" -H "Authorization: Bearer $DAVE"
result "deny: exit 0, the request is denied with the reason" \
    "$([ $RC = 0 ] && [ $_d = 0 ] && jqt '.state == "denied" and .denial.index == 3 and
    .denial.reason == "Tidak cukup dasar"' || echo "$RC $_d $(snip "$W/deny.err") $(snip "$T/body")")"
api_json POST "/api/v1/disclosures/$REQ2/approve" \
    "$(jq -nc --arg p "$BLINDED" --arg q "$BADPROOF" --arg s "$(b64rand 64)" \
    '{index:1, partial:$p, proof:$q, signature:$s}')" \
    -H "Authorization: Bearer $(session alice)"
result "a denied request cannot be approved (409)" \
    "$([ "$ST" = 409 ] || echo "$ST $(snip "$T/body")")"

stop_server || notok "server stops" "$SRV_STOP_WHY"
serve '{"pow_difficulty":0,"disclosure_ttl_hours":0.0006}' ||
    die "serve" "the server did not restart"
dis request carol c --case "$CASE" --reason "Uji kedaluwarsa" --legal-basis "Uji"
REQ3=$(tail -n 1 "$W/dis.out")
sleep 3
DAVE=$(session dave)
api GET "/api/v1/disclosures/$REQ3" -H "Authorization: Bearer $DAVE"
_s=$(jq -r .state "$T/body")
api_json POST "/api/v1/disclosures/$REQ3/approve" \
    "$(jq -nc --arg p "$BLINDED" --arg q "$BADPROOF" --arg s "$(b64rand 64)" \
    '{index:2, partial:$p, proof:$q, signature:$s}')" \
    -H "Authorization: Bearer $(session bob)"
_a=$ST
api GET "/api/v1/disclosures?state=expired" -H "Authorization: Bearer $DAVE"
result "expiry: a request past its TTL reads expired, approving it is 409" \
    "$([ $RC = 0 ] && [ "$_s" = expired ] && [ "$_a" = 409 ] &&
    jqt '[.disclosures[].request] | index("'"$REQ3"'")' || echo "rc $RC $_s $_a $(snip "$T/body")")"

stop_server || notok "server stops" "$SRV_STOP_WHY"
serve '{"pow_difficulty":0}' || die "serve" "the server did not restart"

# ---- resharing 2-of-3 -> 3-of-5 to new admins ------------------------------------------------

for k in d e f g h; do key $k; done
"$BISIK" escrow reshare deal --escrow "$W/esc1/escrow.pub" --key "$W/a.key" \
    --passphrase-file "$PASS" --dealers 1,3 --new-threshold 3 \
    --new-admin "$W/d.key.pub" --new-admin "$W/e.key.pub" \
    --new-admin "$W/f.key.pub" --new-admin "$W/g.key.pub" \
    --new-admin "$W/h.key.pub" --out "$W/deal1.json" > "$W/rs.out" 2>&1
_1=$?
"$BISIK" escrow reshare deal --escrow "$W/esc1/escrow.pub" --key "$W/c.key" \
    --passphrase-file "$PASS" --dealers 1,3 --new-threshold 3 \
    --new-admin "$W/d.key.pub" --new-admin "$W/e.key.pub" \
    --new-admin "$W/f.key.pub" --new-admin "$W/g.key.pub" \
    --new-admin "$W/h.key.pub" --out "$W/deal3.json" >> "$W/rs.out" 2>&1
_3=$?
"$BISIK" escrow reshare combine --escrow "$W/esc1/escrow.pub" \
    --deal "$W/deal3.json" --deal "$W/deal1.json" --out-dir "$W/esc2" \
    >> "$W/rs.out" 2>&1
_c=$?
for k in d e f g h; do
	sign "$W/esc2/escrow.pub" $k --previous "$W/pin-a.pub"
	cp "$W/esc2/escrow.pub" "$W/pin-$k.pub"
done
result "reshare: two old holders deal, combine writes a 3-of-5 escrow.pub with the same key" \
    "$([ $_1 = 0 ] && [ $_3 = 0 ] && [ $_c = 0 ] &&
    [ "$(jq -r .public_key "$W/esc2/escrow.pub")" = "$(jq -r .public_key "$W/esc1/escrow.pub")" ] &&
    jq -e '.bisik_escrow == 2 and .threshold == 3 and (.holders | length) == 5 and
    (.reshare.retired | length) == 3' "$W/esc2/escrow.pub" > /dev/null ||
    echo "$_1 $_3 $_c $(snip "$W/rs.out" 400)")"
"$BISIKD" escrow set --data "$SRV_DATA" --public-key "$W/esc2/escrow.pub" \
    > "$W/set2.out" 2>&1
result "bisikd escrow set installs it as generation 2" \
    "$([ $? = 0 ] && grep -q 'generation 2' "$W/set2.out" || snip "$W/set2.out")"
user dan central_admin d
user edi central_admin e
user fay central_admin f

ALICE=$(session alice)
api GET "/api/v1/cases/$CASE/disclosures" -H "Authorization: Bearer $ALICE"
result "the case's identity (generation 1) is now opened by generation 2's holders" \
    "$([ "$ST" = 200 ] && jqt '.generation == 1 and .holders_generation == 2 and .threshold == 3' || echo "$ST $(snip "$T/body")")"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LATER=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
api_json POST "/api/v1/cases/$CASE/disclosures" \
    "$(jq -nc --arg n "$(b64rand 16)" --arg p "$BLINDED" --arg q "$BADPROOF" \
    --arg s "$(b64rand 64)" --arg c "$NOW" --arg e "$LATER" \
    '{request:"00112233aabbccdd", created_at:$c, expires_at:$e, reason:"r",
    legal_basis:"b", generation:2, requester_index:1, nonce:$n,
    blind_key:$p, blinded:$p, blind_proof:$q, signature:$s}')" \
    -H "Authorization: Bearer $ALICE"
result "a retired holder can no longer request (403 not_holder)" \
    "$([ "$ST" = 403 ] && jqt '.error.code == "not_holder"' || echo "$ST $(snip "$T/body")")"

dis request dan d --case "$CASE" --reason "Setelah pergantian admin" --legal-basis "UU 31/1999"
REQ4=$(tail -n 1 "$W/dis.out")
_r=$RC
dis approve edi e --request "$REQ4"
_e=$RC
dis reveal dan d --request "$REQ4"
result "3-of-5: requester + one approval is not enough" \
    "$([ $_r = 0 ] && [ $_e = 0 ] && [ $RC = 1 ] || echo "$_r $_e $RC $(snip "$W/dis.err")")"
dis approve fay f --request "$REQ4"
_f=$RC
dis reveal dan d --request "$REQ4"
result "3-of-5: the new holders alone open the identity sealed before the resharing" \
    "$([ $_f = 0 ] && [ $RC = 0 ] && jq -e --arg e "$ID_EMAIL" '.email == $e' \
    "$W/dis.out" > /dev/null 2>&1 || echo "$_f $RC $(snip "$W/dis.err")")"

"$BISIKD" audit verify --data "$SRV_DATA" > "$W/av.out" 2>&1
result "the audit chain is intact after all of it" "$([ $? = 0 ] || snip "$W/av.out")"
stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
finish
