#!/bin/sh
# e2e_api.sh: the reporting core end to end against a real bisikd: public
# endpoints and their headers, submission (anonymous, plain identity,
# identity sealed by the client), the reporter's follow-up view, messages,
# token rotation, unknown ids, the proof of work (solved here in sh with
# b2sum, so that reusing a solved challenge can be tried), and the bisik
# client's submit/follow/reply/rotate with its receipt check.
. "$(dirname "$0")/lib.sh"
need_binaries

start_server --escrow || die "start main server" "cannot start bisikd"
save_server main
start_server '{"pow_difficulty":8}' || die "start pow server" "cannot start bisikd with pow"
save_server pow
use_server main

# ---- public endpoints ------------------------------------------------------------

api GET /api/v1/health
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt '. == {"status":"ok"}' && d="body $(snip "$T/body")"
result "health answers 200 {\"status\":\"ok\"}" "$d"
result "health carries the security headers" "$(sec_headers)"

api GET /api/v1/agencies
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt 'type == "array" and all(.[]; type == "object" and
    (keys | contains(["id","name","parent"])) and (.id | type == "string") and
    (.name | type == "string") and (.parent == null or (.parent | type == "string")))' &&
    d="shape: $(snip "$T/body")"
[ -z "$d" ] && ! jqt 'any(.[]; .id == "dinas-pu" and .name == "Dinas Pekerjaan Umum" and .parent == null)' &&
    d="dinas-pu missing: $(snip "$T/body")"
result "agencies lists [{id,name,parent}] with the added agency" "$d"
result "agencies carries the security headers" "$(sec_headers)"

api GET /api/v1/categories
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt 'type == "array" and length > 0 and all(.[]; type == "object" and
    (keys | contains(["id","name","parent"])) and (.id | test("^[a-z0-9-]{2,64}$")) and
    (.name | type == "string"))' && d="shape: $(snip "$T/body")"
result "categories lists [{id,name,parent}]" "$d"
CATEGORY=$(jq -r '.[0].id // empty' "$T/body" 2>/dev/null)
result "categories carries the security headers" "$(sec_headers)"

api GET /api/v1/keys
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
for k in receipt_key audit_key; do
	v=$(jq -r ".$k // empty" "$T/body" 2>/dev/null)
	n=$(printf '%s' "$v" | base64 -d 2>/dev/null | wc -c)
	[ "$n" -eq 32 ] || d="$d $k is not base64 of 32 bytes ($v);"
done
result "keys gives receipt_key and audit_key (Ed25519, base64)" "$d"
result "keys carries the security headers" "$(sec_headers)"

api GET /api/v1/challenge
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt '(.challenge | type == "string" and length > 0) and .difficulty == 0 and
    (.expires_at | type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))' &&
    d="shape: $(snip "$T/body")"
[ -z "$d" ] && ! jqt '(.expires_at | fromdateiso8601) > now' && d="expires_at in the past: $(snip "$T/body")"
result "challenge gives {challenge,difficulty,expires_at} (difficulty 0 here)" "$d"
result "challenge carries the security headers" "$(sec_headers)"

api GET /api/v1/no-such-thing
d=$(err_is 404 not_found)
result "an unknown path is a JSON 404" "$d"
result "a 404 carries the security headers" "$(sec_headers)"

# ---- anonymous submission ---------------------------------------------------------

TITLE='Jalan “Merdeka” rusak — berbahaya'
BODY='Lubang besar di Jl. Merdeka №5 sejak Mei. Hubungi saya: budi@contoh.example, 0812-3456-7890. Mohon diperbaiki 🙏
Baris kedua.'
REQ=$(jq -cn --arg t "$TITLE" --arg b "$BODY" '{kind:"complaint",title:$t,body:$b}')
submit_report "$REQ"
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jqt '.' && d="not JSON"
[ -z "$d" ] && ! jq -e --arg re "$CASE_RE" '(.case | test($re)) and
    (.token | type == "string" and test("^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$")) and
    .status == "submitted" and (.receipt | type == "object") and
    ((.receipt | keys) == ["at","audit_head","audit_seq","case","content_hash","signature"]) and
    .receipt.case == .case and (.receipt.audit_seq | type == "number") and
    (.receipt.audit_head | test("^[0-9a-f]{64}$")) and
    (.receipt.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))' \
    "$T/body" > /dev/null 2>&1 && d="shape: $(snip "$T/body" 400)"
