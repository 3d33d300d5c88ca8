#!/bin/sh
# e2e_pages.sh: the web pages against a real bisikd, with curl only (no
# JavaScript), as a reporter on Tor Browser's "Safest" level would use them.
#
# Every page answers 200 with the headers SECURITY.md ("Web pages") names (CSP without
# unsafe-inline and with frame-ancestors 'none', nosniff, no-referrer, no
# version in Server) and no cookie on reporter pages; every page passes
# Debian's HTML5 checker (tidy -q -e: warnings count); static files have
# their types and a year of caching. The whole flow without JavaScript:
# the form (too soon, then after form_min_seconds), the receipt with the
# token, its signed proof, /pantau with the token in POST bodies only, a
# reply, staff sign-in with the cookie, CSRF refusals (missing, wrong,
# cross-site), dispose / accept / resolve through the forms, the reporter's
# rating. Hostile titles, bodies, file names and query values (<script>,
# quotes, javascript: URLs, RTL override) come back escaped, and the token
# never appears in a URL or a Location.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_pages.sh
. "$(dirname "$0")/lib.sh"

need_binaries
need_tools tidy

PASS='kata sandi yang panjang sekali'
printf '%s\n' "$PASS" > "$T/pw"
new_data --escrow || die "setup" "cannot make the data directory"
add() {
	"$BISIKD" "$@" --data "$SRV_DATA" > "$T/cli.out" 2>&1 ||
	    die "setup" "bisikd $*: $(snip "$T/cli.out")"
}
add agency add --id kemen-pu --name "Kementerian PU" --level kementerian
add agency add --id dinas-pu-bdg --name "Dinas PU Kota Bandung" --parent dinas-pu
add user add --username pusat --role central_admin --password-file "$T/pw"
add user add --username admin-pu --role agency_admin --agency dinas-pu --password-file "$T/pw"
add user add --username lia-pu --role liaison --agency dinas-pu --password-file "$T/pw"
CONF='{"pow_difficulty":0,"form_min_seconds":1}'
serve "${BISIK_PAGES_CONFIG:-$CONF}" ||
    die "setup" "cannot start bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"

# page METHOD PATH [curl args...]: like api, and keeps every answer's
# headers and body for the final token scan.
N=0
mkdir -p "$T/seen"
page() {
	api "$@"
	N=$((N + 1))
	cp "$T/headers" "$T/seen/$N.h"
	cp "$T/body" "$T/seen/$N.b"
}

# valid NAME: the last body passes tidy in strict mode (errors and
# warnings both fail).
valid() {
	cp "$T/body" "$T/check.html"
	if _v=$(tidy -q -e "$T/check.html" 2>&1); then
		ok "$1: valid HTML"
	else
		notok "$1: valid HTML" "$_v"
	fi
}

# page_headers [cookie]: the pages' header rules; prints what is wrong.
page_headers() {
	_w=""
	_csp=$(hdr Content-Security-Policy) || _w="$_w no CSP;"
	for _d in "default-src 'none'" "frame-ancestors 'none'" \
	    "form-action 'self'" "base-uri 'none'" "style-src 'self'" \
	    "script-src 'self'"; do
		case $_csp in
		*"$_d"*) ;;
		*) _w="$_w CSP lacks $_d;" ;;
		esac
	done
	case $_csp in
	*unsafe-* | *"://"* | *"*"* | *data:*) _w="$_w CSP too open ($_csp);" ;;
	esac
	[ "$(hdr X-Content-Type-Options)" = nosniff ] || _w="$_w no nosniff;"
	[ "$(hdr Referrer-Policy)" = no-referrer ] || _w="$_w no no-referrer;"
	if _sv=$(hdr Server); then
		case $_sv in *[0-9]*) _w="$_w Server has a version;" ;; esac
	fi
	if [ "${1:-}" != cookie ] && hdr Set-Cookie > /dev/null; then
		_w="$_w sets a cookie;"
	fi
	printf '%s' "$_w"
}

# ---- every page, its headers and its HTML ----------------------------------

for p in / /lapor /pantau /publik /statistik /staf "/?lang=en" \
    "/lapor?lang=en" "/pantau?lang=en" "/publik?lang=en" \
    "/statistik?lang=en" "/staf?lang=en"; do
	page GET "$p"
	if [ "$ST" = 200 ]; then ok "GET $p: 200"; else notok "GET $p: 200" "HTTP $ST"; fi
	result "GET $p: headers" "$(page_headers)"
	case $(hdr Content-Type) in
	"text/html; charset=utf-8") ok "GET $p: text/html" ;;
	*) notok "GET $p: text/html" "$(hdr Content-Type)" ;;
	esac
	valid "GET $p"
