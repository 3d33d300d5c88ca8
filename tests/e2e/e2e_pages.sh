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
# What a reporter without JavaScript relies on: every error of the form at
# once; the language switch keeping what was typed (/lapor/bahasa), the
# receipt (/lapor/tanda-terima, the token in the body) and the follow-up;
# the printable receipt and the proof of filing to read; a form sent again
# told it was filed; what happens next in working days and WIB times; the
# case with agency and category by name and its identity line; photos
# inline through a capability that names no token; exactly K of N on the
# home page; a wrong token never speaking of sessions, a wrong password
# never of tokens; /publik and /statistik with names, filters and small
# figures in words.
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
add agency add --id kemen-pu-bm --name "Ditjen Bina Marga" --parent kemen-pu
add user add --username pusat --role central_admin --password-file "$T/pw"
add user add --username admin-pu --role agency_admin --agency dinas-pu --password-file "$T/pw"
add user add --username lia-pu --role liaison --agency dinas-pu --password-file "$T/pw"
# The form's waiting time is long enough that the three posts sent "too
# soon" below are, also on a loaded machine running the sanitizer build;
# each is judged by this script's clock all the same (now_ms).
CONF='{"pow_difficulty":0,"form_min_seconds":10}'
CONF=${BISIK_PAGES_CONFIG:-$CONF}
FORM_MIN=$(printf '%s' "$CONF" | jq '.form_min_seconds // 5')
serve "$CONF" ||
    die "setup" "cannot start bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"

# now_ms: the wall clock in milliseconds, the clock whose whole seconds
# the server counts the form's waiting time in (time(3)).
now_ms() {
	date +%s%3N
}
# soon MS: true if MS milliseconds, from just before a form's GET to
# after the answer to its POST, are so few that the server was certainly
# still counting the waiting time, whatever the rounding to whole seconds
# (and time(3) lagging the fine clock by a tick).
soon() {
	[ "$1" -lt $((FORM_MIN * 1000 - 1100)) ]
}

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
check "agencies grouped: central government, a sub-agency with its parent" grep -q '<optgroup label="Instansi pusat (kementerian dan lembaga)"><option value="kemen-pu-bm">Ditjen Bina Marga</option><option value="kemen-pu">' "$T/body"
check "a sub-agency goes with its parent" grep -q '<option value="dinas-pu-bdg">Dinas PU Kota Bandung</option>' "$T/body"
cats=$(grep -o '<select id="category"[^§]*</select>' "$T/body" | grep -o 'option value="[^"]*"' | sed 's/.*="//; s/"$//' | tr '\n' ' ')
case $cats in
" administrasi-kependudukan agama bantuan-sosial "*"lainnya ") ok "categories by name, Lainnya last" ;;
*) notok "categories by name, Lainnya last" "$cats" ;;
esac
check "the kinds explained" grep -q 'id="kind-help">Pengaduan: ' "$T/body"
check "the handling time in working days" grep -q 'dalam 3 hari kerja' "$T/body"
page GET /
check "the home page says exactly K of N" grep -q '1 dari 1 admin pusat bersama-sama' "$T/body"
if grep -q 'beberapa admin pusat' "$T/body"; then notok "no \"several central admins\"" "found"
else ok "no \"several central admins\""; fi
check "central admins see original uploads, said" grep -q 'Admin pusat dapat melihat lampiran persis' "$T/body"
page GET "/?lang=en"
check "K of N in English" grep -q '1 of the 1 central admins together' "$T/body"

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

for f in bisik.css:text/css pow.js:text/javascript bisik.js:text/javascript \
    ikon.svg:image/svg+xml; do
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

