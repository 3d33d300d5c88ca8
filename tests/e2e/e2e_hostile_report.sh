#!/bin/sh
# e2e_hostile_report.sh: the reporter's side of anonymity against the
# server's own operator (root: every server key, the whole disk, all
# traffic), played against a real bisikd.
#
#  (a) a proxy that rewrites answers serves the operator's own escrow key
#      in GET /keys (with the real fingerprint beside it): `bisik submit`
#      pinned by --escrow-fingerprint, BISIK_ESCROW_FINGERPRINT or the
#      config file refuses before anything is sent (the proxy saw no
#      POST, the server numbered nothing); the precedence holds;
#  (b) root with the data directory: a recorded sealed identity filed
#      again with case B is 409; with the R index deleted from the store
#      it is filed, but `bisik disclose reveal` of case B refuses it (it
#      is bound to case A's report); the content hash is nowhere in plain
#      in data.mdb or a backup; identity records all have one size; after
#      `bisikd rekey --data-keys` the old storage key and an old copy no
#      longer open today's text (after a plain rekey they still do);
#  (c) root cuts the audit chain and lets bisikd re-sign it: `bisikd
#      audit verify` says intact, `bisik audit verify` fails with the head
#      it remembered, with --expect and with a reporter's --receipt;
#  (d) controls: the honest path works (pinned submit, receipt, reveal of
#      case A, repeated audit verify, the head on /statistik and in Atom);
#  (e) an identity sealed before bindings (version 1, in a plain record,
#      as an upgraded server's store holds it): reveal opens it only with
#      --allow-unbound; rekey --data-keys moves its record under the
#      case's data key, and it still opens.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_hostile_report.sh
. "$(dirname "$0")/lib.sh"

need_binaries
for c in mdb_dump mdb_load python3 od; do
	command -v "$c" >/dev/null 2>&1 || die "tools" "$c is missing (scripts/deps.sh)"
done

W=$T/hostile
mkdir -p "$W"
PW=$W/pw
printf 'kata sandi staf yang panjang\n' > "$PW"

# ---- setup: a 1-of-1 escrow held by the central admin "pusat" ----------------

new_data --escrow || die "setup" "cannot make the data directory"
ADMIN_KEY=$T/escrow-keys/admin.key
ADMIN_PASS=$T/escrow-keys/pass
"$BISIKD" user add --data "$SRV_DATA" --username pusat --role central_admin \
    --password-file "$PW" > "$W/u.out" 2>&1 || die "user add" "$(snip "$W/u.out")"
"$BISIKD" user set-key --data "$SRV_DATA" --username pusat \
    --public-key "$ADMIN_KEY.pub" > "$W/u.out" 2>&1 || die "set-key" "$(snip "$W/u.out")"
"$BISIKD" user add --data "$SRV_DATA" --username pemeriksa --role auditor \
    --password-file "$PW" > "$W/u.out" 2>&1 || die "user add" "$(snip "$W/u.out")"
# The operator's own escrow key, which it holds whole.
"$BISIK" keygen --out "$W/rogue.key" --kdf interactive --passphrase-file "$ADMIN_PASS" > /dev/null 2>&1 &&
    "$BISIK" escrow ceremony --threshold 1 --admin "$W/rogue.key.pub" \
    --out-dir "$W/rogue" > /dev/null 2>&1 || die "setup" "rogue ceremony failed"
ROGUE_Y=$(jq -r .public_key "$W/rogue/escrow.pub")
serve || die "serve" "the server did not start"

api GET /api/v1/keys
FP=$(jq -r '.escrow_fingerprint // empty' "$T/body")
result "GET /keys gives the escrow key and its fingerprint (13 groups of 4)" \
    "$(printf '%s' "$FP" | grep -Eq '^[0-9A-Z]{4}(-[0-9A-Z]{4}){12}$' &&
    jqt '.escrow_key | type == "string"' || snip "$T/body")"
_d=""
for pg in / /lapor "/?lang=en"; do
	curl -s --max-time "$CURL_MAX" "$SRV_URL$pg" > "$W/page.html"
	grep -q -F "$FP" "$W/page.html" || _d="$_d $pg lacks it;"
done
result "the pages / and /lapor show the fingerprint" "$_d"

