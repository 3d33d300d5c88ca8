#!/bin/sh
# e2e_cli.sh: the command lines of bisikd and bisik (bisik(1), bisikd(8): contrib/bisik.1, contrib/bisikd.8):
# exit codes (0 success, 1 failure, 2 usage), one-sentence errors on
# stderr, config keys named (never their values), idempotent agency import,
# escrow files checked before they are installed, key files never
# overwritten, and a full valid config (with TLS) that starts.
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools openssl

W=$T/cli
mkdir -p "$W"

# run OUTPREFIX CMD...: runs CMD bounded in time; RC, stdout and stderr in
# OUTPREFIX.out / OUTPREFIX.err.
run() {
	_o=$1
	shift
	timeout -k 2 $((20 * SLOW)) "$@" > "$_o.out" 2> "$_o.err" < /dev/null
	RC=$?
}
lines() {
	wc -l < "$1" | tr -d ' '
}
# expect_exit NAME WANT_RC OUTPREFIX [STDERR_MUST_CONTAIN]: and exactly one
# line on stderr when WANT_RC is not 0.
expect_exit() {
	_d=""
	[ "$RC" = "$2" ] || _d="exit $RC, want $2 (stderr: $(snip "$3.err"))"
	if [ -z "$_d" ] && [ "$2" != 0 ]; then
		[ "$(lines "$3.err")" = 1 ] || _d="stderr has $(lines "$3.err") lines: $(snip "$3.err" 400)"
	fi
	if [ -z "$_d" ] && [ -n "${4:-}" ]; then
		grep -q -F -- "$4" "$3.err" || _d="stderr does not name $4: $(snip "$3.err")"
	fi
	result "$1" "$_d"
}

# ---- bisikd init ---------------------------------------------------------------------

