"""Helpers for end-to-end tests: run the built `galley` and speak TAP.

A test script calls `ok(cond, name)` for each check and `done()` at the
end; the automake TAP driver counts every check. Paths come from the
environment that `make check` sets (GALLEY, TOP_SRCDIR, SRCDIR).
"""
import json
import os
import subprocess
import sys
import tempfile

GALLEY = os.environ.get("GALLEY", "galley")
TOP_SRCDIR = os.environ.get("TOP_SRCDIR", ".")
SRCDIR = os.environ.get("SRCDIR", ".")

_count = 0
_failed = 0


def ok(cond, name, detail=None):
    """One TAP check. `detail` is printed as a diagnostic on failure."""
    global _count, _failed
    _count += 1
    name = name.replace("#", "\\#").replace("\n", " ")
    if cond:
        print("ok %d - %s" % (_count, name))
    else:
        _failed += 1
        print("not ok %d - %s" % (_count, name))
        if detail is not None:
            for line in str(detail).splitlines()[:40]:
                print("#   " + line)
    sys.stdout.flush()
    return bool(cond)


def todo(cond, name, reason):
    """A check of a target not met yet, reported as TAP TODO: an expected
    failure while it fails, and a failure of the suite (XPASS) once it
    passes, so that the target's test is then made an ordinary one."""
    global _count
    _count += 1
    name = name.replace("#", "\\#").replace("\n", " ")
    print("%s %d - %s # TODO %s" % ("ok" if cond else "not ok", _count, name, reason))
    sys.stdout.flush()


def eq(got, want, name):
    """Checks got == want and shows both when they differ."""
    return ok(got == want, name, "got:  %r\nwant: %r" % (got, want))


def skip(name, reason):
    """A check that cannot run here, reported as skipped."""
    global _count
    _count += 1
    print("ok %d - %s # SKIP %s" % (_count, name, reason))
    sys.stdout.flush()


def done():
    print("1..%d" % _count)
    sys.exit(0)


def path(*parts):
    """A path under the source tree."""
    return os.path.join(TOP_SRCDIR, *parts)


def run(args, stdin=None, env=None, timeout=120):
    """Runs galley with args; returns (status, stdout, stderr) as text."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    p = subprocess.run([GALLEY] + list(args), input=stdin,
                       capture_output=True, env=full_env, timeout=timeout)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def run_docs(args, stdin=None, env=None):
    """Runs galley and parses its JSONL output; returns (status, docs, stderr).
    Fails the calling check if any line is not valid JSON."""
    status, out, err = run(args, stdin=stdin, env=env)
    docs = []
    for i, line in enumerate(out.splitlines()):
        try:
            docs.append(json.loads(line))
        except ValueError as e:
            ok(False, "output line %d is valid JSON" % (i + 1), "%s\n%s" % (e, line[:300]))
    return status, docs, err


def tmpdir():
    return tempfile.mkdtemp(prefix="galley-test-")


def write(dirpath, name, content, mode="w"):
    p = os.path.join(dirpath, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, mode) as f:
        f.write(content)
    return p


def config(dirpath, stages, extra="", name="test.cfg"):
    """Writes a pipeline config with the given stages block, e.g.
    config(d, '{ use = "normalize"; }'). Returns its path."""
    text = 'name = "test";\nthreads = 1;\n%s\nstages = ( %s );\n' % (extra, stages)
    return write(dirpath, name, text)


def span_text(doc, span):
    """The text a span covers (offsets are code points, as Python indexes)."""
    return doc["text"][span["start"]:span["end"]]