if [ -z "$d" ]; then
	n=$(jq -r .receipt.content_hash "$T/body" | base64 -d 2>/dev/null | wc -c)
	[ "$n" -eq 32 ] || d="content_hash is not 32 bytes"
	n=$(jq -r .receipt.signature "$T/body" | base64 -d 2>/dev/null | wc -c)
	[ "$n" -eq 64 ] || d="$d signature is not 64 bytes"
	jqt '((.receipt.at | fromdateiso8601) - now) | fabs < 600' ||
	    d="$d receipt.at is not now"
	y=$(date -u +%Y)
	case $CASE in
	BSK-$y-* | BSK-$((y + 1))-*) ;;
	*) d="$d case $CASE is not of this year" ;;
	esac
fi
result "anonymous report: 201 {case BSK-YYYY-NNNNNN, token, status, receipt}" "$d"
result "201 answer carries the security headers (no-store)" "$(sec_headers)"
A_CASE=$CASE
A_TOKEN=$TOKEN
A_AT=$(jq -r '.receipt.at // empty' "$T/body" 2>/dev/null)

followup "$A_TOKEN"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e --arg c "$A_CASE" --arg t "$TITLE" --arg b "$BODY" '
    .case == $c and .title == $t and .body == $b and .status == "submitted" and
    .kind == "complaint"' "$T/body" > /dev/null 2>&1 &&
    d="view: $(snip "$T/body" 500)"
result "follow-up shows case, kind, status submitted, title and body as written" "$d"
result "follow-up carries the security headers (no-store)" "$(sec_headers)"

d=""
jqt '(.timeline | type == "array") and (.messages | type == "array") and
    (.attachments | type == "array") and (.identity_disclosures == []) and has("agency") and
    has("due_at")' || d="fields: $(snip "$T/body" 500)"
result "follow-up has timeline, messages, attachments, identity_disclosures [], agency, due_at" "$d"

d=""
jqt '(.due_at | type == "string" and test("Z$"))' || d="due_at not ISO: $(snip "$T/body" 300)"
if [ -z "$d" ]; then
	created=$(jq -r '.created_at // empty' "$T/body")
	[ -n "$created" ] || created=$A_AT
	jq -e --arg c "$created" '(.due_at | fromdateiso8601) > ($c | fromdateiso8601)' \
	    "$T/body" > /dev/null 2>&1 || d="due_at $(jq -r .due_at "$T/body") not after $created"
	# dispose is 3 working days: at least 3 and at most ~3 weeks of days ahead
	jq -e --arg c "$created" '((.due_at | fromdateiso8601) - ($c | fromdateiso8601)) as $s |
	    $s >= 3 * 86400 - 7 * 3600 and $s <= 21 * 86400' "$T/body" > /dev/null 2>&1 ||
	    d="$d due_at $(jq -r .due_at "$T/body") is not ~3 working days after $created"
fi
result "follow-up due_at is after created_at (3 working days)" "$d"

d=""
jqt 'any(.timeline[]; .status == "submitted" and (.at | type == "string"))' ||
    d="timeline: $(jq -c .timeline "$T/body" | cut -c1-300)"
result "follow-up timeline has the submitted event" "$d"

d=""
jqt '.messages == [] and .attachments == []' || d="$(snip "$T/body" 300)"
result "a new case has no messages and no attachments" "$d"

