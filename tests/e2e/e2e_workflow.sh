#!/bin/sh
# e2e_workflow.sh: the staff workflow end to end against a real bisikd.
#
# A central admin, an agency admin and a liaison (of a sub-agency) take a
# case from submitted to closed through the API (dispose, accept, respond,
# resolve, the reporter's confirm with a rating); due times are checked
# against the working-day rules computed here (weekdays minus the shipped
# holidays, 23:59:59 WIB = 16:59:59Z); every illegal transition is refused
# with 403 (role never allowed) or 409 (wrong state) and changes nothing;
# the reporter reopens within 14 days; an agency returns a case; a
# rejection's reason reaches the reporter; a merged case's reporter sees
# the surviving case; another agency gets 404 and an auditor 403; queues
# sort by due time, page with a cursor and filter; staff intake hands out
# a token. Every body the agency admin and the liaisons received is kept
# and finally scanned: no identity value and no masked value may be in it,
# among them a value of every kind the filter knows, disguised with
# Unicode look-alikes, in title, body, location, a reporter message, a
# central admin's message and a file name, and the agency's export.
. "$(dirname "$0")/lib.sh"
need_binaries

PASS='kata sandi yang panjang sekali'
printf '%s\n' "$PASS" > "$T/pw"

new_data --escrow || die "setup" "cannot make the data directory"
add() {
	"$BISIKD" "$@" --data "$SRV_DATA" > "$T/cli.out" 2>&1 ||
	    die "setup" "bisikd $*: $(snip "$T/cli.out")"
}
add agency add --id dinas-pu-bdg --name "Dinas PU Kota Bandung" --parent dinas-pu
add agency add --id dinkes --name "Dinas Kesehatan"
add user add --username pusat --role central_admin --password-file "$T/pw"
add user add --username admin-pu --role agency_admin --agency dinas-pu --password-file "$T/pw"
add user add --username lia-bdg --role liaison --agency dinas-pu-bdg --password-file "$T/pw"
add user add --username admin-kes --role agency_admin --agency dinkes --password-file "$T/pw"
add user add --username lia-kes --role liaison --agency dinkes --password-file "$T/pw"
add user add --username auditor1 --role auditor --password-file "$T/pw"
serve || die "setup" "cannot start bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"

login() {
	api_json POST /api/v1/auth/login \
	    "$(jq -cn --arg u "$1" --arg p "$PASS" '{username:$u,password:$p}')"
	[ "$ST" = 200 ] || die "login $1" "HTTP $ST $(snip "$T/body")"
	jq -r .session "$T/body"
}
CA=$(login pusat)
AA=$(login admin-pu)
LI=$(login lia-bdg)
KA=$(login admin-kes)
KL=$(login lia-kes)
AU=$(login auditor1)
AGENCY_SIDE=" $AA $LI $KA $KL "

# ---- helpers -----------------------------------------------------------------

# Every answer an agency-side session gets is kept for the final scan.
mkdir -p "$T/agency"
AG_N=0
# as TOKEN METHOD PATH [JSON]
as() {
	_tok=$1
	_m=$2
	_p=$3
	shift 3
	if [ $# -gt 0 ]; then
		api_json "$_m" "$_p" "$1" -H "Authorization: Bearer $_tok"
	else
		api "$_m" "$_p" -H "Authorization: Bearer $_tok"
	fi
	case $AGENCY_SIDE in
	*" $_tok "*)
		AG_N=$((AG_N + 1))
		cp "$T/body" "$T/agency/$AG_N.json"
		;;
	esac
}
# act TOKEN CASE JSON
act() {
	as "$1" POST "/api/v1/cases/$2/actions" "$3"
}
# view CASE FILE: the central admin's view and the reporter's, together.
view() {
	as "$CA" GET "/api/v1/cases/$1"
	cp "$T/body" "$2"
	[ -n "${3:-}" ] || return 0
	followup "$3"
	cat "$T/body" >> "$2"
}

# refused NAME TOKEN CASE REPORTER_TOKEN JSON WANT: the action is refused
# with WANT (403 forbidden / 409 conflict, naming the status) and neither
# the staff view nor the reporter's view changed.
refused() {
	_n=$1
	view "$3" "$T/before" "$4"
	_st=$(jq -r .status "$T/before" | head -n 1)
	act "$2" "$3" "$5"
	case $6 in
	403) _d=$(err_is 403 forbidden) ;;
	*) _d=$(err_is "$6" conflict) ;;
	esac
	if [ -z "$_d" ] && [ "$6" = 409 ]; then
		jq -e --arg m "This action is not allowed while the case is $_st." \
		    '.error.code == "conflict" and .error.message == $m' \
		    "$T/body" > /dev/null 2>&1 || _d="409 body $(snip "$T/body")"
	fi
	view "$3" "$T/after" "$4"
	cmp -s "$T/before" "$T/after" || _d="$_d; the case changed"
	result "$_n: $6, nothing changed" "$_d"
}

# ---- working days -------------------------------------------------------------

HOLIDAYS=" $(cat "$ROOT"/share/holidays-id-*.csv | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2},' |
    cut -d, -f1 | tr '\n' ' ') "
is_workday() {
	[ "$(date -u -d "$1" +%u)" -le 5 ] || return 1
	case $HOLIDAYS in *" $1 "*) return 1 ;; esac
	return 0
}
# due_problem FROM_ISO DUE_ISO N: empty if DUE is 23:59:59 WIB (16:59:59Z)
# of the N-th working day after FROM's date in WIB, else what is wrong.
due_problem() {
	case $2 in
	????-??-??T16:59:59Z) ;;
	*) echo "$2 is not 16:59:59Z"; return ;;
	esac
	_s=$(date -u -d "$1" +%s) || { echo "bad time $1"; return; }
	_d=$(date -u -d "@$((_s + 7 * 3600))" +%F)
	_due=${2%%T*}
	is_workday "$_due" || { echo "$_due is a weekend day or a holiday"; return; }
	_n=0
	while [ "$(echo "$_d" | tr -d -)" -lt "$(echo "$_due" | tr -d -)" ] &&
	    [ $_n -le 60 ]; do
		_d=$(date -u -d "$_d + 1 day" +%F)
		is_workday "$_d" && _n=$((_n + 1))
	done
	[ "$_n" -eq "$3" ] || echo "$2 is $_n working days after $1 (WIB), not $3"
}
# when EVENT_STATUS FILE: time of the timeline entry with that status.
when() {
	jq -r --arg s "$1" '[.timeline[] | select(.status == $s)] | last | .at' "$2"
}

# ---- a case with an identity and personal data in its text -------------------