D=$W/data
run "$W/init1" "$BISIKD" init --data "$D"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$W/init1.err")"
[ -z "$d" ] && [ "$(stat -c %a "$D")" != 700 ] && d="data dir mode $(stat -c %a "$D")"
[ -z "$d" ] && [ ! -f "$D/data.mdb" ] && d="no data.mdb"
if [ -z "$d" ] && [ -d "$D/keys" ]; then
	for f in "$D"/keys/*; do
		[ "$(stat -c %a "$f")" = 600 ] || d="$d $(basename "$f") mode $(stat -c %a "$f");"
	done
fi
result "bisikd init makes a 0700 data dir with data.mdb and 0600 keys" "$d"
cp -r "$D" "$W/data.before"
run "$W/init2" "$BISIKD" init --data "$D"
expect_exit "bisikd init refuses an existing data dir: exit 1, one line" 1 "$W/init2"
d=""
diff -r "$D" "$W/data.before" > /dev/null 2>&1 || d="the existing dir was changed"
result "the refused init left the existing data dir as it was" "$d"
mkdir "$W/empty"
run "$W/init3" "$BISIKD" init --data "$W/empty"
expect_exit "bisikd init refuses an existing empty dir: exit 1" 1 "$W/init3"
run "$W/noargs" "$BISIKD"
[ "$RC" = 2 ] && ok "bisikd without a command: exit 2 (usage)" ||
    notok "bisikd without a command: exit 2 (usage)" "exit $RC"
run "$W/unk" "$BISIKD" frobnicate --data "$D"
[ "$RC" = 2 ] && ok "bisikd with an unknown command: exit 2" || notok "bisikd with an unknown command: exit 2" "exit $RC"
run "$W/unkopt" "$BISIKD" init --data "$W/x" --bogus 1
[ "$RC" = 2 ] && ok "bisikd init with an unknown option: exit 2" || notok "bisikd init with an unknown option: exit 2" "exit $RC"
[ -e "$W/x" ] && notok "the refused init made nothing" "$W/x exists" || ok "the refused init made nothing"

# ---- bisikd serve: bad configs -----------------------------------------------------------

PORT=$(rand_port)
n=0
# badconf NAME KEY JSON: serve must exit 2 with one line naming KEY.
badconf() {
	n=$((n + 1))
	printf '%s' "$3" > "$W/conf$n.json"
	run "$W/conf$n" "$BISIKD" serve --data "$D" --listen "127.0.0.1:$PORT" --config "$W/conf$n.json"
	if [ -n "$2" ]; then
		expect_exit "config $1: exit 2, one line naming $2" 2 "$W/conf$n" "$2"
	else
		expect_exit "config $1: exit 2, one line" 2 "$W/conf$n"
	fi
}
badconf "unknown key pow_dificulty" pow_dificulty '{"pow_dificulty":8}'
badconf "pow_difficulty \"8\" (a string)" pow_difficulty '{"pow_difficulty":"8"}'
badconf "pow_difficulty -1" pow_difficulty '{"pow_difficulty":-1}'
badconf "pow_difficulty 33" pow_difficulty '{"pow_difficulty":33}'
badconf "pow_difficulty 8.0 (a real)" pow_difficulty '{"pow_difficulty":8.0}'
badconf "pow_difficulty true" pow_difficulty '{"pow_difficulty":true}'
badconf "max_body_bytes 10" max_body_bytes '{"max_body_bytes":10}'
badconf "max_attachment_bytes \"big\"" max_attachment_bytes '{"max_attachment_bytes":"big"}'
badconf "threads 0" threads '{"threads":0}'
badconf "threads 257" threads '{"threads":257}'
badconf "suppression_threshold 0" suppression_threshold '{"suppression_threshold":0}'
badconf "holidays [\"2026-02-30\"]" holidays '{"holidays":["2026-02-30"]}'
badconf "holidays as a string" holidays '{"holidays":"2026-01-01"}'
badconf "deadlines {\"dispose\":0}" deadlines '{"deadlines":{"dispose":0}}'
badconf "deadlines {\"foo\":1}" deadlines '{"deadlines":{"foo":1}}'
badconf "deadlines as a number" deadlines '{"deadlines":3}'
badconf "rate_limit {\"global\":-1}" rate_limit '{"rate_limit":{"global":-1}}'
badconf "rate_limit {\"per_address\":1.5}" rate_limit '{"rate_limit":{"per_address":1.5}}'
badconf "listen \"nope\"" listen '{"listen":"nope"}'
badconf "listen without a port" listen '{"listen":"127.0.0.1"}'
badconf "listen port 70000" listen '{"listen":"127.0.0.1:70000"}'
badconf "tls_cert without tls_key" tls_key '{"tls_cert":"/etc/hostname"}'
badconf "tls_key without tls_cert" tls_cert '{"tls_key":"/etc/hostname"}'
badconf "tls files that do not exist" tls_cert '{"tls_cert":"/nonexistent/c.pem","tls_key":"/nonexistent/k.pem"}'
badconf "not JSON" "" '{"pow_difficulty": 8'
badconf "a JSON array" "" '[{"pow_difficulty":8}]'
badconf "a duplicate key" "" '{"threads":4,"threads":8}'
badconf "an empty file" "" ''

# Values are never echoed (a path may be secret).
printf '%s' '{"listen":"SECRETVALUE-9a1"}' > "$W/sec1.json"
run "$W/sec1" "$BISIKD" serve --data "$D" --config "$W/sec1.json"
printf '%s' '{"tls_cert":"/nonexistent/SECRETVALUE-9a2","tls_key":"/nonexistent/SECRETVALUE-9a3"}' > "$W/sec2.json"
run "$W/sec2" "$BISIKD" serve --data "$D" --config "$W/sec2.json"
printf '%s' '{"SECRETVALUE-9a4-and-a-very-long-key-name-that-goes-on-and-on-SECRETTAIL":1}' > "$W/sec3.json"
run "$W/sec3" "$BISIKD" serve --data "$D" --config "$W/sec3.json"
d=""
grep -q SECRETVALUE-9a "$W/sec1.err" "$W/sec2.err" && d="a value is echoed: $(cat "$W/sec1.err" "$W/sec2.err" | tr '\n' ' ')"
grep -q SECRETTAIL "$W/sec3.err" && d="$d an unknown key is echoed in full"
result "config errors never echo values (listen, tls paths) nor a long unknown key in full" "$d"

run "$W/nofile" "$BISIKD" serve --data "$D" --config "$W/does-not-exist.json"
expect_exit "serve with a config file that does not exist: exit 2" 2 "$W/nofile"
run "$W/badlisten" "$BISIKD" serve --data "$D" --listen nope
expect_exit "serve --listen nope: exit 2, one line" 2 "$W/badlisten" "listen"
run "$W/noinit" "$BISIKD" serve --data "$W/never-made" --listen "127.0.0.1:$PORT"
expect_exit "serve on a data dir that was never made: exit 1, one line" 1 "$W/noinit"

# ---- bisikd serve: a full valid config starts -----------------------------------------------

# start_conf TEMPLATE SCHEME: serve with the config's own listen address;
# TEMPLATE is a config with @PORT@, tried on up to five free-looking ports.
start_conf() {
	_t=0
	while [ $_t -lt 5 ]; do
		_t=$((_t + 1))
		PORT=$(rand_port)
		sed "s/@PORT@/$PORT/" "$1" > "$1.json"
		"$BISIKD" serve --data "$D" --config "$1.json" $ALLOW_ROOT 2> "$W/full.log" &
		SRV_PID=$!
		ALL_PIDS="$ALL_PIDS $SRV_PID"
		SRV_LOG=$W/full.log
		_i=0
		while [ $_i -lt $((150 * SLOW)) ]; do
			is_ours "$SRV_PID" || break
			[ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 \
			    "$2://127.0.0.1:$PORT/api/v1/health")" = 200 ] && return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		is_ours "$SRV_PID" && return 1
		wait "$SRV_PID"
		grep -q "cannot listen" "$W/full.log" || return 1
	done
	return 1
}

cat > "$W/plain.tmpl" <<EOF
{"listen":"127.0.0.1:@PORT@","pow_difficulty":4,"max_body_bytes":131072,
 "max_attachment_bytes":2097152,"suppression_threshold":3,
 "holidays":["2026-12-24","2027-01-02"],
 "deadlines":{"dispose":2,"accept":3,"respond":4,"resolve":10},
 "threads":4,"rate_limit":{"per_address":0,"global":100000}}
EOF
if start_conf "$W/plain.tmpl" http; then
	SRV_URL=http://127.0.0.1:$PORT
	api GET /api/v1/challenge
	d=""
	jqt '.difficulty == 4' || d="challenge: $(snip "$T/body")"
	result "a full valid config (every key but TLS) starts on its own listen address" "$d"
	stop_server
	result "it stops on SIGTERM with status 0" "$SRV_STOP_WHY"
else
	notok "a full valid config (every key but TLS) starts on its own listen address" \
	    "$(tail -n 3 "$W/full.log" | tr '\n' ' ')"
	kill9_server
fi

if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$W/key.pem" -out "$W/cert.pem" -days 2 -subj /CN=127.0.0.1 \
    > "$W/openssl.out" 2>&1; then
	cat > "$W/full.tmpl" <<EOF
{"listen":"127.0.0.1:@PORT@","pow_difficulty":4,"max_body_bytes":131072,
 "max_attachment_bytes":2097152,"suppression_threshold":3,
 "holidays":["2026-12-24"],"deadlines":{"dispose":2,"accept":3,"respond":4,"resolve":10},
 "tls_cert":"$W/cert.pem","tls_key":"$W/key.pem","threads":4,
 "rate_limit":{"per_address":0,"global":100000}}
EOF
	if start_conf "$W/full.tmpl" https; then
		SRV_URL=https://127.0.0.1:$PORT
		api GET /api/v1/challenge -k
		d=""
		jqt '.difficulty == 4' || d="challenge: $(snip "$T/body")"
		hdr Strict-Transport-Security > /dev/null || d="$d no Strict-Transport-Security"
		result "a full valid config with TLS starts and serves HTTPS (with HSTS)" "$d"
		stop_server
		result "the TLS server stops on SIGTERM with status 0" "$SRV_STOP_WHY"
	else
		notok "a full valid config with TLS starts and serves HTTPS (with HSTS)" \
		    "$(tail -n 3 "$W/full.log" | tr '\n' ' ')"
		kill9_server
	fi
else
	notok "a full valid config with TLS starts and serves HTTPS (with HSTS)" \
	    "set-up: openssl could not make a certificate: $(snip "$W/openssl.out")"
fi

# The port is taken: exit 1 with one line.
start_server || die "start server" "cannot start bisikd"
run "$W/busy" "$BISIKD" serve --data "$D" --listen "127.0.0.1:$SRV_PORT"
expect_exit "serve on a port in use: exit 1, one line" 1 "$W/busy"
save_server live

# ---- agencies --------------------------------------------------------------------------------

run "$W/ag1" "$BISIKD" agency add --data "$D" --id "Dinas PU" --name "Dinas Pekerjaan Umum"
expect_exit "agency add with id \"Dinas PU\": exit 1, one line" 1 "$W/ag1"
run "$W/ag2" "$BISIKD" agency add --data "$D" --id a --name "Satu Huruf"
expect_exit "agency add with a 1-character id: exit 1" 1 "$W/ag2"
run "$W/ag3" "$BISIKD" agency add --data "$D" --id "$(rep a 65)" --name "Terlalu Panjang"
expect_exit "agency add with a 65-character id: exit 1" 1 "$W/ag3"
run "$W/ag4" "$BISIKD" agency add --data "$D" --id dinas-x --name "Dinas X" --parent tidak-ada
expect_exit "agency add with a parent that does not exist: exit 1" 1 "$W/ag4"
run "$W/ag5" "$BISIKD" agency add --data "$D" --id dinas-x
[ "$RC" = 2 ] && ok "agency add without --name: exit 2 (usage)" || notok "agency add without --name: exit 2 (usage)" "exit $RC"
run "$W/ag6" "$BISIKD" agency add --data "$D" --id dinas-x --name "Dinas X"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$W/ag6.err")"
run "$W/ag7" "$BISIKD" agency add --data "$D" --id dinas-x --name "Dinas X"
[ $RC -eq 0 ] || d="$d again: exit $RC"
grep -q added "$W/ag6.out" && grep -q unchanged "$W/ag7.out" || d="$d outputs: $(cat "$W/ag6.out" "$W/ag7.out" | tr '\n' ' ')"
result "agency add of a good id works, and again says unchanged" "$d"

CSV=$ROOT/share/agencies.csv
run "$W/imp1" "$BISIKD" agency import --data "$D" "$CSV"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$W/imp1.err")"
added1=$(sed -n 's/.* \([0-9][0-9]*\) added.*/\1/p' "$W/imp1.out")
[ -n "$added1" ] && [ "$added1" -gt 0 ] || d="$d first import: $(snip "$W/imp1.out")"
result "agency import of share/agencies.csv adds the agencies ($added1)" "$d"
run "$W/imp2" "$BISIKD" agency import --data "$D" "$CSV"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$W/imp2.err")"
grep -Eq '(^|[^0-9])0 added' "$W/imp2.out" || d="$d second import: $(snip "$W/imp2.out")"
result "a second import of the same file reports 0 added" "$d"
printf 'id,name,parent,level\nbadan-satu,Badan Satu,,\nbadan-dua,Badan Dua,badan-satu,\nBAD ID,Nama Buruk,,\nbadan-tiga,Badan Tiga,,\n' > "$W/bad.csv"
run "$W/imp3" "$BISIKD" agency import --data "$D" "$W/bad.csv"
d=""
[ $RC -eq 1 ] || d="exit $RC"
grep -q 'line 4' "$W/imp3.err" || d="$d stderr does not name line 4: $(snip "$W/imp3.err")"
result "an import with a bad line: exit 1, naming line 4" "$d"
printf 'id,name\nbadan-empat,"Badan ""Empat"", Pusat"\nbadan-lima,Badan Lima,tidak-ada-induk\n' > "$W/bad2.csv"
run "$W/imp4" "$BISIKD" agency import --data "$D" "$W/bad2.csv"
d=""
[ $RC -eq 1 ] || d="exit $RC"
grep -q 'line 3' "$W/imp4.err" || d="$d stderr does not name line 3: $(snip "$W/imp4.err")"
result "an import with an unknown parent: exit 1, naming line 3" "$d"
run "$W/imp5" "$BISIKD" agency import --data "$D" "$W/no-such.csv"
expect_exit "agency import of a missing file: exit 1, one line" 1 "$W/imp5"