# Tokens are case-insensitive Crockford base32; separators do not matter.
LOWER=$(printf '%s' "$A_TOKEN" | tr 'A-Z' 'a-z')
followup "$LOWER"
d=""
[ "$ST" = 200 ] && jqt ".case == \"$A_CASE\"" || d="lower case: HTTP $ST"
NODASH=$(printf '%s' "$A_TOKEN" | tr -d '-')
followup "$NODASH"
[ "$ST" = 200 ] && jqt ".case == \"$A_CASE\"" || d="$d; without dashes: HTTP $ST"
result "the token works in lower case and without dashes" "$d"

# ---- submission with a plain identity (sealed by the server) ---------------------

REQ=$(jq -cn '{kind:"complaint",title:"Pungutan liar di kelurahan",
    body:"Petugas meminta uang tambahan untuk surat pengantar.",
    identity:{name:"Sutrisno Wibowo",email:"sutrisno@contoh.example",
      phone:"+62 811 2222 3333",nik:"3171012345678901",address:"Jl. Kenanga 7, Jakarta"}}')
submit_report "$REQ"
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e --arg re "$CASE_RE" '(.case | test($re)) and (.token | type == "string") and
    .status == "submitted" and (.receipt | type == "object")' "$T/body" > /dev/null 2>&1 &&
    d="shape: $(snip "$T/body")"
for w in Sutrisno sutrisno@ 3171012345678901 Kenanga "2222 3333"; do
	grep -q -F "$w" "$T/body" && d="$d the answer echoes the identity ($w);"
done
result "report with plain identity: 201 with case and token, identity not echoed" "$d"
I_TOKEN=$TOKEN
I_CASE=$CASE
followup "$I_TOKEN"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
for w in Sutrisno sutrisno@ 3171012345678901 Kenanga "2222 3333"; do
	grep -q -F "$w" "$T/body" && d="$d the view shows the identity ($w);"
done
[ -z "$d" ] && ! jqt ".case == \"$I_CASE\" and .identity_disclosures == []" && d="view: $(snip "$T/body")"
result "follow-up of an identified report shows no identity, no disclosures" "$d"

# ---- submission with an identity sealed by the client (bisik) ---------------------

C=$T/cli
mkdir -p "$C"
printf '%s\n' 'Pompa air di balai desa rusak sejak dua minggu, warga kesulitan air bersih.' > "$C/body.txt"
printf '%s\n' '{"name":"Rahayu Lestari","email":"rahayu@contoh.example","phone":"081234500000"}' > "$C/id.json"
"$BISIK" submit --server "$SRV_URL" --title "Pompa air rusak" --body-file "$C/body.txt" \
    --agency dinas-pu --identity-file "$C/id.json" --token-out "$C/sealed.tok" \
    > "$C/sealed.out" 2> "$C/sealed.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/sealed.err")"
[ -z "$d" ] && ! grep -Eq '^case: BSK-[0-9]{4}-[0-9]{6,}$' "$C/sealed.out" && d="no case line: $(snip "$C/sealed.out")"
[ -z "$d" ] && ! grep -q '^token: ' "$C/sealed.out" && d="no token line"
[ -z "$d" ] && ! grep -q 'receipt verified' "$C/sealed.out" && d="receipt not verified: $(snip "$C/sealed.out")"
result "bisik submit --identity-file (sealed on the client) files the case, receipt verified" "$d"
S_CASE=$(sed -n 's/^case: //p' "$C/sealed.out")
S_TOKEN=$(head -n 1 "$C/sealed.tok" 2>/dev/null)
followup "$S_TOKEN"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt ".case == \"$S_CASE\" and .agency == \"dinas-pu\" and .title == \"Pompa air rusak\"" &&
    d="view: $(snip "$T/body")"
grep -q -F Rahayu "$T/body" && d="$d view shows the identity"
result "the sealed-identity case is followable with its token (agency dinas-pu)" "$d"

# ---- optional fields round trip ----------------------------------------------------

