"""Archives and formats: JSONL, gzip (several members), tar and tar.gz
with text members and gzipped JSONL members, long names, sources naming
file//member:line, folders in sorted order, standard input, gzip output
and shards."""
import gzip
import io
import json
import os
import tarfile
from galleytest import ok, eq, done, run, run_docs, tmpdir, write, config

d = tmpdir()
cfg = config(d, "")


def jl(ids):
    return "".join(json.dumps({"id": i, "text": "Text of %s." % i, "outlet": "W"}) + "\n" for i in ids).encode()


write(d, "in/a.jsonl", jl(["a1", "a2"]).decode())
write(d, "in/b.jsonl.gz", gzip.compress(jl(["b1"])) + gzip.compress(jl(["b2"])), "wb")
buf = io.BytesIO()
long_name = "section/" + "x" * 120 + "/story.txt"
with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.GNU_FORMAT) as t:
    for name, data in [("c1.txt", b"Headline one\n\nBody one."), (long_name, b"Body two."),
                       ("inner.jsonl.gz", gzip.compress(jl(["c3", "c4"])))]:
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
write(d, "in/c.tar.gz", buf.getvalue(), "wb")
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
    data = b"Pax body."
    ti = tarfile.TarInfo("p/" + "y" * 150 + ".txt")
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
write(d, "in/d.tar", buf.getvalue(), "wb")
write(d, "in/e.txt", "Plain article.")

status, docs, err = run_docs(["run", cfg, d + "/in"])
eq(status, 0, "folder: exit 0")
eq([x["id"] for x in docs][:4], ["a1", "a2", "b1", "b2"], "jsonl and multi-member gzip in order")
srcs = [x["source"] for x in docs]
eq(srcs[:3], [d + "/in/a.jsonl:1", d + "/in/a.jsonl:2", d + "/in/b.jsonl.gz:1"], "sources with lines")
eq(srcs[4], d + "/in/c.tar.gz//c1.txt", "tar member source")
eq(docs[4]["metadata"]["title"], "Headline one", "tar text member: title line")
eq(srcs[5], d + "/in/c.tar.gz//" + long_name, "GNU long name")
eq(srcs[6:8], [d + "/in/c.tar.gz//inner.jsonl.gz:1", d + "/in/c.tar.gz//inner.jsonl.gz:2"],
   "gzipped JSONL inside tar.gz")
eq(srcs[8], d + "/in/d.tar//p/" + "y" * 150 + ".txt", "pax long name")
eq(srcs[9], d + "/in/e.txt", "plain text file")
eq(docs[0]["metadata"], {"outlet": "W"}, "other JSON fields kept as metadata")

status, out, err = run(["run", cfg, "-"], stdin=jl(["s1"]))
eq(json.loads(out)["source"], "(stdin):1", "standard input")

out_gz = os.path.join(d, "out.jsonl.gz")
status, out, err = run(["run", cfg, d + "/in", "-o", out_gz])
lines = gzip.decompress(open(out_gz, "rb").read()).decode().splitlines()
eq(len(lines), 10, "-o FILE.gz writes gzip")
status, out, err = run(["run", cfg, d + "/in", "-o", os.path.join(d, "shard.jsonl"), "--shard-size", "4"])
shards = sorted(x for x in os.listdir(d) if x.startswith("shard-"))
eq(shards, ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl"], "shards numbered")
eq([len(open(os.path.join(d, s)).read().splitlines()) for s in shards], [4, 4, 2], "shard sizes")
status, out, err = run(["run", cfg, d + "/in", "--shard-size", "4"])
eq(status, 2, "shards need an output file")
done()
