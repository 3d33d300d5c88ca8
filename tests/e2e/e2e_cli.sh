#!/bin/sh
# e2e_cli.sh: the command lines of bisikd and bisik (bisik(1), bisikd(8): contrib/bisik.1, contrib/bisikd.8):
# exit codes (0 success, 1 failure, 2 usage), one-sentence errors on
# stderr, config keys named (never their values), idempotent agency import,
# escrow files checked before they are installed, key files never
# overwritten, and a full valid config (with TLS) that starts. Then every
# command and option in the help is in the man page and the other way
# round, and the reporter's commands against a real bisikd: --version,
# --server before and after the command, submit with attachments (a JPEG
# among them), attach, reply --attach, download (bytes compared, 0600,
# never over a file without --force), rate, reopen, rotate (the file
# rewritten, the old token refused), times in WIB, and each limit at its
# edge and one past it.
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools openssl mandoc exiftool python3

W=$T/cli
mkdir -p "$W"

# run OUTPREFIX CMD...: runs CMD bounded in time (RUN_SECONDS, 120 by
# default: the bound only ends a hang, and Argon2id at 256 MiB takes
# tens of seconds on a busy machine); RC, stdout and stderr in
# OUTPREFIX.out / OUTPREFIX.err.
run() {
	_o=$1
	shift
	timeout -k 2 $((${RUN_SECONDS:-120} * SLOW)) "$@" > "$_o.out" 2> "$_o.err" < /dev/null
	RC=$?
}
# lines FILE: its lines but bisikd's log lines ("ts=... level=..."), such
# as the start-up warning of missing holidays: the error is the rest.
lines() {
	grep -cv '^ts=[^ ]* level=' "$1"
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
# The same data directory while that server holds it, and a directory
# that was never made: each says which, in one line.
run "$W/held" "$BISIKD" compact --data "$SRV_DATA"
expect_exit "compact while serve holds the data directory: exit 1, says in use" 1 "$W/held" "is in use by another bisikd"
run "$W/nodir" "$BISIKD" serve --data "$W/never-made" --listen 127.0.0.1:9
expect_exit "serve on a directory never made: exit 1, names bisikd init" 1 "$W/nodir" "bisikd init --data $W/never-made"
run "$W/nodir2" "$BISIKD" compact --data "$W/never-made"
expect_exit "compact on a directory never made: exit 1, names bisikd init" 1 "$W/nodir2" "is not a data directory"
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
# 1 GiB and 4 passes of Argon2id: minutes on a shared, busy machine; the
# bound is only there so that a hang ends.
RUN_SECONDS=600 run "$K/kg7" "$BISIK" keygen --out "$K/a3.key" --passphrase-file "$K/p3" \
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
# a3.key is sealed at the sensitive level (1 GiB): see keygen above.
RUN_SECONDS=600 run "$K/sgn3" "$BISIK" escrow sign --escrow "$E" --key "$K/a3.key" --passphrase-file "$K/p3"
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
expect_exit "bisik with an unknown command: exit 2, one line" 2 "$W/b1" "bisik help"
run "$W/b0" "$BISIK"
expect_exit "bisik without a command: exit 2, one line" 2 "$W/b0" "bisik help"
run "$W/b0h" "$BISIK" help frobnicate
expect_exit "bisik help of an unknown command: exit 2, one line" 2 "$W/b0h" "frobnicate"
run "$W/b0a" "$BISIK" audit check
expect_exit "bisik audit with an unknown subcommand: exit 2, one line" 2 "$W/b0a" "audit verify"
run "$W/b0r" "$BISIK" help rate
d=""
[ "$RC" = 0 ] || d="exit $RC"
grep -q '^usage: bisik rate --token-file F --rating 1..5' "$W/b0r.out" || d="$d $(snip "$W/b0r.out")"
[ -s "$W/b0r.err" ] && d="$d stderr: $(snip "$W/b0r.err")"
result "bisik help rate: its usage on stdout, exit 0" "$d"
run "$W/b0r2" "$BISIK" --help rate
d=""
[ "$RC" = 0 ] || d="exit $RC"
cmp -s "$W/b0r.out" "$W/b0r2.out" || d="$d differs from bisik help rate: $(snip "$W/b0r2.out")"
result "bisik --help rate is bisik help rate" "$d"
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
expect_exit "bisik follow with a malformed token file: exit 1, one line naming the form" 1 "$W/f1" "32 letters and digits in groups of 4"
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

# ---- help and man pages name the same commands -------------------------------------

# help_cmds: the command words of each line of a usage text (stdin) that
# starts with PROGRAM, up to the first word that is not a lower-case name;
# "a|b" gives both.
help_cmds() {
	awk -v prog="$1" '{
		for (i = 1; i <= NF; i++) if ($i == prog) break
		if (i > NF || (i > 1 && $(i - 1) != "usage:")) next
		alt[1] = ""; n = 1
		for (j = i + 1; j <= NF && $j ~ /^[a-z][a-z|-]*$/; j++) {
			k = split($j, w, "|")
			m = 0
			for (a = 1; a <= n; a++)
				for (b = 1; b <= k; b++)
					nw[++m] = alt[a] (alt[a] == "" ? "" : " ") w[b]
			n = m
			for (a = 1; a <= n; a++) alt[a] = nw[a]
		}
		for (a = 1; a <= n; a++) if (alt[a] != "") print alt[a]
	}' | sort -u
}
# man_cmds PAGE: the .Cm words of each .Nm entry of the SYNOPSIS.
man_cmds() {
	awk '
		/^\.Sh / { syn = ($2 == "SYNOPSIS"); if (cur != "") print cur; cur = ""; next }
		!syn { next }
		/^\.Nm/ { if (cur != "") print cur; cur = ""; next }
		/^\.Cm / { sub(/^\.Cm /, ""); cur = cur (cur == "" ? "" : " ") $0 }
		END { if (cur != "") print cur }' "$1" | sort -u
}
"$BISIK" help > "$W/help.txt" 2>&1
help_cmds bisik < "$W/help.txt" > "$W/help.cmds"
# "help" itself is the one entry of the page that is not a command of the list.
man_cmds "$ROOT/contrib/bisik.1" | grep -vx help > "$W/man.cmds"
d=""
[ "$(wc -l < "$W/help.cmds")" -ge 20 ] || d="only $(wc -l < "$W/help.cmds") commands read from bisik help"
comm -23 "$W/help.cmds" "$W/man.cmds" > "$W/onlyhelp"
comm -13 "$W/help.cmds" "$W/man.cmds" > "$W/onlyman"
[ -s "$W/onlyhelp" ] && d="$d not in bisik.1: $(tr '\n' ',' < "$W/onlyhelp")"
[ -s "$W/onlyman" ] && d="$d in bisik.1 but not in bisik help: $(tr '\n' ',' < "$W/onlyman")"
result "every command of bisik help is in the SYNOPSIS of bisik(1), and the other way round ($(wc -l < "$W/help.cmds" | tr -d ' '))" "$d"
"$BISIKD" help > "$W/dhelp.txt" 2>&1
help_cmds bisikd < "$W/dhelp.txt" > "$W/dhelp.cmds"
man_cmds "$ROOT/contrib/bisikd.8" > "$W/dman.cmds"
d=""
[ "$(wc -l < "$W/dhelp.cmds")" -ge 15 ] || d="only $(wc -l < "$W/dhelp.cmds") commands read from bisikd help"
comm -23 "$W/dhelp.cmds" "$W/dman.cmds" > "$W/onlyhelp"
comm -13 "$W/dhelp.cmds" "$W/dman.cmds" > "$W/onlyman"
[ -s "$W/onlyhelp" ] && d="$d not in bisikd.8: $(tr '\n' ',' < "$W/onlyhelp")"
[ -s "$W/onlyman" ] && d="$d in bisikd.8 but not in bisikd help: $(tr '\n' ',' < "$W/onlyman")"
result "every command of bisikd help is in the SYNOPSIS of bisikd(8), and the other way round ($(wc -l < "$W/dhelp.cmds" | tr -d ' '))" "$d"
# help_flags PROGRAM: "COMMAND<tab>--flag" for every option a usage text
# (stdin) names, under the command of the entry it is in ("" for the
# lines that are about every command, such as --server and --version).
# --server and --proxy are told once for every command, so they count
# only there.
help_flags() {
	awk -v prog="$1" '
	# The commands a line starting an entry names ("a|b" gives both);
	# 0 when the line does not start one.
	function entry(   i, j, k, a, b, m, np, nw, c, part, w, alt, tmp) {
		for (i = 1; i <= NF; i++) if ($i == prog) break
		if (i > NF || (i > 1 && $(i - 1) != "usage:")) return 0
		n = 1; alt[1] = ""
		for (j = i + 1; j <= NF && $j ~ /^[a-z][a-z|-]*$/; j++) {
			nw = split($j, w, "|")
			m = 0
			for (a = 1; a <= n; a++)
				for (b = 1; b <= nw; b++)
					tmp[++m] = alt[a] (alt[a] == "" ? "" : " ") w[b]
			n = m
			for (a = 1; a <= n; a++) alt[a] = tmp[a]
		}
		ncmd = n
		for (a = 1; a <= n; a++) cmds[a] = alt[a]
		return 1
	}
	{
		if (!entry() && $0 ~ /^[^ ]/) { ncmd = 1; cmds[1] = "" }
		s = $0
		while (match(s, /--[a-z][a-z-]*/)) {
			f = substr(s, RSTART, RLENGTH)
			for (k = 1; k <= ncmd; k++)
				if (cmds[k] == "" || (f != "--server" && f != "--proxy"))
					print cmds[k] "\t" f
			s = substr(s, RSTART + RLENGTH)
		}
	}' | sort -u
}
# man_flags PAGE: "COMMAND<tab>--flag" for every Fl of each .Nm entry of
# the SYNOPSIS.
man_flags() {
	awk '
		/^\.Sh / { syn = ($2 == "SYNOPSIS"); next }
		!syn { next }
		/^\.Nm/ { cur = ""; next }
		/^\.Cm / { sub(/^\.Cm /, ""); cur = cur (cur == "" ? "" : " ") $0; next }
		{
			s = $0
			while (match(s, /Fl -[a-z][a-z-]*/)) {
				print cur "\t-" substr(s, RSTART + 3, RLENGTH - 3)
				s = substr(s, RSTART + RLENGTH)
			}
		}' "$1" | sort -u
}
# flag_drift HELP_FLAGS PAGE: the pairs only one side has, as one line.
flag_drift() {
	man_flags "$2" > "$W/man.flags"
	_only=$(comm -23 "$1" "$W/man.flags" | tr '\t\n' ' ,')
	_d=""
	[ -n "$_only" ] && _d="not in $(basename "$2"): $_only"
	_only=$(comm -13 "$1" "$W/man.flags" | tr '\t\n' ' ,')
	[ -n "$_only" ] && _d="$_d in $(basename "$2") but not in the help: $_only"
	echo "$_d"
}
help_flags bisik < "$W/help.txt" > "$W/help.flags"
d=$(flag_drift "$W/help.flags" "$ROOT/contrib/bisik.1")
[ "$(wc -l < "$W/help.flags")" -ge 80 ] || d="$d only $(wc -l < "$W/help.flags") options read from bisik help"
result "every option of each command in bisik help is in that command's SYNOPSIS entry of bisik(1), and the other way round ($(wc -l < "$W/help.flags" | tr -d ' '))" "$d"
help_flags bisikd < "$W/dhelp.txt" > "$W/dhelp.flags"
d=$(flag_drift "$W/dhelp.flags" "$ROOT/contrib/bisikd.8")
[ "$(wc -l < "$W/dhelp.flags")" -ge 35 ] || d="$d only $(wc -l < "$W/dhelp.flags") options read from bisikd help"
result "every option of each command in bisikd help is in that command's SYNOPSIS entry of bisikd(8), and the other way round ($(wc -l < "$W/dhelp.flags" | tr -d ' '))" "$d"
# The check itself: a page without download's --force, or with rate's
# --rating moved under reply, must be told.
grep -v -x '.Op Fl -force' "$ROOT/contrib/bisik.1" > "$W/drift1.1"
d=$(flag_drift "$W/help.flags" "$W/drift1.1")
case $d in
*"not in drift1.1: download --force,"*) d="" ;;
*) d="not told: $d" ;;
esac
awk '/^\.Cm rate$/ { print ".Cm reply"; next } { print }' "$ROOT/contrib/bisik.1" > "$W/drift2.1"
d2=$(flag_drift "$W/help.flags" "$W/drift2.1")
case $d2 in
*"rate --rating,"*"but not in the help: "*"reply --rating,"*) ;;
*) d="$d moved flag not told: $d2" ;;
esac
result "the option drift check tells a missing and a misplaced option" "$d"
d=""
for m in "$ROOT/contrib/bisik.1" "$ROOT/contrib/bisikd.8"; do
	mandoc -T lint -W warning "$m" > "$W/lint.out" 2>&1 || d="$d $(basename "$m"): $(snip "$W/lint.out")"
