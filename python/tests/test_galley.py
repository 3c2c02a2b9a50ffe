"""galley from Python: a pipeline opened from its config (errors with file
and line), documents piped through it in order with their layers as
objects whose offsets index the Python string, the same layers as the
command gives, files run like `galley run`, and input read as the
workers need it."""
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRCDIR = os.environ.get("TOP_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
TOP_BUILDDIR = os.environ.get("TOP_BUILDDIR") or os.environ.get("GALLEY_BUILD_DIR") or TOP_SRCDIR
GALLEY = os.environ.get("GALLEY") or os.path.join(TOP_BUILDDIR, "core", "galley")
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import galley  # noqa: E402
import tap  # noqa: E402

NEWS = os.path.join(TOP_SRCDIR, "pipelines", "news.cfg")
PASSTHROUGH = os.path.join(TOP_SRCDIR, "pipelines", "passthrough.cfg")
SAMPLE = os.path.join(TOP_SRCDIR, "examples", "sample.jsonl.gz")
CORPORA = os.path.join(TOP_SRCDIR, "..", "shared", "corpora")
NO_CORPORA = "../shared/corpora is absent"


def command(*args):
    """Runs the galley command; returns its output lines as objects."""
    p = subprocess.run([GALLEY] + list(args), capture_output=True, check=True)
    return [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]


def comparable(d):
    """A document as the command writes it, without where it was read."""
    d = dict(d)
    d.pop("source", None)
    return d


def spans_fit(test, doc):
    """Every span of every layer covers its own text in doc.text (a quote
    in pieces: its pieces' texts joined by a space), and a quote's speaker
    mention lies in it."""
    for name, spans in doc.layers.items():
        for s in spans:
            pieces = getattr(s, "pieces", None)
            covered = (" ".join(doc.text[p["start"]:p["end"]] for p in pieces) if pieces
                       else doc.text[s.start:s.end])
            test.assertEqual(covered, s.text, "%s %s" % (name, s))
            if getattr(s, "speaker_start", None) is not None:
                # The mention (the speaker field is the name it resolves to).
                test.assertTrue(0 <= s.speaker_start < s.speaker_end <= len(doc.text), str(s))


class Pipelines(unittest.TestCase):
    def test_config_errors_carry_file_and_line(self):
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "bad.cfg")
            with open(cfg, "w") as f:
                f.write('name = "bad";\nstages = (\n  { use = "dedup"; treshold = 0.8; },\n'
                        '  { use = "nosuchstage"; }\n);\n')
            with self.assertRaises(galley.ConfigError) as cm:
                galley.Pipeline(cfg)
            errors = cm.exception.errors
            self.assertIn('%s:3: stage "dedup": unknown option "treshold" (did you mean "threshold"?)'
                          % cfg, errors)
            self.assertTrue(any(e.startswith(cfg + ":4:") and "nosuchstage" in e for e in errors), errors)
            self.assertIn(cfg + ":3:", str(cm.exception))

    def test_settings_are_checked_like_set(self):
        with self.assertRaises(galley.ConfigError) as cm:
            galley.Pipeline(NEWS, set={"dedup.threshold": 7})
        self.assertIn("threshold", str(cm.exception))
        p = galley.Pipeline(NEWS, set={"dedup.threshold": 0.9, "quotes.indirect": False})
        self.assertEqual(p.layers, ("entities", "quotes", "repeated_paragraphs"))
        self.assertFalse(any(q.kind == "indirect" for d in p.pipe(["Anna Berg said the port was shut."])
                             for q in d.quotes))

    def test_a_missing_config(self):
        with self.assertRaises(galley.ConfigError):
            galley.Pipeline(os.path.join(TOP_SRCDIR, "pipelines", "no-such.cfg"))