done
page GET /lapor -H 'Accept-Language: en-GB,en;q=0.9,id;q=0.5'
check "Accept-Language en gives English" grep -q '<html lang="en">' "$T/body"
page GET /lapor -H 'Accept-Language: id,en;q=0.9'
check "Accept-Language id gives Indonesian" grep -q '<html lang="id">' "$T/body"
page GET /lapor
check "the default is Indonesian" grep -q '<html lang="id">' "$T/body"
check "agencies grouped by level" grep -q '<optgroup label="Kementerian"><option value="kemen-pu"' "$T/body"

page GET /nope
if [ "$ST" = 404 ] && grep -q '<html' "$T/body"; then ok "unknown page: 404 as HTML"
else notok "unknown page: 404 as HTML" "HTTP $ST $(snip "$T/body")"; fi
result "unknown page: headers" "$(page_headers)"
valid "404 page"
page DELETE /lapor
if [ "$ST" = 405 ] && [ "$(hdr Allow)" != "" ]; then ok "wrong method: 405 with Allow"
else notok "wrong method: 405 with Allow" "HTTP $ST"; fi
page GET /api/v1/nope
result "API paths stay JSON" "$(err_is 404 not_found)"

for f in bisik.css:text/css pow.js:text/javascript ikon.svg:image/svg+xml; do
	name=${f%%:*}
	type=${f#*:}
	page GET "/static/$name"
	case "$ST $(hdr Content-Type) $(hdr Cache-Control)" in
	"200 $type"*max-age=31536000*) ok "static $name: type and caching" ;;
	*) notok "static $name: type and caching" "HTTP $ST $(hdr Content-Type) $(hdr Cache-Control)" ;;
	esac
	result "static $name: headers" "$(page_headers)"
done
page GET /
V=$(grep -o 'bisik.css?v=[0-9a-f]*' "$T/body" | head -n 1)
check "style sheet URL carries its version" test -n "$V"
if grep -q 'style=' "$T/body" || grep -q '<script>' "$T/body"; then
	notok "no inline style or script" "found"
else ok "no inline style or script"; fi

# Forms a browser never sends.
page POST /pantau -H 'Content-Type: application/json' --data-binary '{"token":"x"}'
if [ "$ST" = 415 ] && grep -q '<html' "$T/body"; then ok "a form as JSON: 415 page"
else notok "a form as JSON: 415 page" "HTTP $ST"; fi
many=$(awk 'BEGIN { for (i = 0; i < 80; i++) printf "f%d=x&", i }')
page POST /pantau --data-binary "$many"
check "a form with too many fields: 400" test "$ST" = 400
head -c 300000 /dev/zero | tr '\0' 'a' > "$T/big"
page POST /pantau --data-binary "body=@$T/big" --data-binary @"$T/big"
if [ "$ST" = 413 ] && grep -q '<html' "$T/body"; then ok "a form over max_body_bytes: 413 page"
else notok "a form over max_body_bytes: 413 page" "HTTP $ST"; fi

# ---- filing without JavaScript --------------------------------------------------

HOSTILE_TITLE='<script>alert(1)</script> "kutip" '"'"'satu'"'"' javascript:alert(1) ‮gpj.exe'
HOSTILE_BODY='Jalan rusak <img src=x onerror=alert(2)> "di depan" sekolah & pasar, javascript:alert(3) ‮ terbalik.'
HOSTILE_FILE='"><svg onload=alert(4)>‮txt.exe'
printf 'Bukti teks: <b>tebal</b> & "kutip".\n' > "$T/bukti.txt"

page GET /lapor
CH=$(grep -o 'name="challenge" value="[^"]*"' "$T/body" | sed 's/.*value="//; s/"$//')
check "the form carries a challenge" test -n "$CH"
lapor() {	# lapor CHALLENGE [curl args]
	_c=$1
	shift
	page POST /lapor --form-string "challenge=$_c" --form-string "nonce=" \
	    --form-string kind=complaint --form-string "title=$HOSTILE_TITLE" \
	    --form-string "body=$HOSTILE_BODY" --form-string visibility=public \
	    --form-string agency=dinas-pu "$@"
}
lapor "$CH"
if [ "$ST" = 422 ] && grep -q 'name="challenge"' "$T/body"; then
	ok "sent at once without JavaScript: 422, the form again"