# ---- (a) a proxy serving the operator's own escrow key -----------------------------

# proxy MODE: a loopback HTTP proxy in front of the server. "rogue"
# replaces escrow_key in GET /keys by the operator's own (and leaves the
# real fingerprint beside it); "record" passes everything and keeps the
# last POST /reports body; "strip" drops the sealed identity's hash from
# the receipt of POST /reports. Every request line goes to
# $W/proxy-MODE.log.
cat > "$W/proxy.py" <<'EOF'
import http.client, http.server, json, sys

portfile, upstream, mode, rogue, log = sys.argv[1:6]


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def relay(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        with open(log, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        if mode == "record" and body and self.command == "POST" and \
                self.path == "/api/v1/reports":
            with open(log + ".body", "wb") as f:
                f.write(body)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("host", "connection", "content-length")}
        c = http.client.HTTPConnection("127.0.0.1", int(upstream), timeout=30)
        c.request(self.command, self.path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        if mode == "rogue" and self.path == "/api/v1/keys" and r.status == 200:
            o = json.loads(data)
            o["escrow_key"] = rogue
            data = json.dumps(o).encode()
        if mode == "strip" and self.path == "/api/v1/reports" and \
                r.status == 201:
            o = json.loads(data)
            o["receipt"].pop("identity_hash", None)
            data = json.dumps(o).encode()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection",
                                 "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = relay

    def log_message(self, *args):
        pass


s = http.server.HTTPServer(("127.0.0.1", 0), Proxy)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
EOF
# start_proxy MODE: PROXY_URL on success.
start_proxy() {
	rm -f "$W/proxy-$1.port"
	: > "$W/proxy-$1.log"
	python3 "$W/proxy.py" "$W/proxy-$1.port" "$SRV_PORT" "$1" "$ROGUE_Y" \
	    "$W/proxy-$1.log" 2> "$W/proxy-$1.err" &
	ALL_PIDS="$ALL_PIDS $!"
	_i=0
	while [ ! -s "$W/proxy-$1.port" ] && [ $_i -lt $((100 * SLOW)) ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$W/proxy-$1.port" ] || return 1
	PROXY_URL=http://127.0.0.1:$(cat "$W/proxy-$1.port")
}
start_proxy rogue || die "proxy" "$(snip "$W/proxy-rogue.err")"
ROGUE_URL=$PROXY_URL
curl -s --max-time "$CURL_MAX" "$ROGUE_URL/api/v1/keys" > "$W/rk.json"
result "the rogue proxy serves the operator's key with the real fingerprint beside it" \
    "$(jq -e --arg y "$ROGUE_Y" --arg f "$FP" '.escrow_key == $y and
    .escrow_fingerprint == $f' "$W/rk.json" > /dev/null || snip "$W/rk.json")"

printf '%s\n' 'Kepala dinas menerima suap dari kontraktor proyek jalan desa.' > "$W/body.txt"
printf '%s\n' '{"name":"Wiratmaja Saksiutama","phone":"081277665544"}' > "$W/id.json"
# submit_to URL [ARGS...]: bisik submit of the report with the identity;
# exit status in RC, output in $W/s.out and $W/s.err.
submit_to() {
	_u=$1
	shift
	timeout -k 2 $((60 * SLOW)) "$BISIK" submit --server "$_u" \
	    --title "Suap proyek jalan desa" --body-file "$W/body.txt" \
	    --identity-file "$W/id.json" "$@" > "$W/s.out" 2> "$W/s.err" < /dev/null
	RC=$?
}
# refused NAME: exit 1, one sentence naming the pin, nothing on stdout,
# and the proxy saw no POST at all.
refused() {
	result "$1" "$([ $RC = 1 ] && [ "$(wc -l < "$W/s.err")" = 1 ] &&
	    grep -q 'pinned' "$W/s.err" && grep -q 'nothing was sent' "$W/s.err" &&
	    [ ! -s "$W/s.out" ] && ! grep -q '^POST' "$W/proxy-rogue.log" ||
	    echo "rc $RC err $(snip "$W/s.err") out $(snip "$W/s.out") proxy $(snip "$W/proxy-rogue.log")")"
}
submit_to "$ROGUE_URL" --escrow-fingerprint "$FP"
refused "--escrow-fingerprint: the operator's key is refused before anything is sent"
BISIK_ESCROW_FINGERPRINT=$FP submit_to "$ROGUE_URL"
refused "BISIK_ESCROW_FINGERPRINT: refused before anything is sent"
printf '# pinned from the agency poster\nescrow-fingerprint = %s\n' "$FP" > "$W/config"
submit_to "$ROGUE_URL" --config "$W/config"
refused "the config file's escrow-fingerprint: refused before anything is sent"
mkdir -p "$W/xdg/bisik"
cp "$W/config" "$W/xdg/bisik/config"
XDG_CONFIG_HOME=$W/xdg submit_to "$ROGUE_URL"
refused "~/.config/bisik/config (XDG_CONFIG_HOME) is read by default"
FPL=$(printf '%s' "$FP" | tr 'A-Z' 'a-z' | tr -d '-' | sed 's/0/o/g')
submit_to "$ROGUE_URL" --escrow-fingerprint "$FPL"
refused "a pin typed in lower case without dashes, O for 0, is the same pin"

# Precedence: the command line over the environment over the file. A
# lower source naming the operator's key would let it through; the
# higher one refuses it.
BISIK_ESCROW_FINGERPRINT=XXXX submit_to "$ROGUE_URL" --escrow-fingerprint "$FP"
refused "the command line comes before the environment (a bad env pin is not read)"
BISIK_ESCROW_FINGERPRINT=$FP submit_to "$ROGUE_URL" --config "$W/no-such-config"
result "--config FILE must exist" "$([ $RC = 2 ] && grep -q 'configuration file' "$W/s.err" || echo "rc $RC $(snip "$W/s.err")")"
printf 'escrow-fingerprint = XXXX\n' > "$W/config-bad"
BISIK_ESCROW_FINGERPRINT=$FP submit_to "$ROGUE_URL" --config "$W/config-bad"
refused "the environment comes before the config file (a bad file pin is not used)"
submit_to "$ROGUE_URL" --escrow-fingerprint "ABCD-EFGH"
result "a malformed pin: usage error, nothing sent" \
    "$([ $RC = 2 ] && grep -q '52 symbols' "$W/s.err" && ! grep -q '^POST' "$W/proxy-rogue.log" || echo "rc $RC $(snip "$W/s.err")")"
printf 'escrow-fingerprint = %s\nserver-typo = x\n' "$FP" > "$W/config-typo"
submit_to "$ROGUE_URL" --config "$W/config-typo"
result "an unknown key in the config file is an error naming the line" \
    "$([ $RC = 2 ] && grep -q 'line 2' "$W/s.err" || echo "rc $RC $(snip "$W/s.err")")"
result "the proxy saw GET /keys and never a report" \
    "$(grep -q '^GET /api/v1/keys' "$W/proxy-rogue.log" &&
    ! grep -q -v '^GET /api/v1/keys' "$W/proxy-rogue.log" || snip "$W/proxy-rogue.log")"

# ---- (d) the honest path: pinned, through a recording proxy -----------------------

start_proxy record || die "proxy" "$(snip "$W/proxy-record.err")"
REC_URL=$PROXY_URL
submit_to "$REC_URL" --escrow-fingerprint "$FP" --token-out "$W/a.tok" \
    --receipt-out "$W/a.receipt"
A_CASE=$(sed -n 's/^case: //p' "$W/s.out")
result "control: pinned to the real key, bisik submit files case A (the first case)" \
    "$([ $RC = 0 ] && printf '%s' "$A_CASE" | grep -Eq '^BSK-[0-9]{4}-0*1$' &&
    grep -q "identity sealed to the pinned escrow key $FP" "$W/s.out" &&
    grep -q 'receipt verified' "$W/s.out" || echo "rc $RC $(snip "$W/s.err") $(snip "$W/s.out")")"
