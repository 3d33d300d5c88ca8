#!/bin/sh
# deps.sh: install the Debian packages Bisik needs to build, test and
# benchmark, if any is missing. Idempotent and silent when all are present;
# uses sudo only when not root. Called by `make run`, `make test`, `make bench`.
# Every outside program a test runs comes from here (or is essential in
# Debian): a test that cannot find one fails, it never skips.
set -eu

# linux-perf: the CPU profile of bench/profile.sh.
# faketime: e2e tests move bisikd's clock (overdue cases, the holiday
# warning) without a clock hook in the production binary.
PKGS="build-essential pkg-config clang libclang-rt-14-dev \
libmicrohttpd-dev liblmdb-dev lmdb-utils libsodium-dev libjansson-dev \
libcurl4-openssl-dev curl jq wrk procps \
liboath-dev libqrencode-dev oathtool \
libvips-dev libimage-exiftool-perl imagemagick \
libseccomp-dev slowhttptest systemd mandoc groff-base util-linux \
libutf8proc-dev zlib1g-dev unzip python3 libxml2-utils openssl \
tidy chromium linux-perf gnutls-bin iproute2 faketime"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: missing packages:$missing; run as root or install sudo." >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
