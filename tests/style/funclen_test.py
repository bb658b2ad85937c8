#!/usr/bin/env python3
"""funclen_test.py - the function-length check itself, on its boundary: a
function of 100 lines passes, one of 101 fails, an allow-listed one passes,
a stale allow-list entry fails."""
import os
import subprocess
import sys
import tempfile

TOOL = sys.argv[1]


def function(name, lines):
    """A C function of exactly `lines` lines, brace lines included."""
    body = ['    x += %d;' % i for i in range(lines - 3)]
    return ['int %s(int x)' % name, '{'] + body + ['}', '']


def run(root, allow=None):
    cmd = [sys.executable, TOOL, '--root', root, 'host']
    if allow:
        cmd += ['--allow', allow]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout


def main():
    fails = 0
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, 'host'))
        src = os.path.join(root, 'host', 'a.c')
        allow = os.path.join(root, 'allow.txt')
        cases = [
            # (lines of f, allow-list text, expected exit code, why)
            (100, None, 0, '100 lines is within the limit'),
            (101, None, 1, '101 lines is over the limit'),
            (101, 'host/a.c f\n', 0, 'an allow-listed function passes'),
            (100, 'host/a.c f\n', 1, 'a stale allow-list entry fails'),
        ]
        for n, allowed, want, why in cases:
            with open(src, 'w') as f:
                f.write('\n'.join(['/* a */', ''] + function('f', n) + function('g', 5)))
            if allowed:
                with open(allow, 'w') as f:
                    f.write(allowed)
            rc, out = run(root, allow if allowed else None)
            if rc != want:
                print('FAIL: %s: exit %d, want %d\n%s' % (why, rc, want, out))
                fails += 1
            else:
                print('ok: %s' % why)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
