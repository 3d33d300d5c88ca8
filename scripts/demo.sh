#!/bin/sh
# demo.sh: `make run`. Creates (once) a demo data directory with a
# DEVELOPMENT escrow key set (1-of-1) and the starter agency directory,
# then serves on 127.0.0.1:8080. Running it again reuses the directory.
set -eu
umask 077
DATA=${BISIK_DEMO_DATA:-demo-data}
ADMIN=${BISIK_DEMO_ADMIN:-demo-admin}
B=build

if [ ! -d "$DATA" ]; then
	$B/bisikd init --data "$DATA"
	mkdir -p "$ADMIN"
	# A random development passphrase, kept beside the key: never do this
	# with a real key.
	head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ADMIN/dev-admin.pass"
	echo >> "$ADMIN/dev-admin.pass"
	$B/bisik keygen --out "$ADMIN/dev-admin.key" \
	    --passphrase-file "$ADMIN/dev-admin.pass"
	rm -rf "$ADMIN/escrow"
	$B/bisik escrow ceremony --threshold 1 --admin "$ADMIN/dev-admin.key.pub" \
	    --out-dir "$ADMIN/escrow"
	# The one development admin checks their share and signs the
	# configuration; bisikd installs only a file every holder signed.
	$B/bisik escrow sign --escrow "$ADMIN/escrow/escrow.pub" \
	    --key "$ADMIN/dev-admin.key" --passphrase-file "$ADMIN/dev-admin.pass"
	$B/bisikd escrow set --data "$DATA" --public-key "$ADMIN/escrow/escrow.pub"
	$B/bisikd agency import --data "$DATA" share/agencies.csv
fi

cat <<MSG

  ##################################################################
  ##  DEVELOPMENT ONLY - NOT FOR REAL REPORTS                     ##
  ##  The escrow key is 1-of-1 and its admin key file and         ##
  ##  passphrase sit unprotected on this machine:                 ##
  ##    key file:   $ADMIN/dev-admin.key
  ##    passphrase: $ADMIN/dev-admin.pass
  ##  Anyone with these files can open every identity in $DATA.
  ##  For a real deployment run the ceremony (SECURITY.md).       ##
  ##################################################################

  Serving on http://127.0.0.1:8080  (Ctrl-C stops)
  Try:  echo "Jalan rusak di depan sekolah sudah tiga bulan." > /tmp/body.txt
        build/bisik submit --title "Jalan rusak" --body-file /tmp/body.txt \\
            --token-out /tmp/token.txt
        build/bisik follow --token-file /tmp/token.txt

MSG
exec $B/bisikd serve --data "$DATA" --listen 127.0.0.1:8080 $(test "$(id -u)" != 0 || echo --allow-root)
