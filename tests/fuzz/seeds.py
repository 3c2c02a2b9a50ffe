#!/usr/bin/env python3
"""seeds.py - writes the seed corpus of the fuzz targets, corpus/TARGET/seed-*.

Every seed is made up here (no text from any corpus), small, and in the
shape its target reads (see the comment at the top of each fuzz_*.c).
Deterministic: gzip and tar headers carry fixed times, so running it again
gives the same bytes. Files in corpus/ that are not seed-* (inputs that
once crashed a target, named crash-*) are left alone.

    python3 tests/fuzz/seeds.py            # rewrites the seed-* files
"""
import gzip
import io
import json
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

# ---- readers: two option bytes, then the file ------------------------------

NAMES = ["in", "in.jsonl", "in.txt", "in.gz", "in.tar", "in.jsonl.gz", "in.tar.gz", "in.json"]
FORMATS = {"auto": 0, "jsonl": 1, "text": 2}
MAX_DOC = {64: 0, 1024: 1, 65536: 2, 67108864: 3}


def reader_input(body, name="in", fmt="auto", title=True, max_doc=67108864, recs=16,
                 batch_exp=7, twice=False, fix_tar=False, gzip_it=False, two_members=False):
    """The three option bytes of fuzz_readers.c, then the file's bytes."""
    b0 = FORMATS[fmt] | (int(title) << 2) | (NAMES.index(name) << 3) | (MAX_DOC[max_doc] << 6)
    b1 = (recs - 1) | (batch_exp << 4) | (int(twice) << 7)
    b2 = int(fix_tar) | (int(gzip_it) << 1) | (int(two_members) << 2)
    return bytes([b0, b1, b2]) + body


def gz(data):
    """One gzip member with a fixed header time."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as f:
        f.write(data)
    return out.getvalue()


def tar(members, fmt=tarfile.USTAR_FORMAT):
    """A tar archive of (name, bytes) members; bytes None makes a folder."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if data is None:
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    # Only the two end blocks, not tarfile's padding to 10 KiB: small seeds
    # run faster.
    data = out.getvalue()
    used = (len(data.rstrip(b"\0")) + 511) // 512 * 512
    return data[:used] + b"\0" * 1024


LINES = [
    {"id": "w-001", "text": "Harbour officials in Port Elsa said the ferry would resume on Tuesday.",
     "title": "Ferry to resume", "date": "2031-04-02"},
    {"id": 17, "text": "Caf\u00e9 owners met the mayor. \u201cWe need the square back,\u201d said Ana Ruiz.",
     "tags": ["local", "business"], "score": 0.5, "ok": True, "none": None},
    {"text": "No id here; the source names it.", "metadata": {"outlet": "Valley Post", "n": 3}},
    {"id": "nul", "text": "a\u0000b", "nested": {"deep": [1, [2, {"x": "y"}]]}},
]


def jsonl(extra=b""):
    body = b"".join(json.dumps(d, ensure_ascii=False).encode() + b"\n" for d in LINES)
    return body + extra


BAD_LINES = (b"\n   \n"
             b"{\"id\": \"broken\", \"text\": \"no end\n"
             b"[1, 2, 3]\n"
             b"{\"id\": \"x\"}\n"
             b"{\"id\": \"y\", \"text\": 5}\n"
             b"{\"id\": \"latin1\", \"text\": \"caf\xe9 cr\xe8me\"}\n"
             b"{\"id\": \"sur\", \"text\": \"lone \\ud800 surrogate\"}\n"
             b"{\"text\": \"last line without a newline\"}")

ARTICLE = ("Council votes on bridge\n\n"
           "RIVERTON (Valley Post) \u2014 The city council voted 7-2 on Monday to rebuild the "
           "Mill Street bridge, Mayor Dana Holt said.\n"
           "\u201cIt is long overdue,\u201d Holt told reporters after the vote.\n").encode()