else notok "sent at once without JavaScript: 422, the form again" "HTTP $ST"; fi
valid "form with errors"
check "the form keeps what was typed, escaped" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/body"
sleep 1.2
lapor "$CH" -F "file=@$T/bukti.txt;filename=$HOSTILE_FILE;type=text/plain"
if [ "$ST" = 201 ]; then ok "after form_min_seconds: 201 receipt"
else notok "after form_min_seconds: 201 receipt" "HTTP $ST $(grep -o 'role="alert">.\{0,300\}' "$T/body" | head -n 1)"; fi
result "receipt: headers" "$(page_headers)"
valid "receipt page"
cp "$T/body" "$T/receipt.html"
CASE=$(grep -o 'class="caseref" translate="no">[^<]*' "$T/receipt.html" | sed 's/.*>//')
TOKEN=$(grep -o 'class="g">[^<]*' "$T/receipt.html" | sed 's/.*>//' | paste -sd- -)
if printf '%s' "$CASE" | grep -Eq "$CASE_RE" && [ ${#TOKEN} -eq 39 ]; then
	ok "receipt shows the case number and the token"
else notok "receipt shows the case number and the token" "case=$CASE token length ${#TOKEN}"; fi
case $(hdr Cache-Control) in *no-store*) ok "receipt: no-store" ;; *) notok "receipt: no-store" "$(hdr Cache-Control)" ;; esac
lapor "$CH"
if [ "$ST" = 422 ] && grep -q 'role="alert"' "$T/body"; then ok "the same challenge twice: refused"
else notok "the same challenge twice: refused" "HTTP $ST"; fi
lapor "AAAA"
check "a forged challenge: refused" test "$ST" = 422

# The signed proof of filing.
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$T/receipt.html" | head -n 1 | sed 's/.*value="//; s/"$//'; }
page POST /lapor/bukti --data-urlencode "case=$(field case)" \
    --data-urlencode "at=$(field at)" \
    --data-urlencode "content_hash=$(field content_hash)" \
    --data-urlencode "signature=$(field signature)"
if [ "$ST" = 200 ] && jqt --arg c "$CASE" '.case == $c and (.signature | length) > 80' 2>/dev/null ||
    { [ "$ST" = 200 ] && [ "$(jq -r .case "$T/body")" = "$CASE" ]; }; then
	ok "proof of filing downloads as JSON"
else notok "proof of filing downloads as JSON" "HTTP $ST $(snip "$T/body")"; fi
case $(hdr Content-Disposition) in attachment*) ok "proof: an attachment" ;; *) notok "proof: an attachment" "$(hdr Content-Disposition)" ;; esac
page POST /lapor/bukti --data-urlencode "case=$(field case)" \
    --data-urlencode "at=2020-01-01T00:00:00Z" \
    --data-urlencode "content_hash=$(field content_hash)" \
    --data-urlencode "signature=$(field signature)"
check "a proof that does not verify: 400" test "$ST" = 400

# ---- following up --------------------------------------------------------------

pantau() { page POST /pantau --data-urlencode "token=$TOKEN" "$@"; }
pantau
if [ "$ST" = 200 ] && grep -q "$CASE" "$T/body"; then ok "/pantau with the token: the case"
else notok "/pantau with the token: the case" "HTTP $ST"; fi
result "/pantau view: headers" "$(page_headers)"
valid "/pantau view"
check "hostile title escaped" grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &quot;kutip&quot; &#39;satu&#39; javascript:alert(1)' "$T/body"
check "hostile body escaped" grep -q '&lt;img src=x onerror=alert(2)&gt;' "$T/body"
check "RTL override shown, not obeyed" grep -q '\[U+202E\]gpj.exe' "$T/body"
if grep -q '‮' "$T/body"; then notok "no raw RTL override" "found"; else ok "no raw RTL override"; fi
if grep -q '<script>alert\|<img src=x\|<svg onload' "$T/body"; then notok "no hostile markup" "found"; else ok "no hostile markup"; fi
check "hostile file name shown as text" grep -q 'svg onload=alert(4)_txt.exe' "$T/body"
if grep -q 'href="javascript' "$T/body"; then notok "no javascript: link" "found"; else ok "no javascript: link"; fi
page POST /pantau --data-urlencode "token=AAAA-BBBB"
if [ "$ST" = 401 ] && grep -q 'name="token"' "$T/body"; then ok "a wrong token: 401 and the form"
else notok "a wrong token: 401 and the form" "HTTP $ST"; fi
valid "/pantau refusal"
pantau -d aksi=unduh -d n=1
case "$ST $(hdr Content-Disposition)" in
"200 attachment"*) ok "reporter downloads the attachment" ;;
*) notok "reporter downloads the attachment" "HTTP $ST" ;;
esac
pantau -d aksi=balas --data-urlencode "body=Terima kasih, <b>ini</b> tambahan."
if [ "$ST" = 200 ] && grep -q 'Terima kasih, &lt;b&gt;ini&lt;/b&gt; tambahan.' "$T/body"; then
	ok "reporter replies"