lapor() {	# lapor CHALLENGE [curl args]
	_c=$1
	shift
	page POST /lapor --form-string "challenge=$_c" --form-string "nonce=" \
	    --form-string kind=complaint --form-string "title=$HOSTILE_TITLE" \
	    --form-string "body=$HOSTILE_BODY" --form-string visibility=public \
	    --form-string agency=dinas-pu "$@"
}
# A form sent at once: refused for the waiting time alone. If this
# script's clock says the answer came too late to tell (a machine stalled
# for seconds), the check saw nothing: a fresh form, at most three times,
# and the last is judged.
try=0
while :; do
	try=$((try + 1))
	T_FORM=$(now_ms)
	page GET /lapor
	T_GOT=$(now_ms)
	CH=$(grep -o 'name="challenge" value="[^"]*"' "$T/body" | sed 's/.*value="//; s/"$//')
	lapor "$CH"
	took=$(($(now_ms) - T_FORM))
	soon "$took" && break
	echo "# try $try: the form was sent back $took ms after its GET, too late to tell"
	[ $try -lt 3 ] || break
done
check "the form carries a challenge" test -n "$CH"
if ! soon "$took"; then
	notok "sent at once without JavaScript: 422, the form again" \
	    "each of $try tries took about form_min_seconds ($FORM_MIN s) or more: nothing checked"
