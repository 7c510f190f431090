#!/usr/bin/env bash
# Sets up a fresh Debian or Ubuntu machine with Node for the kiosk and its tests: the system
# packages through apt (as root, or with sudo that needs no password; otherwise it prints the
# apt line to run and stops), then the npm packages from package-lock.json.
#   --system-only     the system packages only
#   --print-packages  the list of system packages, on one line
set -euo pipefail
cd "$(dirname "$0")/.."

# The one list of system packages. What needs each:
#   chromium                  the web host's browser window and the end-to-end tests
#   libusb-1.0-0              node-hid (document readers, barcode scanners)
#   poppler-utils             PDF text and images in the tests (pdftotext, pdftoppm)
#   cups cups-client cups-bsd printer-driver-cups-pdf
#                             a real print queue that writes PDFs (receipts in the tests)
#   sane-utils                scanimage with SANE's test backend (scanning without hardware)
#   prometheus                promtool, which checks the alerting rules
#   sqlite3                   .recover of a damaged database
#   strace                    I/O fault injection in the tests
#   speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
#                             voices for reading status answers aloud (Chromium and Electron
#                             speak through speech-dispatcher; Chromium needs
#                             --enable-speech-dispatcher)
packages=(
  chromium
  libusb-1.0-0
  poppler-utils
  cups cups-client cups-bsd printer-driver-cups-pdf
  sane-utils
  prometheus
  sqlite3
  strace
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
)

case "${1:-}" in
  --print-packages) echo "${packages[*]}"; exit 0 ;;
  --system-only | '') ;;
  *) echo "usage: scripts/setup.sh [--print-packages | --system-only]" >&2; exit 2 ;;
esac

apt_line="apt-get install -y --no-install-recommends ${packages[*]}"

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
  done
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: this is not a Debian or Ubuntu machine (no apt-get). Install the equivalents of:" >&2
  echo "  ${packages[*]}" >&2
  echo "then run: ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci" >&2
  exit 1
elif ((${#missing[@]} == 0)); then
  echo "setup: the system packages are installed."
else
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "setup: these system packages are missing: ${missing[*]}" >&2
    echo "setup: run this as root (or with sudo), then npm run setup again:" >&2
    echo "  apt-get update && $apt_line" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]} through apt"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

[[ "${1:-}" == "--system-only" ]] && exit 0

# The Electron binary cannot be downloaded on hosts without internet; npm start and the tests use
# the system Chromium when it is missing.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
echo "setup: done. Start the kiosk with: npm start    Run the tests with: npm test"
