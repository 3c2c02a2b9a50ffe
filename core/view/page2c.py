#!/usr/bin/env python3
"""page2c.py PAGE.html OUT.c - the page of `galley view` as C strings.

Cuts the page at its two data placeholders (the articles, the summary)
into the three parts view.c writes around the data, and fills the page's
Content-Security-Policy with the SHA-256 of its one script and its one
style, so the browser runs those and nothing else.
"""
import base64
import hashlib
import re
import sys

DATA = ["@GALLEY_DOCS@", "@GALLEY_SUMMARY@"]


def csp_hash(page, pattern, name):
    """'sha256-...' of the text of the one element that pattern matches."""
    found = re.findall(pattern, page, re.S)
    if len(found) != 1:
        sys.exit("page2c: %s: want exactly one %s element, found %d" % (sys.argv[1], name, len(found)))
    return "sha256-" + base64.b64encode(hashlib.sha256(found[0].encode("utf-8")).digest()).decode()


def c_literal(text):
    """text as C string literals, one per line of the page."""
    out = []
    for line in text.encode("utf-8").splitlines(keepends=True):
        s = []
        for b in line:
            c = chr(b)
            if c in '\\"?':
                s.append("\\" + c)
            elif c == "\n":
                s.append("\\n")
            elif 32 <= b < 127:
                s.append(c)
            else:
                s.append("\\%03o" % b)
        out.append('    "%s"' % "".join(s))
    return "\n".join(out) if out else '    ""'


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: page2c.py PAGE.html OUT.c")
    with open(sys.argv[1], encoding="utf-8") as f:
        page = f.read()
    page = page.replace("@GALLEY_SCRIPT_HASH@",
                        csp_hash(page, r'<script id="galley-main">(.*?)</script>', "main script"))
    page = page.replace("@GALLEY_STYLE_HASH@",
                        csp_hash(page, r'<style id="galley-style">(.*?)</style>', "style"))
    for marker in DATA:
        if page.count(marker) != 1:
            sys.exit("page2c: %s: want %s exactly once" % (sys.argv[1], marker))
    head, rest = page.split(DATA[0])
    middle, tail = rest.split(DATA[1])
    with open(sys.argv[2], "w", encoding="ascii") as f:
        f.write("/* Made from page.html by page2c.py: edit page.html, not this file. */\n")
        f.write("#include <stddef.h>\n#include \"view/page.h\"\n\n")
        for i, part in enumerate([head, middle, tail]):
            f.write("static const char part%d[] =\n%s;\n\n" % (i, c_literal(part)))
        f.write("const char *const gl_view_page[3] = { part0, part1, part2 };\n")
        f.write("const size_t gl_view_page_len[3] = { sizeof part0 - 1, sizeof part1 - 1, sizeof part2 - 1 };\n")


main()
