#!/usr/bin/env bash
# The two things bookbuilder needs from outside PyPI, both Debian packages:
#   libgs-common         Ghostscript's ICC profiles: the print edition's CMYK output intent
#                        (default_cmyk.icc, "Artifex CMYK SWOP Profile", AGPL-3+)
#   libharfbuzz-subset0  optional: WeasyPrint subsets fonts with HarfBuzz, seconds faster per PDF
# Installed with apt-get when run as root; otherwise it says what to install.
set -euo pipefail
profile=/usr/share/color/icc/ghostscript/default_cmyk.icc
if [ -f "$profile" ] && { [ -e /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0 ] || [ "$(id -u)" != 0 ]; }; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q libgs-common libharfbuzz-subset0 >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q libgs-common libharfbuzz-subset0 >/dev/null; }
elif [ ! -f "$profile" ]; then
  echo "install-system-packages.sh: install Debian's libgs-common (the print edition's CMYK profile)," \
       "or set BOOKBUILDER_CMYK_PROFILE to a CMYK printer profile (.icc)" >&2
fi
