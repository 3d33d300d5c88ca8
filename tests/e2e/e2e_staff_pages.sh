#!/bin/sh
# e2e_staff_pages.sh: the staff's daily pages against a real bisikd, with
# curl only (no JavaScript), as central admins and agency officers use
# them: the queue's filters, its pages in both directions and totals, the
# bulk forward and the bulk assign with a result per case; likely
# duplicates on the case page with similarity and a one-click merge; the
# intake form for reports from other channels (contact details sealed,
# never shown back); the grouped agency choice; the liaison list; the
# reject that asks to confirm; the resolve form with completion photos
# (SRV_RESOLVE_PHOTOS_MAX of them; one more, or a file of a type the API
# refuses, is refused before any is sent);
# files labelled by who sent them, image previews; the export and the
# legal hold; the periodic report; the holiday banner when the holiday
# list does not reach CORE_HOLIDAY_LOOKAHEAD (90) days ahead, gone once a
# year's file is put in holidays_dir, and a bad holiday file refused at
# start with its name and line. Every page in both languages passes
# tidy; no page an agency officer gets holds an identity value or the
# reporter's unredacted text.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_staff_pages.sh
. "$(dirname "$0")/lib.sh"

need_binaries
need_tools tidy convert

PASS='kata sandi yang panjang sekali'
printf '%s\n' "$PASS" > "$T/pw"
new_data --escrow || die "setup" "cannot make the data directory"
add() {
	"$BISIKD" "$@" --data "$SRV_DATA" > "$T/cli.out" 2>&1 ||
	    die "setup" "bisikd $*: $(snip "$T/cli.out")"
}
add agency add --id dinkes --name "Dinas Kesehatan" --level provinsi
add agency add --id kemen-pu --name "Kementerian PU" --level kementerian
add user add --username pusat --role central_admin --password-file "$T/pw"
add user add --username admin-pu --role agency_admin --agency dinas-pu --password-file "$T/pw"
add user add --username lia-pu --role liaison --agency dinas-pu --password-file "$T/pw"
add user add --username lia-pu2 --role liaison --agency dinas-pu --password-file "$T/pw"
add user add --username lia-kes --role liaison --agency dinkes --password-file "$T/pw"
add user add --username admin-kes --role agency_admin --agency dinkes --password-file "$T/pw"
# The holiday directory starts empty: only the built-in list counts.
HOL=$T/holidays
mkdir -p "$HOL"
CONF=$(jq -cn --arg d "$HOL" '{pow_difficulty:0, holidays_dir:$d}')
serve "$CONF" ||
    die "setup" "cannot start bisikd: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"

N=0
mkdir -p "$T/seen" "$T/agency"
# page METHOD PATH [curl args...]: like api; every answer is kept, and
# those of agency officers (their cookie jars) apart for the final scan.
page() {
	api "$@"
	N=$((N + 1))
	cp "$T/body" "$T/seen/$N.b"
	case "$*" in
	*aa.jar* | *li.jar* | *li2.jar* | *ka.jar*) cp "$T/body" "$T/agency/$N.b" ;;
	esac
}
valid() {
	cp "$T/body" "$T/check.html"
	if _v=$(tidy -q -e "$T/check.html" 2>&1); then
		ok "$1: valid HTML"
	else
		notok "$1: valid HTML" "$_v"
	fi
}
has() {	# has NAME PATTERN: the last body holds PATTERN (grep -E)
	if grep -Eq -- "$2" "$T/body"; then ok "$1"
	else notok "$1" "HTTP $ST; no /$2/ in $(snip "$T/body" 200)"; fi
}
hasnt() {
	if grep -Eq -- "$2" "$T/body"; then notok "$1" "found /$2/"
	else ok "$1"; fi
}
login() {	# login USER JAR
	page POST /staf/masuk -c "$2" --data-urlencode "username=$1" \
	    --data-urlencode "password=$PASS"
	[ "$ST" = 303 ] || die "login $1" "HTTP $ST"
}
csrf() {
	grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 |
	    sed 's/.*value="//; s/"$//'
}

# ---- cases -----------------------------------------------------------------------

