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
sizes="16 24 32 48 64 128 256 512"
metainfo="$data/metainfo/io.github.mnist_pad.MnistPad.metainfo.xml"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon" "$metainfo"
    for size in $sizes; do rm -f "$data/icons/hicolor/${size}x${size}/apps/mnist-pad.png"; done
    echo "Removed $entry"
    exit 0
fi
# A desktop entry is one line a key: a folder whose name holds a control character (a newline,
# a tab) cannot be named in Exec= so that every menu reads it the same way.
case "$here" in
*[[:cntrl:]]*)
    echo "error: the folder's path holds a newline or another control character, which a desktop" >&2
    echo "entry cannot hold: $(printf '%s' "$here" | tr '[:cntrl:]' '?')" >&2
    echo "Move the folder to a plainer name and run this again." >&2
    exit 1
    ;;
esac
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")" "$(dirname "$metainfo")"
tmp="$(dirname "$entry")/.mnist-pad.tmp.desktop"  # the validator wants the .desktop ending
# Exec quotes the path (spaces work). The spec's quoting rule escapes " ` $ \ with a backslash,
# and its string rule, applied first when read, needs that backslash doubled; % is %%.
exe="$(printf '%s' "$here/mnist-pad" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/\\\\\\/\\\\\\\\/g' -e 's/%/%%/g')"
{ grep -v '^Exec=' "$here/mnist-pad.desktop"; printf 'Exec="%s"\n' "$exe"; } > "$tmp"
if command -v desktop-file-validate >/dev/null && ! problems="$(desktop-file-validate "$tmp" 2>&1)"; then
    rm -f "$tmp"
    echo "error: the desktop entry would not be valid, so nothing was installed:" >&2
    echo "$problems" >&2
    exit 1
fi
cp "$here/_internal/mnist_pad/assets/icon.png" "$icon"
for size in $sizes; do  # each size drawn for itself (assets/icons), as the icon theme spec asks
    drawn="$here/_internal/mnist_pad/assets/icons/${size}x${size}.png"
    if [ -f "$drawn" ]; then
        mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
        cp "$drawn" "$data/icons/hicolor/${size}x${size}/apps/mnist-pad.png"
    fi
done
cp "$here/$(basename "$metainfo")" "$metainfo"
mv "$tmp" "$entry"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Installed $entry"