done
result "both man pages are clean for mandoc -T lint" "$d"
d=""
for w in rate reopen attach download "--version" "max_attachment_bytes" "\"nik\"" "4096 bytes" WIB; do
	grep -q -F -- "$w" "$W/help.txt" "$ROOT/contrib/bisik.1" || d="$d $w"
done
grep -q -F 'name, email, phone, nik and' "$W/help.txt" || d="$d identity fields not in bisik help"
grep -q -F 'each at most 300 characters' "$W/help.txt" || d="$d identity limit not in bisik help"
grep -q -F '.Ic address' "$ROOT/contrib/bisik.1" || d="$d identity fields not in bisik.1"
result "the identity file's format and limits are in bisik help submit and bisik(1)" "$d"

# ---- bisik --version and options before the command ----------------------------------------

VERSION=$(sed -n 's/^#define BISIK_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$ROOT/core/version.h")
run "$W/v1" "$BISIK" --version
d=""
[ "$RC" = 0 ] || d="exit $RC"
[ -n "$VERSION" ] && [ "$(cat "$W/v1.out")" = "bisik $VERSION" ] || d="$d output: $(snip "$W/v1.out") (want bisik $VERSION)"
result "bisik --version prints bisik $VERSION (core/version.h), exit 0" "$d"
for v in "follow --version" "follow --token-file /nonexistent --version" "escrow --version" \
    "--server http://127.0.0.1:1 follow --version" "keygen --version"; do
	# shellcheck disable=SC2086
	run "$W/v0" "$BISIK" $v
	d=""
	[ "$RC" = 0 ] || d="exit $RC $(snip "$W/v0.err")"
	[ "$(cat "$W/v0.out")" = "bisik $VERSION" ] || d="$d output: $(snip "$W/v0.out")"
	result "bisik $v prints bisik $VERSION, exit 0 (after the command as before it)" "$d"
done
run "$W/v0" "$BISIK" attach --token-file /nonexistent -- --version
d=""
[ "$RC" != 0 ] || d="exit 0"
grep -q "bisik $VERSION" "$W/v0.out" && d="$d printed the version"
result "bisik attach ... -- --version: after a lone -- it is a file name, not the option" "$d"
run "$W/v2" "$BISIK" --bogus follow
expect_exit "bisik --bogus follow: exit 2, one line" 2 "$W/v2" "--server"
run "$W/v3" "$BISIK" --server
expect_exit "bisik --server without a value: exit 2, one line" 2 "$W/v3" value
run "$W/v4" "$BISIK" --server http://127.0.0.1:1 keygen --out "$W/x.key"
expect_exit "bisik --server URL keygen (offline): exit 2, one line" 2 "$W/v4" offline
run "$W/v5" "$BISIK" --proxy socks5h://127.0.0.1:1 escrow ceremony --threshold 1 --admin "$K/a1.key.pub" --out-dir "$W/escx"
expect_exit "bisik --proxy URL escrow ceremony (offline): exit 2, one line" 2 "$W/v5" offline

# ---- the reporter's commands against a real bisikd ------------------------------------------

R=$W/rep
mkdir -p "$R"
PASS='kata sandi yang panjang sekali'
printf '%s\n' "$PASS" > "$R/pw"
new_data --escrow || die "reporter set-up" "cannot make the data directory"
for u in "pusat --role central_admin" "admin-pu --role agency_admin --agency dinas-pu" \
    "lia-pu --role liaison --agency dinas-pu"; do
	# shellcheck disable=SC2086
	"$BISIKD" user add --data "$SRV_DATA" --username $u --password-file "$R/pw" \
	    > "$R/user.out" 2>&1 || die "reporter set-up" "user add $u: $(snip "$R/user.out")"
done
serve || die "reporter set-up" "cannot start bisikd"
save_server rep
login() {
	api_json POST /api/v1/auth/login "$(jq -cn --arg u "$1" --arg p "$PASS" '{username:$u,password:$p}')"
	[ "$ST" = 200 ] || die "login $1" "HTTP $ST $(snip "$T/body")"
	jq -r .session "$T/body"
}
CA=$(login pusat)
AA=$(login admin-pu)
LI=$(login lia-pu)
# resolve CASE: dispose, accept and resolve it as staff.
resolve() {
	for _a in "$CA {\"action\":\"dispose\",\"agency\":\"dinas-pu\"}" \
	    "$AA {\"action\":\"accept\",\"liaison\":\"lia-pu\"}" \
	    "$LI {\"action\":\"resolve\",\"resolution\":\"Lubang sudah ditambal.\"}"; do
		api_json POST "/api/v1/cases/$1/actions" "${_a#* }" -H "Authorization: Bearer ${_a%% *}"
		[ "$ST" = 200 ] || { echo "# resolve $1: HTTP $ST $(snip "$T/body")" >&2; return 1; }
	done
}
# count_att TOKEN_FILE: the number of attachments the case has.
count_att() {
	api GET /api/v1/followup -H "Authorization: Bearer $(head -n 1 "$1")"
	jq -r '.attachments | length' "$T/body" 2>/dev/null
}
# count_msg TOKEN_FILE: the number of messages the case has.
count_msg() {
	api GET /api/v1/followup -H "Authorization: Bearer $(head -n 1 "$1")"
	jq -r '.messages | length' "$T/body" 2>/dev/null
}
U=$SRV_URL
printf 'Jalan berlubang di depan sekolah dasar negeri.\n' > "$R/body.txt"
printf 'Catatan saksi: lubang sejak Oktober.\n' > "$R/note.txt"
printf '%%PDF-1.4\n%% bukti\n1 0 obj << >> endobj\ntrailer << >>\n%%%%EOF\n' > "$R/doc.pdf"
printf '{"name":"Budi Santoso","phone":"0812 3456 7890"}' > "$R/id.json"
JPEG=$ROOT/tests/fixtures/gps.jpg

# submit with two attachments, a JPEG among them, and an identity; --server before the command
run "$R/s1" "$BISIK" --server "$U" submit --title "Jalan rusak" --body-file "$R/body.txt" \
    --category infrastruktur --identity-file "$R/id.json" --attach "$R/note.txt" --attach "$JPEG" --token-out "$R/t1"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/s1.err")"
grep -Eq '^case: BSK-[0-9]{4}-[0-9]{6,}$' "$R/s1.out" || d="$d no case: $(snip "$R/s1.out")"
grep -Eq '^filed: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} WIB$' "$R/s1.out" || d="$d no filed time in WIB"
grep -q 'as attachment 1 (text/plain' "$R/s1.out" || d="$d note.txt not attachment 1"
grep -q 'as attachment 2 (image/jpeg' "$R/s1.out" || d="$d the JPEG not attachment 2"
[ "$(stat -c %a "$R/t1" 2>/dev/null)" = 600 ] || d="$d token file mode $(stat -c %a "$R/t1" 2>/dev/null)"
[ "$(count_att "$R/t1")" = 2 ] || d="$d the case has $(count_att "$R/t1") attachments"
result "bisik --server URL submit with --identity-file and two --attach (a JPEG): filed, both attached, token 0600" "$d"
CASE1=$(sed -n 's/^case: //p' "$R/s1.out")

# the receipt's time in WIB is the server's UTC time plus 7 hours
at=$(jq -r .created_at "$T/body")
wib=$(date -u -d "$(echo "$at" | sed 's/T/ /; s/Z$//') UTC + 7 hours" '+%Y-%m-%d %H:%M WIB' 2>/dev/null)
run "$R/f1" "$BISIK" follow --server "$U" --token-file "$R/t1"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/f1.err")"
grep -q "^filed: *$wib\$" "$R/f1.out" || d="$d filed is not $wib (created_at $at): $(grep filed "$R/f1.out")"
grep -q "^filed: $wib\$" "$R/s1.out" || d="$d submit's receipt time is not $wib"
grep -Eq '^  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} WIB  ' "$R/f1.out" || d="$d timeline not in WIB"
grep -Eq '^due: +[0-9-]{10} 23:59 WIB$' "$R/f1.out" || d="$d due: $(grep due "$R/f1.out")"
grep -Eq '^  #1 note.txt \(text/plain, [0-9]+ bytes\), from you, [0-9-]{10} [0-9:]{5} WIB$' "$R/f1.out" || d="$d attachment 1: $(grep '#1' "$R/f1.out")"
grep -q '^  #2 gps.jpg (image/jpeg' "$R/f1.out" || d="$d attachment 2: $(grep '#2' "$R/f1.out")"
grep -q -F "$(head -n 1 "$R/t1")" "$R/f1.out" && d="$d the token is printed"
result "bisik follow shows times in WIB (created_at + 7 h), a deadline at 23:59 WIB, numbered attachments" "$d"

# --json: the same case, its times RFC 3339 in UTC ending in Z (bisik(1)
# and `bisik help follow` say so), the same instants as the WIB output
run "$R/fj" "$BISIK" follow --server "$U" --token-file "$R/t1" --json
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/fj.err")"
jq -r '[paths(scalars) as $p | select(($p[-1] | tostring) | test("^at$|_at$|^(dispose|accept|respond|resolve|close)$")) | getpath($p)] | map(tostring) | .[]' \
    "$R/fj.out" > "$R/fj.times" 2> "$R/fj.jq" || d="$d not JSON: $(snip "$R/fj.jq")"
[ "$(wc -l < "$R/fj.times")" -ge 3 ] || d="$d only $(wc -l < "$R/fj.times") times found"
bad=$(grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$R/fj.times" | head -n 3 | tr '\n' ' ')
[ -z "$bad" ] || d="$d not UTC with Z: $bad"
jat=$(jq -r .created_at "$R/fj.out" 2>/dev/null)
jwib=$(date -u -d "$(echo "$jat" | sed 's/T/ /; s/Z$//') UTC + 7 hours" '+%Y-%m-%d %H:%M WIB' 2>/dev/null)
[ "$jwib" = "$wib" ] || d="$d created_at $jat is not $wib"
run "$R/fjh" "$BISIK" help follow
grep -q 'RFC 3339 in UTC, ending' "$R/fjh.out" || d="$d not in bisik help follow"
grep -q '^Its times are RFC 3339 in UTC and end in$' "$ROOT/contrib/bisik.1" || d="$d not in bisik.1"
result "bisik follow --json: every time is RFC 3339 UTC with Z, created_at + 7 h is the WIB output; help and man say so" "$d"

# options after the command, and both places
run "$R/g1" "$BISIK" follow --server "$U" --token-file "$R/t1"
run "$R/g2" "$BISIK" --server="$U" follow --token-file "$R/t1"
d=""
[ "$RC" = 0 ] && cmp -s "$R/g1.out" "$R/g2.out" || d="exit $RC $(snip "$R/g2.err")"
result "--server before the command (--server=URL) and after it give the same follow" "$d"
# The configuration file's server counts only when the command line has none.
printf 'server = http://127.0.0.1:1\n' > "$R/cfg"
run "$R/g5" "$BISIK" --server "$U" submit --config "$R/cfg" --title "Jalan rusak" --body-file "$R/body.txt"
expect_exit "--server before the command beats the config file's server" 0 "$R/g5"
run "$R/g6" "$BISIK" submit --config "$R/cfg" --title "Jalan rusak" --body-file "$R/body.txt"
expect_exit "... which is used without one (a closed port): exit 1, one line" 1 "$R/g6" "cannot reach"
run "$R/g3" "$BISIK" --server "$U" follow --server "$U" --token-file "$R/t1"
expect_exit "--server before and after the command: exit 2, one line" 2 "$R/g3" "once"
run "$R/g4" "$BISIK" --proxy socks5h://127.0.0.1:1 follow --server "$U" --token-file "$R/t1"
expect_exit "--proxy before the command is used (a closed proxy port): exit 1, one line" 1 "$R/g4" "cannot reach"

# download: bytes, mode, no overwrite, --force
run "$R/d1" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 1 --out "$R/d1.txt"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/d1.err")"
cmp -s "$R/d1.txt" "$R/note.txt" || d="$d not the bytes sent"
[ "$(stat -c %a "$R/d1.txt" 2>/dev/null)" = 600 ] || d="$d mode $(stat -c %a "$R/d1.txt" 2>/dev/null)"
result "bisik download of the text: the bytes sent, mode 0600" "$d"
run "$R/d2" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 2 --out "$R/d2.jpg"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/d2.err")"
[ "$(od -An -N3 -tx1 "$R/d2.jpg" | tr -d ' ')" = ffd8ff ] || d="$d not a JPEG"
exiftool -s -s -s -GPSLatitude "$JPEG" | grep -q . || d="$d the fixture has no GPS to lose"
exiftool -s -s -s -GPSLatitude -Make -Model "$R/d2.jpg" | grep -q . && d="$d GPS or camera tags left"
result "bisik download of the JPEG: a JPEG re-encoded without GPS or camera tags" "$d"
cp "$R/d1.txt" "$R/d1.keep"
run "$R/d3" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 2 --out "$R/d1.txt"
expect_exit "bisik download over an existing file: exit 1, one line" 1 "$R/d3" "--force"
cmp -s "$R/d1.txt" "$R/d1.keep" && ok "the existing file is unchanged" || notok "the existing file is unchanged" "it changed"
ln -s "$R/d1.keep" "$R/link.txt"
run "$R/d3b" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 2 --out "$R/link.txt"
d=""
[ "$RC" = 1 ] || d="exit $RC"
cmp -s "$R/d1.keep" "$R/note.txt" || d="$d the link's target changed"
result "bisik download over a symbolic link: exit 1, the target unchanged" "$d"
run "$R/d4" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 2 --out "$R/d1.txt" --force
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/d4.err")"
cmp -s "$R/d1.txt" "$R/d2.jpg" || d="$d not replaced"
[ "$(stat -c %a "$R/d1.txt" 2>/dev/null)" = 600 ] || d="$d mode $(stat -c %a "$R/d1.txt")"
result "bisik download --force replaces it, mode 0600" "$d"
for n in 0 21 x; do
	run "$R/dn$n" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment "$n" --out "$R/dn$n"
	expect_exit "bisik download --attachment $n: exit 2, naming 1 to 20" 2 "$R/dn$n" "from 1 to 20"
done
run "$R/dn20" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 20 --out "$R/dn20"
expect_exit "bisik download --attachment 20 (the edge) that does not exist: exit 1, one line" 1 "$R/dn20" "no attachment 20"
[ -e "$R/dn20" ] && notok "no file is left by a failed download" "$R/dn20 exists" || ok "no file is left by a failed download"

# The download limit (CLIENT_DOWNLOAD_MAX, 128 MiB) at its edge and past
# it, against a server that answers with as many bytes as the first
# segment of the path says (the --server URL's path): bisikd's own files
# are far smaller.
DLMAX=$((128 * 1024 * 1024))
cat > "$R/big.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        n = int(self.path.split("/")[1])
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        chunk = bytes(1 << 20)
        try:
            while n > 0:
                self.wfile.write(chunk[:min(n, len(chunk))])
                n -= min(n, len(chunk))
        except OSError:
            pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
EOF
python3 "$R/big.py" "$R/big.port" 2> "$R/big.err" &
BIG_PID=$!
ALL_PIDS="$ALL_PIDS $BIG_PID"
i=0
while [ ! -s "$R/big.port" ] && [ $i -lt $((100 * SLOW)) ]; do sleep 0.1; i=$((i + 1)); done
BIG=http://127.0.0.1:$(cat "$R/big.port" 2>/dev/null)
RUN_SECONDS=300 run "$R/dl1" "$BISIK" download --server "$BIG/$DLMAX" --token-file "$R/t1" --attachment 1 --out "$R/dl1.pdf"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/dl1.err")"
[ "$(stat -c %s "$R/dl1.pdf" 2>/dev/null)" = "$DLMAX" ] || d="$d size $(stat -c %s "$R/dl1.pdf" 2>/dev/null)"
result "bisik download of exactly $DLMAX bytes (the limit): saved whole" "$d"
rm -f "$R/dl1.pdf"
RUN_SECONDS=300 run "$R/dl2" "$BISIK" download --server "$BIG/$((DLMAX + 1))" --token-file "$R/t1" --attachment 1 --out "$R/dl2.pdf"
expect_exit "bisik download of $((DLMAX + 1)) bytes: exit 1, one line naming $DLMAX bytes" 1 "$R/dl2" "larger than $DLMAX bytes"
[ -e "$R/dl2.pdf" ] && notok "... and no file is left" "$R/dl2.pdf exists" || ok "... and no file is left"
is_ours "$BIG_PID" && kill -TERM "$BIG_PID"

# attach: a PDF and text, bytes back; types refused before sending
run "$R/a1" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R/doc.pdf" "$R/note.txt"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/a1.err")"
grep -q 'as attachment 3 (application/pdf' "$R/a1.out" && grep -q 'as attachment 4 (text/plain' "$R/a1.out" || d="$d $(snip "$R/a1.out")"
run "$R/a1d" "$BISIK" download --server "$U" --token-file "$R/t1" --attachment 3 --out "$R/a3.pdf"
cmp -s "$R/a3.pdf" "$R/doc.pdf" || d="$d the PDF came back changed"
result "bisik attach FILE FILE: a PDF and text, numbered 3 and 4; the PDF downloads unchanged" "$d"
printf '\177ELF\002\001\001\000' > "$R/prog.jpg"
printf '<!DOCTYPE html><p>hi' > "$R/page.txt"
: > "$R/empty.txt"
printf 'a\033[2Jb\n' > "$R/esc.txt"
for f in prog.jpg page.txt esc.txt; do
	run "$R/at-$f" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R/note.txt" "$R/$f"
	expect_exit "bisik attach of $f (refused type) with a good file: exit 1, one line naming the types" 1 "$R/at-$f" "JPEG, PNG or WebP image, a PDF or plain UTF-8 text"
done
run "$R/at-empty" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R/empty.txt"
expect_exit "bisik attach of an empty file: exit 1, one line" 1 "$R/at-empty" "empty"
run "$R/at-none" "$BISIK" attach --server "$U" --token-file "$R/t1"
expect_exit "bisik attach without a file: exit 2, one line" 2 "$R/at-none"
[ "$(count_att "$R/t1")" = 4 ] && ok "refused files sent nothing (the good file beside them either)" ||
    notok "refused files sent nothing (the good file beside them either)" "the case has $(count_att "$R/t1")"

# the size limit (10 MiB, the server's default max_attachment_bytes) at the edge and past it
head -c 10485760 /dev/zero | tr '\0' 'x' > "$R/edge.body"
{ printf '%%PDF-1.4\n'; head -c $((10485760 - 9)) "$R/edge.body"; } > "$R/edge.pdf"
{ cat "$R/edge.pdf"; printf 'x'; } > "$R/over.pdf"
run "$R/sz1" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R/over.pdf"
expect_exit "bisik attach of 10485761 bytes: exit 1 before sending, naming 10485760 bytes" 1 "$R/sz1" "10485760 bytes"
result "... and nothing was sent" "$([ "$(count_att "$R/t1")" = 4 ] || echo "the case has $(count_att "$R/t1")")"
run "$R/sz2" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R/edge.pdf"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/sz2.err")"
grep -q 'as attachment 5 (application/pdf, 10.0 MB)' "$R/sz2.out" || d="$d $(snip "$R/sz2.out")"
result "bisik attach of exactly 10485760 bytes: taken by client and server" "$d"