def reader_seeds():
    member_text = "Short note\n\nOne article from a tar member.\n".encode()
    s = {
        "jsonl": reader_input(jsonl(), name="in.jsonl"),
        "jsonl-bad-lines": reader_input(jsonl(BAD_LINES), name="in.jsonl", recs=2, batch_exp=0),
        "jsonl-auto-detected": reader_input(b"\xef\xbb\xbf  " + jsonl(), name="in"),
        "jsonl-short-max": reader_input(jsonl(), name="in.jsonl", max_doc=64),
        "text-title": reader_input(ARTICLE, name="in.txt"),
        "text-crlf-bom": reader_input(b"\xef\xbb\xbfTitle\r\n\r\nBody line one.\r\nTwo.\r\n",
                                      name="in"),
        "text-forced": reader_input(jsonl(), name="in.jsonl", fmt="text", title=False),
        "text-binary": reader_input(b"PK\x03\x04\x00\x00binary\x00data", name="in"),
        "text-empty": reader_input(b"", name="in.txt"),
        "text-invalid-utf8": reader_input(b"Bad \xff\xfe bytes \xc3\x28 and \xed\xa0\x80 here\n",
                                          name="in"),
        "gzip-jsonl": reader_input(gz(jsonl()), name="in.jsonl.gz"),
        "gzip-members": reader_input(gz(jsonl()[:100]) + gz(jsonl()[100:]) + b"\0" * 16,
                                     name="in.gz"),
        "gzip-truncated": reader_input(gz(jsonl())[:-12], name="in.gz"),
        "gzip-corrupt": reader_input(gz(ARTICLE)[:20] + b"\xff" * 8 + gz(ARTICLE)[28:],
                                     name="in.gz"),
        "gzip-text": reader_input(gz(ARTICLE), name="in.gz", twice=True),
        "tar": reader_input(tar([("docs", None), ("docs/a.jsonl", jsonl()),
                                 ("docs/b.txt", member_text), ("docs/c.jsonl.gz", gz(jsonl())),
                                 ("docs/empty.txt", b"")]), name="in.tar"),
        "tar-gnu-long-name": reader_input(tar([("d/" + "long-name-" * 12 + ".txt", member_text)],
                                              fmt=tarfile.GNU_FORMAT), name="in.tar"),
        "tar-pax-path": reader_input(tar([("p/" + "\u00e9t\u00e9-" * 40 + ".jsonl", jsonl())],
                                         fmt=tarfile.PAX_FORMAT), name="in.tar"),
        "tar-gz": reader_input(gz(tar([("x.txt", ARTICLE), ("y.jsonl", jsonl())])),
                               name="in.tar.gz"),
    }
    bad = bytearray(tar([("one.txt", member_text), ("two.txt", member_text),
                         ("three.txt", member_text)]))
    bad[1024 + 148:1024 + 156] = b"0000000\0"   # the second header's checksum
    s["tar-bad-checksum"] = reader_input(bytes(bad), name="in.tar")
    # The same archives as plain bytes the target checksums and gzips
    # itself: mutations of their headers and contents stay readable.
    s["tar-fixed-gzipped"] = reader_input(tar([("a.jsonl", jsonl()), ("b.txt", member_text),
                                               ("c.gz", gz(ARTICLE))]),
                                          name="in.tar.gz", fix_tar=True, gzip_it=True)
    s["tar-pax-fixed"] = reader_input(tar([("p/" + "x" * 120 + ".txt", member_text)],
                                          fmt=tarfile.PAX_FORMAT), name="in", fix_tar=True)
    s["jsonl-gzipped-two-members"] = reader_input(jsonl(BAD_LINES), name="in.jsonl.gz",
                                                  gzip_it=True, two_members=True)
    s["tar-truncated"] = reader_input(tar([("one.txt", ARTICLE * 4)])[:900], name="in.tar")
    return s


# ---- config: a pipeline file, then "%%" and one --set a line ---------------

CONFIG_NEWS = b"""# a news pipeline
name = "news";
threads = 0;
input  = { format = "auto"; text_field = "text"; id_field = "id"; };
output = { format = "jsonl"; path = "-"; };
stages = (
  { use = "normalize"; },
  { use = "entities"; },
  { use = "quotes"; },
  { use = "dedup"; threshold = 0.8; action = "mark"; }
);
"""

CONFIG_ALL_OPTIONS = b"""name = "every option";
threads = 2;
input = { format = "jsonl"; text_field = "body"; id_field = "uid"; title_line = false;
          max_doc_bytes = 100000; };
output = { format = "csv"; layer = "quotes"; columns = ["id", "speaker", "text"];
           offsets = "bytes"; shard_size = 100; };
stages = (
  { use = "normalize"; form = "nfkc"; repair_mojibake = true; decode_entities = true;
    strip_html = true; straighten_quotes = true; boilerplate = true;
    extra_boilerplate = ["^Advertisement$", "Click here"]; dateline = true;
    drop_title_line = false; keep_removed = true; },
  { use = "entities"; guess_persons = false; propagate = true; dictionaries = []; },
  { use = "quotes"; indirect = true; scare_max_words = 3; max_quote_bytes = 5000; },
  { use = "dedup"; threshold = 0.5; action = "drop"; shingle = 3; bands = 16; rows = 8;
    seed = 42; normalize_exact = true; paragraphs = true; min_paragraph = 10; },
  { use = "stats"; name = "counts"; field = "counts"; letters = true; min_words = 2; }
);
"""

CONFIG_MISTAKES = b"""name = 5;
thread = 2;
input = { format = "xml"; };
output = "stdout";
stages = (
  { use = "dedup"; treshold = 0.8; },
  { use = "quotes"; scare_max_words = 500; },
  { use = "normalize"; },
  { name = "nameless"; },
  "stats",
  { use = "dedup"; },
  { use = "no_such_stage"; }
);
"""