result "the receipt holds the sealed identity's hash and the audit head; 0600" \
    "$(jq -e '(.identity_hash | type == "string") and (.audit_seq > 0) and
    (.audit_head | test("^[0-9a-f]{64}$")) and (.receipt_key | type == "string")' \
    "$W/a.receipt" > /dev/null && [ "$(stat -c %a "$W/a.receipt")" = 600 ] || snip "$W/a.receipt")"
cp "$W/proxy-record.log.body" "$W/a.request" 2>/dev/null
SEALED_A=$(jq -r '.sealed_identity // empty' "$W/a.request" 2>/dev/null)
result "the report went out with a sealed identity of one size (4171 bytes)" \
    "$([ "$(printf '%s' "$SEALED_A" | base64 -d 2>/dev/null | wc -c)" = 4171 ] || echo "size $(printf '%s' "$SEALED_A" | base64 -d 2>/dev/null | wc -c)")"
timeout -k 2 $((60 * SLOW)) "$BISIK" submit --server "$SRV_URL" --title "Tanpa pin" \
    --body-file "$W/body.txt" --identity-file "$W/id.json" > "$W/np.out" 2> "$W/np.err"
result "without a pin bisik prints the fingerprint sealed to and how to check it" \
    "$([ $? = 0 ] && grep -q "identity sealed to escrow key $FP" "$W/np.out" &&
    grep -q 'official website' "$W/np.out" && grep -q 'escrow-fingerprint' "$W/np.out" ||
    echo "$(snip "$W/np.err") $(snip "$W/np.out")")"

