#!/usr/bin/env bash
# Renders the project's SVG icons to the PNG sizes the apps and desktop need: the app icon in
# every hicolor size the .deb installs (16 to 256), and the tray icons. Uses rsvg-convert
# (Debian package librsvg2-bin). The PNGs are committed, so building never needs this; run it
# after editing an SVG.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256; do
  rsvg-convert -w "$size" -h "$size" app.svg -o "app-${size}.png"
done
for state in running paused; do
  rsvg-convert -w 32 -h 32 "tray-${state}.svg" -o "tray-${state}.png"
done