ID_NAME='Siti Rahmawati Kusumadewi'
ID_EMAIL='siti.kusumadewi@contoh.example'
ID_PHONE='+6281311112222'
ID_NIK='3273015505900003'
ID_ADDR='Jl. Melati Nomor 7 RT 02 RW 05 Cibeunying'
TX_EMAIL='pelapor.rahasia@mail.example'
TX_PHONE='081298765432'
TX_NIK='3273014509870002'
TITLE="Jalan berlubang dekat rumah $TX_PHONE"
BODY="Jalan di depan Pasar Kosambi berlubang besar sejak Maret. Hubungi saya di $TX_EMAIL atau $TX_PHONE; NIK saya $TX_NIK. Pak Darmawan tahu."
REQ=$(jq -cn --arg t "$TITLE" --arg b "$BODY" --arg n "$ID_NAME" --arg e "$ID_EMAIL" \
    --arg p "$ID_PHONE" --arg k "$ID_NIK" --arg a "$ID_ADDR" \
    '{kind:"complaint",title:$t,body:$b,visibility:"public",agency:"dinas-pu",
      identity:{name:$n,email:$e,phone:$p,nik:$k,address:$a}}')
submit_report "$REQ"
[ "$ST" = 201 ] || die "submit" "HTTP $ST $(snip "$T/body")"
A=$CASE
AT=$TOKEN
ok "a report with an identity and personal data in its text is filed"

# ---- scope before disposition ---------------------------------------------------

as "$CA" GET /api/v1/cases
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jq -e --arg c "$A" '(.cases | type == "array") and has("next_cursor") and
    any(.cases[]; .case == $c and .status == "submitted" and .kind == "complaint" and
    (keys | contains(["case","status","kind","agency","category","title","due_at",
    "overdue","liaison","escalated","channel"])) and .overdue == false and
    .escalated == false and .channel == "web")' "$T/body" >/dev/null 2>&1 &&
    d="list $(snip "$T/body" 400)"
result "central admin's queue lists the new case with its summary fields" "$d"

as "$CA" GET "/api/v1/cases/$A"
cp "$T/body" "$T/a0.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jq -e --arg b "$BODY" '.original.body == $b and .identity == true and
    (.duplicates | type == "array") and (.body | contains("disamarkan"))' \
    "$T/a0.json" >/dev/null 2>&1 && d="view $(snip "$T/a0.json" 400)"
result "central admin sees the redacted text, the original, and identity: true" "$d"
d=$(due_problem "$(jq -r .created_at "$T/a0.json")" "$(jq -r .due_at "$T/a0.json")" 3)
result "dispose is due 3 working days after submission (weekends, holidays skipped)" "$d"

as "$AA" GET "/api/v1/cases/$A"
result "the suggested agency's admin gets 404 before disposition" \
    "$(err_is 404 not_found)"
as "$AA" GET /api/v1/cases
result "and its queue does not list it" \
    "$(jq -e --arg c "$A" 'any(.cases[]; .case == $c) | not' "$T/body" >/dev/null 2>&1 ||
    echo "$(snip "$T/body")")"

# ---- illegal transitions in submitted ------------------------------------------

refused "central admin accept (submitted)" "$CA" "$A" "$AT" '{"action":"accept","liaison":"lia-bdg"}' 403
refused "central admin return (submitted)" "$CA" "$A" "$AT" '{"action":"return","reason":"x"}' 403
refused "central admin respond (submitted)" "$CA" "$A" "$AT" '{"action":"respond","note":"x"}' 403
refused "central admin resolve (submitted)" "$CA" "$A" "$AT" '{"action":"resolve","resolution":"x"}' 403
refused "central admin confirm (a reporter action)" "$CA" "$A" "$AT" '{"action":"confirm"}' 403
refused "central admin close (a system action)" "$CA" "$A" "$AT" '{"action":"close"}' 403
refused "central admin publish (submitted)" "$CA" "$A" "$AT" '{"action":"publish"}' 409

# ---- dispose --------------------------------------------------------------------

act "$CA" "$A" '{"action":"dispose","agency":"nowhere"}'
result "dispose to an agency that does not exist: 422" \
    "$(err_is 422 invalid; jqt '.error.fields.agency' || echo " no .error.fields.agency")"
act "$CA" "$A" '{"action":"dispose","agency":"dinas-pu","redactions":[{"start":0,"end":100000}]}'
result "dispose with a span past the text: 422" \
    "$(err_is 422 invalid)"
act "$CA" "$A" '{"action":"dispose","agency":"dinas-pu","redactions":"x"}'
result "dispose with redactions of the wrong shape: 400" \
    "$(err_is 400 malformed)"
act "$CA" "$A" '{"action":"dispose","agency":"dinas-pu","colour":"red"}'
result "an action with an unknown field: 400" \
    "$(err_is 400 malformed)"
act "$CA" "$A" '{"action":"teleport"}'
result "an unknown action: 422" "$(err_is 422 invalid)"

act "$CA" "$A" '{"action":"dispose","agency":"dinas-pu","redactions":[{"phrase":"Pak Darmawan"}]}'
cp "$T/body" "$T/a1.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e --arg c "$A" '.case == $c and .status == "dispositioned" and
    .agency == "dinas-pu" and (.body | contains("Darmawan") | not) and
    (.body | contains("[disamarkan]"))' "$T/a1.json" >/dev/null 2>&1 &&
    d="view $(snip "$T/a1.json" 400)"
result "central admin disposes to dinas-pu with a manual redaction: 200 the updated case" "$d"
DISP_AT=$(when dispositioned "$T/a1.json")
d=$(due_problem "$DISP_AT" "$(jq -r .deadlines.accept "$T/a1.json")" 3)
result "accept is due 3 working days after disposition" "$d"
d=$(due_problem "$DISP_AT" "$(jq -r .deadlines.respond "$T/a1.json")" 5)
result "the first answer is due 5 working days after disposition" "$d"
result "due_at is the nearer of the two" \
    "$(jq -e '.due_at == ([.deadlines.accept, .deadlines.respond] | min)' "$T/a1.json" >/dev/null ||
    echo "$(jq -c '{due_at, deadlines}' "$T/a1.json")")"

followup "$AT"
d=""
jq -e '.status == "dispositioned" and .agency == "dinas-pu" and
    any(.timeline[]; .status == "dispositioned" and .by == "central_admin")' \
    "$T/body" >/dev/null 2>&1 || d="$(snip "$T/body" 300)"
jqt '[.timeline[] | has("user")] | any' && d="$d; a staff id is shown to the reporter"
grep -q 'pusat' "$T/body" && d="$d; a username is shown to the reporter"
result "the reporter sees the disposition, by role only" "$d"