class Pipe(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p = galley.Pipeline(NEWS)

    def test_texts_and_records_in_order(self):
        items = ["\U0001F4F0 Rasa Vaitkutė told reporters in Vilnius: \u201cWe have clear evidence.\u201d",
                 {"id": "r2", "text": "Litgrid said power had been restored in Kaunas on Monday.",
                  "title": "Power back", "outlet": "Baltic Wire"},
                 b'{"id": "r3", "text": "NATO sent experts to Lithuania."}']
        docs = list(self.p.pipe(items, threads=2))
        self.assertEqual([d.id for d in docs], ["pushed:1", "r2", "r3"])
        self.assertEqual([d.status for d in docs], ["kept"] * 3)
        self.assertEqual(docs[1].metadata["title"], "Power back")
        self.assertEqual(docs[1].metadata["outlet"], "Baltic Wire")
        first = docs[0]
        self.assertIn(("Rasa Vaitkutė", "PERSON"), [(e.text, e.type) for e in first.entities])
        q = first.quotes[0]
        self.assertEqual((q.kind, q.speaker, q.cue), ("direct", "Rasa Vaitkutė", "told"))
        for d in docs:
            spans_fit(self, d)
        self.assertEqual(docs[2].repeated_paragraphs, [])
        with self.assertRaises(AttributeError):
            docs[2].no_such_layer
        self.assertEqual(self.p.account["read"], 3)

    def test_offsets_index_the_python_string(self):
        text = "\U0001F600\U0001F600 Rasa Vaitkutė said: \u201cIt was sabotage.\u201d \U0001F4A5 NATO agreed."
        doc = next(self.p.pipe([text]))
        self.assertEqual(doc.text, text)
        nato = [e for e in doc.entities if e.text == "NATO"][0]
        self.assertEqual(nato.start, text.index("NATO"))
        spans_fit(self, doc)

    def test_rejected_and_dropped_documents_are_seen_in_place(self):
        p = galley.Pipeline(NEWS, set={"dedup.action": "drop"})
        story = "The port of Klaipeda closed on Monday after a strike by dock workers, the union said."
        items = [{"id": "a", "text": story}, b"{not json", {"id": "b", "text": 7},
                 {"id": "c", "text": story}, {"id": "d", "text": "Another story about Riga."}]
        docs = list(p.pipe(items))
        self.assertEqual([(d.status, d.reason) for d in docs],
                         [("kept", None), ("rejected", "malformed_json"), ("rejected", "missing_text"),
                          ("dropped", "duplicate"), ("kept", None)])
        self.assertIn("malformed JSON", docs[1].message)
        self.assertEqual(p.account["read"], 5)
        self.assertEqual((p.account["written"], p.account["dropped"], p.account["rejected"]), (2, 1, 2))
        self.assertEqual([d.id for d in p.pipe(items, kept_only=True)], ["a", "d"])

    def test_bad_items_raise(self):
        with self.assertRaises(TypeError):
            list(self.p.pipe([3]))

    def test_text_field_from_the_config(self):
        p = galley.Pipeline(PASSTHROUGH, set={"input.text_field": "body", "input.id_field": "key"})
        docs = list(p.pipe(["plain text", {"key": "k", "body": "from a record", "text": "meta"}]))
        self.assertEqual([(d.id, d.text) for d in docs], [("pushed:1", "plain text"), ("k", "from a record")])
        self.assertEqual(docs[1].metadata["text"], "meta")

    def test_input_is_read_as_the_workers_need_it(self):
        taken = [0]
        first_seen = []

        def items(n):
            for i in range(n):
                taken[0] += 1
                yield {"id": "g%d" % i, "text": "Story %d about the port of Riga and its workers." % i}

        n = 20000
        count = 0
        for d in galley.Pipeline(PASSTHROUGH).pipe(items(n), threads=1):
            if not first_seen:
                first_seen.append(taken[0])
            self.assertEqual(d.id, "g%d" % count)
            count += 1
        self.assertEqual(count, n)
        self.assertLess(first_seen[0], 4000, "the first document came out only after %d were read"
                        % first_seen[0])

    def test_stopping_early_finishes_the_session(self):
        p = galley.Pipeline(PASSTHROUGH)
        texts = ("text %d" % i for i in range(5000))
        for i, d in enumerate(p.pipe(texts)):
            if i == 10:
                break
        self.assertIsNotNone(p.account)
        self.assertEqual(p.account["read"], p.account["written"])
        self.assertGreaterEqual(p.account["read"], 11)


class Spans(unittest.TestCase):
    def test_fields_that_differ_between_spans(self):
        modules = os.path.join(TOP_BUILDDIR, "tests", "modules")
        if not os.path.exists(os.path.join(modules, "ragged.la")):
            self.skipTest("tests/modules/ragged.la is not built (make check builds it)")
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "ragged.cfg")
            with open(cfg, "w") as f:
                f.write('name = "ragged";\nplugin_path = ["%s"];\nstages = ( { use = "ragged"; } );\n' % modules)
            line = json.dumps({"id": "r", "text": "\u00e9 ab"})
            path = os.path.join(d, "in.jsonl")
            with open(path, "w") as f:
                f.write(line + "\n")
            want = [comparable(x) for x in command("run", cfg, path, "-q")]
            doc = next(galley.Pipeline(cfg).pipe([line.encode()]))
        self.assertEqual([comparable(doc.to_dict())], want)
        a, b = doc.ragged
        self.assertEqual((a.start, a.end, a.a, a.at, a.get("b", "absent")), (0, 1, "x", 3, "absent"))
        self.assertEqual((b.start, b.end, b.b, b.o, b.get("b", "absent")), (2, 4, None, {"k": 1}, None))
        self.assertEqual(a.text, "\u00e9")          # from the document: the stage gives none
        self.assertEqual(a.fields, {"a": "x", "at": 3})
        self.assertEqual(b.fields, {"b": None, "o": {"k": 1}})
        self.assertNotIn("text", a.to_dict())
        self.assertIn("Span(0, 1, '\u00e9', a='x', at=3)", repr(doc.ragged))


    def test_a_field_is_decoded_when_first_read(self):
        # What keeps Python's share of a run small: making spans decodes
        # offsets only; a field's column is decoded once, on first read.
        doc = next(galley.Pipeline(NEWS).pipe(
            ["\u201cWe will not back down,\u201d Maria Chen said in Riga on Tuesday."]))
        quotes = doc.quotes
        self.assertEqual(len(quotes), 1)
        columns = quotes[0][3]
        self.assertEqual(columns.decoded, {})
        self.assertEqual(quotes[0].speaker, "Maria Chen")
        self.assertEqual(list(columns.decoded), ["speaker"])
        self.assertEqual(quotes[0].get("cue"), "said")
        self.assertEqual(sorted(columns.decoded), ["cue", "speaker"])
        self.assertEqual([e.type for e in doc.entities], ["PERSON", "LOC", "DATE"])