REQ=$(jq -cn --arg cat "${CATEGORY:-lainnya}" '{kind:"aspiration",title:"Usul taman kota baru",
    body:"Mohon dibangun taman bermain anak di lahan kosong dekat sekolah.",
    agency:"dinas-pu",category:$cat,location:"Kel. Sukamaju, Bandung",
    occurred_on:"2026-01-15",visibility:"public"}')
submit_report "$REQ"
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
if [ -z "$d" ]; then
	followup "$TOKEN"
	[ "$ST" = 200 ] || d="follow-up HTTP $ST"
	[ -z "$d" ] && ! jq -e --arg cat "${CATEGORY:-lainnya}" '.kind == "aspiration" and
	    .agency == "dinas-pu" and (.visibility == null or .visibility == "public") and
	    (.location == null or .location == "Kel. Sukamaju, Bandung") and
	    (.occurred_on == null or .occurred_on == "2026-01-15")' "$T/body" > /dev/null 2>&1 &&
	    d="view: $(snip "$T/body" 500)"
fi
result "aspiration with agency, category, location, occurred_on, public: 201, view agrees" "$d"

submit_report '{"kind":"information_request","title":"Anggaran jalan 2025","body":"Berapa anggaran pemeliharaan jalan kota tahun 2025?"}'
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
if [ -z "$d" ]; then
	followup "$TOKEN"
	[ "$ST" = 200 ] && jqt '.kind == "information_request" and .agency == null' ||
	    d="view: HTTP $ST $(snip "$T/body")"
fi
result "information_request without agency: 201, view kind information_request, agency null" "$d"

# ---- unknown ids --------------------------------------------------------------------

submit_report '{"kind":"complaint","title":"Jalan rusak parah","body":"Jalan di depan pasar berlubang besar sejak bulan lalu.","agency":"tidak-ada"}'
d=$(err_is 422 invalid)
[ -z "$d" ] && ! jqt '.error.fields | has("agency")' && d="no fields.agency: $(snip "$T/body")"
result "unknown agency: 422 with fields.agency" "$d"

submit_report '{"kind":"complaint","title":"Jalan rusak parah","body":"Jalan di depan pasar berlubang besar sejak bulan lalu.","category":"tidak-ada"}'
d=$(err_is 422 invalid)
[ -z "$d" ] && ! jqt '.error.fields | has("category")' && d="no fields.category: $(snip "$T/body")"
result "unknown category: 422 with fields.category" "$d"

# ---- messages ------------------------------------------------------------------------

MSG='Tambahan: lubangnya makin besar setelah hujan — foto menyusul. ✓'
api_json POST /api/v1/followup/messages "$(jq -cn --arg m "$MSG" '{body:$m}')" \
    -H "Authorization: Bearer $A_TOKEN"
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
result "reporter message: 201" "$d"
result "message answer carries the security headers" "$(sec_headers)"
followup "$A_TOKEN"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jq -e --arg m "$MSG" '.messages | length == 1 and (.[0].body == $m) and
    (.[0].at | type == "string")' "$T/body" > /dev/null 2>&1 && d="messages: $(jq -c .messages "$T/body" | cut -c1-300)"
result "the message appears in the follow-up messages, as written" "$d"

# ---- rotation and the one 401 ----------------------------------------------------------

# A token this server never issued: one from the other server (its own pepper).
use_server pow
api GET /api/v1/challenge
PCHAL=$(jq -r '.challenge // empty' "$T/body")
NEVER=""
if pow_solve "$PCHAL" 8; then
	submit_report "$(jq -cn --arg c "$PCHAL" --arg n "$POW_NONCE" '{kind:"complaint",
	    title:"Lampu jalan mati",body:"Lampu jalan di gang tiga mati sejak seminggu.",
	    pow:{challenge:$c,nonce:$n}}')"
	NEVER=$TOKEN
fi
use_server main
if [ -z "$NEVER" ]; then
	notok "set-up: a token from the other server" "status $ST: $(snip "$T/body")"
	NEVER=ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789