# the count limit: 20 per case
i=6
while [ $i -le 20 ]; do
	printf 'lampiran %s\n' "$i" > "$R/n$i.txt"
	i=$((i + 1))
done
run "$R/c1" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R"/n[6-9].txt "$R"/n1[0-9].txt "$R/n20.txt"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/c1.err")"
grep -q 'as attachment 20 ' "$R/c1.out" || d="$d no attachment 20"
result "bisik attach up to the 20th attachment of the case" "$d"
run "$R/c2" "$BISIK" attach --server "$U" --token-file "$R/t1" "$R/note.txt"
expect_exit "bisik attach of a 21st: exit 1, one line naming 20" 1 "$R/c2" "already has 20 attachments"
set --
i=0
while [ $i -le 20 ]; do set -- "$@" "$R/note.txt"; i=$((i + 1)); done
run "$R/c3" "$BISIK" attach --server "$U" --token-file "$R/t1" "$@"
expect_exit "bisik attach of 21 files at once: exit 2, one line naming 20" 2 "$R/c3" "at most 20"
set --
i=0
while [ $i -le 20 ]; do set -- "$@" --attach "$R/note.txt"; i=$((i + 1)); done
run "$R/c4" "$BISIK" submit --server "$U" --title "Jalan rusak" --body-file "$R/body.txt" "$@"
expect_exit "bisik submit with 21 --attach: exit 1 before filing, naming 20" 1 "$R/c4" "at most 20"
grep -q '^case:' "$R/c4.out" && notok "nothing filed with 21 --attach" "a case was filed" || ok "nothing filed with 21 --attach"
set --
i=1
while [ $i -lt 20 ]; do set -- "$@" --attach "$R/note.txt"; i=$((i + 1)); done
run "$R/c5" "$BISIK" submit --server "$U" --title "Jalan rusak" --body-file "$R/body.txt" "$@" --attach "$JPEG" --token-out "$R/t20"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/c5.err")"
[ "$(count_att "$R/t20")" = 20 ] || d="$d the case has $(count_att "$R/t20")"
result "bisik submit with 20 --attach (the edge): filed with all 20" "$d"
run "$R/c6" "$BISIK" submit --server "$U" --title "Jalan rusak" --body-file "$R/body.txt" --attach "$R/note.txt" --attach "$R/prog.jpg"
expect_exit "bisik submit with a refused type: exit 1 before filing, naming the file" 1 "$R/c6" "prog.jpg"
grep -q '^case:' "$R/c6.out" && notok "nothing filed with a refused --attach" "a case was filed" || ok "nothing filed with a refused --attach"