start_proxy strip || die "proxy" "$(snip "$W/proxy-strip.err")"
submit_to "$PROXY_URL" --escrow-fingerprint "$FP" --token-out "$W/strip.tok"
result "a receipt that leaves out the sealed identity's hash: bisik submit says so, exit 1" \
    "$([ $RC = 1 ] && grep -q 'not for the sealed identity that was sent' "$W/s.err" ||
    echo "rc $RC $(snip "$W/s.err")")"

# ---- (b) a recorded sealed identity filed again as case B ----------------------------

B_REQ=$(jq -c --arg s "$SEALED_A" '{kind:"complaint",title:"Laporan lain sama sekali",
    body:"Isi laporan lain yang membawa identitas tersegel laporan A.",sealed_identity:$s}' \
    -n)
api_json POST /api/v1/reports "$B_REQ"
result "case A's sealed identity filed with case B: 409 identity_reused" \
    "$([ "$ST" = 409 ] && error_shape 409 && jqt '.error.code == "identity_reused"' || echo "HTTP $ST $(snip "$T/body")")"
api_json POST /api/v1/reports "$(jq -c '.pow = null | del(.pow)' "$W/a.request")"
result "the same request replayed: 409 (a reused R is refused)" \
    "$([ "$ST" = 409 ] && jqt '.error.code == "identity_reused"' || echo "HTTP $ST $(snip "$T/body")")"

# Two identities of very different lengths.
printf '%s\n' "{\"name\":\"$(rep 'Panjang ' 30)\",\"email\":\"a@b.example\",\"phone\":\"0812\",\"nik\":\"3174000000000009\",\"address\":\"$(rep 'Jalan Kenanga ' 20)\"}" > "$W/id-long.json"
timeout -k 2 $((60 * SLOW)) "$BISIK" submit --server "$SRV_URL" --title "Identitas panjang" \
    --body-file "$W/body.txt" --identity-file "$W/id-long.json" \
    --escrow-fingerprint "$FP" > /dev/null 2>&1 || notok "long identity" "submit failed"
api_json POST /api/v1/reports '{"kind":"complaint","title":"Lewat formulir web","body":"Identitas disegel di server, pendek.","identity":{"name":"X"}}'
[ "$ST" = 201 ] || notok "server-sealed identity" "HTTP $ST $(snip "$T/body")"

CH_B64=$(jq -r .content_hash "$W/a.receipt")
CH_HEX=$(printf '%s' "$CH_B64" | base64 -d | od -An -tx1 -v | tr -d ' \n')
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$BISIKD" backup --data "$SRV_DATA" --out "$W/backup.mdb" > /dev/null 2>&1 ||
    notok "backup" "bisikd backup failed"