else notok "reporter replies" "HTTP $ST"; fi
valid "/pantau after a reply"
page GET "/publik?q=%3Cscript%3Ealert(5)%3C%2Fscript%3E%22"
if grep -q '<script>alert(5)' "$T/body"; then notok "query value escaped" "found"
else ok "query value escaped"; fi
valid "/publik with a query"

# ---- staff ----------------------------------------------------------------------

# staff_login USER JAR: signs in through the form; the cookie lands in JAR.
staff_login() {
	page POST /staf/masuk -c "$2" --data-urlencode "username=$1" \
	    --data-urlencode "password=$PASS"
}
staff_login pusat "$T/ca.jar"
CK=$(hdr Set-Cookie)
case "$ST|$CK" in
"303|bisik_session="*"; Path=/; HttpOnly; SameSite=Strict")
	ok "staff sign-in: 303 and the session cookie" ;;
*) notok "staff sign-in: 303 and the session cookie" "HTTP $ST $CK" ;;
esac
result "sign-in: headers" "$(page_headers cookie)"
staff_login pusat-salah "$T/bad.jar"
if [ "$ST" = 401 ] && ! hdr Set-Cookie > /dev/null; then ok "wrong sign-in: 401, no cookie"
else notok "wrong sign-in: 401, no cookie" "HTTP $ST"; fi
valid "sign-in refused"
page GET /staf -b "$T/ca.jar"
check "queue page for the central admin" grep -q "$CASE" "$T/body"
valid "staff queue"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | sed 's/.*value="//; s/"$//')
check "staff forms carry a CSRF token" test ${#CSRF} -eq 64
page GET "/staf/kasus/$CASE" -b "$T/ca.jar"
check "case page for the central admin" grep -q 'name="action" value="dispose"' "$T/body"
valid "staff case page (central admin)"
check "case page escapes the hostile title" grep -q '&lt;script&gt;alert(1)' "$T/body"

act() {	# act JAR CSRF [curl args]
	_j=$1
	_c=$2
	shift 2
	page POST "/staf/kasus/$CASE/aksi" -b "$_j" ${_c:+--data-urlencode "csrf=$_c"} "$@"
}
act "$T/ca.jar" "" -d action=dispose -d agency=dinas-pu
check "an action without CSRF token: 403" test "$ST" = 403
act "$T/ca.jar" "$(printf '%064d' 0)" -d action=dispose -d agency=dinas-pu
check "an action with a wrong CSRF token: 403" test "$ST" = 403
act "$T/ca.jar" "$CSRF" -d action=dispose -d agency=dinas-pu -H 'Sec-Fetch-Site: cross-site'
check "a cross-site action: 403" test "$ST" = 403
act "" "$CSRF" -d action=dispose -d agency=dinas-pu
check "an action without a session: refused" test "$ST" = 403
act "$T/ca.jar" "$CSRF" -d action=dispose -d agency=dinas-pu \
    --data-urlencode "phrases=sekolah"
case "$ST $(hdr Location)" in
"303 /staf/kasus/$CASE?ok=1") ok "central admin disposes through the form" ;;
*) notok "central admin disposes through the form" "HTTP $ST $(grep -o 'role="alert">.\{0,200\}' "$T/body")" ;;
esac

staff_login admin-pu "$T/aa.jar"
page GET "/staf/kasus/$CASE" -b "$T/aa.jar"
CSRF_AA=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | sed 's/.*value="//; s/"$//')
valid "staff case page (agency admin)"
if grep -q 'sekolah' "$T/body"; then notok "agency sees the reviewed redaction" "phrase visible"
else ok "agency sees the reviewed redaction"; fi
act "$T/aa.jar" "$CSRF" -d action=accept -d liaison=lia-pu
check "another session's CSRF token: 403" test "$ST" = 403
act "$T/aa.jar" "$CSRF_AA" -d action=accept -d liaison=lia-pu
check "agency admin accepts through the form" test "$ST" = 303
staff_login lia-pu "$T/li.jar"
page GET "/staf/kasus/$CASE" -b "$T/li.jar"
CSRF_LI=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | sed 's/.*value="//; s/"$//')
page POST "/staf/kasus/$CASE/pesan" -b "$T/li.jar" --data-urlencode "csrf=$CSRF_LI" \
    --data-urlencode "body=Kami akan memperbaiki jalan minggu depan."