# the report IS filed when an attachment fails after filing: a server with a lower limit
start_server --escrow '{"pow_difficulty":0,"max_attachment_bytes":1024}' || die "small server" "cannot start bisikd"
save_server small
head -c 2000 "$R/edge.body" > "$R/big.txt"
run "$R/p1" "$BISIK" submit --server "$SRV_URL" --title "Jalan rusak" --body-file "$R/body.txt" \
    --attach "$R/note.txt" --attach "$R/big.txt" --token-out "$R/tp"
d=""
[ "$RC" = 1 ] || d="exit $RC"
[ "$(lines "$R/p1.err")" = 1 ] || d="$d stderr has $(lines "$R/p1.err") lines"
grep -q 'IS filed as case BSK-' "$R/p1.err" || d="$d does not say it is filed: $(snip "$R/p1.err")"
grep -q "big.txt (the server refused it as too large" "$R/p1.err" || d="$d does not name big.txt and why: $(snip "$R/p1.err" 400)"
grep -q 'max_attachment_bytes' "$R/p1.err" || d="$d does not name the server's limit"
grep -q '^case: BSK-' "$R/p1.out" && grep -q '^token: ' "$R/p1.out" || d="$d case and token not printed"
[ "$(count_att "$R/tp")" = 1 ] || d="$d the case has $(count_att "$R/tp") attachments, want 1"
result "submit whose 2nd attachment the server refuses (413): exit 1, one line: the report IS filed, which file and why; token file works" "$d"
printf 'Foto terlampir.\n' > "$R/msg.txt"
run "$R/p2" "$BISIK" reply --server "$SRV_URL" --token-file "$R/tp" --message-file "$R/msg.txt" \
    --attach "$R/big.txt" --attach "$R/note.txt"