# hexof FILE: the file as one line of hex digits (byte aligned: even offsets).
hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
# Case A's sealed identity as it was sent: R with the nonce, and a run
# of its ciphertext.
SA_R=$(printf '%s' "$SEALED_A" | base64 -d | od -An -tx1 -v -j 1 -N 56 | tr -d ' \n')
SA_C=$(printf '%s' "$SEALED_A" | base64 -d | od -An -tx1 -v -j 2000 -N 64 | tr -d ' \n')
_d=""
_s=""
for f in "$SRV_DATA/data.mdb" "$W/backup.mdb"; do
	hexof "$f" > "$W/file.hex"
	grep -q -a -F "$CH_B64" "$f" && _d="$_d base64 in $(basename "$f");"
	grep -q -a -F "$CH_HEX" "$f" && _d="$_d hex text in $(basename "$f");"
	grep -q -F "$CH_HEX" "$W/file.hex" && _d="$_d raw bytes in $(basename "$f");"
	grep -q -F "$SA_R" "$W/file.hex" && _s="$_s R in $(basename "$f");"
	grep -q -F "$SA_C" "$W/file.hex" && _s="$_s ciphertext in $(basename "$f");"
done
[ -n "$CH_HEX" ] && [ ${#CH_HEX} = 64 ] || _d="no content hash in the receipt"
result "the content hash is nowhere in plain in data.mdb or a backup" "$_d"
[ ${#SA_R} = 112 ] && [ ${#SA_C} = 128 ] || _s="no sealed identity was recorded"
result "the sealed identity as sent is nowhere in data.mdb or a backup (under the case's data key)" "$_s"
mdb_dump -s identity "$SRV_DATA" > "$W/id.dump" 2>/dev/null
_lens=$(awk '/^HEADER=END/ { d = 1; n = 0; next } /^DATA=END/ { d = 0 }
    d && /^ / { n++; if (n % 2 == 0) print length($0) }' "$W/id.dump" | sort -u)
result "identity records, short and long, client- and server-sealed, have one size" \
    "$([ "$(printf '%s\n' "$_lens" | grep -c .)" = 1 ] &&
    [ "$(awk '/^ / { n++ } END { print n / 2 }' "$W/id.dump")" -ge 4 ] || echo "lengths: $_lens")"
for w in Wiratmaja Saksiutama 081277665544 Kenanga; do
	grep -q -a -F "$w" "$SRV_DATA/data.mdb" && notok "no identity in plain" "$w in data.mdb"
done

# db_edit AWK_ARGS...: root's way to delete records of the stopped store
# (mdb_load cannot): every table dumped, rewritten by awk, loaded into a
# fresh data.mdb that replaces the old one.
db_edit() {
	mdb_dump -a "$SRV_DATA" > "$W/all.dump" 2> /dev/null || return 1
	awk "$@" "$W/all.dump" > "$W/all.new" || return 1
	rm -rf "$W/reload"
	mkdir "$W/reload"
	mdb_load -f "$W/all.new" "$W/reload" 2> /dev/null || return 1
	mv "$W/reload/data.mdb" "$SRV_DATA/data.mdb" && rm -f "$SRV_DATA/lock.mdb"
}
# As root: the index of filed R values goes.
db_edit '/^database=/ { db = substr($0, 10) }
    /^HEADER=END/ { kv = 0 }
    /^ / && db == "identity_r" { next }
    { print }' || die "db_edit" "cannot rewrite the store"
serve || die "serve" "the server did not restart"
api_json POST /api/v1/reports "$B_REQ"
B_CASE=$(jq -r '.case // empty' "$T/body")
result "root, having deleted the R index, files case B with case A's sealed identity" \
    "$([ "$ST" = 201 ] && [ -n "$B_CASE" ] || echo "HTTP $ST $(snip "$T/body")")"

# dis SUB [ARGS]: bisik disclose as pusat with the admin key and the escrow
# file as the holder signed it.
dis() {
	_sub=$1
	shift
	timeout -k 2 $((60 * SLOW)) "$BISIK" disclose "$_sub" --key "$ADMIN_KEY" \
	    --passphrase-file "$ADMIN_PASS" --escrow "$ESCROW_PUB" \
	    --username pusat --password-file "$PW" \
	    --server "$SRV_URL" "$@" > "$W/dis.out" 2> "$W/dis.err" < /dev/null
	RC=$?
}
dis request --case "$B_CASE" --reason "Saksi kunci" --legal-basis "UU 31/1999 Pasal 26"
REQ_B=$(tail -n 1 "$W/dis.out")
dis reveal --request "$REQ_B"
result "reveal of case B refuses case A's identity: bound to another case, nothing shown" \
    "$([ $RC = 1 ] && grep -q 'not bound to' "$W/dis.err" && [ ! -s "$W/dis.out" ] ||
    echo "rc $RC $(snip "$W/dis.err") $(snip "$W/dis.out")")"
dis request --case "$A_CASE" --reason "Saksi kunci" --legal-basis "UU 31/1999 Pasal 26"
REQ_A=$(tail -n 1 "$W/dis.out")
dis reveal --request "$REQ_A"
result "control: reveal of case A opens its identity" \
    "$([ $RC = 0 ] && grep -q Wiratmaja "$W/dis.out" || echo "rc $RC $(snip "$W/dis.err")")"

# ---- (c) the audit chain cut and re-signed by root ----------------------------------

# verify [ARGS]: bisik audit verify as the auditor.
verify() {
	timeout -k 2 $((60 * SLOW)) "$BISIK" audit verify --server "$SRV_URL" \
	    --username pemeriksa --password-file "$PW" "$@" > "$W/v.out" 2> "$W/v.err"
	RC=$?
}
verify --state "$W/heads"
H1=$(sed -n 's/^audit chain intact: \([0-9]*\) entries, head \([0-9a-f]*\)$/\1:\2/p' "$W/v.out")
result "control: audit verify, intact; the head is remembered in the state file" \
    "$([ $RC = 0 ] && [ -n "$H1" ] && grep -q " ${H1%%:*} ${H1#*:} " "$W/heads" ||
    echo "rc $RC $(snip "$W/v.err") $(snip "$W/heads")")"
HOME=$W/home XDG_STATE_HOME= verify
result "without --state the head goes to ~/.local/state/bisik/audit-heads, private" \
    "$(_h=$(sed -n 's/^audit chain intact: \([0-9]*\) entries, head \([0-9a-f]*\)$/\1 \2/p' "$W/v.out")
    [ $RC = 0 ] && [ -n "$_h" ] && grep -q " $_h " "$W/home/.local/state/bisik/audit-heads" &&
    [ "$(stat -c %a "$W/home/.local/state/bisik")" = 700 ] || echo "rc $RC $(snip "$W/v.err")")"
verify --state "$W/heads" --expect "$H1" --receipt "$W/a.receipt"
result "control: again, extending the remembered head, --expect and the receipt's head" \
    "$([ $RC = 0 ] && grep -q 'extends 3 earlier heads' "$W/v.out" || echo "rc $RC $(snip "$W/v.err")")"
H2=$(sed -n 's/^audit chain intact: \([0-9]*\) entries, head \([0-9a-f]*\)$/\1:\2/p' "$W/v.out")
sed 's/ [^ ]*$/ AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' "$W/heads" > "$W/heads-otherkey"
verify --state "$W/heads-otherkey"
result "a head remembered under another audit key: refused (a new key signs any history)" \
    "$([ $RC = 1 ] && grep -q 'audit key' "$W/v.err" || echo "rc $RC $(snip "$W/v.err")")"
api GET /statistik
result "control: /statistik shows the audit head" \
    "$(grep -q -E '[0-9a-f]{64}' "$T/body" || echo "HTTP $ST")"
api GET /api/v1/public/feed.atom
result "control: the Atom feed carries the signed audit head" \
    "$(grep -q -E '<bisik:auditHead seq="[0-9]+" hash="[0-9a-f]{64}" signature="[A-Za-z0-9+/=]+"/>' "$T/body" &&
    grep -q 'xmlns:bisik=' "$T/body" || snip "$T/body")"

# The server comes back at the same address: the state file keeps one
# head per server address (and audit key).
SAME_PORT=$SRV_PORT
rand_port() { echo "$SAME_PORT"; }
# Root cuts the chain back to one entry before case A was filed, and
# lets bisikd append (and sign) the next entry as if nothing happened.
A_SEQ=$(jq -r .audit_seq "$W/a.receipt")
K=$((A_SEQ - 1))
stop_server || notok "server stops" "$SRV_STOP_WHY"
db_edit -v K="$K" '
    function num(h,   i, n) { n = 0; for (i = 1; i <= length(h); i++)
        n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return n }
    /^database=/ { db = substr($0, 10); kv = 0 }
    /^HEADER=END/ { kv = 0; print; next }
    /^ / && (db == "audit" || db == "meta") {
        if (kv == 0) { k = $0; kv = 1; next }
        kv = 0
        if (db == "audit") {
            s = num(substr(k, 2))
            if (s == K) hk = substr($0, 4, 64)
            if (s > K) next
        }
        if (db == "meta" && k == " 61756469742e68656164") {
            z = ""; for (i = 0; i < 128; i++) z = z "0"
            print k; printf " 01%016x%s%s\n", K, hk, z; next
        }
        print k; print; next
    }
    { print }' || die "db_edit" "cannot cut the chain"
"$BISIKD" agency add --data "$SRV_DATA" --id dinas-baru --name "Dinas Baru" \
    > /dev/null 2>&1 || notok "agency add" "failed after the cut"
"$BISIKD" audit verify --data "$SRV_DATA" > "$W/av.out" 2>&1
result "root's cut and re-signed chain checks on its own (bisikd audit verify: intact)" \
    "$([ $? = 0 ] && grep -q "intact: $A_SEQ entries" "$W/av.out" || snip "$W/av.out")"
serve || die "serve" "the server did not restart after the cut"
verify --state "$W/heads"
result "bisik audit verify fails: the chain no longer holds the remembered head" \
    "$([ $RC = 1 ] && grep -q 'was rewritten\|was cut' "$W/v.err" &&
    [ "$(wc -l < "$W/v.err")" = 1 ] || echo "rc $RC $(snip "$W/v.err") $(snip "$W/v.out")")"