elif [ "$ST" = 422 ] && [ -n "$CH" ] && grep -q "name=\"challenge\" value=\"$CH\"" "$T/body" &&
    [ "$(grep -o '<li><a href="#' "$T/body" | wc -l)" -eq 1 ] &&
    grep -q '<li><a href="#pow-status"' "$T/body" && grep -q 'terlalu cepat' "$T/body"; then
	ok "sent at once without JavaScript: 422, the form again"
else notok "sent at once without JavaScript: 422, the form again" "HTTP $ST $(grep -o '<li><a href="#[^"]*' "$T/body" | tr '\n' ' ')"; fi
valid "form with errors"
check "the form keeps what was typed, escaped" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/body"
T_SENT=$(now_ms)
page POST /lapor --form-string "challenge=$CH" --form-string "nonce=" \
    --form-string kind=complaint --form-string "title=abc" \
    --form-string "body=pendek" --form-string "occurred_on=kemarin" \
    --form-string agency=tidak-ada
took=$(($(now_ms) - T_FORM))
n=$(grep -o '<li><a href="#' "$T/body" | wc -l)
# Four field errors and the waiting time. Only when this script's clock
# cannot tell whether the waiting time still ran may it be missing, and
# when it has certainly passed it must be.
pow=0
grep -q 'href="#pow-status"' "$T/body" && grep -q 'terlalu cepat' "$T/body" && pow=1
if soon "$took"; then
	want="5 with the waiting time"
	good=$([ "$n" = 5 ] && [ $pow = 1 ] && echo 1)
elif [ $((T_SENT - T_GOT)) -ge $((FORM_MIN * 1000 + 100)) ]; then
	want="4 without the waiting time"
	good=$([ "$n" = 4 ] && [ $pow = 0 ] && echo 1)
else
	want="4, or 5 with the waiting time"
	good=$([ "$n" = $((4 + pow)) ] && echo 1)
fi
if [ "$ST" = 422 ] && [ -n "$good" ] && grep -q "Ada $n isian yang perlu diperbaiki" "$T/body" &&
    grep -q 'href="#title"' "$T/body" && grep -q 'href="#body"' "$T/body" &&
    grep -q 'href="#occurred_on"' "$T/body" && grep -q 'href="#agency"' "$T/body"; then
	ok "every error of the form at once, each linked to its input"
else notok "every error of the form at once, each linked to its input" "HTTP $ST, $n errors (want $want; $took ms after the GET)"; fi
check "an invalid input is marked" grep -q 'id="title" name="title" type="text" maxlength="200" aria-describedby="title-help" required aria-invalid="true"' "$T/body"
valid "form with every error"
page POST /lapor/bahasa --form-string "challenge=$CH" --form-string "nonce=" \
    --form-string "title=Judul yang diketik" --form-string "body=Isi yang diketik" \
    --form-string "periksa=1" --form-string "ganti_bahasa=en"
if [ "$ST" = 200 ] && grep -q '<html lang="en">' "$T/body" &&
    grep -q 'value="Judul yang diketik"' "$T/body" && grep -q '>Isi yang diketik</textarea>' "$T/body" &&
    grep -q "value=\"$CH\"" "$T/body" && grep -q 'href="#body"' "$T/body"; then
	ok "the form's language switch keeps what was typed, its challenge and errors"
else notok "the form's language switch keeps what was typed, its challenge and errors" "HTTP $ST"; fi
valid "form in the other language"
check "the form's switch posts the form" grep -q 'form="lapor" formaction="/lapor/bahasa" formnovalidate name="ganti_bahasa" value="id"' "$T/body"
# The waiting time has passed once form_min_seconds have since the GET
# was answered (its challenge was made before that), by this clock.
while [ $(($(now_ms) - T_GOT)) -lt $((FORM_MIN * 1000 + 100)) ]; do
	sleep 0.2
done
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
if grep -q 'Tenggat</dt><dd>[^<]*, <time datetime="[0-9T:Z-]*">23.59 WIB</time> – [0-9] hari kerja lagi' "$T/receipt.html" &&
    grep -q 'Admin pusat</dd>' "$T/receipt.html" && grep -q 'Tenggat: batas waktu' "$T/receipt.html"; then
	ok "receipt: who acts next and by when, in working days and WIB"
else notok "receipt: who acts next and by when, in working days and WIB" "$(grep -o 'Tenggat</dt><dd>.\{0,200\}' "$T/receipt.html")"; fi
check "receipt: the escrow fingerprint" grep -Eq 'class="fp mono" translate="no">([0-9A-Z]{4}-){12}[0-9A-Z]{4}<' "$T/receipt.html"
check "receipt: its language switch is a form, the token in its body" grep -q '<form class="lang" method="post" action="/lapor/tanda-terima"><input type="hidden" name="token" value="'"$TOKEN"'">' "$T/receipt.html"
check "receipt: Back becomes a GET of /lapor with JavaScript" grep -q '<meta name="bisik-get" content="/lapor">' "$T/receipt.html"
lapor "$CH"
if [ "$ST" = 409 ] && grep -q 'Laporan ini sudah terkirim' "$T/body" &&
    ! grep -q 'id="lapor"' "$T/body"; then ok "the same form twice: told it was filed, no form to file again"
else notok "the same form twice: told it was filed, no form to file again" "HTTP $ST"; fi
valid "form sent again"
result "form sent again: headers" "$(page_headers)"
lapor "AAAA"
check "a forged challenge: refused" test "$ST" = 422

# The signed proof of filing.
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$T/receipt.html" | head -n 1 | sed 's/.*value="//; s/"$//'; }
# The receipt's fields, with the sealed identity's hash when there is one
# and the audit head at filing (every receipt is a witness of the chain).
idh() { [ -n "$(field identity_hash)" ] && printf 'identity_hash=%s' "$(field identity_hash)" || printf 'x=1'; }
page POST /lapor/bukti --data-urlencode "case=$(field case)" \
    --data-urlencode "at=$(field at)" \
    --data-urlencode "content_hash=$(field content_hash)" \
    --data-urlencode "$(idh)" \
    --data-urlencode "audit_seq=$(field audit_seq)" \
    --data-urlencode "audit_head=$(field audit_head)" \
    --data-urlencode "signature=$(field signature)"
if [ "$ST" = 200 ] && jq -e --arg c "$CASE" '.case == $c and (.signature | length) > 80 and
    (.audit_seq | type == "number") and (.audit_head | test("^[0-9a-f]{64}$"))' "$T/body" > /dev/null 2>&1; then
	ok "proof of filing downloads as JSON"
else notok "proof of filing downloads as JSON" "HTTP $ST $(snip "$T/body")"; fi
case $(hdr Content-Disposition) in attachment*) ok "proof: an attachment" ;; *) notok "proof: an attachment" "$(hdr Content-Disposition)" ;; esac
page POST /lapor/bukti --data-urlencode "case=$(field case)" \
    --data-urlencode "at=2020-01-01T00:00:00Z" \
    --data-urlencode "content_hash=$(field content_hash)" \
    --data-urlencode "$(idh)" \
    --data-urlencode "audit_seq=$(field audit_seq)" \
    --data-urlencode "audit_head=$(field audit_head)" \
    --data-urlencode "signature=$(field signature)"