d=""
[ "$RC" = 1 ] || d="exit $RC"
[ "$(lines "$R/p2.err")" = 1 ] || d="$d stderr has $(lines "$R/p2.err") lines"
grep -q 'the message IS sent, but 1 of 2 attachments' "$R/p2.err" || d="$d does not say the message is sent: $(snip "$R/p2.err")"
grep -q "big.txt (the server refused it as too large" "$R/p2.err" || d="$d does not name big.txt and why"
grep -q 'as attachment 2 (text/plain' "$R/p2.out" || d="$d note.txt not attachment 2: $(snip "$R/p2.out")"
[ "$(count_msg "$R/tp")" = 1 ] || d="$d the case has $(count_msg "$R/tp") messages, want 1"
[ "$(count_att "$R/tp")" = 2 ] || d="$d the case has $(count_att "$R/tp") attachments, want 2"
result "reply whose 1st attachment the server refuses (413): exit 1, one line: the message IS sent, which file and why; the 2nd sent" "$d"
stop_server
use_server rep

# rate and reopen: limits, then on resolved cases
run "$R/r0" "$BISIK" rate --server "$U" --token-file "$R/t1" --rating 5
expect_exit "bisik rate of a case not yet resolved: exit 1, one line" 1 "$R/r0" "resolved"
for r in 0 6 5x -1 ""; do
	run "$R/r$r" "$BISIK" rate --server "$U" --token-file "$R/t1" --rating "$r"
	expect_exit "bisik rate --rating '$r': exit 2, one line naming 1 to 5" 2 "$R/r$r" "a whole number from 1 to 5"