fi

api POST /api/v1/followup/rotate -H "Authorization: Bearer $A_TOKEN"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
NEW=$(jq -r '.token // empty' "$T/body" 2>/dev/null)
[ -z "$d" ] && ! jqt '(keys == ["token"]) and (.token | test("^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$"))' &&
    d="shape: $(snip "$T/body")"
[ -z "$d" ] && [ "$NEW" = "$A_TOKEN" ] && d="the new token equals the old"
result "rotate: 200 {token} with a new token" "$d"
result "rotate answer carries the security headers (no-store)" "$(sec_headers)"

followup "$NEW"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt ".case == \"$A_CASE\" and (.messages | length == 1)" && d="view: $(snip "$T/body")"
result "the new token follows the same case" "$d"

followup "$A_TOKEN"
ROT_ST=$ST
cp "$T/body" "$T/401.rotated"
WWW_ROT=$(hdr WWW-Authenticate)
followup "$NEVER"
NEV_ST=$ST
cp "$T/body" "$T/401.never"
followup "not-a-token"
MAL_ST=$ST
cp "$T/body" "$T/401.malformed"
api GET /api/v1/followup
result "no token: 401 unauthorized" "$(err_is 401 unauthorized)"
cp "$T/body" "$T/401.none"
d=""
[ "$ROT_ST" = 401 ] || d="rotated token HTTP $ROT_ST;"
[ "$NEV_ST" = 401 ] || d="$d never-issued token HTTP $NEV_ST;"
[ "$MAL_ST" = 401 ] || d="$d malformed token HTTP $MAL_ST;"
result "old, never-issued, malformed and missing tokens all get 401" "$d"
d=""
for f in rotated never malformed; do
	cp "$T/401.$f" "$T/body"
	d="$d$(same_body "$T/401.none")"
done
result "the 401 body is byte-identical for old, never-issued, malformed and missing tokens" "$d"
case $WWW_ROT in
Bearer*) ok "401 names the Bearer scheme in WWW-Authenticate" ;;
*) notok "401 names the Bearer scheme in WWW-Authenticate" "got '$WWW_ROT'" ;;
esac

api_json POST /api/v1/followup/messages '{"body":"masih ada?"}' -H "Authorization: Bearer $A_TOKEN"
result "a message with the rotated token: the same 401" \
    "$(err_is 401 unauthorized)$(same_body "$T/401.none")"
api POST /api/v1/followup/rotate -H "Authorization: Bearer $A_TOKEN"
result "rotating the rotated token again: the same 401" \
    "$(err_is 401 unauthorized)$(same_body "$T/401.none")"

# Races: one token rotated five times at once: one rotation wins.
submit_report "$VALID_REPORT"
RT=$TOKEN
RP=""
i=0
while [ $i -lt 5 ]; do
	curl -s --max-time "$CURL_MAX" -o "$T/rot.$i" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $RT" "$SRV_URL/api/v1/followup/rotate" > "$T/rot.st.$i" 2> /dev/null &
	RP="$RP $!"
	i=$((i + 1))
done
for p in $RP; do wait "$p"; done
d=""
n200=$(cat "$T"/rot.st.* | grep -o 200 | wc -l)
n401=$(cat "$T"/rot.st.* | grep -o 401 | wc -l)
[ "$n200" -eq 1 ] && [ "$n401" -eq 4 ] || d="$n200 x 200, $n401 x 401"
if [ -z "$d" ]; then
	for i in 0 1 2 3 4; do
		if [ "$(cat "$T/rot.st.$i")" = 200 ]; then
			WT=$(jq -r .token "$T/rot.$i")
		elif ! cmp -s "$T/rot.$i" "$T/401.rotated"; then
			d="a losing rotation got another 401 body: $(snip "$T/rot.$i")"
		fi
	done
	followup "$WT"
	[ "$ST" = 200 ] || d="$d the winning new token does not work (HTTP $ST)"
