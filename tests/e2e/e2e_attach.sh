#!/bin/sh
# e2e_attach.sh: attachments against a real bisikd on loopback.
#
# A reporter uploads a real photo carrying GPS EXIF (tests/fixtures/gps.jpg)
# through the follow-up; exiftool must find no GPS, camera or owner tag in
# any copy but the original, which only a central admin gets. Then: text
# (redacted for agency staff, sealed on disk), a PNG named .pdf, WebP,
# refused types (ELF, HTML, SVG), size limits at the edge and past it,
# malformed multipart (no boundary, two files, other fields, a NUL in the
# boundary), the per-case count limit, file names with "../" and control
# characters, staff evidence, roles and scope, and a grep of the data
# directory for plaintext.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_attach.sh
. "$(dirname "$0")/lib.sh"

need_binaries
# exiftool: libimage-exiftool-perl; convert: imagemagick.
need_tools exiftool convert python3 gzip

FIXTURE=$ROOT/tests/fixtures/gps.jpg
[ -f "$FIXTURE" ] || die "fixture" "$FIXTURE is missing"
# Small enough to test the edge cheaply; the fixture is 4 KB.
MAX=200000
CONFIG="{\"pow_difficulty\":0,\"max_attachment_bytes\":$MAX}"
# Letters only: a random run of digits could rightly look like a number to mask.
MARKER="PENANDA-RAHASIA-$(od -An -N6 -tx1 /dev/urandom | tr -d " \n" | tr 0-9a-f g-v)"

# ---- helpers -------------------------------------------------------------------

# as TOKEN METHOD PATH [curl args]: a request with a bearer token.
as() {
	_tok=$1
	shift
	_m=$1
	_p=$2
	shift 2
	api "$_m" "$_p" -H "Authorization: Bearer $_tok" "$@"
}

# up TOKEN FILE [NAME] [PATH]: uploads FILE as the field "file".
up() {
	_upn=${3:-$(basename "$2")}
	as "$1" POST "${4:-/api/v1/followup/attachments}" \
	    -F "file=@$2;filename=$_upn"
}

# raw_up TOKEN CONTENT_TYPE BODYFILE [PATH]: a hand-made multipart body.
raw_up() {
	as "$1" POST "${4:-/api/v1/followup/attachments}" \
	    -H "Content-Type: $2" --data-binary @"$3"
}

# part BOUNDARY NAME FILENAME CONTENT: one form-data part (printf %b for
# FILENAME so octal escapes can put control bytes in it).
part() {
	printf -- '--%s\r\n' "$1"
	if [ -n "$3" ]; then
		printf 'Content-Disposition: form-data; name="%s"; filename="%b"\r\n' "$2" "$3"
		printf 'Content-Type: application/octet-stream\r\n\r\n'
	else
		printf 'Content-Disposition: form-data; name="%s"\r\n\r\n' "$2"
	fi
	printf '%s\r\n' "$4"
}

# tags FILE: the metadata exiftool finds that identifies a person, place or
# camera (empty when clean).
tags() {
	exiftool -a -G1 -s "$1" 2>/dev/null | grep -iE \
	    'GPS|Make|Model|Serial|Artist|Creator|Comment|Thumbnail|XMP|Owner|Copyright' |
	    grep -v '^\[ExifTool\]' | tr '\n' ';'
}

# login USER PASSWORD: SESSION on 200; ends the script otherwise.
login() {
	SESSION=""
	api_json POST /api/v1/auth/login "$(jq -nc --arg u "$1" --arg p "$2" \
	    '{username:$u,password:$p}')"
	[ "$ST" = 200 ] && SESSION=$(jq -r '.session // empty' "$T/body")
	[ -n "$SESSION" ] || die "sign-in of $1" "status $ST: $(snip "$T/body")"
}

# ---- server, staff, a case --------------------------------------------------------

new_data || die "setup" "cannot make a data dir"
"$BISIKD" agency add --data "$SRV_DATA" --id dinas-kes --name "Dinas Kesehatan" \
    > /dev/null 2>&1 || die "setup" "agency add dinas-kes failed"