as "$AA" GET "/api/v1/cases/$A"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jq -e 'has("original") or has("identity") | not' "$T/body" >/dev/null &&
    d="agency view has original or identity"
[ -z "$d" ] && ! jqt '.status == "dispositioned"' && d="view $(snip "$T/body")"
result "the agency admin now sees the case, redacted, without original or identity" "$d"
as "$LI" GET "/api/v1/cases/$A"
result "a liaison of a sub-agency does not see the parent's case before assignment (404)" \
    "$(err_is 404 not_found)"
# Another agency's case answers byte for byte as a case that does not exist.
NOCASE=BSK-2000-999999
as "$KA" GET "/api/v1/cases/$NOCASE"
cp "$T/body" "$T/404.get"
as "$KA" GET "/api/v1/cases/$A"
result "another agency's admin gets 404, byte for byte a missing case's" \
    "$(err_is 404 not_found)$(same_body "$T/404.get")"
act "$KA" "$NOCASE" '{"action":"accept","liaison":"lia-kes"}'
cp "$T/body" "$T/404.act"
act "$KA" "$A" '{"action":"accept","liaison":"lia-kes"}'
result "another agency's admin acting on it gets 404, byte for byte a missing case's" \
    "$(err_is 404 not_found)$(same_body "$T/404.act")"
as "$KA" POST "/api/v1/cases/$NOCASE/messages" '{"body":"Halo"}'
cp "$T/body" "$T/404.msg"
as "$KA" POST "/api/v1/cases/$A/messages" '{"body":"Halo"}'
result "another agency's admin writing to it gets 404, byte for byte a missing case's" \
    "$(err_is 404 not_found)$(same_body "$T/404.msg")"

# ---- illegal transitions in dispositioned ----------------------------------------

refused "agency admin dispose" "$AA" "$A" "$AT" '{"action":"dispose","agency":"dinas-pu"}' 403
refused "agency admin reject" "$AA" "$A" "$AT" '{"action":"reject","reason":"incomplete"}' 403
refused "agency admin merge" "$AA" "$A" "$AT" '{"action":"merge","into":"BSK-2026-000001"}' 403
refused "agency admin publish" "$AA" "$A" "$AT" '{"action":"publish"}' 403
refused "agency admin respond (dispositioned)" "$AA" "$A" "$AT" '{"action":"respond","note":"x"}' 409
refused "agency admin resolve (dispositioned)" "$AA" "$A" "$AT" '{"action":"resolve","resolution":"x"}' 409
refused "central admin dispose again (dispositioned)" "$CA" "$A" "$AT" '{"action":"dispose","agency":"dinkes"}' 409
refused "central admin reject (dispositioned)" "$CA" "$A" "$AT" '{"action":"reject","reason":"incomplete"}' 409
refused "central admin merge (dispositioned)" "$CA" "$A" "$AT" '{"action":"merge","into":"BSK-2026-000001"}' 409

# ---- accept ---------------------------------------------------------------------

for bad in lia-kes admin-pu nobody-here; do
	view "$A" "$T/before" "$AT"
	act "$AA" "$A" "{\"action\":\"accept\",\"liaison\":\"$bad\"}"
	d=""
	[ "$ST" = 422 ] || d="HTTP $ST $(snip "$T/body")"
	[ -z "$d" ] && ! jqt '.error.fields.liaison' && d="fields $(snip "$T/body")"
	view "$A" "$T/after" "$AT"
	cmp -s "$T/before" "$T/after" || d="$d; the case changed"
	result "accept with liaison $bad (not a liaison of this agency tree): 422, nothing changed" "$d"
done
act "$AA" "$A" '{"action":"accept"}'
result "accept without a liaison: 422" "$(err_is 422 invalid)"

act "$AA" "$A" '{"action":"accept","liaison":"lia-bdg"}'
cp "$T/body" "$T/a2.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jqt '.status == "in_progress" and .liaison == "lia-bdg"' "$T/a2.json" &&
    d="view $(snip "$T/a2.json" 300)"
result "agency admin accepts, naming a liaison of its sub-agency" "$d"
ACC_AT=$(when in_progress "$T/a2.json")
d=$(due_problem "$ACC_AT" "$(jq -r .deadlines.resolve "$T/a2.json")" 14)
result "resolve is due 14 working days after acceptance" "$d"
result "in progress, due_at is the first-answer deadline until an answer is given" \
    "$(jq -e '.due_at == .deadlines.respond' "$T/a2.json" >/dev/null ||
    echo "$(jq -c '{due_at, deadlines}' "$T/a2.json")")"

as "$LI" GET "/api/v1/cases/$A"
result "the assigned liaison now sees the case" "$([ "$ST" = 200 ] || echo "HTTP $ST")"
as "$LI" GET "/api/v1/cases?assignee=lia-bdg"
result "the liaison's queue filtered by assignee lists it" \
    "$(jq -e --arg c "$A" 'any(.cases[]; .case == $c and .liaison == "lia-bdg")' \
    "$T/body" >/dev/null 2>&1 || echo "HTTP $ST $(snip "$T/body")")"
as "$KL" GET "/api/v1/cases/$A"
result "another agency's liaison gets 404, byte for byte a missing case's" \
    "$(err_is 404 not_found)$(same_body "$T/404.get")"

# ---- illegal transitions in in_progress ---------------------------------------------

refused "liaison accept (a role never allowed)" "$LI" "$A" "$AT" '{"action":"accept","liaison":"lia-bdg"}' 403
refused "liaison return" "$LI" "$A" "$AT" '{"action":"return","reason":"x"}' 403
refused "liaison dispose" "$LI" "$A" "$AT" '{"action":"dispose","agency":"dinas-pu"}' 403
refused "liaison publish" "$LI" "$A" "$AT" '{"action":"publish"}' 403
refused "agency admin accept (in_progress)" "$AA" "$A" "$AT" '{"action":"accept","liaison":"lia-bdg"}' 409
refused "agency admin return (in_progress)" "$AA" "$A" "$AT" '{"action":"return","reason":"x"}' 409
refused "central admin dispose (in_progress)" "$CA" "$A" "$AT" '{"action":"dispose","agency":"dinas-pu"}' 409

api_json POST /api/v1/followup/confirm '{"rating":5}' -H "Authorization: Bearer $AT"
result "the reporter cannot confirm while in progress (409)" \
    "$(err_is 409 conflict)"

# ---- respond, message, resolve ---------------------------------------------------

