"""One 4 MB article through the news pipeline (issue 13, item 6): every
stage is linear in the length of a document, so it completes, and peak
memory stays under 20 times the text's size (not met yet: reported as TODO
with the figure; under 100 times is checked; neither under the
sanitizers). (Speed is make bench's.)"""
import json
import os
import random
import subprocess
from galleytest import ok, eq, todo, skip, done, tmpdir, write, path, GALLEY

rng = random.Random(13)
names = ["Ingrid Solheim", "Jonas Petraitis", "the Port Authority", "Maria Chen", "Lee Park"]
places = ["Riga", "Tromsø", "Kaunas", "Gdańsk"]
parts = []
size = 0
while size < 4 * 1000 * 1000:
    who, where = rng.choice(names), rng.choice(places)
    p = rng.choice([
        "“We will not back down,” %s said in %s on Tuesday. “The plan was drawn up without us.”" % (who, where),
        "%s told reporters that talks with the unions in %s had failed." % (who, where),
        "According to %s, the harbour in %s will stay closed until %d." % (who, where, rng.randint(2027, 2040)),
        "Officials in %s said the budget had been cut by %d percent." % (where, rng.randint(2, 40)),
    ])
    parts.append(p)
    size += len(p.encode()) + 2
text = "\n\n".join(parts)
d = tmpdir()
inp = write(d, "big.jsonl", json.dumps({"id": "big", "text": text}, ensure_ascii=False) + "\n")
out = os.path.join(d, "out.jsonl")
p = subprocess.Popen([GALLEY, "run", path("pipelines", "news.cfg"), inp, "-o", out, "-j", "1", "-q"],
                     stderr=subprocess.PIPE)
_, status, usage = os.wait4(p.pid, 0)
err = p.stderr.read().decode()
eq(os.waitstatus_to_exitcode(status), 0, "a 4 MB article: the news pipeline completes")
peak = usage.ru_maxrss * 1024
text_bytes = len(text.encode())
if os.environ.get("GALLEY_SANITIZED") == "yes":
    # AddressSanitizer's shadow memory and quarantine double the peak.
    for limit in (100, 20):
        skip("peak memory under %dx the text" % limit, "built with the sanitizers")
else:
    ok(peak < 100 * text_bytes, "peak memory %.0f MB is under 100x the text (%.1f MB)"
       % (peak / 1e6, text_bytes / 1e6), err)
    todo(peak < 20 * text_bytes, "peak memory %.0f MB is under 20x the text (%.1f MB)"
         % (peak / 1e6, text_bytes / 1e6),
         "issue 13's target: on this dense article the document's arena holds 101 MB when it is "
         "written (text, tokens, 155,000 spans' fields) and its 30 MB output line is formatted "
         "whole first")
doc = json.loads(open(out).readline())
ok(len(doc["quotes"]) > 1000 and len(doc["entities"]) > 1000, "its quotes and entities are all there (%d, %d)"
   % (len(doc["quotes"]), len(doc["entities"])))
done()