result "the state file still holds the last head seen before the cut" \
    "$([ -n "$H2" ] && grep -q " ${H2%%:*} ${H2#*:} " "$W/heads" || snip "$W/heads")"
verify --state "$W/fresh-state" --expect "$H1"
result "with --expect SEQ:HASH (no state): fails" \
    "$([ $RC = 1 ] && grep -q 'expect' "$W/v.err" || echo "rc $RC $(snip "$W/v.err")")"
verify --state "$W/fresh-state2" --receipt "$W/a.receipt"
result "with a reporter's receipt (its head at filing): fails, rewritten" \
    "$([ $RC = 1 ] && grep -q 'rewritten' "$W/v.err" && grep -q 'receipt' "$W/v.err" ||
    echo "rc $RC $(snip "$W/v.err")")"
verify --state "$W/fresh-state3" --expect "nonsense"
result "a malformed --expect: usage error" "$([ $RC = 2 ] || echo "rc $RC $(snip "$W/v.err")")"

# ---- (e) an identity sealed before bindings (an upgraded server's store) -------------

printf '%s\n' '{"name":"Lama Tanpaikatan"}' > "$W/id-old.json"
submit_to "$SRV_URL" --escrow-fingerprint "$FP"
C_CASE=$(sed -n 's/^case: //p' "$W/s.out")
C_SEQ=$(printf '%s' "$C_CASE" | sed 's/.*-0*//')
stop_server || notok "server stops" "$SRV_STOP_WHY"
"$BUILD_DIR/tests/hostile_tool" identity-v1 "$SRV_DATA" "$C_SEQ" \
    "$(jq -r .public_key "$ESCROW_PUB")" 1 "$W/id-old.json" > "$W/v1.out" 2>&1 ||
    notok "version 1 record" "$(snip "$W/v1.out")"