act "$LI" "$A" '{"action":"respond","note":"Catatan internal: menunggu anggaran.","internal":true}'
result "liaison adds an internal note" "$([ "$ST" = 200 ] || echo "HTTP $ST $(snip "$T/body")")"
result "an internal note does not meet the first-answer deadline" \
    "$(jqt '.deadlines.responded_at == null' || echo "$(jq -c .deadlines "$T/body")")"
act "$LI" "$A" '{"action":"respond","note":"Tim kami sudah meninjau lokasi."}'
cp "$T/body" "$T/a3.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e '.deadlines.responded_at != null and .due_at == .deadlines.resolve' \
    "$T/a3.json" >/dev/null && d="$(jq -c '{due_at, deadlines}' "$T/a3.json")"
result "a public answer meets the first-answer deadline; due_at moves to resolve" "$d"
followup "$AT"
d=""
jqt 'any(.timeline[]; .note == "Tim kami sudah meninjau lokasi." and .by == "liaison")' ||
    d="public note missing: $(snip "$T/body" 300)"
grep -q 'anggaran' "$T/body" && d="$d; the internal note reached the reporter"
result "the reporter sees the public answer and not the internal note" "$d"

api_json POST /api/v1/followup/messages \
    "$(jq -cn --arg b "Tambahan: telepon saya $TX_PHONE, email $TX_EMAIL" '{body:$b}')" \
    -H "Authorization: Bearer $AT"
result "the reporter writes a message with contact details" "$([ "$ST" = 201 ] || echo "HTTP $ST")"
as "$AA" GET /api/v1/cases/counts
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt '.counts.in_progress.total >= 1 and .counts.in_progress.new >= 1 and
    (.counts | keys | length) == 7' && d="$(snip "$T/body" 300)"
result "counts: the agency sees the case in progress with a new reporter message" "$d"
as "$LI" GET "/api/v1/cases/$A"
d=""
jqt 'any(.messages[]; .from == "reporter" and (.body | contains("disamarkan")))' ||
    d="message not redacted: $(snip "$T/body" 300)"
result "the reporter's message reaches the liaison redacted" "$d"

as "$LI" POST "/api/v1/cases/$A/messages" '{"body":"Terima kasih, akan kami tindak lanjuti."}'
result "the liaison writes to the reporter: 201" "$([ "$ST" = 201 ] || echo "HTTP $ST $(snip "$T/body")")"
followup "$AT"
result "the reporter sees the staff message" \
    "$(jqt 'any(.messages[]; .from == "staff" and .body == "Terima kasih, akan kami tindak lanjuti.")' ||
    echo "$(snip "$T/body" 300)")"
as "$AA" GET /api/v1/cases/counts
result "the answer clears the new-message count" \
    "$(jqt '.counts.in_progress.new == 0' || echo "$(snip "$T/body" 300)")"

act "$LI" "$A" '{"action":"resolve","resolution":"Lubang sudah ditambal.","attachments":[99]}'
result "resolve naming evidence the case does not have: 422" \
    "$(err_is 422 invalid; jqt '.error.fields.attachments' || echo " no .error.fields.attachments")"
act "$LI" "$A" '{"action":"resolve"}'
result "resolve without a resolution: 422" "$(err_is 422 invalid)"
act "$LI" "$A" '{"action":"resolve","resolution":"Lubang sudah ditambal dan diaspal ulang."}'
cp "$T/body" "$T/a4.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jqt '.status == "resolved" and .resolution == "Lubang sudah ditambal dan diaspal ulang." and
    .overdue == false and (.deadlines.close | fromdateiso8601) - (.timeline | last | .at | fromdateiso8601) == 14 * 86400' \
    "$T/a4.json" && d="$(jq -c '{status,due_at,deadlines}' "$T/a4.json")"
result "the liaison resolves; the case closes by itself 14 days later" "$d"

refused "liaison respond (resolved)" "$LI" "$A" "$AT" '{"action":"respond","note":"x"}' 409
refused "liaison resolve again (resolved)" "$LI" "$A" "$AT" '{"action":"resolve","resolution":"x"}' 409
refused "agency admin accept (resolved)" "$AA" "$A" "$AT" '{"action":"accept","liaison":"lia-bdg"}' 409

act "$CA" "$A" '{"action":"publish","redactions":[{"phrase":"Kosambi"}]}'
result "central admin publishes the resolved public case" \
    "$([ "$ST" = 200 ] && jqt '.published == true and .status == "resolved"' || echo "HTTP $ST $(snip "$T/body")")"

# ---- the reporter rates: closed ---------------------------------------------------

api_json POST /api/v1/followup/confirm '{"rating":6}' -H "Authorization: Bearer $AT"
result "confirm with rating 6: 422" "$(err_is 422 invalid; jqt '.error.fields.rating' || echo " no .error.fields.rating")"
api_json POST /api/v1/followup/confirm '{"rating":"5"}' -H "Authorization: Bearer $AT"
result "confirm with a string rating: 400" "$(err_is 400 malformed)"
api_json POST /api/v1/followup/confirm '{"rating":4}' -H "Authorization: Bearer nope"
result "confirm without a valid token: 401" "$(err_is 401 unauthorized)"
api_json POST /api/v1/followup/confirm '{"rating":4,"comment":"Cepat, terima kasih."}' \
    -H "Authorization: Bearer $AT"
result "the reporter confirms with rating 4: 200" \
    "$([ "$ST" = 200 ] && jqt '.status == "closed"' || echo "HTTP $ST $(snip "$T/body")")"
followup "$AT"
result "the reporter's view is closed" \
    "$(jqt '.status == "closed" and any(.timeline[]; .status == "closed" and .by == "reporter")' ||
    echo "$(snip "$T/body" 300)")"
as "$AA" GET "/api/v1/cases/$A"
result "staff see the rating; the closed case is no longer due" \
    "$(jqt '.status == "closed" and .rating == 4 and .due_at == null and .overdue == false' ||
    echo "$(snip "$T/body" 300)")"
as "$LI" POST "/api/v1/cases/$A/messages" '{"body":"Halo lagi"}'
result "no staff message on a closed case (409)" "$(err_is 409 conflict)"
api_json POST /api/v1/followup/reopen '{"reason":"Rusak lagi"}' -H "Authorization: Bearer $AT"
result "no reopening a closed case (409)" "$(err_is 409 conflict)"
refused "liaison respond (closed)" "$LI" "$A" "$AT" '{"action":"respond","note":"x"}' 409

# ---- reopen within 14 days ---------------------------------------------------------