# Two reports of the same pothole (duplicates), one about a clinic, and
# five more road reports for the queue's pages.
DUPTXT='Jalan Merdeka nomor 12 di depan pasar berlubang besar sejak bulan lalu, sudah dua motor jatuh dan air menggenang setiap hujan turun di sana.'
submit_report "$(jq -cn --arg b "$DUPTXT" '{kind:"complaint",title:"Jalan Merdeka berlubang",body:$b,category:"infrastruktur"}')"
D1=$CASE
submit_report "$(jq -cn --arg b "$DUPTXT" '{kind:"complaint",title:"Jalan Merdeka berlubang",body:$b,category:"infrastruktur"}')"
D2=$CASE
SECRET_NAME='Siti Rahmawati Kusuma'
SECRET_MAIL='siti.rahma@contoh.id'
submit_report "$(jq -cn --arg n "$SECRET_NAME" --arg e "$SECRET_MAIL" '{kind:"aspiration",title:"Puskesmas tutup siang",body:"Puskesmas Cibeunying tutup pukul 12 padahal jadwalnya sampai 16. Hubungi saya di siti.rahma@contoh.id.",category:"kesehatan",identity:{name:$n,email:$e}}')"
K1=$CASE
ALL="$D1 $D2 $K1"
i=0
while [ $i -lt 5 ]; do
	submit_report "$(jq -cn --arg t "Lampu jalan padam $i" '{kind:"complaint",title:$t,body:"Lampu jalan di gang kami padam sudah seminggu, gelap sekali pada malam hari."}')"
	ALL="$ALL $CASE"
	i=$((i + 1))
done
for c in $D1 $D2 $K1; do
	printf '%s' "$c" | grep -Eq "$CASE_RE" || die "setup" "a report was not filed"
done

login pusat "$T/ca.jar"

# ---- the holiday banner ----------------------------------------------------------

# The year the banner must name: the first year from today (WIB) to 90
# days ahead that has no holiday in share/ (the built-in list).
yr_missing() {
	_d=0
	while [ $_d -le 90 ]; do
		_y=$(date -u -d "@$(( $(date +%s) + 7 * 3600 + _d * 86400 ))" +%Y)
		_have=""
		for _f in "$ROOT/share/holidays-"*"-$_y.csv" "$HOL/holidays-"*"-$_y.csv"; do
			[ -e "$_f" ] && _have=1
		done
		if [ -z "$_have" ]; then
			echo "$_y"
			return
		fi
		_d=$((_d + 1))
	done
}
MISS=$(yr_missing)
page GET /staf -b "$T/ca.jar"
if [ -n "$MISS" ]; then
	has "the banner names the year without holidays ($MISS)" "Daftar hari libur tahun $MISS belum dipasang"
	has "the banner says how to add it" "holidays-id-$MISS.csv"
	check "bisikd said it in the log at start" grep -q "holidays_missing.*year=$MISS" "$SRV_LOG"
else
	hasnt "no banner while the list covers 90 days" 'class="alert holidays"'
fi
valid "queue with the banner"

# ---- the queue -------------------------------------------------------------------

page GET /staf -b "$T/ca.jar"
CSRF=$(csrf)
has "the queue shows totals" 'class="summary">Dalam antrean ini: 8 laporan'
has "the queue page uses the screen width" '<main id="isi" class="wrap wide">'
has "case numbers never wrap" '<td class="ref"><a href="/staf/kasus/'
has "each row can be selected for bulk routing" "name=\"case\" id=\"pilih-0\" value=\"BSK-"
has "the agency filter is grouped" '<select id="f-agency" name="agency" data-filter="[^"]*" data-filter-help="[^"]*"><option value="">[^<]*</option><optgroup label="Instansi pusat'
valid "queue"
page GET "/staf?category=kesehatan" -b "$T/ca.jar"
if grep -q "$K1" "$T/body" && ! grep -q "$D1" "$T/body"; then ok "filter by category"
else notok "filter by category" "$(grep -o 'BSK-[0-9-]*' "$T/body" | sort -u | tr '\n' ' ')"; fi
has "filters are said to be on" 'Saringan aktif'
has "the filter keeps its value" '<option value="kesehatan" selected>'
page GET "/staf?kind=aspiration" -b "$T/ca.jar"
if grep -q "$K1" "$T/body" && ! grep -q "$D2" "$T/body"; then ok "filter by kind"
else notok "filter by kind" "HTTP $ST"; fi
page GET "/staf?channel=phone" -b "$T/ca.jar"
has "filter by channel: none by phone yet" 'Tidak ada laporan'
TODAY=$(date -u -d "@$(( $(date +%s) + 7 * 3600 ))" +%F)
page GET "/staf?from=$TODAY&to=$TODAY" -b "$T/ca.jar"
has "filter by date: today's cases" "$D1"
page GET "/staf?from=2000-01-01&to=2000-01-02" -b "$T/ca.jar"
has "filter by date: none in 2000" 'Tidak ada laporan'
page GET "/staf?from=2000-01-05&to=2000-01-01" -b "$T/ca.jar"
if [ "$ST" = 200 ] && grep -q 'role="alert"' "$T/body"; then ok "a date range the wrong way round is refused, clearly"
else notok "a date range the wrong way round is refused, clearly" "HTTP $ST"; fi
page GET "/staf?kind=nonsense&channel=pigeon" -b "$T/ca.jar"
has "bad filters: every error at once" 'kind.*channel|channel.*kind'
valid "queue with refused filters"
# Pages: the API gives 50 a page; ask for 3 through the limit parameter.
page GET "/staf?q=lampu&limit=3" -b "$T/ca.jar"
NEXT=$(grep -o 'rel="next" href="[^"]*"' "$T/body" | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
case $NEXT in
/staf\?cursor=*pos=4*) ok "a next page link with the position" ;;
*) notok "a next page link with the position" "$NEXT" ;;
esac
page GET "$NEXT" -b "$T/ca.jar"
has "the second page says where it is" 'Menampilkan laporan 4–5'
PREV=$(grep -o 'rel="prev" href="[^"]*"' "$T/body" | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
case $PREV in
/staf\?before=*) ok "a previous page link" ;;
*) notok "a previous page link" "$PREV" ;;
esac
page GET "$PREV" -b "$T/ca.jar"
has "the previous page is the first again" 'Menampilkan laporan 1–3'
valid "queue, a later page"
page GET "/staf?lang=en" -b "$T/ca.jar"
has "the queue in English" 'Filter the queue'
valid "queue in English"