fi
result "one token rotated 5 times at once: exactly one 200, the others the same 401" "$d"

# ---- proof of work ---------------------------------------------------------------------

use_server pow
submit_report "$VALID_REPORT"
d=$(err_is 422 invalid)
[ -z "$d" ] && ! jqt '.error.fields | has("pow")' && d="no fields.pow: $(snip "$T/body")"
result "pow server: a report without pow gets 422 fields.pow" "$d"

api GET /api/v1/challenge
CH=$(jq -r '.challenge // empty' "$T/body")
d=""
[ "$ST" = 200 ] && jqt '.difficulty == 8 and (.challenge | length > 0)' || d="$(snip "$T/body")"
result "pow server: challenge has difficulty 8" "$d"

if [ -n "$CH" ] && pow_solve "$CH" 8; then
	GOOD=$(jq -cn --arg c "$CH" --arg n "$POW_NONCE" '{kind:"complaint",
	    title:"Sampah menumpuk di pasar",body:"Sampah tidak diangkut selama sepekan di pasar induk.",
	    pow:{challenge:$c,nonce:$n}}')
	BAD=$(jq -cn --arg c "$CH" --arg n "$POW_BAD" '{kind:"complaint",
	    title:"Sampah menumpuk di pasar",body:"Sampah tidak diangkut selama sepekan di pasar induk.",
	    pow:{challenge:$c,nonce:$n}}')
	submit_report "$BAD"
	d=$(err_is 422 invalid)
	[ -z "$d" ] && ! jqt '.error.fields | has("pow")' && d="no fields.pow: $(snip "$T/body")"
	result "pow: a nonce that does not solve the challenge gets 422 fields.pow" "$d"

	submit_report "$GOOD"
	d=""
	[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
	[ -z "$d" ] && ! jq -e --arg re "$CASE_RE" '.case | test($re)' "$T/body" > /dev/null && d="$(snip "$T/body")"
	result "pow: a solved challenge (solved in sh with b2sum) gets 201" "$d"

	submit_report "$GOOD"
		d=$(err_is 422 invalid)
	[ -z "$d" ] && ! jqt '.error.fields.pow == "already used"' && d="fields: $(snip "$T/body")"
	result "pow: the same challenge and nonce again get 422 \"already used\"" "$d"

	# The same solved pair with another report is still spent.
	submit_report "$(printf '%s' "$GOOD" | jq -c '.title = "Judul lain sekali"')"
	d=$(err_is 422 invalid)
	[ -z "$d" ] && ! jqt '.error.fields.pow == "already used"' && d="fields: $(snip "$T/body")"
	result "pow: the spent pair with another report is still refused" "$d"
else
	notok "pow: solving the challenge in sh" "no challenge or no solution found"
fi

# Races: one solved pair sent eight times at once gets exactly one 201.
api GET /api/v1/challenge
RCH=$(jq -r '.challenge // empty' "$T/body")
if [ -n "$RCH" ] && pow_solve "$RCH" 8; then
	jq -cn --arg c "$RCH" --arg n "$POW_NONCE" '{kind:"complaint",
	    title:"Balapan bukti kerja",body:"Delapan kiriman serentak dengan bukti kerja yang sama.",
	    pow:{challenge:$c,nonce:$n}}' > "$T/race.json"
	RP=""
	i=0
	while [ $i -lt 8 ]; do
		curl -s --max-time "$CURL_MAX" -o "$T/race.$i" -w '%{http_code}' -H 'Expect:' \
		    -H 'Content-Type: application/json' --data-binary @"$T/race.json" \
		    "$SRV_URL/api/v1/reports" > "$T/race.st.$i" 2> /dev/null &
		RP="$RP $!"
		i=$((i + 1))
	done
	for p in $RP; do wait "$p"; done
	n201=$(cat "$T"/race.st.* | grep -o 201 | wc -l)
	n422=$(cat "$T"/race.st.* | grep -o 422 | wc -l)
	d=""
	[ "$n201" -eq 1 ] && [ "$n422" -eq 7 ] || d="$n201 x 201, $n422 x 422: $(cat "$T"/race.st.* | tr '\n' ' ')"
	result "pow: the same solved pair sent 8 times at once is accepted exactly once" "$d"