# flow TOKEN_VAR: a fresh anonymous case taken to in_progress; sets CASE/TOKEN.
to_in_progress() {
	submit_report "$(jq -cn --arg t "$1" '{kind:"complaint",title:$t,
	    body:"Lampu jalan di gang kami mati sudah dua minggu lamanya."}')"
	[ "$ST" = 201 ] || return 1
	act "$CA" "$CASE" '{"action":"dispose","agency":"dinas-pu"}'
	[ "$ST" = 200 ] || return 1
	act "$AA" "$CASE" '{"action":"accept","liaison":"lia-bdg"}'
	[ "$ST" = 200 ]
}
to_in_progress "Lampu jalan mati di gang" || die "reopen setup" "HTTP $ST $(snip "$T/body")"
B=$CASE
BT=$TOKEN
act "$LI" "$B" '{"action":"resolve","resolution":"Lampu sudah diganti."}'
[ "$ST" = 200 ] || notok "resolve B" "HTTP $ST"
api_json POST /api/v1/followup/reopen '{"reason":""}' -H "Authorization: Bearer $BT"
result "reopen without a reason: 422" "$(err_is 422 invalid)"
api_json POST /api/v1/followup/reopen '{"reason":"Lampunya mati lagi malam ini."}' \
    -H "Authorization: Bearer $BT"
result "the reporter reopens within 14 days: 200 in_progress" \
    "$([ "$ST" = 200 ] && jqt '.status == "in_progress"' || echo "HTTP $ST $(snip "$T/body")")"
as "$LI" GET "/api/v1/cases/$B"
cp "$T/body" "$T/b1.json"
d=""
jqt '.status == "in_progress" and .unread == true and
    any(.timeline[]; .by == "reporter" and .status == "in_progress" and .note == "Lampunya mati lagi malam ini.")' \
    "$T/b1.json" || d="$(snip "$T/b1.json" 300)"
result "the liaison sees the case back in progress with the reporter's reason" "$d"
d=$(due_problem "$(when in_progress "$T/b1.json")" "$(jq -r .deadlines.resolve "$T/b1.json")" 14)
result "a reopened case gets a new resolve deadline of 14 working days" "$d"
api_json POST /api/v1/followup/reopen '{"reason":"lagi"}' -H "Authorization: Bearer $BT"
result "reopening a case in progress: 409" "$(err_is 409 conflict)"

# ---- return to central --------------------------------------------------------------

submit_report "$(jq -cn '{kind:"aspiration",title:"Usul taman kota baru",
    body:"Mohon dibangun taman bermain di lahan kosong dekat kantor kelurahan."}')"
C=$CASE
CT=$TOKEN
act "$CA" "$C" '{"action":"dispose","agency":"dinas-pu"}'
act "$AA" "$C" '{"action":"return"}'
result "return without a reason: 422" "$(err_is 422 invalid)"
act "$AA" "$C" '{"action":"return","reason":"Bukan kewenangan dinas PU; ini urusan dinas pertamanan."}'
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
result "agency admin returns the case to central" "$d"
as "$CA" GET "/api/v1/cases/$C"
cp "$T/body" "$T/c1.json"
d=""
jqt '.status == "submitted" and .liaison == null and
    any(.timeline[]; .event == "returned" and .internal == true and (.note | contains("pertamanan")))' \
    "$T/c1.json" || d="$(snip "$T/c1.json" 400)"
result "central admin sees it submitted again with the agency's reason" "$d"
d=$(due_problem "$(when submitted "$T/c1.json")" "$(jq -r .due_at "$T/c1.json")" 3)
result "a returned case is due for disposition 3 working days after its return" "$d"
as "$AA" GET "/api/v1/cases/$C"
result "the agency no longer sees the returned case (404)" "$(err_is 404 not_found)"
followup "$CT"
d=""
jqt '.status == "submitted"' || d="$(snip "$T/body")"
grep -q pertamanan "$T/body" && d="$d; the internal reason reached the reporter"
result "the reporter sees the case back in review, not the internal reason" "$d"

# ---- reject with reason ---------------------------------------------------------------

submit_report "$(jq -cn '{kind:"complaint",title:"Bukan laporan sebenarnya",
    body:"Ini hanya percobaan mengisi formulir saja, tidak ada masalah apa pun."}')"
D=$CASE
DT=$TOKEN
act "$CA" "$D" '{"action":"reject","reason":"because"}'
result "reject with a reason outside the list: 422" \
    "$(err_is 422 invalid; jqt '.error.fields.reason' || echo " no .error.fields.reason")"
act "$CA" "$D" '{"action":"reject","reason":"not_a_complaint","note":"Laporan tidak memuat keluhan."}'
result "central admin rejects: not_a_complaint" \
    "$([ "$ST" = 200 ] && jqt '.status == "rejected" and .due_at == null' || echo "HTTP $ST $(snip "$T/body")")"
followup "$DT"
result "the reporter sees the rejection, its reason and the note" \
    "$(jqt '.status == "rejected" and any(.timeline[]; .status == "rejected" and
    .reason == "not_a_complaint" and .note == "Laporan tidak memuat keluhan.")' ||
    echo "$(snip "$T/body" 400)")"
refused "central admin dispose (rejected)" "$CA" "$D" "$DT" '{"action":"dispose","agency":"dinas-pu"}' 409

# ---- merge ------------------------------------------------------------------------------

submit_report "$(jq -cn '{kind:"complaint",title:"Lampu jalan di gang mati",
    body:"Lampu penerangan jalan di gang kami padam sejak dua minggu."}')"
E=$CASE
ET=$TOKEN
act "$CA" "$E" "{\"action\":\"merge\",\"into\":\"$E\"}"
result "merge into itself: 422" "$(err_is 422 invalid)"
act "$CA" "$E" '{"action":"merge","into":"BSK-2026-999999"}'
result "merge into a case that does not exist: 422" "$(err_is 422 invalid)"
act "$CA" "$E" "{\"action\":\"merge\",\"into\":\"$D\"}"
result "merge into a rejected case: 422" "$(err_is 422 invalid)"
act "$CA" "$E" "{\"action\":\"merge\",\"into\":\"$B\"}"
result "central admin merges the duplicate into the case in progress" \
    "$([ "$ST" = 200 ] && jq -e --arg b "$B" '.status == "merged" and .merged_into == $b' \
    "$T/body" >/dev/null 2>&1 || echo "HTTP $ST $(snip "$T/body")")"
followup "$ET"
result "the merged case's reporter sees merged_into and the surviving case's status and timeline" \
    "$(jq -e --arg b "$B" '.status == "merged" and .merged_into == $b and
    .surviving_case.case == $b and .surviving_case.status == "in_progress" and
    any(.surviving_case.timeline[]; .status == "in_progress")' "$T/body" >/dev/null 2>&1 ||
    echo "$(snip "$T/body" 400)")"
