#!/usr/bin/env bash
# hw/tools/render_previews.sh - redraw the pictures in hw/images/ for hw/README.md.
# Needs openscad, xvfb-run and graphviz (tools/setup.sh). Fixed cameras so a
# rerun gives the same framing; OpenCSG preview keeps the colours.
set -euo pipefail
cd "$(dirname "$0")/.."
out=images
mkdir -p "$out"
scad=cad/assembly.scad
shot() {  # name size camera [openscad -D ...]
  local name=$1 size=$2 cam=$3
  shift 3
  xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/$name.png" --imgsize="$size" \
    --camera="$cam" --projection=p "$@" "$scad"
}
shot assembly 900,560 420,-560,380,0,0,30
shot exploded 900,560 -470,680,460,0,0,10 -D explode=40
shot parts 800,520 260,-700,560,-5,-30,0 -D 'view="parts"'
xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/section.png" --imgsize=760,560 \
  --camera=0,0,0,0,0,0,0 --viewall --autocenter --projection=o -D 'view="section"' "$scad"
/usr/bin/python3 tools/hwcheck.py net netlist/rollsense.yaml --pins ../firmware/include/rs_pins.h \
  --svg "$out/wiring.svg" >/dev/null
ls -l "$out"
