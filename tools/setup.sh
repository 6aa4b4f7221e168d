#!/usr/bin/env bash
# setup.sh PACKAGE... — make sure these Debian packages are installed.
# As root it installs what is missing with apt-get; otherwise it stops and prints the command to run.
set -euo pipefail
missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "setup: installing ${missing[*]} (apt-get, once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
