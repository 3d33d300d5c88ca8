#!/bin/sh
# e2e_tls.sh: the TLS of bisikd's own listener (config keys tls_cert and
# tls_key; server/http.c, SRV_TLS_PRIORITIES). With a self-signed RSA
# certificate made here, a TLS 1.3 handshake and a TLS 1.2 one with an
# AEAD suite and ECDHE work and serve /api/v1/health; TLS 1.0, TLS 1.1, a
# TLS 1.2 client offering only CBC suites and one offering only RSA key
# exchange (no forward secrecy) are refused.
#
# Each refusal is the server's: the very same client command first
# completes a handshake with `openssl s_server` set to allow exactly what
# it offers (so neither the client library nor Debian's system-wide
# policy is what refuses). Clients are gnutls-cli (its priority string
# names exactly what is offered) and curl; servers for the controls are
# openssl s_server at security level 0.
. "$(dirname "$0")/lib.sh"
need_binaries
for c in openssl gnutls-cli ss; do
	command -v "$c" > /dev/null 2>&1 ||
	    die "tools" "$c is missing (scripts/deps.sh installs it)"
done

# ---- a certificate and a TLS server --------------------------------------------

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 2 -subj "/CN=localhost" \
    > "$T/req.out" 2>&1 || die "certificate" "$(snip "$T/req.out")"

new_data || die "setup" "cannot make the data directory"
printf '{"pow_difficulty":0,"tls_cert":"%s","tls_key":"%s"}\n' \
    "$T/cert.pem" "$T/key.pem" > "$SRV_CONF"
# lib.sh's serve() waits for plain HTTP; this waits for HTTPS.
started=""
try=0
while [ $try -lt 12 ] && [ -z "$started" ]; do
	try=$((try + 1))
	SRV_PORT=$(rand_port)
	"$BISIKD" serve --data "$SRV_DATA" --listen "127.0.0.1:$SRV_PORT" \
	    --config "$SRV_CONF" $ALLOW_ROOT 2>> "$SRV_LOG" &
	SRV_PID=$!
	ALL_PIDS="$ALL_PIDS $SRV_PID"
	i=0
	while [ $i -lt $((150 * SLOW)) ] && is_ours "$SRV_PID"; do
		if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 \
		    "https://127.0.0.1:$SRV_PORT/api/v1/health")" = 200 ]; then
			started=1
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$started" ] && is_ours "$SRV_PID"; then
		kill -KILL "$SRV_PID"
		wait "$SRV_PID" 2> /dev/null
		die "start" "bisikd with TLS did not answer: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"
	fi
done
[ -n "$started" ] || die "start" "no free port: $(tail -n 3 "$SRV_LOG" | tr '\n' ' ')"
SRV_URL=https://127.0.0.1:$SRV_PORT

# hs PORT PRIORITY: a gnutls-cli handshake offering exactly PRIORITY;
# the client's report in $T/hs.out, status 0 if it says the handshake
# completed (its exit status also counts how the peer closed).
hs() {
	gnutls-cli --insecure --port "$1" --priority "$2" 127.0.0.1 \
	    < /dev/null > "$T/hs.out" 2>&1
	grep -a -q 'Handshake was completed' "$T/hs.out"
}

# control ARGS...: an openssl s_server allowing what ARGS say (security
# level 0), for as long as the next check; its port in CTL_PORT, its PID
# in CTL. A port someone else holds makes it exit: then another is tried.
CTL=""
CTL_PORT=""
control() {
	_try=0
	while [ $_try -lt 5 ]; do
		_try=$((_try + 1))
		CTL_PORT=$(rand_port)
		openssl s_server -accept "127.0.0.1:$CTL_PORT" -cert "$T/cert.pem" \
		    -key "$T/key.pem" -naccept 1 -quiet "$@" \
		    > "$T/ctl.out" 2>&1 &
		CTL=$!
		ALL_PIDS="$ALL_PIDS $CTL"
		_i=0
		while [ $_i -lt $((100 * SLOW)) ] && is_ours "$CTL"; do
			ss -ltn 2> /dev/null | grep -q "127.0.0.1:$CTL_PORT " &&
			    return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		control_stop
	done
	return 1
}
control_stop() {
	is_ours "$CTL" && kill "$CTL" 2> /dev/null
	wait "$CTL" 2> /dev/null
	CTL=""
}

# refused NAME PRIORITY S_SERVER_ARGS...: the client offering PRIORITY
# completes a handshake with s_server set by the ARGS, and is refused by
# bisikd.
refused() {
	_n=$1
	_pr=$2
	shift 2
	_d=""
	if ! control "$@"; then
		_d="control: openssl s_server did not start: $(snip "$T/ctl.out")"
	elif ! hs "$CTL_PORT" "$_pr"; then
		_d="control: the client cannot do this with openssl s_server either: $(snip "$T/hs.out" 300)"
	fi
	control_stop
	if [ -z "$_d" ] && hs "$SRV_PORT" "$_pr"; then
		_d="bisikd completed the handshake: $(grep -a -m2 -E 'Version|Description' "$T/hs.out" | tr '\n' ' ')"
	fi
	# bisikd's TLS library ends a refused handshake with an alert or by
	# closing the connection; either way no session was made.
	[ -z "$_d" ] && ! grep -a -q 'Handshake has failed\|non-properly terminated' \
	    "$T/hs.out" && _d="no failure reported: $(snip "$T/hs.out" 300)"
	[ -z "$_d" ] && ! alive_tls && _d="bisikd does not answer /health afterwards"
	result "$_n" "$_d"
}