# ---- keys and escrow --------------------------------------------------------------------------

K=$W/keys
mkdir -p "$K"
printf 'passphrase-of-admin-one\n' > "$K/p1"
printf 'short-pass!\n' > "$K/short"	# 11 characters
printf '\n' > "$K/empty"
run "$K/kg1" "$BISIK" keygen --out "$K/a1.key" --passphrase-file "$K/p1"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$K/kg1.err")"
[ -z "$d" ] && [ "$(stat -c %a "$K/a1.key")" != 600 ] && d="key mode $(stat -c %a "$K/a1.key")"
[ -z "$d" ] && ! jq -e '.bisik_admin_pub == 1 and (.sign_key | type == "string") and
    (.box_key | type == "string")' "$K/a1.key.pub" > /dev/null 2>&1 && d="bad .pub: $(snip "$K/a1.key.pub")"
[ -z "$d" ] && grep -q -F passphrase-of-admin-one "$K/a1.key" && d="the passphrase is in the key file"
result "bisik keygen writes a 0600 key file and its .pub" "$d"
# kdf_of FILE: the Argon2id passes and KiB recorded in a key file's seal.
kdf_of() {
	python3 -c 'import base64, json, sys
s = json.load(open(sys.argv[1]))["sealed"].replace("+", "-").replace("/", "_")
b = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
print(int.from_bytes(b[1:5], "big"), int.from_bytes(b[5:9], "big"))' "$1" 2>&1
}
result "bisik keygen seals at the moderate level by default (3 passes, 256 MiB)" \
    "$([ "$(kdf_of "$K/a1.key")" = "3 262144" ] || echo "recorded: $(kdf_of "$K/a1.key")")"