# ---- duplicates and the one-click merge ------------------------------------------

page GET "/staf/kasus/$D2" -b "$T/ca.jar"
has "the case page lists a likely duplicate with its similarity" "<li><a class=\"ref\" href=\"/staf/kasus/$D1\" translate=\"no\">$D1</a> <span class=\"sim\">Kemiripan: [0-9]+ %</span>"
has "the text and the actions side by side" '<div class="casegrid"><div class="casetext">'
valid "case page with duplicates"
page GET "/staf/kasus/$K1" -b "$T/ca.jar"
has "a case unlike any other: none listed" 'Tidak ada laporan lain yang mirip'
page POST "/staf/kasus/$D2/aksi" -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d action=merge -d "into=$D1"
case "$ST $(hdr Location)" in
"303 /staf/kasus/$D2?ok=1") ok "one click merges the duplicate" ;;
*) notok "one click merges the duplicate" "HTTP $ST $(grep -o 'role="alert">.\{0,200\}' "$T/body")" ;;
esac
page GET "/staf/kasus/$D2" -b "$T/ca.jar"
has "the merged case says so" 'st-merged'

# The language link keeps at most PAGE_QUERY_KEEP_MAX (16) parameters.
Q16=$(seq 1 16 | sed 's/.*/k&=&/' | paste -sd'&' -)
page GET "/staf?$Q16&k17=17" -b "$T/ca.jar"
LL=$(grep -o '<a class="lang" href="[^"]*"' "$T/body")
case $LL in
*"k16=16&amp;lang=en"*) ok "the language link keeps 16 query parameters" ;;
*) notok "the language link keeps 16 query parameters" "$LL" ;;
esac
case $LL in
*k17*) notok "and not a 17th" "$LL" ;;
*) ok "and not a 17th" ;;
esac
valid "queue with many parameters"

# ---- bulk forward ----------------------------------------------------------------

page POST /staf/massal -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d op=forward -d agency=dinas-pu
if [ "$ST" = 422 ] && grep -q 'Tidak ada laporan yang dipilih' "$T/body"; then ok "bulk with nothing ticked: said so"
else notok "bulk with nothing ticked: said so" "HTTP $ST"; fi
page POST /staf/massal -b "$T/ca.jar" -d op=forward -d agency=dinas-pu -d "case=$D1"
check "bulk without the CSRF token: 403" test "$ST" = 403
set --
for c in $ALL; do
	[ "$c" = "$K1" ] || [ "$c" = "$D2" ] && continue
	set -- "$@" -d "case=$c"
done
page POST /staf/massal -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d op=forward -d agency=dinas-pu "$@" -d "case=BSK-2000-999999"
has "bulk forward: a result per case" '6 berhasil, 1 tidak diubah'
has "bulk forward: the unknown case is named with its reason" 'BSK-2000-999999</a></td><td><span class="overdue">Tidak diubah</span></td><td>'
valid "bulk result"
page POST /staf/massal -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d op=forward -d agency=dinas-pu -d "case=$D1"
has "forwarding again: refused with the status it is in now" 'statusnya sekarang: <span class="status st-dispositioned"'