done
run "$R/rn" "$BISIK" rate --server "$U" --token-file "$R/t1"
expect_exit "bisik rate without --rating: exit 2, one line" 2 "$R/rn" "--rating"
rep 'a' 10001 > "$R/c10001"
rep 'a' 10000 > "$R/c10000"
run "$R/rc1" "$BISIK" rate --server "$U" --token-file "$R/t1" --rating 4 --comment-file "$R/c10001"
expect_exit "bisik rate with a 10001-character comment: exit 1, naming 1 to 10000 and 10001" 1 "$R/rc1" "1 to 10000 characters; it has 10001"
resolve "$CASE1" || notok "staff resolve the case" "see the log"
run "$R/rc2" "$BISIK" rate --server "$U" --token-file "$R/t1" --rating 4 --comment-file "$R/c10000"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/rc2.err")"
grep -q "^rated 4 of 5; case $CASE1 is closed$" "$R/rc2.out" || d="$d $(snip "$R/rc2.out")"
api GET /api/v1/followup -H "Authorization: Bearer $(head -n 1 "$R/t1")"
jqt '.status == "closed"' || d="$d status $(jq -r .status "$T/body")"
result "bisik rate --rating 4 with a 10000-character comment (the edge) closes the resolved case" "$d"
run "$R/f2" "$BISIK" follow --server "$U" --token-file "$R/t1"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/f2.err")"
for l in '^agency: +Dinas Pekerjaan Umum \(dinas-pu\)$' \
    '^category: +Pembangunan Infrastruktur \(infrastruktur\)$' \
    '^resolved: +[0-9-]{10} [0-9:]{5} WIB$' \
    '^closed: +[0-9-]{10} [0-9:]{5} WIB \(by you, with your rating\)$' \
    '^rating: +4 of 5 \(yours\)$' '^identity: +given and sealed' '^  Lubang sudah ditambal\.$' \
    '^  forwarded to an agency by +[0-9-]{10} 23:59 WIB$' '^  resolved by +[0-9-]{10} 23:59 WIB$'; do
	grep -Eq "$l" "$R/f2.out" || d="$d no line $l;"
done
grep -q 'dinas-pu$' "$R/f2.out" && d="$d a bare agency id is shown"
result "bisik follow of the rated case: agency and category by name, resolution, closed by the rating, identity sealed, deadlines in WIB" "$d"