printf 'central admin password\n' > "$T/admin.pw"
printf 'liaison password one\n' > "$T/liaison.pw"
printf 'other liaison password\n' > "$T/other.pw"
printf 'auditor password one\n' > "$T/auditor.pw"
for spec in admin1:central_admin::admin liaison1:liaison:dinas-pu:liaison \
    liaison2:liaison:dinas-kes:other audit1:auditor::auditor; do
	_u=${spec%%:*}; _rest=${spec#*:}; _r=${_rest%%:*}; _rest=${_rest#*:}
	_a=${_rest%%:*}; _f=${_rest#*:}
	if [ -n "$_a" ]; then
		set -- --agency "$_a"
	else
		set --
	fi
	"$BISIKD" user add --data "$SRV_DATA" --username "$_u" --role "$_r" \
	    "$@" --password-file "$T/$_f.pw" > "$T/u.out" 2>&1 ||
	    die "user add $_u" "$(snip "$T/u.out")"
done
serve "$CONFIG" || die "serve" "bisikd did not start"

submit_report "$(printf '%s' "$VALID_REPORT" | jq -c '.agency = "dinas-pu"')"
[ "$ST" = 201 ] && [ -n "$TOKEN" ] || die "submit" "status $ST: $(snip "$T/body")"
C1=$CASE
TOK1=$TOKEN

# ---- the photo with GPS ------------------------------------------------------------

_w=$(tags "$FIXTURE")
case $_w in
*GPSLatitude*) ;;
*) die "fixture" "exiftool finds no GPS in the fixture: $_w" ;;
esac

up "$TOK1" "$FIXTURE" "IMG_2024 rumah.jpg"
_w=""
[ "$ST" = 201 ] || _w="status $ST: $(snip "$T/body")"
[ "$ST" = 201 ] && ! jqt '.attachment == 1 and .name == "IMG_2024 rumah.jpg" and
    .type == "image/jpeg" and (.size | type == "number") and
    (keys == ["attachment","name","size","type"])' && _w="answer: $(snip "$T/body")"
result "reporter uploads a GPS-tagged JPEG: 201 {attachment,name,type,size}" "$_w"

as "$TOK1" GET /api/v1/followup/attachments/1
cp "$T/body" "$T/reporter.jpg"
_w=""
[ "$ST" = 200 ] || _w="status $ST;"
case $(hdr Content-Type) in image/jpeg*) ;; *) _w="$_w type $(hdr Content-Type);" ;; esac
case $(hdr Content-Disposition) in
attachment*filename=*) ;; *) _w="$_w disposition $(hdr Content-Disposition);" ;;
esac
[ "$(hdr X-Content-Type-Options)" = nosniff ] || _w="$_w no nosniff;"
case $(hdr Cache-Control) in *no-store*) ;; *) _w="$_w cacheable;" ;; esac
case $(hdr Content-Security-Policy) in *"default-src 'none'"*) ;; *) _w="$_w CSP;" ;; esac
result "reporter downloads it: image/jpeg, attachment, nosniff, no-store" "$_w"
result "reporter's copy: exiftool finds no GPS, camera, owner, XMP or thumbnail" \
    "$(tags "$T/reporter.jpg")"
_dim=$(exiftool -s -s -s -ImageSize "$T/reporter.jpg" 2>/dev/null)
result "reporter's copy is upright (orientation applied: 48x64)" \
    "$([ "$_dim" = 48x64 ] || echo "size $_dim")"

# ---- staff: roles, scope, variants ----------------------------------------------------

login admin1 'central admin password'
ADMIN=$SESSION
login liaison1 'liaison password one'
LIAISON=$SESSION
login liaison2 'other liaison password'
OTHER=$SESSION
login audit1 'auditor password one'
AUDITOR=$SESSION

as "$LIAISON" GET "/api/v1/cases/$C1/attachments/1"
result "liaison before disposition: 404 (not routed yet)" "$(err_is 404 not_found)"

