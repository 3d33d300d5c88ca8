#!/bin/sh
# e2e_memory.sh: bisikd gives back the pages of its data file.
#  - after four clients' submissions have grown data.mdb, the part of the
#    file bisikd holds mapped (the Rss of its data.mdb mapping in
#    /proc/PID/smaps) falls to at most a quarter of the file's size within
#    a bounded wait: store/trim.c drops the map's pages once a second after
#    any transaction (docs/operations.md, "Memory");
#  - every case still answers its follow-up with its own title afterwards:
#    a dropped page is read again from the page cache.
# A memory bound, not a time: the wait only bounds the poll.
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools curl jq awk

# Submissions per client, and clients: with a 2 KiB body each, they grow
# data.mdb past MEM_FILE_MIN_KB, so that a quarter of it is well above the
# few pages a trimmed map keeps (the meta pages and B-tree roots the last
# transactions read, with the neighbours the kernel maps along).
MEM_PER=120
MEM_CLIENTS=4
MEM_FILE_MIN_KB=1024

# map_rss_kb PID: KiB of PID's data.mdb mapping that are resident.
map_rss_kb() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { m = ($NF ~ /\/data\.mdb$/) }
	m && /^Rss:/ { k += $2 }
	END { print k + 0 }' "/proc/$1/smaps" 2>/dev/null
}

start_server || die "start server" "cannot start bisikd"

if ! [ -r "/proc/$SRV_PID/smaps" ] || ! head -n 1 "/proc/$SRV_PID/smaps" > /dev/null 2>&1; then
	skip "bisikd's mapped data file" "not root (bisikd is not dumpable: its /proc/PID/smaps needs root)"
	finish
fi

BODY=$(awk 'BEGIN { for (i = 0; i < 40; i++) printf "Jalan rusak berlubang dekat pasar, mohon segera diperbaiki. "; }')
# loop K: MEM_PER submissions, one after another on one curl (one kept-
# alive connection, not a curl and a jq per request); each 201 appends
# "token title" to acks.K.
submit_loop() {
	_d=$T/loop.$1
	mkdir -p "$_d"
	: > "$_d/curl.conf"
	_i=0
	while [ $_i -lt $MEM_PER ]; do
		printf '{"kind":"complaint","title":"Memori %s-%s","body":"%s Nomor %s-%s."}' \
		    "$1" "$_i" "$BODY" "$1" "$_i" > "$_d/req.$_i"
		[ $_i -gt 0 ] && echo next >> "$_d/curl.conf"
		printf 'url = "%s/api/v1/reports"\nheader = "Expect:"\nheader = "Content-Type: application/json"\ndata-binary = "@%s/req.%s"\noutput = "%s/res.%s"\nwrite-out = "%s %%{http_code}\\n"\nmax-time = %s\n' \
		    "$SRV_URL" "$_d" "$_i" "$_d" "$_i" "$_i" "$CURL_MAX" >> "$_d/curl.conf"
		_i=$((_i + 1))
	done
	curl -s -K "$_d/curl.conf" > "$_d/status" 2> /dev/null
	# "N TOKEN" of every answer with a token, kept where N was a 201.
	find "$_d" -name 'res.*' | xargs -r jq -r 'select(type == "object") |
	    (input_filename | sub(".*/res[.]"; "")) + " " + (.token | strings)' \
	    2> /dev/null | awk -v k="$1" -v sf="$_d/status" '
	BEGIN { while ((getline l < sf) > 0) { split(l, a, " "); st[a[1]] = a[2] } }
	st[$1] == "201" { print $2 " Memori " k "-" $1 }' > "$T/acks.$1"
}
LOOPS=""
k=1
while [ $k -le $MEM_CLIENTS ]; do
	: > "$T/acks.$k"
	submit_loop $k &
	LOOPS="$LOOPS $!"
	ALL_PIDS="$ALL_PIDS $!"
	k=$((k + 1))
done
for p in $LOOPS; do wait "$p"; done
cat "$T"/acks.* > "$T/acks"
n=$(wc -l < "$T/acks")
result "memory: every submission accepted" \
    "$( [ "$n" -eq $((MEM_PER * MEM_CLIENTS)) ] || echo "$n of $((MEM_PER * MEM_CLIENTS)) answered 201")"

file_kb=$(( $(stat -c %s "$SRV_DATA/data.mdb") / 1024 ))
result "memory: the submissions grew data.mdb past $MEM_FILE_MIN_KB KiB" \
    "$( [ "$file_kb" -ge $MEM_FILE_MIN_KB ] || echo "data.mdb is $file_kb KiB")"

# Poll until the mapping is at most a quarter of the file; the trim runs
# once a second, so 20 s (more for the sanitizer build) only bounds it.
_i=0
_limit=$((80 * SLOW))
while :; do
	kb=$(map_rss_kb "$SRV_PID")
	[ -n "$kb" ] && [ $((kb * 4)) -le "$file_kb" ] && break
	_i=$((_i + 1))
	[ $_i -ge $_limit ] && break
	sleep 0.25
done
echo "# data.mdb $file_kb KiB, bisikd maps $kb KiB of it; $(grep -E '^(VmRSS|RssFile)' "/proc/$SRV_PID/status" | tr -s ' \t\n' ' ')"
result "memory: bisikd's mapping of data.mdb falls to a quarter of the file" \
    "$( [ -n "$kb" ] && [ $((kb * 4)) -le "$file_kb" ] || echo "still $kb KiB of a $file_kb KiB file mapped after $((_limit / 4)) s")"

# Every case reads back after its pages were dropped.
followup_each "$T/acks" title
result "memory: every case answers its follow-up after the drop" \
    "$( [ "$FU_MISS" -eq 0 ] || echo "$FU_MISS cases did not: $FU_WHY")"

stop_server
finish