run "$R/s2" "$BISIK" submit --server "$U" --title "Lampu mati" --body-file "$R/body.txt" --token-out "$R/t2"
CASE2=$(sed -n 's/^case: //p' "$R/s2.out")
rep 'b' 2001 > "$R/re2001"
rep 'b' 2000 > "$R/re2000"
run "$R/re0" "$BISIK" reopen --server "$U" --token-file "$R/t2" --reason "" 
expect_exit "bisik reopen --reason '': exit 1, naming 1 to 2000" 1 "$R/re0" "1 to 2000 characters; it has 0"
run "$R/re1" "$BISIK" reopen --server "$U" --token-file "$R/t2" --reason-file "$R/re2001"
expect_exit "bisik reopen with a 2001-character reason: exit 1, naming 2000 and 2001" 1 "$R/re1" "1 to 2000 characters; it has 2001"
run "$R/re2" "$BISIK" reopen --server "$U" --token-file "$R/t2" --reason x --reason-file "$R/re2000"
expect_exit "bisik reopen with --reason and --reason-file: exit 2" 2 "$R/re2"
run "$R/re3" "$BISIK" reopen --server "$U" --token-file "$R/t2"
expect_exit "bisik reopen without a reason: exit 2" 2 "$R/re3"
run "$R/re4" "$BISIK" reopen --server "$U" --token-file "$R/t2" --reason "Belum diperbaiki"
expect_exit "bisik reopen of a case not yet resolved: exit 1, one line" 1 "$R/re4" "resolved"
resolve "$CASE2" || notok "staff resolve the second case" "see the log"
run "$R/re5" "$BISIK" reopen --server "$U" --token-file "$R/t2" --reason-file "$R/re2000"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/re5.err")"
grep -q "^case $CASE2 is reopened" "$R/re5.out" || d="$d $(snip "$R/re5.out")"
api GET /api/v1/followup -H "Authorization: Bearer $(head -n 1 "$R/t2")"
jqt '.status == "in_progress"' || d="$d status $(jq -r .status "$T/body")"
result "bisik reopen with a 2000-character reason (the edge): in progress again" "$d"
run "$R/f3" "$BISIK" follow --server "$U" --token-file "$R/t2"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/f3.err")"
grep -Eq '^identity: +none \(anonymous\)$' "$R/f3.out" || d="$d $(grep identity: "$R/f3.out")"
grep -q '^category:' "$R/f3.out" && d="$d a category line without a category"
result "bisik follow of a case filed without an identity says none" "$d"

# reply at its edge and past it
rep 'c' 10000 > "$R/m10000"
rep 'c' 10001 > "$R/m10001"
run "$R/m1" "$BISIK" reply --server "$U" --token-file "$R/t2" --message-file "$R/m10001"
expect_exit "bisik reply with 10001 characters: exit 1, naming 10000 and 10001" 1 "$R/m1" "1 to 10000 characters; it has 10001"
run "$R/m2" "$BISIK" reply --server "$U" --token-file "$R/t2" --message-file "$R/m10000"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/m2.err")"
grep -Eq '^message sent at [0-9-]{10} [0-9:]{5} WIB$' "$R/m2.out" || d="$d $(snip "$R/m2.out")"
result "bisik reply with 10000 characters (the edge): sent, time in WIB" "$d"
n0=$(count_msg "$R/t2")
a0=$(count_att "$R/t2")
run "$R/m3" "$BISIK" reply --server "$U" --token-file "$R/t2" --message-file "$R/note.txt" \
    --attach "$R/doc.pdf" --attach "$R/prog.jpg"
expect_exit "bisik reply --attach of a refused type: exit 1, one line naming the file" 1 "$R/m3" "prog.jpg"
d=""
[ "$(count_msg "$R/t2")" = "$n0" ] || d="the message was sent"
[ "$(count_att "$R/t2")" = "$a0" ] || d="$d a file was sent"
result "... and neither the message nor the good file was sent" "$d"
run "$R/m4" "$BISIK" reply --server "$U" --token-file "$R/t2" --message-file "$R/note.txt" \
    --attach "$R/doc.pdf" --attach "$JPEG"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/m4.err")"
grep -Eq '^message sent at [0-9-]{10} [0-9:]{5} WIB$' "$R/m4.out" || d="$d $(snip "$R/m4.out")"
grep -q "as attachment $((a0 + 1)) (application/pdf" "$R/m4.out" && grep -q "as attachment $((a0 + 2)) (image/jpeg" "$R/m4.out" ||
    d="$d $(snip "$R/m4.out")"
[ "$(count_msg "$R/t2")" = $((n0 + 1)) ] || d="$d the case has $(count_msg "$R/t2") messages"
[ "$(count_att "$R/t2")" = $((a0 + 2)) ] || d="$d the case has $(count_att "$R/t2") attachments"
result "bisik reply --attach a PDF and a JPEG: the message, then both files" "$d"

