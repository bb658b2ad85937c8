#!/usr/bin/env python3
"""funclen.py - list C functions longer than a limit (the project's rule: no
function over 100 lines in host/ and firmware/).

A function is counted from the first line of its definition (return type or
name) to its closing brace. Definitions are found in the project's style: the
opening brace of a function body alone on a line in column 0, the closing
brace alone in column 0.

  tools/funclen.py [--max N] [--allow FILE] [--root DIR] [DIR ...]

Prints one line per function over the limit, "PATH:LINE NAME LINES". With
--allow, functions named in FILE ("PATH NAME" per line, # comments) are
reported as known and do not fail; an entry that no longer exceeds the limit
is reported as stale and fails, so the list only shrinks. Exit 0 when nothing
new is over the limit, 1 otherwise.
"""
import argparse
import os
import re
import sys

NAME = re.compile(r'([A-Za-z_][A-Za-z_0-9]*)\s*\(')


def functions(path):
    """Yield (name, first_line, n_lines) for each function definition."""
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i] == '{':
            # the signature: back to the previous blank line, comment end,
            # preprocessor line or closing brace
            j = i - 1
            while j >= 0 and lines[j].strip() and not lines[j].startswith(('}', '#', ' */', '*/')) \
                    and not lines[j].rstrip().endswith(('*/', ';')):
                j -= 1
            start = j + 1
            head = ' '.join(lines[start:i])
            m = None
            for m in NAME.finditer(head.split('(')[0] + '('):
                pass
            k = i + 1
            while k < len(lines) and lines[k] != '}':
                k += 1
            if m and '=' not in head.split('(')[0]:
                yield m.group(1), start + 1, k - start + 1
            i = k
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--max', type=int, default=100)
    ap.add_argument('--allow')
    ap.add_argument('--root', default='.')
    ap.add_argument('dirs', nargs='*', default=['host', 'firmware'])
    a = ap.parse_args()
    allow = set()
    if a.allow:
        with open(a.allow, encoding='utf-8') as f:
            for line in f:
                line = line.split('#')[0].strip()
                if line:
                    p, n = line.split()
                    allow.add((p, n))
    over = []
    for d in a.dirs:
        for dirpath, _, files in os.walk(os.path.join(a.root, d)):
            for fn in sorted(files):
                if not fn.endswith('.c'):
                    continue
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, a.root)
                for name, line, n in functions(full):
                    if n > a.max:
                        over.append((rel, line, name, n))
    bad = 0
    seen = set()
    for rel, line, name, n in sorted(over):
        seen.add((rel, name))
        known = (rel, name) in allow
        print('%s:%d %s %d lines%s' % (rel, line, name, n, ' (known, allowed for now)' if known else ''))
        if not known:
            bad += 1
    for rel, name in sorted(allow - seen):
        print('%s %s: in the allow-list but no longer over %d lines: remove it from the list'
              % (rel, name, a.max))
        bad += 1
    if bad:
        print('funclen: %d function(s) over %d lines or stale allow-list entries' % (bad, a.max))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
