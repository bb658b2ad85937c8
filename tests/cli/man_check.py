#!/usr/bin/python3
"""man_check.py ROLLSENSE MANPAGE - the manual page and --help never drift.

Checks, naming exactly what is missing where:
  - every command that `rollsense --help` lists has a section
    `.SS "rollsense COMMAND"` in the manual page;
  - every option on the usage line of `rollsense --help` is in the page's OPTIONS
    section, and every option printed by `rollsense COMMAND --help` is in one
    of COMMAND's sections: its own, or a shared one whose title ends with the
    commands in parentheses, e.g. `.SS "Window options (live, demo)"`;
  - every option written in a command's own section is printed by that
    command's --help (a removed option must leave the page too).
Exit 0 when all hold, 1 with one line per finding otherwise.
"""
import re
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")


def deroff(text):
    """The words of a roff source as a reader sees them."""
    text = re.sub(r"\\f(\[[A-Z]*\]|[A-Z])", "", text)
    text = text.replace("\\-", "-").replace("\\&", "").replace("\\(em", "-")
    return text


def sections(page):
    """{title: text} for each .SH/.SS section of the page (title deroffed)."""
    out, title, body = {}, None, []
    for line in page.splitlines():
        if line.startswith(".\\\""):
            continue
        m = re.match(r'^\.S[HS]\s+"?(.*?)"?\s*$', line)
        if m:
            if title is not None:
                out[title] = "\n".join(body)
            title, body = deroff(m.group(1)), []
        elif title is not None:
            body.append(deroff(line))
    if title is not None:
        out[title] = "\n".join(body)
    return out


def owners(title):
    """The commands a section belongs to: 'rollsense X' -> [X],
    'Something (a, b)' -> [a, b], else []."""
    m = re.match(r"^rollsense ([a-z-]+)$", title)
    if m:
        return [m.group(1)]
    m = re.search(r"\(([a-z, -]+)\)$", title)
    if m:
        return [c.strip() for c in m.group(1).split(",")]
    return []


def help_text(rollsense, *args):
    r = subprocess.run([rollsense, *args, "--help"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"man_check: '{' '.join(['rollsense', *args, '--help'])}' exited {r.returncode}")
    return r.stdout


def main():
    rollsense, manpage = sys.argv[1], sys.argv[2]
    with open(manpage, encoding="utf-8") as f:
        secs = sections(f.read())
    top = help_text(rollsense)
    commands = re.findall(r"^  ([a-z][a-z-]*)  ", top, re.M)
    if not commands:
        sys.exit("man_check: 'rollsense --help' lists no commands")
    findings = []
    # The top-level options are those of the usage line; the command list
    # below it mentions command options, checked per command.
    for opt in sorted(set(OPTION.findall(top.splitlines()[0]))):
        if opt not in OPTION.findall(secs.get("OPTIONS", "")):
            findings.append(f"option {opt} of 'rollsense --help' is missing from {manpage} section OPTIONS")
    for cmd in commands:
        own = f"rollsense {cmd}"
        if own not in secs:
            findings.append(f"command {cmd} of 'rollsense --help' has no section '.SS \"{own}\"' in {manpage}")
            continue
        printed = set(OPTION.findall(help_text(rollsense, cmd)))
        documented = set()
        for title, body in secs.items():
            if cmd in owners(title):
                documented |= set(OPTION.findall(body))
        for opt in sorted(printed - documented):
            findings.append(f"option {opt} of 'rollsense {cmd} --help' is missing from {manpage} "
                            f"section '{own}' (or a shared section naming {cmd})")
        for opt in sorted(set(OPTION.findall(secs[own])) - printed):
            findings.append(f"option {opt} in {manpage} section '{own}' is not printed by "
                            f"'rollsense {cmd} --help' (removed or renamed?)")
    for line in findings:
        print(line)
    print(f"man_check: {len(commands)} commands, {len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