serve || die "serve" "the server did not restart with the old record"
dis request --case "$C_CASE" --reason "Saksi kunci" --legal-basis "UU 31/1999 Pasal 26"
REQ_C=$(tail -n 1 "$W/dis.out")
dis reveal --request "$REQ_C"
result "an identity sealed before bindings: reveal refuses it without --allow-unbound" \
    "$([ $RC = 1 ] && grep -q 'allow-unbound' "$W/dis.err" && [ ! -s "$W/dis.out" ] ||
    echo "rc $RC $(snip "$W/dis.err") $(snip "$W/dis.out")")"
dis reveal --request "$REQ_C" --allow-unbound
result "with --allow-unbound it opens" \
    "$([ $RC = 0 ] && grep -q Tanpaikatan "$W/dis.out" || echo "rc $RC $(snip "$W/dis.err")")"

# ---- (b) data keys: an old storage key and an old copy ---------------------------------

A_TOKEN=$(cat "$W/a.tok")
# hybrid OLD_DIR OLD_KEY: the current store with the case records (and so
# the wrapped data keys) of the old copy and the old storage key, as
# someone holding both would combine them; serves it and asks for case A.
hybrid() {
	_save=$SRV_DATA
	rm -rf "$W/hyb"
	cp -a "$SRV_DATA" "$W/hyb"
	cp "$2" "$W/hyb/keys/storage.key"
	chmod 600 "$W/hyb/keys/storage.key"
	mdb_dump -s cases "$1" 2> /dev/null | mdb_load -s cases "$W/hyb" 2> /dev/null
	SRV_DATA=$W/hyb
	serve || { SRV_DATA=$_save; return 1; }
	followup "$A_TOKEN"
	HYB_ST=$ST
	cp "$T/body" "$W/hyb.body"
	stop_server > /dev/null 2>&1
	SRV_DATA=$_save
}
stop_server || notok "server stops" "$SRV_STOP_WHY"
rm -rf "$W/copy0"
cp -a "$SRV_DATA" "$W/copy0"
"$BISIKD" rekey --data "$SRV_DATA" > /dev/null 2> "$W/rk0.err" ||
    notok "rekey" "$(snip "$W/rk0.err")"