CONFIG_OVERRIDES = CONFIG_NEWS + b"""%%
threads=4
dedup.threshold=0.9
normalize.form=nfkc
input.format=text
output.format=conll
nosuch.option=1
quotes.indirect=maybe
broken
"""

CONFIG_CONLL = b"""output = { format = "conll"; conll_map = ["NORP=MISC", "DATE=O"]; text = false; };
stages = ( { use = "entities"; }, { use = "stats"; } );
"""

CONFIG_SYNTAX = b"""stages = ( { use = "stats"; }
name = "unclosed
"""

CONFIG_DEDUP_INDEX = b"""stages = ( { use = "dedup"; index = "idx.bin"; paragraphs = true; } );
"""


def config_seeds():
    return {
        "news": CONFIG_NEWS,
        "all-options": CONFIG_ALL_OPTIONS,
        "mistakes": CONFIG_MISTAKES,
        "overrides": CONFIG_OVERRIDES,
        "conll": CONFIG_CONLL,
        "syntax-error": CONFIG_SYNTAX,
        "dedup-index": CONFIG_DEDUP_INDEX,
        "empty": b"",
        "no-stages": b"name = \"x\";\n",
    }


# ---- stages: one option byte, then the text ---------------------------------

TEXTS = {
    "news": ARTICLE,
    "html": ("<html><body><h1>Storm closes port</h1><p>BAYVIEW, Calif. (Coast Wire) &mdash; "
             "Winds of 90&nbsp;km/h closed the port on Friday, officials said.</p>"
             "<p>&ldquo;Stay home,&rdquo; said Chief Omar Reyes.</p><script>x()</script>"
             "<p>Share this article</p><p>Advertisement</p></body></html>").encode(),
    "mojibake": "Caf\u00c3\u00a9 owners in S\u00c3\u00a3o Paulo said \u00e2\u20ac\u0153no\u00e2\u20ac\u009d.\n".encode(),
    "quotes": ("\u201cWe will not stop,\u201d said Maria Lopez, the union\u2019s leader. "
               "Lopez said the strike would go on. \u201cNever,\u201d she added. "
               "The minister, Paul Grant, told the BBC that talks were \u201cclose\u201d. "
               "\"Straight quotes too,\" Grant said. \u201cAn open quote that never ends\n"
               "According to Lopez, the offer was \u2018an insult\u2019.\n").encode(),
    "entities": ("Dr. Helen Park of the World Health Organization met Mr. J. R. Smith in "
                 "New York on March 3, 2031, and flew to Paris last week. The U.S. Senate "
                 "and the European Union said Park was right. PARK SAID SO IN 2030.\n").encode(),
    "boilerplate": ("Top stories\n\nLIMA, Peru (Andes Daily) \u2014 Prices rose 3.5% in May.\n"
                    "Read more: subscribe now\nFollow us on Twitter\n\u00a9 2031 Andes Daily. "
                    "All rights reserved.\n\u2022 Related: markets\n").encode(),
    "controls": b"tab\there\x0bvertical\x0cform \xe2\x80\x8bzero\xc2\xadsoft\r\nline\x1b[0m\n",
    "invalid": b"Bad \xff\xfe bytes \xc3\x28 here, \xed\xa0\x80 a surrogate, \xf4\x90\x80\x80 too big.",
    "cjk": "\u6771\u4eac\uff08\u5171\u540c\uff09\u2014\u300c\u5927\u4e08\u592b\u300d\u3068\u8a9e\u3063\u305f\u3002 \u0645\u0631\u062d\u0628\u0627 \U0001F600\n".encode(),
    "empty": b"",
}


def stage_seeds(stage):
    s = {}
    for i, (name, text) in enumerate(TEXTS.items()):
        # The option set cycles through the four; every other seed has a title.
        s[name] = bytes([(i & 3) | ((i & 1) << 2)]) + text
    if stage == "dedup":
        near = ARTICLE.replace(b"7-2", b"8-1")
        para = b"A paragraph long enough to be compared between the two documents here.\n"
        s["copies"] = bytes([0x40]) + ARTICLE + b"\0" + ARTICLE + b"\0" + near
        s["paragraphs"] = bytes([0x61]) + para + b"one\0" + para + b"two\0" + para
        s["normalized-exact"] = bytes([0xa2]) + b"Hello, World!\0hello world\0HELLO   WORLD."
        s["drop"] = bytes([0x83]) + ARTICLE + b"\0" + ARTICLE
    return s


def write(target, seeds):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.startswith("seed-"):
            os.remove(os.path.join(folder, old))
    for name, data in seeds.items():
        with open(os.path.join(folder, "seed-" + name), "wb") as f:
            f.write(data)


def main():
    write("readers", reader_seeds())
    write("config", config_seeds())
    for stage in ("normalize", "entities", "quotes", "dedup", "stats"):
        write(stage, stage_seeds(stage))


if __name__ == "__main__":
    main()
