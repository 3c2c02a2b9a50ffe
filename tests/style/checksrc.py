#!/usr/bin/env python3
"""checksrc.py - what clang-format cannot see of docs/style.md:

  - every C file opens with a "/* name.c - ..." comment;
  - every function definition opens with a comment, unless it is declared
    (and so documented) in a header of the tree;
  - no line is longer than 100 columns, no tab indents;
  - a stage's non-static names carry the stage's folder name.

    checksrc.py [--top DIR] [FILE...]     (default: every tracked C file)

Prints FILE:LINE: problem for each, and exits 1 when there is any."""
import argparse
import os
import re
import subprocess
import sys

FNPTR = re.compile(r"^[\w\s\*]*\(\*\s*([A-Za-z_]\w*)\(")
SIG = re.compile(r"^(?:[A-Za-z_]\w*[\s\*]+)+([A-Za-z_]\w*)\s*\(")
SKIP_NAMES = {"main", "if", "for", "while", "switch", "return", "sizeof"}


def tracked_c_files(top):
    out = subprocess.run(["git", "-C", top, "ls-files", "*.c", "*.h"], capture_output=True, text=True)
    return [os.path.join(top, f) for f in out.stdout.split()]


def declared_names(files):
    """Names declared in any header: documented there."""
    names = set()
    for f in files:
        if not f.endswith(".h"):
            continue
        text = open(f, encoding="utf-8", errors="replace").read()
        names.update(re.findall(r"\b([A-Za-z_]\w*)\s*\(", text))
    return names


def definitions(lines):
    """(line index of the signature's first line, name) of each function
    definition: a signature at column 0 whose body's '{' is alone at
    column 0."""
    for i, line in enumerate(lines):
        if line != "{" or i == 0:
            continue
        j = i - 1
        while j > 0 and not re.match(r"^[A-Za-z_]", lines[j]):
            j -= 1
        if re.match(r"^(START_TEST|GALLEY_STAGE|GALLEY_TEST_MAIN)\(", lines[j]):
            continue  # a test's name says what it checks
        m = FNPTR.match(lines[j]) or SIG.match(lines[j])
        if m and m.group(1) not in SKIP_NAMES and not lines[j].startswith(("typedef", "struct ", "enum ",
                                                                             "union ")):
            yield j, m.group(1)


def has_comment_above(lines, j):
    """A comment ends on the line above (above its prototype, when the
    function is declared just before it, for an attribute)."""
    k = j - 1
    if k >= 0 and lines[k].rstrip().endswith(";") and "(" in lines[k]:
        k -= 1
    return k >= 0 and (lines[k].rstrip().endswith("*/") or lines[k].lstrip().startswith("//"))


def stage_of(path):
    parts = path.split(os.sep)
    if "plugins" in parts:
        i = parts.index("plugins")
        if i + 2 < len(parts) and parts[i + 2] != "tests":
            return parts[i + 1]
    return None


def check(path, header_names, problems):
    text = open(path, encoding="utf-8", errors="replace").read()
    lines = text.split("\n")
    rel = os.path.relpath(path)
    base = os.path.basename(path)
    if not re.match(r"^/\* (?:galley/)?%s - " % re.escape(base), text):
        problems.append("%s:1: the file does not open with /* %s - what it is for. */" % (rel, base))
    for n, line in enumerate(lines, 1):
        if len(line) > 100:
            problems.append("%s:%d: %d columns (at most 100)" % (rel, n, len(line)))
        if line.startswith("\t"):
            problems.append("%s:%d: indented with a tab" % (rel, n))
    if not path.endswith(".c"):
        return
    stage = stage_of(path)
    for j, name in definitions(lines):
        static = lines[j].startswith("static")
        if (static or name not in header_names) and not has_comment_above(lines, j):
            problems.append("%s:%d: function %s has no opening comment" % (rel, j + 1, name))
        if stage and not static and not name.startswith(stage + "_") and name not in ("main",):
            problems.append("%s:%d: %s is not static and does not start with %s_" % (rel, j + 1, name, stage))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", default=os.getcwd())
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = [os.path.abspath(f) for f in args.files] or tracked_c_files(args.top)
    header_names = declared_names(tracked_c_files(args.top))
    problems = []
    for f in files:
        check(f, header_names, problems)
    for p in problems:
        print(p)
    print("checksrc: %d files, %d problems" % (len(files), len(problems)), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