class SameAsTheCommand(unittest.TestCase):
    def check_same(self, lines, threads):
        """The lines through the command and through pipe(): same documents."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "in.jsonl")
            with open(path, "wb") as f:
                f.write(b"".join(line.rstrip(b"\n") + b"\n" for line in lines))
            want = [comparable(x) for x in command("run", NEWS, path, "-q", "-j", str(threads))]
        got = [d for d in galley.Pipeline(NEWS).pipe(lines, threads=threads)]
        self.assertEqual(len(got), len(want))
        for g, w in zip(got, want):
            self.assertEqual(comparable(g.to_dict()), w)
            for name in ("entities", "quotes"):
                self.assertEqual([s.to_dict() for s in getattr(g, name)], w[name])
        return got

    def test_the_sample(self):
        with gzip.open(SAMPLE, "rb") as f:
            lines = f.read().splitlines()
        docs = self.check_same(lines, threads=2)
        self.assertEqual(len(docs), 8)
        self.assertTrue(all(d.entities for d in docs))

    def test_a_generated_corpus(self):
        gen = os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py")
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "c.jsonl.gz")
            subprocess.run([sys.executable, gen, "--docs", "600", "--seed", "19", "--out", out], check=True,
                           capture_output=True)
            with gzip.open(out, "rb") as f:
                lines = f.read().splitlines()
        for threads in (1, 3):
            docs = self.check_same(lines, threads)
            for doc in docs[:50]:
                spans_fit(self, doc)

    @unittest.skipUnless(os.path.isdir(os.path.join(CORPORA, "polnear", "dev", "text")), NO_CORPORA)
    def test_polnear_dev_articles(self):
        names = sorted(glob.glob(os.path.join(CORPORA, "polnear", "dev", "text", "*.txt")))
        lines = []
        for name in names:
            with open(name, encoding="utf-8") as f:
                lines.append(json.dumps({"id": os.path.basename(name), "text": f.read()}).encode())
        docs = self.check_same(lines, threads=2)
        self.assertEqual(len(docs), len(names))
        for doc in docs:
            spans_fit(self, doc)


class Run(unittest.TestCase):
    def test_run_writes_and_accounts(self):
        p = galley.Pipeline(NEWS)
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "out.jsonl.gz")
            account = p.run([SAMPLE], output=out)
            self.assertEqual((account["read"], account["written"], account["rejected"]), (8, 8, 0))
            self.assertEqual(account["stages"]["dedup"]["exact_duplicates"], 1)
            with gzip.open(out, "rb") as f:
                written = [comparable(json.loads(x)) for x in f.read().splitlines()]
            self.assertEqual(written, [comparable(x) for x in command("run", NEWS, SAMPLE, "-q")])
            rejects = os.path.join(d, "rejects.jsonl")
            bad = os.path.join(d, "bad.jsonl")
            with open(bad, "w") as f:
                f.write('{"id": "ok", "text": "Fine."}\n{oops\n')
            account = p.run(bad, output=os.path.join(d, "b.jsonl"), rejects=rejects)
            self.assertEqual((account["read"], account["rejected"]), (2, 1))
            with open(rejects) as f:
                self.assertEqual(json.loads(f.readline())["reason"], "malformed_json")

    def test_a_run_that_cannot_write(self):
        with self.assertRaises(galley.GalleyError) as cm:
            galley.Pipeline(NEWS).run([SAMPLE], output="/nonexistent/folder/out.jsonl")
        self.assertIn("/nonexistent/folder/out.jsonl", str(cm.exception))


if __name__ == "__main__":
    tap.main()