# At most one queue page (BULK_MAX, 50) at once: 50 are routed, 51 refused
# whole. Fresh reports, so that all of them can be forwarded.
set --
i=0
while [ $i -lt 51 ]; do
	submit_report "$(jq -cn --arg t "Trotoar rusak $i" '{kind:"complaint",title:$t,body:"Trotoar di depan sekolah rusak dan membahayakan pejalan kaki."}')"
	[ "$ST" = 201 ] || die "setup" "report $i: HTTP $ST"
	set -- "$@" -d "case=$CASE"
	LAST=$CASE
	i=$((i + 1))
done
page POST /staf/massal -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d op=forward -d agency=dinkes "$@"
if [ "$ST" = 422 ] && grep -q 'Paling banyak 50 laporan sekaligus' "$T/body"; then ok "bulk: 51 cases refused whole"
else notok "bulk: 51 cases refused whole" "HTTP $ST"; fi
page GET "/staf/kasus/$LAST" -b "$T/ca.jar"
has "bulk: nothing of a refused batch changed" 'st-submitted'
shift 2
page POST /staf/massal -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d op=forward -d agency=dinkes "$@"
has "bulk: 50 cases at once" '50 berhasil, 0 tidak diubah'

# ---- the agency admin: liaison list, bulk assign, no identity -----------------------

login admin-pu "$T/aa.jar"
page GET "/staf/kasus/$D1" -b "$T/aa.jar"
AACSRF=$(csrf)
has "accept: the liaison is chosen from a list" '<select id="a-liaison" name="liaison" required><option value="">[^<]*</option><option value="lia-pu">lia-pu \(dinas-pu\)</option><option value="lia-pu2">'
hasnt "the list holds only the agency's liaisons" 'lia-kes'
valid "case page (agency admin)"
page GET /staf -b "$T/aa.jar"
has "the agency admin's queue filters by liaison from a list" '<select id="assignee" name="assignee">'
has "bulk assign is offered" 'name="op" value="assign"'
valid "queue (agency admin)"
set --
for c in $ALL; do
	[ "$c" = "$K1" ] || [ "$c" = "$D2" ] && continue
	set -- "$@" -d "case=$c"
done
page POST /staf/massal -b "$T/aa.jar" --data-urlencode "csrf=$AACSRF" \
    -d op=assign -d liaison=lia-pu2 "$@" -d "case=$K1"
has "bulk assign: a result per case" '6 berhasil, 1 tidak diubah'
page GET "/staf?assignee=lia-pu2" -b "$T/aa.jar"
if grep -q "$D1" "$T/body" && ! grep -q "$K1" "$T/body"; then ok "filter by liaison"
else notok "filter by liaison" "HTTP $ST"; fi
# The central admin picks the liaison from a list too: every agency's,
# grouped by agency, or the filtered agency's alone.
page GET /staf -b "$T/ca.jar"
has "the central admin's liaison filter is a list grouped by agency" '<select id="assignee" name="assignee"><option value="">[^<]*</option><optgroup label="Dinas Pekerjaan Umum"><option value="lia-pu">lia-pu</option><option value="lia-pu2">lia-pu2</option></optgroup><optgroup label="Dinas Kesehatan"><option value="lia-kes">lia-kes</option></optgroup></select>'
valid "queue with the liaison list (central admin)"
page GET "/staf?agency=dinkes" -b "$T/ca.jar"
has "filtered by an agency, the list holds its liaisons only" '<select id="assignee" name="assignee"><option value="">[^<]*</option><option value="lia-kes">lia-kes \(dinkes\)</option></select>'
page GET "/staf?assignee=lia-pu2&lang=en" -b "$T/ca.jar"
if grep -q "$D1" "$T/body" && ! grep -q "$K1" "$T/body"; then ok "central admin: filter by a liaison from the list"
else notok "central admin: filter by a liaison from the list" "HTTP $ST"; fi
has "the chosen liaison stays selected" '<option value="lia-pu2" selected>lia-pu2</option>'
valid "queue filtered by liaison (central admin, English)"
login admin-kes "$T/ka.jar"
page GET /staf -b "$T/ka.jar"
hasnt "another agency's admin does not see these cases" "$D1"

# ---- reject asks to confirm --------------------------------------------------------