result "it does not show what the surviving case's reporter wrote" \
    "$(! grep -q 'Lampunya mati lagi' "$T/body" || echo "the other reporter's reopen reason is shown")"
as "$CA" GET "/api/v1/cases/$B"
result "the surviving case lists the merged one" \
    "$(jq -e --arg e "$E" '.merged_from == [$e]' "$T/body" >/dev/null 2>&1 || echo "$(snip "$T/body" 300)")"

# ---- auditor ----------------------------------------------------------------------------

as "$AU" GET /api/v1/cases
result "auditor: GET /cases is 403" "$(err_is 403 forbidden)"
as "$AU" GET "/api/v1/cases/$A"
result "auditor: GET /cases/{case} is 403" "$(err_is 403 forbidden)"
as "$AU" GET /api/v1/cases/counts
result "auditor: GET /cases/counts is 403" "$(err_is 403 forbidden)"
act "$AU" "$B" '{"action":"respond","note":"x"}'
result "auditor: actions are 403" "$(err_is 403 forbidden)"
api GET /api/v1/cases
result "no session: 401" "$(err_is 401 unauthorized)"

# ---- staff intake ---------------------------------------------------------------------

INTAKE=$(jq -cn --arg n "$ID_NAME" --arg p "$ID_PHONE" '{kind:"complaint",
    title:"Sampah menumpuk di pasar",body:"Penelepon melaporkan sampah menumpuk di pasar selama seminggu.",
    channel:"phone",source:"Telepon pusat layanan 1708",identity:{name:$n,phone:$p}}')
as "$AA" POST /api/v1/cases "$INTAKE"
result "intake by an agency admin: 403" "$(err_is 403 forbidden)"
as "$CA" POST /api/v1/cases "$(printf '%s' "$INTAKE" | jq -c '.channel = "web"')"
result "intake with channel web: 422" "$(err_is 422 invalid)"
as "$CA" POST /api/v1/cases "$INTAKE"
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e --arg re "$CASE_RE" '(.case | test($re)) and (.token | type == "string")' \
    "$T/body" >/dev/null 2>&1 && d="$(snip "$T/body")"
result "central admin takes a phone report: 201 {case, token}" "$d"
F=$(jq -r .case "$T/body")
FT=$(jq -r .token "$T/body")
followup "$FT"
result "the caller's token follows the intake case" \
    "$(jq -e --arg c "$F" '.case == $c and .status == "submitted"' "$T/body" >/dev/null 2>&1 ||
    echo "HTTP $ST $(snip "$T/body")")"
as "$CA" GET "/api/v1/cases/$F"
result "the intake case records its channel and source and an identity on file" \
    "$(jqt '.channel == "phone" and .identity == true and .original.source == "Telepon pusat layanan 1708" and
    any(.timeline[]; .status == "submitted" and .by == "central_admin")' || echo "$(snip "$T/body" 300)")"
act "$CA" "$F" '{"action":"dispose","agency":"dinas-pu"}'
as "$AA" GET "/api/v1/cases/$F"
result "the agency sees the intake case without source or identity" \
    "$(jqt '.channel == "phone" and (has("original") | not) and (has("identity") | not)' &&
    ! grep -q 'pusat layanan' "$T/body" || echo "$(snip "$T/body" 300)")"

# ---- queues: order, cursor, filters, counts ---------------------------------------------

as "$CA" GET "/api/v1/cases?limit=200"
cp "$T/body" "$T/all.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jqt '[.cases[] | select(.due_at != null) | .due_at] as $d | $d == ($d | sort)' \
    "$T/all.json" && d="not by due time: $(jq -c '[.cases[] | .due_at]' "$T/all.json")"
[ -z "$d" ] && ! jqt '.next_cursor == null and (.cases | length) == 6' "$T/all.json" &&
    d="$(jq -c '[.cases[] | .case]' "$T/all.json") next $(jq .next_cursor "$T/all.json")"
result "the central queue holds every case, by due time (cases with nothing due last)" "$d"
CUR=""
: > "$T/paged"
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	if [ -n "$CUR" ]; then
		as "$CA" GET "/api/v1/cases?limit=1&cursor=$CUR"
	else
		as "$CA" GET "/api/v1/cases?limit=1"
	fi
	[ "$ST" = 200 ] || break
	jq -r '.cases[] | .case' "$T/body" >> "$T/paged"
	CUR=$(jq -r '.next_cursor // empty' "$T/body")
	[ -n "$CUR" ] || break
done
result "paging one case at a time with next_cursor gives the same cases in the same order" \
    "$([ "$(jq -r '.cases[] | .case' "$T/all.json")" = "$(cat "$T/paged")" ] ||
    echo "$(tr '\n' ' ' < "$T/paged")")"
as "$CA" GET "/api/v1/cases?cursor=not*a*cursor"
result "a bad cursor: 422" "$(err_is 422 invalid)"
as "$CA" GET "/api/v1/cases?limit=201"
result "limit 201: 422" "$(err_is 422 invalid)"
as "$CA" GET "/api/v1/cases?colour=red"
result "an unknown query parameter: 400" "$(err_is 400 malformed)"
as "$CA" GET "/api/v1/cases?status=in_progress"
result "status filter" \
    "$(jq -e --arg b "$B" '[.cases[] | .case] == [$b]' "$T/body" >/dev/null 2>&1 || echo "$(snip "$T/body")")"
as "$CA" GET "/api/v1/cases?overdue=true"
result "overdue filter: nothing is overdue yet" "$(jqt '.cases == []' || echo "$(snip "$T/body")")"
as "$CA" GET "/api/v1/cases?q=LAMPU"
result "q searches redacted titles, case-insensitively" \
    "$(jq -e --arg b "$B" --arg e "$E" '[.cases[] | .case] | sort == ([$b, $e] | sort)' "$T/body" >/dev/null 2>&1 ||
    echo "$(snip "$T/body")")"
as "$CA" GET "/api/v1/cases?q=$TX_PHONE"
result "q does not find text that redaction masked" "$(jqt '.cases == []' || echo "$(snip "$T/body")")"
as "$CA" GET "/api/v1/cases?agency=dinas-pu&status=in_progress"
result "agency filter" \
    "$(jq -e --arg b "$B" '[.cases[] | .case] == [$b]' "$T/body" >/dev/null 2>&1 || echo "$(snip "$T/body")")"
as "$AA" GET "/api/v1/cases?limit=200"
result "the agency queue holds only its routed cases" \
    "$(jq -e --arg a "$A" --arg b "$B" --arg f "$F" '[.cases[] | .case] | sort == ([$a, $b, $f] | sort)' \
    "$T/body" >/dev/null 2>&1 || echo "$(jq -c '[.cases[] | .case]' "$T/body")")"