# submit's limits, each at its edge and past it, named in one line
sub() {
	_o=$1
	shift
	run "$R/$_o" "$BISIK" submit --server "$U" "$@"
}
printf 'Sembilan belas huruf' | head -c 19 > "$R/b19"
printf 'Dua puluh huruf pas!' > "$R/b20"
sub l1 --title "Jala" --body-file "$R/body.txt"
expect_exit "submit --title of 4 characters: exit 1, one line naming 5 to 200 and 4" 1 "$R/l1" "the title (--title) must be 5 to 200 characters; it has 4"
sub l2 --title "Jalan" --body-file "$R/b20"
expect_exit "submit --title of 5 and a 20-character body (both edges): exit 0" 0 "$R/l2"
sub l3 --title "$(rep 'é' 201)" --body-file "$R/body.txt"
expect_exit "submit --title of 201 characters (402 bytes): exit 1, naming 201" 1 "$R/l3" "must be 5 to 200 characters; it has 201"
sub l4 --title "$(rep 'é' 200)" --body-file "$R/body.txt"
expect_exit "submit --title of 200 characters: exit 0" 0 "$R/l4"
sub l5 --title "Jalan rusak" --body-file "$R/b19"
expect_exit "submit with a 19-character body: exit 1, naming 20 to 20000 and 19" 1 "$R/l5" "the body (--body-file) must be 20 to 20000 characters; it has 19"
rep 'd' 20001 > "$R/b20001"
sub l6 --title "Jalan rusak" --body-file "$R/b20001"
expect_exit "submit with a 20001-character body: exit 1, naming 20001" 1 "$R/l6" "it has 20001"
sub l7 --title "Jal" --body-file "$R/b19"
d=""
[ "$RC" = 1 ] && [ "$(lines "$R/l7.err")" = 1 ] || d="exit $RC, $(lines "$R/l7.err") lines"
grep -q "title.*it has 3, and the body.*it has 19" "$R/l7.err" || d="$d $(snip "$R/l7.err")"
result "submit with a short title and a short body: both named in one line" "$d"
sub l8 --title "Jalan rusak" --body-file "$R/body.txt" --location "$(rep x 201)"
expect_exit "submit --location of 201 characters: exit 1, naming 200 and 201" 1 "$R/l8" "at most 200 characters; it has 201"
sub l9 --title "Jalan rusak" --body-file "$R/body.txt" --location "$(rep x 200)"
expect_exit "submit --location of 200 characters: exit 0" 0 "$R/l9"
sub l10 --title "Jalan rusak" --body-file "$R/body.txt" --occurred-on 2026-13-01
expect_exit "submit --occurred-on 2026-13-01: exit 1, naming YYYY-MM-DD" 1 "$R/l10" "YYYY-MM-DD"
sub l11 --title "Jalan rusak" --body-file "$R/body.txt" --agency "Dinas PU"
expect_exit "submit --agency 'Dinas PU': exit 1, naming the id form" 1 "$R/l11" "2 to 64 characters a-z, 0-9 and '-'"
sub l12 --title "Jalan rusak" --body-file "$R/body.txt" --kind keluhan
expect_exit "submit --kind keluhan: exit 2, naming the kinds" 2 "$R/l12" "complaint, aspiration or information_request"
printf '{"nik":"%s"}' "$(rep 1 301)" > "$R/id301.json"
printf '{"nik":"%s"}' "$(rep 1 300)" > "$R/id300.json"
sub l13 --title "Jalan rusak" --body-file "$R/body.txt" --identity-file "$R/id301.json"
expect_exit "submit with a 301-character nik: exit 1, naming 300 and 301" 1 "$R/l13" "the identity file's \"nik\" may be at most 300 characters; it has 301"
sub l14 --title "Jalan rusak" --body-file "$R/body.txt" --identity-file "$R/id300.json"
expect_exit "submit with a 300-character nik: exit 0" 0 "$R/l14"
printf '{"nama":"Budi"}' > "$R/idbad.json"
sub l15 --title "Jalan rusak" --body-file "$R/body.txt" --identity-file "$R/idbad.json"
expect_exit "submit with an identity field \"nama\": exit 1, naming the fields" 1 "$R/l15" "name, email, phone, nik and address"

# rotate: the token file rewritten in place, the old token refused
cp "$R/t2" "$R/t2.old"
ino=$(stat -c %i "$R/t2")
run "$R/ro1" "$BISIK" rotate --server "$U" --token-file "$R/t2"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/ro1.err")"
cmp -s "$R/t2" "$R/t2.old" && d="$d the file still holds the old token"
grep -Eqx '([0-9A-Z]{4}-){7}[0-9A-Z]{4}' "$R/t2" || d="$d the file holds: $(snip "$R/t2")"
[ "$(stat -c %a "$R/t2")" = 600 ] || d="$d mode $(stat -c %a "$R/t2")"
[ "$(stat -c %i "$R/t2")" != "$ino" ] || d="$d written in place, not renamed over"
grep -q "the new token is in $R/t2" "$R/ro1.out" || d="$d output: $(snip "$R/ro1.out")"
grep -q -F "$(head -n 1 "$R/t2")" "$R/ro1.out" "$R/ro1.err" && d="$d the new token is printed"
grep -q -F "$(head -n 1 "$R/t2.old")" "$R/ro1.out" "$R/ro1.err" && d="$d the old token is printed"
ls "$R" | grep -q '^t2\.' && [ "$(ls "$R" | grep '^t2\.' | tr -d '\n')" != t2.old ] && d="$d a temporary file is left: $(ls "$R" | grep '^t2\.')"
result "bisik rotate rewrites the token file (renamed over, 0600), prints its path and no token" "$d"
run "$R/ro2" "$BISIK" follow --server "$U" --token-file "$R/t2.old"
expect_exit "the old token is refused after rotate: exit 1" 1 "$R/ro2"
run "$R/ro3" "$BISIK" follow --server "$U" --token-file "$R/t2"
expect_exit "the rewritten token file works: exit 0" 0 "$R/ro3"
ln -s "$R/t2" "$R/t2.link"
cp "$R/t2" "$R/t2.before-link"
run "$R/ro4" "$BISIK" rotate --server "$U" --token-file "$R/t2.link"
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/ro4.err")"
[ -L "$R/t2.link" ] || d="$d the link was replaced"
cmp -s "$R/t2" "$R/t2.before-link" && d="$d the link's target still holds the old token"
result "bisik rotate through a symbolic link rewrites its target and keeps the link" "$d"
cp "$R/t2" "$R/t2.cur"
timeout -k 2 $((20 * SLOW)) sh -c 'cat "$1" | "$2" rotate --server "$3" --token-file /dev/stdin' _ \
    "$R/t2" "$BISIK" "$U" > "$R/ro5.out" 2> "$R/ro5.err"
RC=$?
expect_exit "bisik rotate with the token from a pipe and no --token-out: exit 1, one line" 1 "$R/ro5" "--token-out"
run "$R/ro6" "$BISIK" follow --server "$U" --token-file "$R/t2.cur"
expect_exit "... and nothing was rotated: the token still works" 0 "$R/ro6"
run "$R/ro7" "$BISIK" rotate --server "$U" --token-file "$R/t2" --token-out "$R/t1"
expect_exit "bisik rotate --token-out over an existing file: exit 1, one line" 1 "$R/ro7" "already exists"
run "$R/ro8" "$BISIK" follow --server "$U" --token-file "$R/t2.cur"
expect_exit "... and nothing was rotated" 0 "$R/ro8"
timeout -k 2 $((20 * SLOW)) sh -c 'cat "$1" | "$2" --server "$3" rotate --token-file /dev/stdin --token-out "$4"' _ \
    "$R/t2" "$BISIK" "$U" "$R/t3" > "$R/ro9.out" 2> "$R/ro9.err"
RC=$?
d=""
[ "$RC" = 0 ] || d="exit $RC $(snip "$R/ro9.err")"
[ "$(stat -c %a "$R/t3" 2>/dev/null)" = 600 ] || d="$d --token-out mode $(stat -c %a "$R/t3" 2>/dev/null)"
run "$R/ro10" "$BISIK" follow --server "$U" --token-file "$R/t3"
[ "$RC" = 0 ] || d="$d the new token does not work"
run "$R/ro11" "$BISIK" follow --server "$U" --token-file "$R/t2"
[ "$RC" = 1 ] || d="$d the old token still works"
result "bisik rotate from a pipe with --token-out: the new file (0600) works, the old token is refused" "$d"

use_server rep
stop_server
result "the reporter's server stops cleanly" "$SRV_STOP_WHY"

use_server other
stop_server
result "the second server stops cleanly" "$SRV_STOP_WHY"
use_server live
stop_server
result "the server stops cleanly" "$SRV_STOP_WHY"
finish