check "a proof that does not verify: 400" test "$ST" = 400
page POST /lapor/bukti --data-urlencode "case=$(field case)" \
    --data-urlencode "at=$(field at)" \
    --data-urlencode "content_hash=$(field content_hash)" \
    --data-urlencode "$(idh)" \
    --data-urlencode "audit_seq=$(( $(field audit_seq) + 1 ))" \
    --data-urlencode "audit_head=$(field audit_head)" \
    --data-urlencode "signature=$(field signature)"
check "a proof naming another audit head: 400" test "$ST" = 400
page POST /lapor/bukti --data-urlencode "case=$(field case)" \
    --data-urlencode "at=$(field at)" \
    --data-urlencode "content_hash=$(field content_hash)" \
    --data-urlencode "$(idh)" \
    --data-urlencode "audit_seq=$(field audit_seq)" \
    --data-urlencode "audit_head=$(field audit_head)" \
    --data-urlencode "signature=$(field signature)" -d format=html
if [ "$ST" = 200 ] && grep -q "$CASE" "$T/body" && grep -q 'Tanda tangan ini sah' "$T/body" &&
    grep -q 'WIB</time>' "$T/body" && ! grep -q "$TOKEN" "$T/body" &&
    grep -q ">$(field audit_seq):$(field audit_head)<" "$T/body"; then
	ok "proof of filing as a document to read"
else notok "proof of filing as a document to read" "HTTP $ST"; fi
valid "proof of filing to read"

# The receipt again: in the other language, and printable.
receipt_again() {
	_tk=$1
	shift
	page POST /lapor/tanda-terima --data-urlencode "token=$_tk" \
	    --data-urlencode "case=$(field case)" --data-urlencode "at=$(field at)" \
	    --data-urlencode "content_hash=$(field content_hash)" \
	    --data-urlencode "$(idh)" \
	    --data-urlencode "audit_seq=$(field audit_seq)" \
	    --data-urlencode "audit_head=$(field audit_head)" \
	    --data-urlencode "signature=$(field signature)" "$@"
}
receipt_again "$TOKEN" -d lang=en
AGAIN=$(grep -o 'class="g">[^<]*' "$T/body" | sed 's/.*>//' | paste -sd- -)
if [ "$ST" = 200 ] && grep -q '<html lang="en">' "$T/body" && grep -q "$CASE" "$T/body" &&
    [ "$AGAIN" = "$TOKEN" ] && grep -q 'What happens next' "$T/body" &&
    grep -q '23:59 WIB' "$T/body"; then
	ok "the language switch keeps the receipt: case, token, next step"
else notok "the language switch keeps the receipt: case, token, next step" "HTTP $ST"; fi
result "receipt in English: headers" "$(page_headers)"
case $(hdr Cache-Control) in *no-store*) ok "receipt again: no-store" ;; *) notok "receipt again: no-store" "$(hdr Cache-Control)" ;; esac
valid "receipt in English"
receipt_again "$TOKEN" -d cetak=1
if [ "$ST" = 200 ] && grep -q 'Tanda terima untuk dicetak' "$T/body" &&
    grep -q 'class="fp mono"' "$T/body" && grep -q 'Apa selanjutnya' "$T/body" &&
    [ "$(grep -o 'class="g">[^<]*' "$T/body" | sed 's/.*>//' | paste -sd- -)" = "$TOKEN" ]; then
	ok "the printable receipt: case, token, next step, fingerprint"
