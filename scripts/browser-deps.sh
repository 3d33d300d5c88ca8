#!/bin/sh
# browser-deps.sh: what the browser tests (tests/e2e/e2e_browser.sh) need
# besides scripts/deps.sh: Node.js with npm (Debian's, unless the machine
# has one already) and playwright-core exactly as pinned in
# tests/browser/package-lock.json, installed with `npm ci` into
# tests/browser/node_modules (git-ignored). Chromium itself is Debian's
# (package chromium, in deps.sh): playwright never downloads a browser.
# Idempotent and quiet when all is there. Called by `make test`.
set -eu
cd "$(dirname "$0")/.."
DIR=tests/browser

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "browser-deps: node and npm are missing; run as root or install sudo." >&2
		exit 1
	fi
	echo "browser-deps: installing nodejs npm" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >/dev/null
	$SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# Reinstall only when the lock file changed since the last install.
STAMP=$DIR/node_modules/.bisik-lock
if [ -f "$DIR/node_modules/playwright-core/package.json" ] && [ -f "$STAMP" ] &&
    cmp -s "$DIR/package-lock.json" "$STAMP"; then
	exit 0
fi
echo "browser-deps: npm ci in $DIR" >&2
# --ignore-scripts: nothing of the package runs at install time (and no
# browser is downloaded).
(cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
cp "$DIR/package-lock.json" "$STAMP"