page GET "/staf/kasus/$K1" -b "$T/ca.jar"
has "reject looks different from forward" '<section class="card reject">'
has "reject's button goes on to a confirmation" '<button type="submit" class="danger">'
page POST "/staf/kasus/$K1/aksi" -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d action=reject -d reason=not_a_complaint --data-urlencode "note=Bukan <b>pengaduan</b>."
if [ "$ST" = 200 ] && grep -q 'name="confirm" value="1"' "$T/body"; then ok "reject first asks to confirm"
else notok "reject first asks to confirm" "HTTP $ST"; fi
has "the confirmation escapes the note" 'Bukan &lt;b&gt;pengaduan&lt;/b&gt;'
valid "reject confirmation"
page GET "/staf/kasus/$K1" -b "$T/ca.jar"
has "nothing was rejected before confirming" 'st-submitted'

# ---- the grouped agency choice, forward, the agency's view -----------------------

has "forwarding: the agency choice is grouped and searchable" '<select id="d-agency" name="agency" required data-filter="[^"]*" data-filter-help="[^"]*"><option value="">[^<]*</option><optgroup label="Instansi pusat[^"]*"><option value="kemen-pu">Kementerian PU</option></optgroup><optgroup label="Provinsi"><option value="dinkes">'
page POST "/staf/kasus/$K1/aksi" -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d action=dispose -d agency=dinkes
check "forward to the health office" test "$ST" = 303
page GET "/staf/kasus/$K1" -b "$T/ka.jar"
KACSRF=$(csrf)
has "the agency sees the case, the agency by name" 'Dinas Kesehatan'
page POST "/staf/kasus/$K1/aksi" -b "$T/ka.jar" --data-urlencode "csrf=$KACSRF" \
    -d action=accept -d liaison=lia-kes
check "the health office accepts" test "$ST" = 303

# ---- resolve with completion photos; files labelled, previews ---------------------

login lia-kes "$T/li.jar"
page GET "/staf/kasus/$K1" -b "$T/li.jar"
LICSRF=$(csrf)
PHOTOS_MAX=$(sed -n 's/^#define SRV_RESOLVE_PHOTOS_MAX[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/server/http.h")
[ -n "$PHOTOS_MAX" ] || die "setup" "no SRV_RESOLVE_PHOTOS_MAX in server/http.h"
has "the resolve form takes several photos" '<input id="s-photo" name="photo" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf"'
has "its help names the limit" "Sampai $PHOTOS_MAX berkas JPEG"
has "the resolve form is multipart" 'action="/staf/kasus/'"$K1"'/aksi" enctype="multipart/form-data"'
valid "case page (liaison)"
# PHOTOS_MAX + 1 small PNGs, each its own colour.
set --
i=1
while [ $i -le $((PHOTOS_MAX + 1)) ]; do
	convert -size 20x10 "xc:rgb($((i * 40)),112,160)" "$T/selesai$i.png" 2> "$T/convert.err" ||
	    die "setup" "convert a PNG: $(snip "$T/convert.err")"
	set -- "$@" -F "photo=@$T/selesai$i.png;type=image/png"
	i=$((i + 1))
done
cp "$T/selesai1.png" "$T/selesai.png"
RES="resolution=Jadwal buka sudah dikembalikan sampai pukul 16."
page POST "/staf/kasus/$K1/aksi" -b "$T/li.jar" -F "csrf=$LICSRF" -F action=resolve -F "$RES" "$@"
d=""
[ "$ST" = 422 ] || d="HTTP $ST"
grep -q "Paling banyak $PHOTOS_MAX foto penyelesaian" "$T/body" || d="$d no error naming $PHOTOS_MAX: $(grep -o 'role="alert">.\{0,200\}' "$T/body")"
result "resolve with $((PHOTOS_MAX + 1)) photos: refused, naming the limit of $PHOTOS_MAX" "$d"
valid "the refusal of too many photos"
page POST "/staf/kasus/$K1/aksi?lang=en" -b "$T/li.jar" -F "csrf=$LICSRF" -F action=resolve -F "$RES" "$@"
has "... and in English" "At most $PHOTOS_MAX completion photos go with one resolution"
head -c 3000 /dev/urandom > "$T/noise.bin"
page POST "/staf/kasus/$K1/aksi" -b "$T/li.jar" -F "csrf=$LICSRF" -F action=resolve -F "$RES" \
    -F "photo=@$T/selesai1.png;type=image/png" -F "photo=@$T/noise.bin;type=image/png"
if [ "$ST" = 415 ] && grep -q 'role="alert"' "$T/body"; then ok "a photo of a type the API refuses: the whole resolve refused"
else notok "a photo of a type the API refuses: the whole resolve refused" "HTTP $ST"; fi
page GET "/staf/kasus/$K1" -b "$T/li.jar"
hasnt "nothing was sent or resolved by the refused forms" '<img class="evidence"|st-resolved'
# A page that takes one file still refuses a second.
page POST "/staf/kasus/$K1/lampiran" -b "$T/li.jar" -F "csrf=$LICSRF" \
    -F "file=@$T/selesai1.png;type=image/png" -F "file=@$T/selesai2.png;type=image/png"
check "the staff upload of one file refuses two: 400" test "$ST" = 400
# At the limit: the last photo is left out.
set --
i=1
while [ $i -le "$PHOTOS_MAX" ]; do
	set -- "$@" -F "photo=@$T/selesai$i.png;type=image/png"
	i=$((i + 1))
done
page POST "/staf/kasus/$K1/aksi" -b "$T/li.jar" -F "csrf=$LICSRF" -F action=resolve -F "$RES" "$@"
case "$ST $(hdr Location)" in
"303 /staf/kasus/$K1?ok=1") ok "resolve with $PHOTOS_MAX completion photos (the limit)" ;;
*) notok "resolve with $PHOTOS_MAX completion photos (the limit)" "HTTP $ST $(grep -o 'role="alert">.\{0,300\}' "$T/body")" ;;
esac
page GET "/staf/kasus/$K1" -b "$T/li.jar"
n=$(grep -o '<img class="evidence"' "$T/body" | wc -l)
check "all $PHOTOS_MAX photos are on the case ($n previews)" test "$n" = "$PHOTOS_MAX"
has "the photo is on the case, labelled as staff's" 'selesai1.png.*<span class="from staff">Dari petugas</span>'
has "the last photo too" "selesai$PHOTOS_MAX.png"
has "an image preview" '<figure><img class="evidence" src="/staf/kasus/'"$K1"'/lampiran/1" alt="[^"]*">'
has "the case is resolved" 'st-resolved'
valid "case page with a photo"
page GET "/staf/kasus/$K1/lampiran/1" -b "$T/li.jar"
if [ "$ST" = 200 ] && [ "$(hdr Content-Type)" = image/png ]; then ok "the preview loads"
else notok "the preview loads" "HTTP $ST $(hdr Content-Type)"; fi
page POST "/staf/kasus/$K1/aksi" -b "$T/li.jar" -F "csrf=$LICSRF" -F action=resolve \
    -F "resolution=" -F "photo=@$T/selesai.png;type=image/png"