else notok "the printable receipt: case, token, next step, fingerprint" "HTTP $ST"; fi
valid "printable receipt"
receipt_again "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"
if [ "$ST" = 401 ] && ! grep -qi 'sesi' "$T/body"; then ok "the receipt with a wrong token: 401"
else notok "the receipt with a wrong token: 401" "HTTP $ST"; fi

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
check "/pantau: what happens next with a WIB deadline" grep -q 'Tenggat</dt><dd>[^<]*, <time datetime="[0-9T:Z-]*">23.59 WIB</time>' "$T/body"
if grep -q '<dt>Instansi</dt><dd>Dinas Pekerjaan Umum</dd>' "$T/body" &&
    grep -q '<dt>Identitas</dt><dd>tidak ada</dd>' "$T/body" &&
    grep -q '<dt>Kategori</dt><dd>tidak diisi</dd>' "$T/body"; then
	ok "/pantau: agency by name, category, identity line"
else notok "/pantau: agency by name, category, identity line" "$(grep -o '<dl class="facts">.\{0,300\}' "$T/body" | head -n 1)"; fi
check "/pantau: sizes in B, kB or MB" grep -Eq '<td>[0-9]+(,[0-9])? (B|kB|MB)</td>' "$T/body"
check "/pantau: its language switch posts the token" grep -q '<form class="lang" method="post" action="/pantau"><input type="hidden" name="token"' "$T/body"
pantau -d lang=en
if [ "$ST" = 200 ] && grep -q '<html lang="en">' "$T/body" && grep -q "$CASE" "$T/body" &&
    grep -q 'What happens next' "$T/body"; then ok "/pantau: the language switch keeps the case"
else notok "/pantau: the language switch keeps the case" "HTTP $ST"; fi
valid "/pantau in English"
check "/pantau: the upload help does not contradict itself" grep -q 'One file at a time: JPEG, PNG, WebP, PDF or text, at most 10 MB. A report can hold at most 20 attachments.' "$T/body"
if grep -q 'Optional' "$T/body"; then notok "/pantau: no \"optional\" for a required file" "found"
else ok "/pantau: no \"optional\" for a required file"; fi

# A photo: shown inline through a capability, not a token.
page POST /pantau -F "token=$TOKEN" -F aksi=lampir \
    -F "file=@$ROOT/tests/fixtures/gps.jpg;type=image/jpeg"
check "reporter attaches a photo" test "$ST" = 200
PHOTO=$(grep -o 'src="/pantau/foto/[A-Za-z0-9_-]*"' "$T/body" | head -n 1 | sed 's/src="//; s/"$//')
check "/pantau: the photo inline" test -n "$PHOTO"
valid "/pantau with a photo"
page GET "$PHOTO"
case "$ST $(hdr Content-Type) $(hdr Cache-Control)" in
"200 image/jpeg no-store") ok "the photo capability serves the image, no-store" ;;
*) notok "the photo capability serves the image, no-store" "$ST $(hdr Content-Type) $(hdr Cache-Control)" ;;
esac
if hdr Content-Disposition > /dev/null; then notok "the photo is inline" "$(hdr Content-Disposition)"
else ok "the photo is inline"; fi
if LC_ALL=C grep -q 'GPS' "$T/body"; then notok "the photo comes without its GPS metadata" "found"
else ok "the photo comes without its GPS metadata"; fi
BAD=$(printf '%s' "$PHOTO" | sed 's/.$/A/')
[ "$BAD" = "$PHOTO" ] && BAD=$(printf '%s' "$PHOTO" | sed 's/.$/B/')
page GET "$BAD"
check "a forged photo capability: 404" test "$ST" = 404
page GET "/pantau/foto/AAAA"
check "a short photo capability: 404" test "$ST" = 404
if grep -q 'href="javascript' "$T/body"; then notok "no javascript: link" "found"; else ok "no javascript: link"; fi
page POST /pantau --data-urlencode "token=AAAA-BBBB"
if [ "$ST" = 401 ] && grep -q 'name="token"' "$T/body"; then ok "a wrong token: 401 and the form"
else notok "a wrong token: 401 and the form" "HTTP $ST"; fi
if grep -o 'role="alert">.*' "$T/body" | grep -qi -e 'sesi' -e 'masuk'; then
	notok "a wrong token never speaks of sessions or signing in" "$(grep -o 'role="alert">.\{0,200\}' "$T/body")"