as "$ADMIN" GET "/api/v1/cases/$C1/attachments/1?variant=original"
cp "$T/body" "$T/original.jpg"
_w=""
[ "$ST" = 200 ] || _w="status $ST: $(snip "$T/body")"
cmp -s "$T/original.jpg" "$FIXTURE" || _w="$_w not the uploaded bytes"
case $(tags "$T/original.jpg") in *GPSLatitude*) ;; *) _w="$_w no GPS in the original" ;; esac
result "central admin gets the original with ?variant=original, GPS intact" "$_w"

as "$ADMIN" GET "/api/v1/cases/$C1/attachments/1"
cp "$T/body" "$T/admin.jpg"
result "central admin's default copy is stripped" \
    "$([ "$ST" = 200 ] || echo "status $ST")$(tags "$T/admin.jpg")"
case $(hdr Content-Disposition) in
*"IMG_2024 rumah.jpg"*) _w="" ;; *) _w="$(hdr Content-Disposition)" ;;
esac
result "central admin sees the reporter's file name" "$_w"
as "$ADMIN" GET "/api/v1/cases/$C1/attachments/1?variant=raw"
result "unknown variant: 422" "$(err_is 422 invalid)"

as "$ADMIN" POST "/api/v1/cases/$C1/actions" -H 'Content-Type: application/json' \
    --data-binary '{"action":"dispose","agency":"dinas-pu"}'
[ "$ST" = 200 ] || notok "dispose to dinas-pu" "status $ST: $(snip "$T/body")"

as "$LIAISON" GET "/api/v1/cases/$C1/attachments/1"
cp "$T/body" "$T/agency.jpg"
_w=""
[ "$ST" = 200 ] || _w="status $ST: $(snip "$T/body")"
_w="$_w$(tags "$T/agency.jpg")"
result "liaison (agency) gets the stripped copy: no GPS/camera tags" "$_w"
case $(hdr Content-Disposition) in
*rumah*) _w="reporter's name shown: $(hdr Content-Disposition)" ;;
*lampiran-1.jpg*) _w="" ;;
*) _w="$(hdr Content-Disposition)" ;;
esac
result "agency staff see a neutral name (lampiran-1.jpg)" "$_w"
as "$LIAISON" GET "/api/v1/cases/$C1/attachments/1?variant=original"
result "liaison asking for the original: 403" "$(err_is 403 forbidden)"
as "$OTHER" GET "/api/v1/cases/BSK-2000-999999/attachments/1"
cp "$T/body" "$T/404.missing"
as "$OTHER" GET "/api/v1/cases/$C1/attachments/1"
result "liaison of another agency: 404, byte for byte a missing case's" \
    "$(err_is 404 not_found)$(same_body "$T/404.missing")"
as "$AUDITOR" GET "/api/v1/cases/$C1/attachments/1"
result "auditor: 403" "$(err_is 403 forbidden)"
as "$LIAISON" GET "/api/v1/cases/$C1/attachments/99"
result "unknown attachment number: 404" "$(err_is 404 not_found)"
as "$LIAISON" GET "/api/v1/cases/BSK-2000-999999/attachments/1"
result "unknown case: 404" "$(err_is 404 not_found)"

# Staff evidence.
convert -size 20x10 xc:'#3070a0' "$T/evidence.png" 2> "$T/convert.err" ||
    die "setup" "convert a PNG: $(snip "$T/convert.err")"
up "$LIAISON" "$T/evidence.png" "bukti perbaikan.png" \
    "/api/v1/cases/$C1/attachments"
_w=""
[ "$ST" = 201 ] || _w="status $ST: $(snip "$T/body")"
[ "$ST" = 201 ] && ! jqt 'keys == ["attachment"] and .attachment == 2' &&
    _w="answer $(snip "$T/body")"
result "liaison uploads evidence: 201 {attachment}" "$_w"
up "$AUDITOR" "$T/evidence.png" "x.png" "/api/v1/cases/$C1/attachments"
result "auditor uploading evidence: 403" "$(err_is 403 forbidden)"
up "$OTHER" "$T/evidence.png" "x.png" "/api/v1/cases/BSK-2000-999999/attachments"
cp "$T/body" "$T/404.upmissing"
up "$OTHER" "$T/evidence.png" "x.png" "/api/v1/cases/$C1/attachments"
result "other agency uploading evidence: 404, byte for byte a missing case's" \
    "$(err_is 404 not_found)$(same_body "$T/404.upmissing")"