if [ "$ST" -ge 400 ] && grep -q 'role="alert"' "$T/body"; then ok "a resolve without text is refused"
else notok "a resolve without text is refused" "HTTP $ST"; fi

# ---- export, legal hold, periodic report -------------------------------------------

page GET "/staf/kasus/$K1/ekspor" -b "$T/li.jar"
if [ "$ST" = 200 ] && [ "$(hdr Content-Type)" = application/zip ]; then ok "the export from the case page"
else notok "the export from the case page" "HTTP $ST $(hdr Content-Type)"; fi
page GET "/staf/kasus/$K1" -b "$T/ca.jar"
has "the case page offers the export" "href=\"/staf/kasus/$K1/ekspor\" download"
has "and the legal hold" 'name="hold" value="1"'
page POST "/staf/kasus/$K1/tahan" -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" -d hold=1
check "a legal hold is set from the page" test "$ST" = 303
page GET "/staf/kasus/$K1" -b "$T/ca.jar"
has "the page says the case is held" 'name="hold" value="0"'
page POST "/staf/kasus/$K1/tahan" -b "$T/li.jar" --data-urlencode "csrf=$LICSRF" -d hold=0
check "a liaison may not release a hold" test "$ST" = 403
page GET /staf/laporan-berkala -b "$T/ca.jar"
has "the periodic report page offers periods" '<select id="periode" name="periode">'
valid "periodic report page"
P=$(grep -o '<option value="[0-9]\{4\}-[0-9][0-9]"' "$T/body" | head -n 1 | sed 's/.*="//; s/"$//')
page GET "/staf/laporan-berkala/unduh?periode=$P" -b "$T/ca.jar"
case "$ST $(hdr Content-Type)" in
"200 text/csv"*) ok "the periodic report downloads as CSV" ;;
*) notok "the periodic report downloads as CSV" "HTTP $ST $(hdr Content-Type)" ;;
esac
page GET /staf/laporan-berkala -b "$T/li.jar"
check "a liaison has no periodic report" test "$ST" = 403