alive_tls() {
	[ "$(curl -sk --max-time "$CURL_MAX" "$SRV_URL/api/v1/health" 2> /dev/null |
	    jq -r .status 2> /dev/null)" = ok ]
}

BASE="+COMP-NULL:+CTYPE-X509:+SIGN-ALL:+GROUP-ALL"

# ---- what must work ----------------------------------------------------------------

ST=$(curl -sk --tlsv1.3 --tls-max 1.3 -o "$T/body" -D "$T/headers" \
    -w '%{http_code}' --max-time "$CURL_MAX" "$SRV_URL/api/v1/health" 2> "$T/curl.err") || ST=000
result "TLS 1.3: curl gets /api/v1/health 200 {\"status\":\"ok\"}" \
    "$([ "$ST" = 200 ] && jqt '.status == "ok"' || echo "HTTP $ST $(snip "$T/body") $(snip "$T/curl.err")")"
result "TLS: answers carry Strict-Transport-Security" \
    "$(hdr Strict-Transport-Security > /dev/null || echo "no HSTS header")"
hs "$SRV_PORT" "NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+ECDHE-RSA:$BASE"
result "TLS 1.3 handshake (gnutls-cli, AES-128-GCM)" \
    "$(grep -a -q 'Description: (TLS1.3-' "$T/hs.out" || echo "$(snip "$T/hs.out" 300)")"
hs "$SRV_PORT" "NONE:+VERS-TLS1.3:+CHACHA20-POLY1305:+AEAD:+ECDHE-RSA:$BASE"
result "TLS 1.3 handshake with ChaCha20-Poly1305" \
    "$(grep -a -q 'Description: (TLS1.3-.*CHACHA20-POLY1305' "$T/hs.out" ||
    echo "$(snip "$T/hs.out" 300)")"
hs "$SRV_PORT" "NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+ECDHE-RSA:$BASE"
result "TLS 1.2 handshake with ECDHE (RSA certificate) and AES-128-GCM" \
    "$(grep -a -q 'Description: (TLS1.2-X.509)-(ECDHE-.*(AES-128-GCM)' "$T/hs.out" ||
    echo "$(snip "$T/hs.out" 300)")"
ST=$(curl -sk --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES256-GCM-SHA384 \
    -o "$T/body" -w '%{http_code}' --max-time "$CURL_MAX" "$SRV_URL/api/v1/health" \
    2> "$T/curl.err") || ST=000
result "TLS 1.2: curl with ECDHE-RSA-AES256-GCM-SHA384 gets /api/v1/health 200" \
    "$([ "$ST" = 200 ] || echo "HTTP $ST $(snip "$T/curl.err")")"

# ---- what must be refused ------------------------------------------------------------

refused "TLS 1.0 is refused" \
    "NONE:+VERS-TLS1.0:+AES-128-CBC:+AES-256-CBC:+SHA1:+ECDHE-RSA:+RSA:$BASE" \
    -tls1 -cipher 'ALL:@SECLEVEL=0'
refused "TLS 1.1 is refused" \
    "NONE:+VERS-TLS1.1:+AES-128-CBC:+AES-256-CBC:+SHA1:+ECDHE-RSA:+RSA:$BASE" \
    -tls1_1 -cipher 'ALL:@SECLEVEL=0'
refused "TLS 1.2 offering only CBC suites (with ECDHE) is refused" \
    "NONE:+VERS-TLS1.2:+AES-128-CBC:+AES-256-CBC:+SHA1:+SHA256:+SHA384:+ECDHE-RSA:$BASE" \
    -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:@SECLEVEL=0'
refused "TLS 1.2 offering only RSA key exchange (no forward secrecy) is refused" \
    "NONE:+VERS-TLS1.2:+AES-128-GCM:+AES-256-GCM:+AEAD:+RSA:$BASE" \
    -tls1_2 -cipher 'AES128-GCM-SHA256:AES256-GCM-SHA384:@SECLEVEL=0'
refused "TLS 1.2 offering only finite-field DHE is refused" \
    "NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+DHE-RSA:$BASE" \
    -tls1_2 -cipher 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'

kill -TERM "$SRV_PID" 2> /dev/null
wait "$SRV_PID"
rc=$?
SRV_PID=""
result "bisikd with TLS stops on SIGTERM with status 0" \
    "$([ $rc = 0 ] || echo "exit $rc: $(log_problem "$SRV_LOG")")"
finish
