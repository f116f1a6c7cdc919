#!/usr/bin/env bash
# Makes sure the Debian packages the portal needs are present (README.md, "System packages").
#   scripts/system-deps.sh run    -> what serving the portal needs (WeasyPrint's libraries, fonts)
#   scripts/system-deps.sh test   -> plus Chromium, poppler-utils, pg_dump/pg_restore and LibreOffice Writer
#                                    (the tests print the Word files with it) for the tests
#   scripts/system-deps.sh load   -> plus wrk for `manage.py loadtest`
# Installs what is missing when it can (root or passwordless sudo); otherwise stops with the exact
# apt-get line to run.
set -euo pipefail

want=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium poppler-utils postgresql-client libreoffice-writer-nogui)
fi
if [ "${1:-run}" = "load" ]; then
  want+=(wrk)
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt_get=(sudo apt-get)
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