# ---- intake from another channel -------------------------------------------------

page GET /staf/laporan-baru -b "$T/ca.jar"
has "the intake form offers the channels" '<option value="phone">Telepon</option>'
valid "intake form"
page POST /staf/laporan-baru -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d channel=fax -d title= -d body=
if [ "$ST" = 422 ] && grep -q 'href="#channel"' "$T/body" && grep -q 'href="#title"' "$T/body" &&
    grep -q 'href="#body"' "$T/body"; then ok "intake: every error at once"
else notok "intake: every error at once" "HTTP $ST $(grep -o 'role="alert">.\{0,300\}' "$T/body")"; fi
valid "intake refused"
CALLER='Bapak Darmawan Saputra'
page POST /staf/laporan-baru -b "$T/ca.jar" --data-urlencode "csrf=$CSRF" \
    -d channel=phone --data-urlencode "source=Telepon 14 Nov pukul 10.12" \
    -d kind=complaint --data-urlencode "title=Sampah menumpuk di TPS Cicadas" \
    --data-urlencode "body=Penelepon melaporkan sampah tidak diangkut selama dua minggu di TPS Cicadas." \
    --data-urlencode "id_name=$CALLER" -d id_phone=081234567890
PCASE=$(grep -o 'class="caseref" translate="no">[^<]*' "$T/body" | sed 's/.*>//')
if [ "$ST" = 201 ] && printf '%s' "$PCASE" | grep -Eq "$CASE_RE" &&
    grep -q 'class="g">' "$T/body"; then ok "intake records the report and shows the token once"
else notok "intake records the report and shows the token once" "HTTP $ST"; fi
hasnt "the caller's contact is not shown back" "$CALLER|081234567890"
page GET "/staf/kasus/$PCASE" -b "$T/ca.jar"
has "the intake case shows its channel" 'Telepon'
has "the contact was sealed" '<dt>Identitas</dt><dd>ada \(terkunci\)</dd>'
hasnt "the case page never shows the contact" "$CALLER|081234567890"
page GET "/staf?channel=phone" -b "$T/ca.jar"
has "filter by channel finds the phone report" "$PCASE"

# ---- English -----------------------------------------------------------------------

for u in "/staf/kasus/$K1" "/staf/kasus/$D1" /staf/laporan-baru /staf/laporan-berkala \
    "/staf?status=dispositioned"; do
	page GET "$u$(case $u in *\?*) echo '&' ;; *) echo '?' ;; esac)lang=en" -b "$T/ca.jar"
	if [ "$ST" = 200 ] && grep -q '<html lang="en">' "$T/body"; then ok "$u in English"
	else notok "$u in English" "HTTP $ST"; fi
	valid "$u in English"
done
page GET "/staf/kasus/$D1?lang=en" -b "$T/aa.jar"
has "the agency admin's case page in English" 'Download the case export'
valid "the agency admin's case page in English"
page GET "/staf/kasus/$K1?lang=en" -b "$T/li.jar"
has "labels in English" 'From staff'
valid "the liaison's case page in English"

# ---- holiday files: a new year without a rebuild ----------------------------------

stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
if [ -n "$MISS" ]; then
	# Made-up dates for the test: one holiday in each missing year.
	for y in $MISS $((MISS + 1)); do
		printf '%s-08-17,national,Hari Uji\n' "$y" > "$HOL/holidays-id-$y.csv"
	done
	: > "$SRV_LOG"
	serve "$CONF" || die "restart" "$(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"
	page GET /staf -b "$T/ca.jar"
	hasnt "a year's file in holidays_dir ends the banner" 'class="alert holidays"'
	if grep -q holidays_missing "$SRV_LOG"; then notok "and the log warning" "still logged"
	else ok "and the log warning"; fi
	stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
fi
printf '2027-01-01,national,Tahun Baru\nnot-a-date,national,x\n' > "$HOL/holidays-id-2099.csv"
"$BISIKD" serve --data "$SRV_DATA" --listen 127.0.0.1:1 --config "$SRV_CONF" \
    $ALLOW_ROOT > "$T/bad.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'holidays-id-2099.csv: line 2' "$T/bad.out"; then
	ok "a bad holiday file stops the start, naming its file and line"