up "garbage-session" "$T/evidence.png" "x.png" "/api/v1/cases/$C1/attachments"
result "staff upload without a session: 401" "$(err_is 401 unauthorized)"
as "$TOK1" GET /api/v1/followup/attachments/2
_w=""
[ "$ST" = 200 ] || _w="status $ST"
case $(hdr Content-Type) in image/png*) ;; *) _w="$_w type $(hdr Content-Type)" ;; esac
result "reporter downloads staff evidence" "$_w"
followup "$TOK1"
result "reporter's view marks it as from staff" \
    "$(jqt '.attachments[] | select(.attachment == 2) | .from == "staff" and .name == "bukti perbaikan.png"' || jq -c '.attachments' "$T/body" | cut -c1-300)"

# ---- other types ---------------------------------------------------------------------

printf 'Catatan saksi %s.\nHubungi saya di 081234567890 atau saksi@example.com.\n' \
    "$MARKER" > "$T/catatan.txt"
up "$TOK1" "$T/catatan.txt"
TXT_N=$(jq -r '.attachment // empty' "$T/body")
result "plain text: 201 text/plain" \
    "$([ "$ST" = 201 ] && jqt '.type == "text/plain"' || echo "status $ST: $(snip "$T/body")")"
as "$TOK1" GET "/api/v1/followup/attachments/$TXT_N"
_w=""
cmp -s "$T/body" "$T/catatan.txt" || _w="not the text as written;"
case $(hdr Content-Type) in "text/plain; charset=utf-8") ;; *) _w="$_w type $(hdr Content-Type)" ;; esac
result "reporter gets their own text as written" "$_w"
as "$LIAISON" GET "/api/v1/cases/$C1/attachments/$TXT_N"
_w=""
[ "$ST" = 200 ] || _w="status $ST"
grep -q '081234567890\|saksi@example.com' "$T/body" && _w="$_w not redacted: $(snip "$T/body")"
grep -q "$MARKER" "$T/body" || _w="$_w text missing"
result "agency staff get the text redacted" "$_w"

convert "$FIXTURE" "$T/real.png" 2> "$T/convert.err" ||
    die "setup" "convert to PNG: $(snip "$T/convert.err")"
up "$TOK1" "$T/real.png" "scan.pdf"
PNG_N=$(jq -r '.attachment // empty' "$T/body")
result "a PNG named .pdf is stored as image/png" \
    "$([ "$ST" = 201 ] && jqt '.type == "image/png" and .name == "scan.pdf"' || echo "status $ST: $(snip "$T/body")")"
as "$TOK1" GET "/api/v1/followup/attachments/$PNG_N"
_w=""
case $(hdr Content-Type) in image/png*) ;; *) _w="type $(hdr Content-Type);" ;; esac
case $(hdr Content-Disposition) in *scan.pdf.png*) ;; *) _w="$_w $(hdr Content-Disposition)" ;; esac
result "it downloads as image/png named scan.pdf.png" "$_w"

convert "$FIXTURE" "$T/real.webp" 2> "$T/convert.err" ||
    die "setup" "convert to WebP: $(snip "$T/convert.err")"
case $(tags "$T/real.webp") in
*GPS*) ;;
*) die "setup" "the WebP made from the fixture carries no EXIF: $(tags "$T/real.webp")" ;;
esac
up "$TOK1" "$T/real.webp" "foto.webp"
W_N=$(jq -r '.attachment // empty' "$T/body")
as "$TOK1" GET "/api/v1/followup/attachments/$W_N"
cp "$T/body" "$T/out.webp"
result "WebP with EXIF: stored stripped" \
    "$([ "$ST" = 200 ] || echo "status $ST")$(tags "$T/out.webp")$(exiftool -s -s -s -EXIF:all "$T/out.webp" 2>/dev/null | head -c 80)"

printf '%%PDF-1.4\n%% %s\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' "$MARKER" > "$T/doc.pdf"
up "$TOK1" "$T/doc.pdf"
result "PDF: 201 application/pdf" \
    "$([ "$ST" = 201 ] && jqt '.type == "application/pdf"' || echo "status $ST: $(snip "$T/body")")"