cp "$K/a1.key" "$K/a1.copy"
run "$K/kg2" "$BISIK" keygen --out "$K/a1.key" --passphrase-file "$K/p1"
expect_exit "bisik keygen refuses an existing file: exit 1, one line" 1 "$K/kg2"
cmp -s "$K/a1.key" "$K/a1.copy" && ok "the existing key file is unchanged" ||
    notok "the existing key file is unchanged" "it changed"
run "$K/kg3" "$BISIK" keygen --out "$K/s.key" --passphrase-file "$K/short"
expect_exit "bisik keygen refuses an 11-character passphrase: exit 1, one line" 1 "$K/kg3"
[ -e "$K/s.key" ] || [ -e "$K/s.key.pub" ] && notok "no key file after a refused passphrase" "a file was made" ||
    ok "no key file after a refused passphrase"
run "$K/kg4" "$BISIK" keygen --out "$K/e.key" --passphrase-file "$K/empty"
expect_exit "bisik keygen refuses an empty passphrase: exit 1" 1 "$K/kg4"
run "$K/kg5" "$BISIK" keygen --out "$K/n.key" --passphrase-file "$K/none"
expect_exit "bisik keygen with a missing passphrase file: exit 1" 1 "$K/kg5"
printf 'passphrase-of-admin-two\n' > "$K/p2"
printf 'passphrase-of-admin-three\n' > "$K/p3"
run "$K/kg6" "$BISIK" keygen --out "$K/a2.key" --passphrase-file "$K/p2" \
    --kdf interactive