as "$KA" GET "/api/v1/cases"
result "another agency's queue is empty" "$(jqt '.cases == []' || echo "$(snip "$T/body")")"
as "$CA" GET /api/v1/cases/counts
result "central counts: totals per status" \
    "$(jqt '.counts.submitted.total == 1 and .counts.dispositioned.total == 1 and
    .counts.in_progress.total == 1 and .counts.closed.total == 1 and .counts.rejected.total == 1 and
    .counts.merged.total == 1 and .counts.resolved.total == 0 and .counts.in_progress.new == 1' ||
    echo "$(snip "$T/body" 400)")"

# ---- every kind the filter knows, disguised, and the central admin's review ----------
# A case whose title, body and location carry a value of every kind in
# the forms people type on phones (no-break and zero-width spaces,
# full-width and Arabic-Indic digits, a full-width at sign, an en dash,
# written-out addresses, self-identification); the central admin writes
# to the reporter quoting them and uploads a file named after them; the
# reporter adds more in a message. Every value goes into the final scan,
# except the plate the central admin unmasks (audited, with the reason).

NBSP=$(printf '\302\240')
ZWSP=$(printf '\342\200\213')
NNBSP=$(printf '\342\200\257')
K_PHONE_NBSP="0812${NBSP}7171${NBSP}6262"
K_PHONE_FW='０８５７３１３１４２４２'
K_PHONE_AR='٠٨١٣٥٥٥٤٤٤٤'
K_PHONE_MY='+60 3-2161 9898'
K_PHONE_ZW="0821${ZWSP}9090${ZWSP}1212"
K_EMAIL_AT='bambang.hermawan [at] gmail [dot] com'
K_EMAIL_FW='bh.lapor＠yahoo.co.id'
K_NPWP='09.254.294.3–407.111'
K_NIK="3273${NNBSP}0255${NNBSP}0792${NNBSP}0009"
K_ACCOUNT='8720345999'
K_PLATE='b1234xyz'
K_URL='wa.me/6281271716262'
K_HANDLE='@warga_kritis_bdg'
K_NAME='Bambang Hermawan'
K_LOC_PHONE="0813${ZWSP}4646${ZWSP}5757"
K_MSG_EMAIL='bambang(at)proton(dot)me'
K_MSG_HANDLE='bambang_h_bdg'
K_CA_NIK='3201011508900077'
K_FILE_PHONE='081299990000'
KB_TITLE="Pungli parkir, hubungi $K_PHONE_NBSP"
KB_BODY="Nama saya $K_NAME, warga RT 03/RW 05. Tukang parkir liar di Pasar Baru minta Rp 5.000 tiap motor sejak 12 Maret 2026. Mobil $K_PLATE milik dinas ikut parkir di trotoar. Hubungi $K_PHONE_FW, $K_PHONE_AR, saudara di Malaysia $K_PHONE_MY atau $K_PHONE_ZW. Email $K_EMAIL_AT / $K_EMAIL_FW, NPWP $K_NPWP, NIK $K_NIK, rek BCA $K_ACCOUNT, chat $K_URL, IG $K_HANDLE."
KB_LOC="Pasar Baru, depan toko Pak Haji, telp $K_LOC_PHONE"
REQ=$(jq -cn --arg t "$KB_TITLE" --arg b "$KB_BODY" --arg l "$KB_LOC" \
    '{kind:"complaint",title:$t,body:$b,location:$l,agency:"dinkes"}')
submit_report "$REQ"
[ "$ST" = 201 ] || die "submit (every kind)" "HTTP $ST $(snip "$T/body")"
KB=$CASE
KBT=$TOKEN
ok "a report with a value of every kind, disguised, is filed"

as "$CA" GET "/api/v1/cases/$KB"
d=""
for k in phone email npwp nik account plate url handle name; do
	jq -e --arg k "$k" 'any(.original.masks.body[]; .kind == $k)' "$T/body" >/dev/null 2>&1 ||
	    d="$d no $k mask;"
done
jqt 'any(.original.masks.location[]; .kind == "phone") and
    any(.original.masks.title[]; .kind == "phone")' || d="$d title/location masks;"
result "the central admin's view lists each automatic mask with its kind" "$d"

as "$CA" POST "/api/v1/cases/$KB/messages" \
    "$(jq -cn --arg b "Kami catat: atas nama $K_NAME, NIK $K_CA_NIK." '{body:$b}')"
result "the central admin writes to the reporter, quoting personal data" \
    "$([ "$ST" = 201 ] || echo "HTTP $ST $(snip "$T/body")")"
printf 'bukti parkir liar\n' > "$T/bukti.txt"
api POST "/api/v1/cases/$KB/attachments" -H "Authorization: Bearer $CA" \
    -F "file=@$T/bukti.txt;filename=bukti hp $K_FILE_PHONE.txt"
result "the central admin uploads a file named after a phone number" \
    "$([ "$ST" = 201 ] || echo "HTTP $ST $(snip "$T/body")")"

# the preview and its refusals
as "$CA" POST "/api/v1/cases/$KB/preview" \
    "$(jq -cn --arg p "$K_PLATE" '{redactions:[{unmask:$p,reason:"needed_for_followup"},{phrase:"Pasar  Baru"}]}')"
cp "$T/body" "$T/kb-preview.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e --arg p "$K_PLATE" '(.body | contains($p)) and
    (.body | contains("Pasar Baru") | not) and (.location | contains("Pasar Baru") | not) and
    (.body | contains("[telepon disamarkan]")) and (.location | contains("[telepon disamarkan]"))' \
    "$T/kb-preview.json" >/dev/null 2>&1 && d="preview $(snip "$T/kb-preview.json" 400)"
result "preview: the unmasked plate shows, the phrase is masked in body and location" "$d"
as "$KA" POST "/api/v1/cases/$KB/preview" '{"redactions":[]}'
result "preview: an agency admin gets 403" "$([ "$ST" = 403 ] || echo "HTTP $ST")"
act "$CA" "$KB" '{"action":"dispose","agency":"dinkes","redactions":[{"phrase":"Pasar Lama"}]}'
result "dispose with a phrase that is not in the text: 422, named" \
    "$([ "$ST" = 422 ] && jqt '.error.fields.redactions == "not found" and
    (.error.message | startswith("Redaction 1:"))' || echo "HTTP $ST $(snip "$T/body")")"