# ---- refused types --------------------------------------------------------------------

head -c 8192 "$BISIKD" > "$T/elf"
up "$TOK1" "$T/elf" "foto.jpg"
result "an ELF executable named .jpg: 415 unsupported_type" "$(err_is 415 unsupported_type)"
printf '<!DOCTYPE html><html><script>alert(1)</script></html>\n' > "$T/x.html"
up "$TOK1" "$T/x.html" "x.txt"
result "HTML named .txt: 415" "$(err_is 415 unsupported_type)"
printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n' > "$T/x.svg"
up "$TOK1" "$T/x.svg"
result "SVG: 415" "$(err_is 415 unsupported_type)"
printf 'PK\003\004\024\000\000\000\010\000rest of a zip' > "$T/x.zip"
up "$TOK1" "$T/x.zip"
result "zip: 415" "$(err_is 415 unsupported_type)"
: > "$T/empty.txt"
up "$TOK1" "$T/empty.txt"
result "empty file: 415" "$(err_is 415 unsupported_type)"
printf '\377\330\377\340 this is not a real jpeg at all, just bytes' > "$T/bad.jpg"
up "$TOK1" "$T/bad.jpg"
result "corrupt JPEG: 422 with fields" "$(err_is 422 invalid_image)"

# A PNG whose header claims 100000x100000 (a decompression bomb); the
# header CRC is computed with gzip's CRC-32 (the same polynomial).
printf 'IHDR\000\001\206\240\000\001\206\240\010\002\000\000\000' > "$T/ihdr"
_crc=$(gzip -c < "$T/ihdr" | tail -c 8 | head -c 4 | od -An -tx1 |
    awk '{ printf "%s%s%s%s", $4, $3, $2, $1 }')
{
	printf '\211PNG\r\n\032\n\000\000\000\015'
	cat "$T/ihdr"
	for _i in 0 2 4 6; do
		printf "\\$(printf '%03o' "0x$(echo "$_crc" | cut -c$((_i + 1))-$((_i + 2)))")"
	done
	printf '\000\000\000\000IDAT\000\000\000\000\000\000\000\000IEND\256B`\202'
} > "$T/bomb.png"
up "$TOK1" "$T/bomb.png"
result "PNG claiming 100000x100000: 422 image_too_large" "$(err_is 422 image_too_large)"

# ---- size limits ------------------------------------------------------------------------

head -c "$MAX" /dev/zero | tr '\000' 'a' > "$T/max.txt"
up "$TOK1" "$T/max.txt"
MAX_N=$(jq -r '.attachment // empty' "$T/body")
result "a file of exactly max_attachment_bytes: 201" \
    "$([ "$ST" = 201 ] || echo "status $ST: $(snip "$T/body")")"
head -c $((MAX + 1)) /dev/zero | tr '\000' 'a' > "$T/over.txt"
up "$TOK1" "$T/over.txt"
result "one byte over max_attachment_bytes: 413" "$(err_is 413 too_large)"
head -c $((MAX + 70000)) /dev/zero | tr '\000' 'a' > "$T/over2.txt"
up "$TOK1" "$T/over2.txt"
result "past the file limit and its slack (Content-Length): 413" "$(err_is 413 too_large)"
as "$TOK1" POST /api/v1/followup/attachments -H 'Transfer-Encoding: chunked' \
    -F "file=@$T/over2.txt"
result "far over the limit, chunked (no Content-Length): 413" "$(err_is 413 too_large)"

# ---- malformed multipart ------------------------------------------------------------------