result "bisik keygen --kdf interactive records 2 passes, 64 MiB" \
    "$([ $RC -eq 0 ] || echo "exit $RC $(snip "$K/kg6.err")")$([ "$(kdf_of "$K/a2.key")" = "2 65536" ] || echo "recorded: $(kdf_of "$K/a2.key")")"
run "$K/kg7" "$BISIK" keygen --out "$K/a3.key" --passphrase-file "$K/p3" \
    --kdf sensitive
result "bisik keygen --kdf sensitive records 4 passes, 1 GiB" \
    "$([ $RC -eq 0 ] || echo "exit $RC $(snip "$K/kg7.err")")$([ "$(kdf_of "$K/a3.key")" = "4 1048576" ] || echo "recorded: $(kdf_of "$K/a3.key")")"
run "$K/kg8" "$BISIK" keygen --out "$K/x.key" --passphrase-file "$K/p3" \
    --kdf cheap
expect_exit "bisik keygen --kdf cheap: exit 2, one line" 2 "$K/kg8"
[ -e "$K/x.key" ] && notok "no key file after a refused --kdf" "a file was made" ||
    ok "no key file after a refused --kdf"

run "$K/cer1" "$BISIK" escrow ceremony --threshold 2 --admin "$K/a1.key.pub" \
    --admin "$K/a2.key.pub" --admin "$K/a3.key.pub" --out-dir "$K/esc23"
