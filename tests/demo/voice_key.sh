#!/bin/sh
# `voice = off` in the config file turns the spoken cues off, and `--voice on`
# on the command line wins over it: the window says "tones only" or not.
# $1: rollsense, $2: a scratch directory (also XDG_CONFIG_HOME).
prog=$1 dir=$2
mkdir -p "$dir" && printf 'voice = off\n' > "$dir/voice-off.conf" || exit 1
export XDG_CONFIG_HOME="$dir" SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy SDL_RENDER_DRIVER=software
run() {
    "$prog" demo --routine --fast --no-record --screenshot-after 2 --screenshot-dir "$dir" \
        --config "$dir/voice-off.conf" "$@" 2>&1 >/dev/null
}
if ! run | grep -q 'tones only (voice off'; then
    echo "voice = off in the config file was ignored"; exit 1
fi
if run --voice on | grep -q 'tones only (voice off: --voice off'; then
    echo "--voice on did not win over voice = off"; exit 1
fi
echo ok
