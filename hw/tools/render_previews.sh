#!/usr/bin/env bash
# hw/tools/render_previews.sh [OUTDIR] - draw the build guide's pictures from the CAD.
# The build runs it into build/<preset>/hw/images (target hw_pictures); run it
# with hw/images to refresh the committed copies the README shows. Needs
# openscad, xvfb-run and graphviz (tools/setup.sh). Fixed cameras, so a rerun
# gives the same framing; OpenCSG preview keeps the colours.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/images}
mkdir -p "$out"
scad=$here/cad/assembly.scad
shot() {  # name size camera [openscad -D ...]
  local name=$1 size=$2 cam=$3
  shift 3
  xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/$name.png" --imgsize="$size" \
    --camera="$cam" --projection=p --colorscheme=Tomorrow "$@" "$scad"
}
shot assembly 900,560 480,620,400,0,20,20
shot exploded 900,560 -470,680,460,0,0,10 -D explode=40
shot parts 900,520 160,-520,620,150,0,0 -D 'view="parts"'
xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/step-plate.png" --imgsize=800,540 --camera=0,0,0,180,0,0,0 --viewall --autocenter --projection=o --colorscheme=Tomorrow -D 'view="plate"' "$scad"
shot step-corner 800,500 330,-330,-160,190,-100,-30 -D 'view="corner"' -D explode=12
shot step-box 800,500 -120,-60,260,0,106,0 -D 'view="box"' -D explode=14
shot step-bearings 800,500 420,-300,300,190,0,85 -D 'view="bearings"' -D explode=25
shot step-test-piece 600,360 0,-120,140,0,0,0 -D 'view="test_piece"'
xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/step-measure.png" --imgsize=1000,420 \
  --camera=0,0,0,0,0,0,0 --viewall --autocenter --projection=o --colorscheme=Tomorrow -D 'view="measure"' "$scad"
xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/step-breakout.png" --imgsize=760,420 \
  --camera=0,0,0,0,0,0,0 --viewall --autocenter --projection=o --colorscheme=Tomorrow -D 'view="breakout"' "$scad"
xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/step-stop.png" --imgsize=760,400 \
  --camera=0,0,0,0,0,0,0 --viewall --autocenter --projection=o -D 'view="stop"' "$scad"
xvfb-run -a -s '-screen 0 1280x800x24' openscad -q -o "$out/section.png" --imgsize=760,560 \
  --camera=0,0,0,0,0,0,0 --viewall --autocenter --projection=o -D 'view="section"' "$scad"
/usr/bin/python3 "$here/tools/hwcheck.py" net "$here/netlist/rollsense.yaml" \
  --pins "$here/../firmware/include/rs_pins.h" --svg "$out/wiring.svg" >/dev/null
