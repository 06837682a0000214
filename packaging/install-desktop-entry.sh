#!/bin/sh
# Add MNIST Pad to the desktop's application menu, for this user only.
# Run it from the unpacked folder; run it again after moving the folder.
#   ./install-desktop-entry.sh            install
#   ./install-desktop-entry.sh --remove   remove
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/mnist-pad.desktop"
icon="$data/icons/hicolor/256x256/apps/mnist-pad.png"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon"
    echo "Removed $entry"
    exit 0
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/_internal/mnist_pad/assets/icon.png" "$icon"
# Exec quotes the path (spaces work) and escapes what the desktop-entry spec reserves.
exe="$(printf '%s' "$here/mnist-pad" | sed -e 's/[\\"`$]/\\&/g' -e 's/%/%%/g')"
{ grep -v '^Exec=' "$here/mnist-pad.desktop"; printf 'Exec="%s"\n' "$exe"; } > "$entry.tmp"
mv "$entry.tmp" "$entry"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Installed $entry"