else
	notok "pow: the same solved pair sent 8 times at once is accepted exactly once" \
	    "set-up: no challenge or no solution found"
fi

# A tampered challenge (one symbol changed) fails its MAC.
if [ -n "$CH" ]; then
	first=$(printf '%s' "$CH" | cut -c1-10)
	c11=$(printf '%s' "$CH" | cut -c11)
	rest=$(printf '%s' "$CH" | cut -c12-)
	if [ "$c11" = A ]; then r=B; else r=A; fi
	TCH=$first$r$rest
	pow_solve "$TCH" 8 || notok "pow: solving the tampered challenge" "no solution found"
	submit_report "$(jq -cn --arg c "$TCH" --arg n "$POW_NONCE" '{kind:"complaint",
	    title:"Sampah menumpuk di pasar",body:"Sampah tidak diangkut selama sepekan di pasar induk.",
	    pow:{challenge:$c,nonce:$n}}')"
	d=$(err_is 422 invalid)
	[ -z "$d" ] && ! jqt '.error.fields | has("pow")' && d="no fields.pow: $(snip "$T/body")"
	result "pow: a tampered (then solved) challenge gets 422 fields.pow" "$d"
else
	notok "pow: a tampered (then solved) challenge gets 422 fields.pow" "set-up: no challenge"
fi

# A challenge of another server (difficulty 0, other key) is not accepted.
use_server main
api GET /api/v1/challenge
OCH=$(jq -r '.challenge // empty' "$T/body")
use_server pow
pow_solve "$OCH" 8 || notok "pow: solving another server's challenge" "no solution found"
submit_report "$(jq -cn --arg c "$OCH" --arg n "$POW_NONCE" '{kind:"complaint",
    title:"Sampah menumpuk di pasar",body:"Sampah tidak diangkut selama sepekan di pasar induk.",
    pow:{challenge:$c,nonce:$n}}')"
d=$(err_is 422 invalid)
[ -z "$d" ] && ! jqt '.error.fields | has("pow")' && d="no fields.pow: $(snip "$T/body")"
result "pow: another server's challenge gets 422 fields.pow" "$d"

# The client solves the work itself.
printf '%s\n' 'Drainase tersumbat menyebabkan banjir setiap hujan deras.' > "$C/pow-body.txt"
"$BISIK" submit --server "$SRV_URL" --title "Drainase tersumbat" --body-file "$C/pow-body.txt" \
    --token-out "$C/pow.tok" > "$C/pow.out" 2> "$C/pow.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/pow.err")"
[ -z "$d" ] && ! grep -q 'receipt verified' "$C/pow.out" && d="$(snip "$C/pow.out")"
result "bisik submit solves the proof of work of a pow server" "$d"

# ---- the bisik client end to end ---------------------------------------------------------

use_server main
printf '%s\n' 'Trotoar di depan stasiun rusak dan membahayakan pejalan kaki.' > "$C/body2.txt"
"$BISIK" submit --server "$SRV_URL" --title "Trotoar stasiun rusak" --body-file "$C/body2.txt" \
    --kind complaint --agency dinas-pu --token-out "$C/t1" > "$C/s.out" 2> "$C/s.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/s.err")"