else ok "a wrong token never speaks of sessions or signing in"; fi
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
if grep -o 'role="alert">.*' "$T/body" | grep -qi 'token'; then
	notok "a wrong password never speaks of tokens" "$(grep -o 'role="alert">.\{0,200\}' "$T/body")"
else ok "a wrong password never speaks of tokens"; fi
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
if grep -q 'Dinas Pekerjaan Umum' "$T/body" && grep -Eq 'Diselesaikan [A-Z][a-z]+, [0-9]+ [A-Z][a-z]+ [0-9]{4}' "$T/body"; then
	ok "/publik: agency by name, dates in words"
else notok "/publik: agency by name, dates in words" "$(grep -o 'class="meta">.\{0,300\}' "$T/body" | head -n 1)"; fi
check "/publik: the Atom feed linked" grep -q 'href="/api/v1/public/feed.atom" type="application/atom+xml"' "$T/body"
page GET "/publik?q=tidakadayangcocok"
check "/publik: a search that finds nothing says so" grep -q 'Tidak ada laporan publik yang cocok' "$T/body"
check "/publik: its language switch keeps the search" grep -q 'href="/publik?q=tidakadayangcocok&amp;lang=en"' "$T/body"
valid "/publik with no results"
page GET "/publik?kategori=kesehatan"
if grep -q "$CASE" "$T/body"; then notok "/publik: the category filter" "case of no category shown"
else ok "/publik: the category filter"; fi
check "/publik: the category kept" grep -q '<option value="kesehatan" selected>' "$T/body"
valid "/publik by category"
page GET /statistik
if [ "$ST" = 200 ] && grep -q '<svg class="chart"' "$T/body" &&
    grep -q '<td class="small">kurang dari 5 laporan</td>' "$T/body" &&
    grep -q 'Kurang dari 5 laporan\&quot;: angka dari kurang dari 5 laporan' "$T/body" &&
    ! grep -q '&lt; 5' "$T/body"; then ok "/statistik: small counts in words, explained"
else notok "/statistik: small counts in words, explained" "HTTP $ST"; fi
check "/statistik: agencies by name" grep -q '<th scope="row">Dinas Pekerjaan Umum</th>' "$T/body"
check "/statistik: a total row" grep -q '<tfoot><tr class="total"><th scope="row">Semua instansi</th>' "$T/body"
check "/statistik: categories" grep -q 'Angka per kategori' "$T/body"
check "/statistik: satisfaction" grep -q 'Kepuasan (1–5)' "$T/body"
check "/statistik: scrolling tables reachable by keyboard" grep -q '<div class="table" tabindex="0" role="region" aria-label="Angka per instansi">' "$T/body"
Y=$(date -u +%Y)
page GET "/statistik?periode=$Y"
if [ "$ST" = 200 ] && grep -q "<option value=\"$Y\" selected>" "$T/body"; then ok "/statistik: a period"
else notok "/statistik: a period" "HTTP $ST"; fi
valid "/statistik for a period"
page GET "/statistik?periode=zaman-dulu"
check "/statistik: a period that is none shows all time" grep -q '<option value="" selected\|<option value="">Sepanjang waktu</option>' "$T/body"
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