E=$K/esc23/escrow.pub
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$K/cer1.err")"
[ -z "$d" ] && ! jq -e '.bisik_escrow == 1 and .threshold == 2 and (.holders | length == 3) and
    ([.holders[].index] == [1,2,3]) and (.public_key | type == "string") and
    all(.holders[]; (.commitment | type == "string") and (.sealed_share | type == "string"))' \
    "$E" > /dev/null 2>&1 && d="escrow.pub: $(snip "$E" 300)"
[ -z "$d" ] && [ "$(ls "$K/esc23" | tr '\n' ' ')" != "escrow.pub " ] && d="the dir holds more: $(ls "$K/esc23" | tr '\n' ' ')"
result "bisik escrow ceremony 2-of-3 writes only escrow.pub: 3 holders, threshold 2" "$d"
run "$K/cer2" "$BISIK" escrow ceremony --threshold 4 --admin "$K/a1.key.pub" \
    --admin "$K/a2.key.pub" --admin "$K/a3.key.pub" --out-dir "$K/esc43"
[ "$RC" = 2 ] && [ ! -e "$K/esc43" ] && ok "escrow ceremony 4-of-3: exit 2, nothing made" ||
    notok "escrow ceremony 4-of-3: exit 2, nothing made" "exit $RC"
run "$K/cer3" "$BISIK" escrow ceremony --threshold 1 --admin "$K/a1.key.pub" \
    --admin "$K/a1.key.pub" --out-dir "$K/escdup"
expect_exit "escrow ceremony with the same admin twice: exit 1, one line" 1 "$K/cer3"
run "$K/cer4" "$BISIK" escrow ceremony --threshold 1 --admin "$K/a1.key.pub" --out-dir "$K/esc23"
expect_exit "escrow ceremony into an existing dir: exit 1, one line" 1 "$K/cer4"
run "$K/cer5" "$BISIK" escrow ceremony --threshold 1 --admin "$K/a2.key.pub" --out-dir "$K/esc11"

run "$K/set0" "$BISIKD" escrow set --data "$D" --public-key "$E"
expect_exit "bisikd escrow set refuses a file no holder has signed: exit 1, one line" 1 "$K/set0"
grep -q 'have not signed' "$K/set0.err" && ok "... and says the holders have not signed it" ||
    notok "... and says the holders have not signed it" "$(snip "$K/set0.err")"
run "$K/sgn1" "$BISIK" escrow sign --escrow "$E" --key "$K/a1.key" --passphrase-file "$K/p1"
run "$K/sgn2" "$BISIK" escrow sign --escrow "$E" --key "$K/a2.key" --passphrase-file "$K/p2"
run "$K/set0b" "$BISIKD" escrow set --data "$D" --public-key "$E"
expect_exit "bisikd escrow set refuses a file holder 3 has not signed: exit 1, one line" 1 "$K/set0b"
grep -q 'holder 3' "$K/set0b.err" && ok "... naming holder 3" ||
    notok "... naming holder 3" "$(snip "$K/set0b.err")"