hybrid "$W/copy0" "$W/copy0/keys/storage.key"
result "control: after a plain rekey, the old key and an old copy still open case A" \
    "$([ "$HYB_ST" = 200 ] && grep -q 'Suap proyek' "$W/hyb.body" || echo "HTTP $HYB_ST $(snip "$W/hyb.body")")"
rm -rf "$W/copy1"
cp -a "$SRV_DATA" "$W/copy1"
"$BISIKD" rekey --data "$SRV_DATA" --data-keys --batch 2 > /dev/null 2> "$W/rk1.err"
result "bisikd rekey --data-keys: every case re-encrypted, progress shown, compaction named" \
    "$([ $? = 0 ] && grep -q "every case's data key" "$W/rk1.err" &&
    grep -Eq 'rekey: \[[#.]{20}\] [0-9]+/[0-9]+ cases' "$W/rk1.err" &&
    grep -q 'bisikd compact' "$W/rk1.err" || snip "$W/rk1.err" 400)"
mdb_dump -s identity "$SRV_DATA" > "$W/id.dump" 2>/dev/null
_lens=$(awk '/^HEADER=END/ { d = 1; n = 0; next } /^DATA=END/ { d = 0 }
    d && /^ / { n++; if (n % 2 == 0) print length($0) }' "$W/id.dump" | sort -u)
result "rekey --data-keys rewrote the old plain identity record: one size again" \
    "$([ "$(printf '%s\n' "$_lens" | grep -c .)" = 1 ] || echo "lengths: $_lens")"
grep -q -a -F Tanpaikatan "$SRV_DATA/data.mdb" && notok "no identity in plain" "in data.mdb"
hybrid "$W/copy1" "$W/copy1/keys/storage.key"
result "after rekey --data-keys, the old key and an old copy no longer open case A" \
    "$([ "$HYB_ST" != 200 ] && [ "$HYB_ST" != 000 ] && ! grep -q 'Suap proyek' "$W/hyb.body" ||
    echo "HTTP $HYB_ST $(snip "$W/hyb.body")")"
"$BISIKD" compact --data "$SRV_DATA" > /dev/null 2>&1 || notok "compact" "failed"
serve || die "serve" "the server did not start after the rotation"
followup "$A_TOKEN"
result "after rekey --data-keys and compact, case A opens for its reporter" \
    "$([ "$ST" = 200 ] && jqt '.title == "Suap proyek jalan desa"' || echo "HTTP $ST $(snip "$T/body")")"
dis reveal --request "$REQ_A"
result "and its identity, re-encrypted under the new data key, still opens" \
    "$([ $RC = 0 ] && grep -q Wiratmaja "$W/dis.out" || echo "rc $RC $(snip "$W/dis.err")")"
dis reveal --request "$REQ_C" --allow-unbound
result "and the old identity too, its record now under its case's data key" \
    "$([ $RC = 0 ] && grep -q Tanpaikatan "$W/dis.out" || echo "rc $RC $(snip "$W/dis.err")")"
stop_server || notok "server stops" "$SRV_STOP_WHY"
finish