[ -z "$d" ] && ! grep -Eq '^case: BSK-[0-9]{4}-[0-9]{6,}$' "$C/s.out" && d="$(snip "$C/s.out")"
[ -z "$d" ] && ! grep -q 'receipt verified' "$C/s.out" && d="no receipt check: $(snip "$C/s.out")"
[ -z "$d" ] && [ ! -s "$C/t1" ] && d="no token file"
[ -z "$d" ] && [ "$(stat -c %a "$C/t1")" != 600 ] && d="token file mode $(stat -c %a "$C/t1")"
[ -z "$d" ] && [ "$(head -n1 "$C/t1")" != "$(sed -n 's/^token: //p' "$C/s.out")" ] && d="token file and printed token differ"
result "bisik submit: case, token (file 0600), receipt verified" "$d"
B_CASE=$(sed -n 's/^case: //p' "$C/s.out")

"$BISIK" follow --server "$SRV_URL" --token-file "$C/t1" > "$C/f.out" 2> "$C/f.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/f.err")"
[ -z "$d" ] && ! grep -q -F "$B_CASE" "$C/f.out" && d="no case in output"
[ -z "$d" ] && ! grep -q -F "Trotoar stasiun rusak" "$C/f.out" && d="no title in output"
[ -z "$d" ] && ! grep -q submitted "$C/f.out" && d="no status in output"
result "bisik follow shows the case, title and status" "$d"

printf '%s\n' 'Sudah ada korban jatuh kemarin sore.' > "$C/m.txt"
"$BISIK" reply --server "$SRV_URL" --token-file "$C/t1" --message-file "$C/m.txt" > "$C/r.out" 2> "$C/r.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/r.err")"
"$BISIK" follow --server "$SRV_URL" --token-file "$C/t1" --json > "$C/fj.out" 2> "$C/fj.err" ||
    d="$d follow --json failed: $(snip "$C/fj.err")"
[ -z "$d" ] && ! jq -e --arg c "$B_CASE" '.case == $c and
    any(.messages[]; .body == "Sudah ada korban jatuh kemarin sore.")' "$C/fj.out" > /dev/null 2>&1 &&
    d="message not in view: $(snip "$C/fj.out" 400)"
result "bisik reply sends a message that bisik follow --json shows" "$d"
"$BISIK" follow --server "$SRV_URL" --token-file "$C/t1" > "$C/f2.out" 2> "$C/f2.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/f2.err")"
[ -z "$d" ] && ! grep -q -F "Sudah ada korban jatuh kemarin sore." "$C/f2.out" && d="message not shown: $(snip "$C/f2.out" 500)"
result "bisik follow shows the message" "$d"

"$BISIK" rotate --server "$SRV_URL" --token-file "$C/t1" --token-out "$C/t2" > "$C/ro.out" 2> "$C/ro.err"
rc=$?
d=""
[ $rc -eq 0 ] || d="exit $rc: $(snip "$C/ro.err")"
[ -z "$d" ] && [ ! -s "$C/t2" ] && d="no new token file"
[ -z "$d" ] && cmp -s "$C/t1" "$C/t2" && d="same token"
result "bisik rotate writes a new token" "$d"
"$BISIK" follow --server "$SRV_URL" --token-file "$C/t1" > "$C/fo.out" 2> "$C/fo.err"
rc1=$?
"$BISIK" follow --server "$SRV_URL" --token-file "$C/t2" > "$C/fn.out" 2> "$C/fn.err"
rc2=$?
d=""
[ $rc1 -eq 1 ] || d="old token: exit $rc1"
[ "$(wc -l < "$C/fo.err")" -eq 1 ] || d="$d old token: stderr is not one line: $(snip "$C/fo.err")"
[ $rc2 -eq 0 ] || d="$d new token: exit $rc2 $(snip "$C/fn.err")"
grep -q -F "$B_CASE" "$C/fn.out" || d="$d new token: no case in output"
result "after bisik rotate the old token fails (exit 1, one line), the new one follows" "$d"

# ---- clean stop --------------------------------------------------------------------------

use_server main
stop_server
result "main server stops on SIGTERM with status 0" "$SRV_STOP_WHY"
use_server pow
stop_server
result "pow server stops on SIGTERM with status 0" "$SRV_STOP_WHY"

finish