run "$K/sgn3" "$BISIK" escrow sign --escrow "$E" --key "$K/a3.key" --passphrase-file "$K/p3"
run "$K/fp1" "$BISIK" escrow fingerprint "$E"
grep -Eqx '([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}' "$K/fp1.out" && [ "$(wc -l < "$K/fp1.out")" = 1 ] &&
    grep -qF "$(cat "$K/fp1.out")" "$K/sgn3.out" && ok "bisik escrow fingerprint prints the fingerprint alone, as escrow sign showed it" ||
    notok "bisik escrow fingerprint prints the fingerprint alone, as escrow sign showed it" "$(snip "$K/fp1.out")"
run "$K/set1" "$BISIKD" escrow set --data "$D" --public-key "$E"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$K/set1.err")"
grep -q 'generation 1' "$K/set1.out" || d="$d output: $(snip "$K/set1.out")"
grep -qF "fingerprint: $(cat "$K/fp1.out")" "$K/set1.out" || d="$d no fingerprint: $(snip "$K/set1.out")"
result "bisikd escrow set accepts the 2-of-3 escrow.pub signed by all three (generation 1), printing its fingerprint" "$d"

# tamper NAME JQ_FILTER [jq args]: escrow set of a changed file must fail.
tn=0
tamper() {
	tn=$((tn + 1))
	_n=$1
	_f=$2
	shift 2
	jq "$@" "$_f" "$E" > "$K/t$tn.pub"
	run "$K/t$tn" "$BISIKD" escrow set --data "$D" --public-key "$K/t$tn.pub"
	expect_exit "escrow set refuses $_n: exit 1, one line" 1 "$K/t$tn"
}
OTHER_Y=$(jq -r .public_key "$K/esc11/escrow.pub" 2> /dev/null)
OTHER_C=$(jq -r '.holders[0].commitment' "$K/esc11/escrow.pub" 2> /dev/null)
tamper "a public key from another ceremony" '.public_key = $y' --arg y "$OTHER_Y"
tamper "holder 3 with another ceremony's commitment" '.holders[2].commitment = $c' --arg c "$OTHER_C"
tamper "holder 1's commitment swapped with holder 2's" \
    '.holders[0].commitment as $a | .holders[0].commitment = .holders[1].commitment | .holders[1].commitment = $a'
tamper "threshold 2 changed to 1" '.threshold = 1'
tamper "a commitment that is the identity point" '.holders[1].commitment = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'
tamper "a public key that is the identity point" '.public_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'
tamper "a public key that is not base64 of 32 bytes" '.public_key = "AAAA"'
tamper "a repeated holder index" '.holders[2].index = 1'
tamper "holder index 0" '.holders[0].index = 0'
tamper "no holders" '.holders = []'
tamper "version 2" '.bisik_escrow = 2'
tamper "a holder without sealed_share" 'del(.holders[1].sealed_share)'
tamper "holder 2's signing and box keys replaced (Y and commitments as they were)" \
    '.holders[1].sign_key = .holders[0].box_key | .holders[1].box_key = .holders[2].sign_key'
tamper "holder 3's signature left out" 'del(.holder_signatures[2])'
tamper "holder 1's signature given as holder 3's" '.holder_signatures[2].signature = .holder_signatures[0].signature'
tamper "a configuration hash that is not the file's" '.config_hash = .public_key'
printf 'not json' > "$K/garbage.pub"
run "$K/t99" "$BISIKD" escrow set --data "$D" --public-key "$K/garbage.pub"
expect_exit "escrow set refuses a file that is not JSON: exit 1, one line" 1 "$K/t99"
run "$K/sgn11" "$BISIK" escrow sign --escrow "$K/esc11/escrow.pub" --key "$K/a2.key" --passphrase-file "$K/p2"
run "$K/set2" "$BISIKD" escrow set --data "$D" --public-key "$K/esc11/escrow.pub"
d=""
[ $RC -eq 0 ] || d="exit $RC $(snip "$K/set2.err")"
grep -q 'generation 2' "$K/set2.out" || d="$d refused files were stored: $(snip "$K/set2.out")"
result "after the refusals the next good escrow.pub becomes generation 2 (nothing refused was stored)" "$d"

