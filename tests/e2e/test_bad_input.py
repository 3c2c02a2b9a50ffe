"""Bad input, built on the fly from good input: each is reported with its
file and position, counted, and the run goes on; what was read before a
fault is written. Exit status 1 when anything was rejected."""
import gzip
import io
import json
import os
import tarfile
from galleytest import ok, eq, done, skip, run, run_docs, tmpdir, write, config

d = tmpdir()
cfg = config(d, '{ use = "stats"; }')


def article(i):
    return {"id": "a%d" % i, "text": "Article %d says the port reopened on Monday." % i}


def jsonl(n, start=0):
    return "".join(json.dumps(article(i)) + "\n" for i in range(start, start + n)).encode()


def go(args):
    stats = os.path.join(d, "stats.json")
    rej = os.path.join(d, "rejects.jsonl")
    status, docs, err = run_docs(["run", cfg, "--stats", stats, "--rejects", rej] + args)
    s = json.load(open(stats))
    rejects = [json.loads(l) for l in open(rej)]
    ok(s["read"] == s["written"] + s["dropped"] + s["rejected"], "account balances (%s)" % args[0])
    return status, docs, err, s, rejects


# Malformed JSON lines, a missing text field, invalid UTF-8, \u0000.
lines = [json.dumps(article(0)), "{not json", json.dumps({"id": "x", "body": "no text"}),
         "[1, 2]", b'{"id":"u","text":"caf\xe9 au lait"}'.decode("latin-1"), json.dumps(article(5))]
p = os.path.join(d, "mixed.jsonl")
with open(p, "wb") as f:
    for l in lines:
        f.write((l.encode("latin-1") if l.startswith('{"id":"u"') else l.encode()) + b"\n")
status, docs, err, s, rej = go([p])
eq(status, 1, "rejections: exit status 1")
eq([x["id"] for x in docs], ["a0", "u", "a5"], "good lines written, in order")
eq(docs[1]["text"], "caf\ufffd au lait", "invalid UTF-8 repaired to U+FFFD")
eq(s["utf8_repaired"], 1, "repair counted")
eq(s["rejected_by_reason"], {"malformed_json": 1, "missing_text": 1, "not_an_object": 1}, "rejected by reason")
eq([(r["source"], r["reason"]) for r in rej],
   [(p + ":2", "malformed_json"), (p + ":3", "missing_text"), (p + ":4", "not_an_object")],
   "--rejects: source with line, reason")
ok(p + ":2: malformed JSON" in err, "stderr names file and line", err)

# Ids with U+0000 no longer collide (cut at the NUL); a lone surrogate is
# repaired like other bad text instead of rejecting the document.
p = write(d, "nul.jsonl", '{"id":"a\\u0000b","text":"one"}\n{"id":"a\\u0000c","text":"two"}\n'
                          '{"id":"s","text":"broken \\ud800 pair"}\n')
status, docs, err, s, rej = go([p])
eq(status, 0, "NUL ids and a lone surrogate: nothing rejected")
eq([x["id"] for x in docs], ["a\ufffdb", "a\ufffdc", "s"], "ids with U+0000 stay apart (U+FFFD)")
eq(docs[2]["text"], "broken \ufffd pair", "a lone surrogate becomes U+FFFD")
eq(s["utf8_repaired"], 3, "both repairs counted")

# A truncated gzip stream: what came before is written.
good = gzip.compress(jsonl(200))
p = write(d, "trunc.jsonl.gz", good[: len(good) // 2], "wb")
status, docs, err, s, rej = go([p])
ok(0 < len(docs) < 200, "truncated gzip: the readable part is written (%d)" % len(docs))
eq(s["rejected_by_reason"], {"truncated_gzip": 1}, "truncated gzip: counted")
ok("truncated gzip stream" in err, "truncated gzip: message", err)

# A corrupt gzip member after a good one; then the next file is still read.
bad = bytearray(gzip.compress(jsonl(50, 100)))
bad[len(bad) // 2] ^= 0xFF
p = write(d, "corrupt.jsonl.gz", gzip.compress(jsonl(50)) + bytes(bad), "wb")
after = write(d, "z-after.jsonl", jsonl(1, 500).decode())
status, docs, err, s, rej = go([p, after])
ok(len(docs) >= 51 and docs[-1]["id"] == "a500", "corrupt member: first member and the next file read")
ok("corrupt_gzip" in s["rejected_by_reason"], "corrupt member: counted", s["rejected_by_reason"])

# A line longer than input.max_doc_bytes.
p = write(d, "long.jsonl", json.dumps({"id": "big", "text": "word " * 5000}) + "\n" + jsonl(1).decode())
status, docs, err, s, rej = go([p, "--set", "input.max_doc_bytes=10000"])
eq([x["id"] for x in docs], ["a0"], "too long: skipped, the next line read")
eq(rej[0]["reason"], "too_long", "too long: reason")
ok(rej[0]["source"].endswith("long.jsonl:1"), "too long: position")

# A folder with a binary file, an empty file and an unreadable one.
f = os.path.join(d, "folder")
os.makedirs(f)
write(f, "a.txt", "Title\n\nBody of the first article.")
write(f, "b.bin", b"\x00\x01\x02binary\x00", "wb")
write(f, "c.txt", "")
write(f, "d.txt", "Second article body.")
locked = write(f, "e.txt", "Locked article.")
os.chmod(locked, 0)
status, docs, err, s, rej = go([f])
eq([x["source"].split("/")[-1] for x in docs][:2], ["a.txt", "d.txt"], "folder: text files read in order")
eq(docs[0]["metadata"]["title"], "Title", "text file: the first line is the title")
ok(s["rejected_by_reason"].get("binary") == 1 and s["rejected_by_reason"].get("empty") == 1,
   "binary and empty files: counted", s["rejected_by_reason"])
if os.geteuid() == 0:
    skip("unreadable file counted", "root can read any file")
else:
    ok(s["rejected_by_reason"].get("unreadable") == 1, "unreadable file: counted")

# Tar: a corrupt header, and a member whose size runs past the end.
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
    for i in range(3):
        data = ("Body of member %d." % i).encode()
        ti = tarfile.TarInfo("m%d.txt" % i)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
raw = bytearray(buf.getvalue())
raw[1024 + 148] = ord("9")     # the second header's checksum
p = write(d, "corrupt.tar", bytes(raw), "wb")
status, docs, err, s, rej = go([p])
eq([x["source"] for x in docs], [p + "//m0.txt", p + "//m2.txt"],
   "corrupt tar header: the members before and after it are read (resync at the next header)")
eq(rej[0]["reason"], "corrupt_tar", "corrupt tar header: reason")
ok("corrupt tar header at byte 1024" in rej[0]["message"] and "bytes skipped to the next header" in rej[0]["message"],
   "corrupt tar header: position and resync", rej)
eq(len(rej), 1, "corrupt tar header: one rejection, for the damaged member")
raw = bytearray(buf.getvalue())
p = write(d, "short.tar", bytes(raw[:1024 + 512 + 5]), "wb")
status, docs, err, s, rej = go([p])
eq([r["reason"] for r in rej], ["truncated_member"], "member past the end: reason")
ok(rej and rej[0]["source"] == p + "//m1.txt", "member past the end: names the member", rej)
eq([x["id"] for x in docs], [p + "//m0.txt"], "member past the end: the members before it written")
done()