B=bisikboundary42
part "$B" file "a.txt" "halo" > "$T/mp"
printf -- '--%s--\r\n' "$B" >> "$T/mp"
raw_up "$TOK1" "multipart/form-data" "$T/mp"
result "multipart without a boundary: 415" "$(err_is 415 unsupported_media_type)"
raw_up "$TOK1" "application/json" "$T/mp"
result "JSON content type on an attachment route: 415" "$(err_is 415 unsupported_media_type)"
raw_up "$TOK1" "multipart/form-data; boundary=$B; charset=utf-8" "$T/mp"
result "a parameter after the boundary: 415" "$(err_is 415 unsupported_media_type)"
raw_up "$TOK1" 'multipart/form-data; boundary="' "$T/mp"
result "boundary of one quote (CVE-2023-27371): 415" "$(err_is 415 unsupported_media_type)"
raw_up "$TOK1" "multipart/form-data; boundary=$(printf 'ab\001cd')" "$T/mp"
result "control byte in the boundary: 415" "$(err_is 415 unsupported_media_type)"
raw_up "$TOK1" "multipart/form-data; boundary=$(rep x 71)" "$T/mp"
result "boundary of 71 characters: 415" "$(err_is 415 unsupported_media_type)"
B70=$(rep x 70)
{ part "$B70" file "b70.txt" "halo"; printf -- '--%s--\r\n' "$B70"; } > "$T/mp70"
raw_up "$TOK1" "multipart/form-data; boundary=\"$B70\"" "$T/mp70"
result "quoted boundary of 70 characters: 201" \
    "$([ "$ST" = 201 ] || echo "status $ST: $(snip "$T/body")")"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/mp"
result "well-formed hand-made body: 201" \
    "$([ "$ST" = 201 ] || echo "status $ST: $(snip "$T/body")")"

{ part "$B" file "a.txt" "satu"; part "$B" file "b.txt" "dua"; printf -- '--%s--\r\n' "$B"; } > "$T/two"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/two"
result "two files in one request: 400" "$(err_is 400 malformed)"
{ part "$B" file "" ""; part "$B" file "b.txt" "dua"; printf -- '--%s--\r\n' "$B"; } > "$T/two2"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/two2"
result "a plain field named file, then a file: 400" "$(err_is 400 malformed)"
{ part "$B" note "" "hi"; part "$B" file "b.txt" "dua"; printf -- '--%s--\r\n' "$B"; } > "$T/other"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/other"
result "another form field: 400" "$(err_is 400 malformed)"
part "$B" file "a.txt" "no closing boundary" > "$T/open"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/open"
result "no closing boundary: 400" "$(err_is 400 malformed)"
printf -- '--%s--\r\n' "$B" > "$T/none"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/none"
result "no part at all: 400" "$(err_is 400 malformed)"
{ printf -- '--ab\000cd\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalo\r\n--ab\000cd--\r\n'; } > "$T/nul"
raw_up "$TOK1" "multipart/form-data; boundary=abcd" "$T/nul"
result "NUL inside the body's boundary lines: 400, server up" \
    "$(err_is 400 malformed)$(alive || echo ' server down')"
python3 - "$SRV_PORT" "$TOK1" > "$T/nulhdr" 2>&1 <<'EOF'
import socket, sys
body = b'--ab\x00cd\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalo\r\n--ab\x00cd--\r\n'
req = (b'POST /api/v1/followup/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n'
       b'Authorization: Bearer ' + sys.argv[2].encode() + b'\r\n'
       b'Content-Type: multipart/form-data; boundary=ab\x00cd\r\n'
       b'Content-Length: ' + str(len(body)).encode() + b'\r\nConnection: close\r\n\r\n' + body)
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
s.sendall(req)
data = b''
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.split(b'\r\n', 1)[0].decode('latin-1'))
EOF
_st=$(head -n 1 "$T/nulhdr" | awk '{ print $2 }')
case $_st in
400 | 415) _w="" ;;
*) _w="answer: $(snip "$T/nulhdr")" ;;
esac
alive || _w="$_w server down"
result "NUL inside the Content-Type boundary: 400/415, server up" "$_w"

# ---- names ------------------------------------------------------------------------------------

{ part "$B" file '../../etc/pa\001ss\033wd\342\200\256gpj.txt' "isi berkas"; printf -- '--%s--\r\n' "$B"; } > "$T/evil"
raw_up "$TOK1" "multipart/form-data; boundary=$B" "$T/evil"
EVIL_N=$(jq -r '.attachment // empty' "$T/body")
result "file name with ../ and control characters: 201" \
    "$([ "$ST" = 201 ] || echo "status $ST: $(snip "$T/body")")"