else notok "a bad holiday file stops the start, naming its file and line" "rc $rc $(snip "$T/bad.out")"; fi
rm -f "$HOL/holidays-id-2099.csv"
jq -c '.holidays_dir = "/nonexistent/bisik-holidays"' "$SRV_CONF" > "$T/c2.json"
"$BISIKD" serve --data "$SRV_DATA" --listen 127.0.0.1:1 --config "$T/c2.json" \
    $ALLOW_ROOT > "$T/bad.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'holidays_dir' "$T/bad.out"; then ok "a missing holidays_dir stops the start"
else notok "a missing holidays_dir stops the start" "rc $rc $(snip "$T/bad.out")"; fi

# ---- the API behind the pages ----------------------------------------------------

tok() {
	api_json POST /api/v1/auth/login \
	    "$(jq -cn --arg u "$1" --arg p "$PASS" '{username:$u,password:$p}')"
	jq -r .session "$T/body"
}
use_server_again() {
	: > "$SRV_LOG"
	serve "$CONF" || die "restart" "$(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"
}
use_server_again
CAT=$(tok pusat)
AAT=$(tok admin-pu)
LIT=$(tok lia-pu)
api GET "/api/v1/liaisons?agency=dinas-pu" -H "Authorization: Bearer $CAT"
result "GET /liaisons: the agency's liaisons, sorted" "$(jq -e '.liaisons == [{"username":"lia-pu","agency":"dinas-pu"},{"username":"lia-pu2","agency":"dinas-pu"}] and .capped == false' "$T/body" > /dev/null || echo "HTTP $ST $(snip "$T/body")")"
api GET /api/v1/liaisons -H "Authorization: Bearer $CAT"
result "GET /liaisons: a central admin naming no agency gets every agency's, by agency" "$(jq -e '.agency == null and .liaisons == [{"username":"lia-pu","agency":"dinas-pu"},{"username":"lia-pu2","agency":"dinas-pu"},{"username":"lia-kes","agency":"dinkes"}] and .capped == false' "$T/body" > /dev/null || echo "HTTP $ST $(snip "$T/body")")"
api GET "/api/v1/liaisons?agency=Bad%20Id" -H "Authorization: Bearer $CAT"
result "GET /liaisons: a malformed agency id is refused" "$(err_is 422 invalid)"
api GET /api/v1/liaisons -H "Authorization: Bearer $AAT"
result "GET /liaisons: an agency admin's own by default" "$(jq -e '.agency == "dinas-pu" and (.liaisons | length) == 2' "$T/body" > /dev/null || echo "HTTP $ST")"
api GET "/api/v1/liaisons?agency=dinkes" -H "Authorization: Bearer $AAT"
result "GET /liaisons: another agency is not found" "$(err_is 404 not_found)"
api GET "/api/v1/liaisons?agency=dinas-pu" -H "Authorization: Bearer $LIT"
result "GET /liaisons: a liaison may not list" "$(err_is 403 forbidden)"
api GET "/api/v1/liaisons?agency=dinas-pu&x=1" -H "Authorization: Bearer $CAT"
result "GET /liaisons: an unknown parameter" "$(err_is 400 malformed)"
api GET "/api/v1/cases?limit=2" -H "Authorization: Bearer $CAT"
CUR=$(jq -r .next_cursor "$T/body")
P1=$(jq -c '[.cases[].case]' "$T/body")
api GET "/api/v1/cases?cursor=$CUR&before=$CUR" -H "Authorization: Bearer $CAT"
result "GET /cases: cursor and before together" "$(err_is 400 malformed)"
api GET "/api/v1/cases?cursor=$CUR&limit=2" -H "Authorization: Bearer $CAT"
PC=$(jq -r .prev_cursor "$T/body")
api GET "/api/v1/cases?before=$PC&limit=2" -H "Authorization: Bearer $CAT"
result "GET /cases?before=prev_cursor: the page before, in queue order" "$(jq -e --argjson p "$P1" '[.cases[].case] == $p and .prev_cursor == null' "$T/body" > /dev/null || echo "HTTP $ST $P1 $(snip "$T/body")")"
api GET "/api/v1/cases?from=2026-02-30" -H "Authorization: Bearer $CAT"
result "GET /cases: a date that is none" "$(err_is 422 invalid)"
stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"

# ---- what agency officers received -------------------------------------------------

leak=""
for f in "$T"/agency/*.b; do
	if grep -q -e "$SECRET_NAME" -e "$SECRET_MAIL" -e "$CALLER" -e 081234567890 \
	    -e 'siti.rahma@' "$f"; then leak="$leak $f"; fi
done
result "no identity or unredacted text in any page an agency officer got" "$leak"
ls "$T"/agency/*.b > /dev/null 2>&1 || notok "agency pages were scanned" "none kept"
finish