check "liaison messages the reporter" test "$ST" = 303
act "$T/li.jar" "$CSRF_LI" -d action=resolve \
    --data-urlencode "resolution=Jalan sudah ditambal pada 20 November."
check "liaison resolves through the form" test "$ST" = 303
page GET "/staf/kasus/$CASE?ok=1" -b "$T/li.jar"
valid "staff case page after resolving"
page GET /staf/sesi -b "$T/li.jar"
valid "sessions page"
page GET /staf/totp -b "$T/li.jar"
valid "two-factor page"
page GET /staf/instansi -b "$T/li.jar"
valid "agencies page"

pantau
if grep -q 'Jalan sudah ditambal' "$T/body" && grep -q 'Kami akan memperbaiki' "$T/body"; then
	ok "reporter sees the resolution and the message"
else notok "reporter sees the resolution and the message" "HTTP $ST"; fi
valid "/pantau resolved"
pantau -d aksi=nilai -d rating=5 --data-urlencode "comment=Cepat, terima kasih."
if [ "$ST" = 200 ] && grep -q 'st-closed' "$T/body"; then ok "reporter rates: closed"
else notok "reporter rates: closed" "HTTP $ST"; fi
valid "/pantau closed"

# Rotation: the new token is shown once, the old one stops working.
pantau -d aksi=ganti
NEWTOK=$(grep -o 'class="g">[^<]*' "$T/body" | sed 's/.*>//' | paste -sd- -)
if [ "$ST" = 200 ] && [ ${#NEWTOK} -eq 39 ] && [ "$NEWTOK" != "$TOKEN" ]; then
	ok "rotation shows a new token"
else notok "rotation shows a new token" "HTTP $ST ${#NEWTOK}"; fi
valid "/pantau after rotation"
pantau
check "the old token stops working" test "$ST" = 401
OLDTOKEN=$TOKEN
TOKEN=$NEWTOK
pantau
check "the new token works" test "$ST" = 200

# Publication and the public pages.
act "$T/ca.jar" "$CSRF" -d action=publish
check "central admin publishes through the form" test "$ST" = 303
page GET /publik
if [ "$ST" = 200 ] && grep -q "$CASE" "$T/body"; then ok "/publik lists the published case"
else notok "/publik lists the published case" "HTTP $ST"; fi
if grep -q '<script>alert' "$T/body"; then notok "/publik escapes the title" "found"
else ok "/publik escapes the title"; fi
valid "/publik with a case"
page GET /statistik
if [ "$ST" = 200 ] && grep -q '<svg class="chart"' "$T/body" &&
    grep -q '&lt; 5' "$T/body"; then ok "/statistik: charts, small counts suppressed"
else notok "/statistik: charts, small counts suppressed" "HTTP $ST"; fi
check "/statistik shows the audit head" grep -Eq '<code class="mono">[0-9a-f]{64}</code>' "$T/body"
valid "/statistik with figures"
page GET /staf/pengungkapan -b "$T/ca.jar"
check "disclosure requests page" test "$ST" = 200
valid "disclosure requests page"

page POST /staf/keluar -b "$T/li.jar" --data-urlencode "csrf=$CSRF_LI"
case "$ST $(hdr Set-Cookie)" in
"303 bisik_session=; Path=/; Max-Age=0"*) ok "sign-out clears the cookie" ;;
*) notok "sign-out clears the cookie" "HTTP $ST $(hdr Set-Cookie)" ;;
esac
page GET /staf -b "$T/li.jar"
check "after sign-out: the sign-in form" grep -q 'action="/staf/masuk"' "$T/body"

# ---- the token never in a URL ------------------------------------------------------

leak=""
for tk in "$OLDTOKEN" "$TOKEN"; do
	CANON=$(printf '%s' "$tk" | tr -d '-')
	for f in "$T"/seen/*.h; do
		if grep -i -e '^Location:' -e '^Set-Cookie:' "$f" |
		    grep -q -e "$tk" -e "$CANON"; then leak="$leak $f"; fi
	done
	for f in "$T"/seen/*.b; do
		if grep -o -e 'href="[^"]*"' -e 'action="[^"]*"' -e 'src="[^"]*"' "$f" |
		    grep -q -e "$tk" -e "$CANON"; then leak="$leak $f"; fi
	done
	if grep -q -e "$tk" -e "$CANON" "$SRV_LOG"; then leak="$leak (log)"; fi
done
result "the tokens are in no URL, Location, cookie or log line" "$leak"

stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
finish