# ---- bisik usage and failures ---------------------------------------------------------------------

run "$W/b1" "$BISIK" frobnicate
[ "$RC" = 2 ] && ok "bisik with an unknown command: exit 2" || notok "bisik with an unknown command: exit 2" "exit $RC"
run "$W/b0" "$BISIK"
[ "$RC" = 2 ] && ok "bisik without a command: exit 2" || notok "bisik without a command: exit 2" "exit $RC"
printf 'Jalan berlubang di depan sekolah dasar negeri.\n' > "$W/body.txt"
run "$W/b2" "$BISIK" submit --title "Jalan rusak" --body-file "$W/body.txt" --bogus
expect_exit "bisik submit with an unknown flag: exit 2, one line" 2 "$W/b2"
run "$W/b3" "$BISIK" submit --body-file "$W/body.txt"
expect_exit "bisik submit without --title: exit 2, one line" 2 "$W/b3"
run "$W/b4" "$BISIK" submit --title "Jalan rusak" --body-file "$W/body.txt" --kind keluhan
expect_exit "bisik submit --kind keluhan: exit 2, one line" 2 "$W/b4"
run "$W/b5" "$BISIK" submit --title "Jalan rusak" --title "Dua kali" --body-file "$W/body.txt"
expect_exit "bisik submit with --title twice: exit 2, one line" 2 "$W/b5"
run "$W/b6" "$BISIK" submit --server "$SRV_URL" --title "Jal" --body-file "$W/body.txt"
expect_exit "bisik submit with a 3-character title: exit 1, one line naming title" 1 "$W/b6" title
run "$W/b7" "$BISIK" submit --server "$SRV_URL" --title "Jalan rusak" --body-file "$W/no-such-body"
expect_exit "bisik submit with a missing body file: exit 1, one line" 1 "$W/b7"
run "$W/b8" "$BISIK" follow
expect_exit "bisik follow without --token-file: exit 2, one line" 2 "$W/b8"

printf 'this is not a token\n' > "$W/bad.tok"
run "$W/f1" "$BISIK" follow --server "$SRV_URL" --token-file "$W/bad.tok"
expect_exit "bisik follow with a malformed token file: exit 1, one line" 1 "$W/f1"
run "$W/f2" "$BISIK" follow --server "$SRV_URL" --token-file "$W/no-such.tok"
expect_exit "bisik follow with a missing token file: exit 1, one line" 1 "$W/f2"
: > "$W/empty.tok"
run "$W/f3" "$BISIK" follow --server "$SRV_URL" --token-file "$W/empty.tok"
expect_exit "bisik follow with an empty token file: exit 1, one line" 1 "$W/f3"
# A well-formed token this server never issued (from another server).
use_server live
submit_report
printf '%s\n' "$TOKEN" > "$W/good.tok"
start_server || die "start second server" "cannot start bisikd"
save_server other
run "$W/f4" "$BISIK" follow --server "$SRV_URL" --token-file "$W/good.tok"
expect_exit "bisik follow with a token the server never issued: exit 1, one line" 1 "$W/f4"
run "$W/f5" "$BISIK" follow --server "http://127.0.0.1:1" --token-file "$W/good.tok"
expect_exit "bisik follow with no server listening: exit 1, one line" 1 "$W/f5"
use_server live
run "$W/f6" "$BISIK" follow --server "$SRV_URL" --token-file "$W/good.tok"
expect_exit "bisik follow with the right server and token: exit 0" 0 "$W/f6"
grep -q -F "$TOKEN" "$W/f6.out" "$W/f6.err" && notok "bisik follow does not print the token" "it does" ||
    ok "bisik follow does not print the token"

use_server other
stop_server
result "the second server stops cleanly" "$SRV_STOP_WHY"
use_server live
stop_server
result "the server stops cleanly" "$SRV_STOP_WHY"
finish
