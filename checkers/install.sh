#!/usr/bin/env bash
# The EPUB checkers the tests run: DAISY Ace (accessibility) and epub.js driven by
# playwright-core in Debian's Chromium (a real reading system). Versions are pinned by
# package-lock.json; npm never downloads a browser (Debian's chromium is used instead).
#   bash checkers/install.sh        (as root it also installs chromium with apt-get if missing)
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "checkers/install.sh: chromium is missing; install Debian's chromium (apt-get install chromium)" >&2
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "checkers/install.sh: node and npm are missing: the EPUB checkers cannot be installed" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install (it empties node_modules first)
stamp=node_modules/.installed-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
  npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