act "$CA" "$KB" '{"action":"dispose","agency":"dinkes","redactions":[{"phrase":"Pasar Baru"},{"unmask":"0811 0000 0000","reason":"not_personal"}]}'
result "dispose undoing a mask that hides nothing: 422, named" \
    "$([ "$ST" = 422 ] && jqt '.error.fields.redactions == "not found" and
    (.error.message | startswith("Redaction 2:"))' || echo "HTTP $ST $(snip "$T/body")")"
act "$CA" "$KB" "$(jq -cn --arg p "$K_PLATE" '{action:"dispose",agency:"dinkes",redactions:[{unmask:$p,reason:"because"}]}')"
result "dispose undoing a mask for no known reason: 422" \
    "$([ "$ST" = 422 ] && jqt '.error.fields.redactions == "invalid"' || echo "HTTP $ST $(snip "$T/body")")"
act "$CA" "$KB" "$(jq -cn --arg p "$K_PLATE" '{action:"dispose",agency:"dinkes",redactions:[{unmask:$p}]}')"
result "dispose with an unmask without a reason: 400" "$([ "$ST" = 400 ] || echo "HTTP $ST $(snip "$T/body")")"
act "$CA" "$KB" "$(jq -cn --arg p "$K_PLATE" '{action:"dispose",agency:"dinkes",
    redactions:[{unmask:$p,reason:"needed_for_followup"},{phrase:"Pasar  Baru"}]}')"
d=""
[ "$ST" = 200 ] || d="HTTP $ST $(snip "$T/body")"
[ -z "$d" ] && ! jq -e --slurpfile p "$T/kb-preview.json" '.body == $p[0].body and
    .title == $p[0].title and .location == $p[0].location' "$T/body" >/dev/null 2>&1 &&
    d="dispose differs from the preview"
result "dispose with the previewed review gives exactly the preview" "$d"
as "$CA" GET "/api/v1/audit?limit=200"
d=""
jq -e --arg c "$KB" 'any(.entries[]; .action == "case.dispose" and .case == $c and
    .detail.redactions.unmasked.plate == 1 and .detail.redactions.manual == 1 and
    .detail.redactions.reasons == ["needed_for_followup"])' "$T/body" >/dev/null 2>&1 ||
    d="$(jq -c --arg c "$KB" '[.entries[] | select(.case == $c)]' "$T/body" | cut -c1-400)"
grep -q -F -- "$K_PLATE" "$T/body" && d="$d; the unmasked value is in the audit log"
result "the unmask is audited with its kind and reason, not its value" "$d"

# the agency side: case, queue, counts, export, messages, attachment
as "$KA" GET "/api/v1/cases/$KB"
cp "$T/body" "$T/kb-agency.json"
d=""
[ "$ST" = 200 ] || d="HTTP $ST"
[ -z "$d" ] && ! jq -e --arg p "$K_PLATE" '(.body | contains($p)) and
    (.location | contains("[telepon disamarkan]")) and
    any(.messages[]; .by == "central_admin" and (.body | contains("[NIK disamarkan]"))) and
    any(.attachments[]; .name | contains("[telepon disamarkan]"))' "$T/kb-agency.json" \
    >/dev/null 2>&1 && d="agency view $(snip "$T/kb-agency.json" 500)"
result "the agency sees the reviewed text, a filtered location, message and file name" "$d"
as "$KA" GET /api/v1/cases
as "$KA" GET /api/v1/cases/counts
as "$KA" GET "/api/v1/cases/$KB/export"
if [ "$ST" = 200 ]; then
	mkdir -p "$T/kbzip"
	cp "$T/body" "$T/kb.zip"
	(cd "$T/kbzip" && unzip -o -q "$T/kb.zip" >/dev/null 2>&1)
	for f in "$T/kbzip"/*.json "$T/kbzip"/attachments/*; do
		[ -f "$f" ] || continue
		AG_N=$((AG_N + 1))
		cp "$f" "$T/agency/$AG_N.json"
	done
	ok "the agency's export of the case is kept for the scan"
else
	notok "the agency's export of the case is kept for the scan" "HTTP $ST"
fi
act "$KA" "$KB" '{"action":"accept","liaison":"lia-kes"}'
api_json POST /api/v1/followup/messages \
    "$(jq -cn --arg b "Tambahan: IG saya $K_MSG_HANDLE, email $K_MSG_EMAIL" '{body:$b}')" \
    -H "Authorization: Bearer $KBT"
result "the reporter adds accounts in a message" "$([ "$ST" = 201 ] || echo "HTTP $ST")"
as "$KL" GET "/api/v1/cases/$KB"
result "the liaison sees the message filtered" \
    "$(jqt 'any(.messages[]; .from == "reporter" and (.body | contains("[akun disamarkan]")) and
    (.body | contains("[email disamarkan]")))' || echo "$(snip "$T/body" 300)")"
as "$KL" GET "/api/v1/cases/$KB/attachments/1"

# ---- the leak scan over everything the agency side received --------------------------------

d=""
n=$(ls "$T/agency" | wc -l)
[ "$n" -gt 40 ] || d="only $n agency-side bodies were kept"
for v in "$ID_NAME" "$ID_EMAIL" "$ID_PHONE" "$ID_NIK" "$ID_ADDR" "$TX_EMAIL" "$TX_PHONE" "$TX_NIK" \
    "Darmawan" "6281311112222" "81298765432" "Telepon pusat layanan" \
    "$K_PHONE_NBSP" "7171" "$K_PHONE_FW" "$K_PHONE_AR" "$K_PHONE_MY" "2161" "$K_PHONE_ZW" \
    "$K_EMAIL_AT" "bambang.hermawan" "$K_EMAIL_FW" "bh.lapor" "$K_NPWP" "254.294" "$K_NIK" \
    "0255" "$K_ACCOUNT" "$K_URL" "wa.me" "$K_HANDLE" "warga_kritis" "$K_NAME" "Hermawan" \
    "$K_LOC_PHONE" "4646" "$K_MSG_EMAIL" "$K_MSG_HANDLE" "$K_CA_NIK" "$K_FILE_PHONE" \
    "Pasar Baru"; do
	f=$(grep -l -F -- "$v" "$T/agency"/*.json 2>/dev/null | head -n 3 | tr '\n' ' ')
	[ -z "$f" ] || d="$d; \"$v\" in $f"
done
f=$(grep -l -E '"(original|identity)":' "$T/agency"/*.json 2>/dev/null | head -n 3 | tr '\n' ' ')
[ -z "$f" ] || d="$d; original/identity keys in $f"
result "no identity value and no masked value in any of the $n agency-side bodies" "$d"

stop_server
result "bisikd stops cleanly on SIGTERM (sweeper thread joined)" "$SRV_STOP_WHY"
finish