followup "$TOK1"
_w=""
[ "$ST" = 200 ] || _w="status $ST"
jqt '.attachments | type == "array" and length >= 6 and
    all(.[]; (.name | type == "string") and (.size | type == "number") and
    (.attachment | type == "number") and (.type | type == "string"))' ||
    _w="$_w attachments: $(jq -c '.attachments' "$T/body" | cut -c1-300)"
result "reporter's view lists attachments with names and sizes" "$_w"
_name=$(jq -r --argjson n "${EVIL_N:-0}" '.attachments[] | select(.attachment == $n) | .name' "$T/body")
result "the view shows the sanitised name (passwdgpj.txt)" \
    "$([ "$_name" = "passwdgpj.txt" ] || printf 'got %s' "$_name" | od -c | head -2 | tr '\n' ' ')"
_sz=$(jq -r --argjson n "${MAX_N:-0}" '.attachments[] | select(.attachment == $n) | .size' "$T/body")
result "the view gives the size in bytes" "$([ "$_sz" = "$MAX" ] || echo "size $_sz")"
jqt '[.timeline[] | select(.event == "attachment")] | length >= 6' ||
    notok "timeline has attachment events" "$(jq -c '.timeline' "$T/body" | cut -c1-300)"
jqt '[.timeline[] | select(.event == "attachment")] | length >= 6' &&
    ok "timeline has attachment events"

# ---- per-case limit, closed cases, tokens --------------------------------------------------------

submit_report
TOK2=$TOKEN
printf 'isi\n' > "$T/small.txt"
_n=0
_bad=""
while [ $_n -lt 20 ]; do
	up "$TOK2" "$T/small.txt" "f$_n.txt"
	[ "$ST" = 201 ] || _bad="upload $_n: status $ST $(snip "$T/body")"
	_n=$((_n + 1))
done
result "20 attachments on one case" "$_bad"
up "$TOK2" "$T/small.txt" "f21.txt"
result "the 21st: 409 attachment_limit" "$(err_is 409 attachment_limit)"

submit_report
TOK3=$TOKEN
as "$ADMIN" POST "/api/v1/cases/$CASE/actions" -H 'Content-Type: application/json' \
    --data-binary '{"action":"reject","reason":"not_our_authority"}'
[ "$ST" = 200 ] || notok "reject a case" "status $ST: $(snip "$T/body")"
up "$TOK3" "$T/small.txt"
result "upload to a rejected case: 409" "$(err_is 409 case_closed)"
api POST /api/v1/followup/attachments -F "file=@$T/small.txt"
cp "$T/body" "$T/401.none"
result "upload without a token: 401" "$(err_is 401 unauthorized)"
up "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH" "$T/small.txt"
result "upload with a bad token: 401, byte for byte the missing token's" \
    "$(err_is 401 unauthorized)$(same_body "$T/401.none")"
as "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH" GET /api/v1/followup/attachments/1
result "download with a bad token: 401, byte for byte the missing token's" \
    "$(err_is 401 unauthorized)$(same_body "$T/401.none")"
as "$TOK1" GET /api/v1/followup/attachments/0
result "download of attachment 0: 404" "$(err_is 404 not_found)"
as "$TOK2" GET /api/v1/followup/attachments/21
result "download of a number past the last: 404" "$(err_is 404 not_found)"

# ---- nothing in plain on disk or in the log ------------------------------------------------------

_w=""
grep -rqa "$MARKER" "$SRV_DATA" && _w="text marker found in the data dir;"
grep -rqa "BisikTestCam\|SN123456789\|Budi Santoso" "$SRV_DATA" &&
    _w="$_w photo metadata found in the data dir;"
grep -rqa "rumah\|catatan.txt\|passwd" "$SRV_DATA" && _w="$_w a file name found in the data dir;"
result "data dir holds no plaintext of uploads or their names" "$_w"
_w=""
grep -qa "$MARKER\|rumah\|catatan\|passwd\|BisikTestCam" "$SRV_LOG" && _w="the log names an upload"
result "log holds no file name or content" "$_w"

alive || notok "server alive at the end" "no /health"
stop_server
result "server stops cleanly" "$SRV_STOP_WHY"
finish
