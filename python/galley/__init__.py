"""galley from Python: run a galley pipeline on documents and get them
back as objects, or run it over files like the `galley` command.

    import galley
    p = galley.Pipeline("pipelines/news.cfg", set={"dedup.threshold": 0.9})
    for doc in p.pipe(["Rasa Vaitkutė said the grid was safe.", {"id": "a2", "text": "..."}]):
        print(doc.id, [(e.text, e.type) for e in doc.entities])
    account = p.run(["crawl.jsonl.gz"], output="out.jsonl.gz")

A thin binding over libgalley's embed API (include/galley/embed.h) with
ctypes: every stage runs in C, in galley's own worker threads, outside the
GIL; nothing is analysed in Python.
"""
import json
import os
import threading
from ctypes import byref, c_void_p, string_at

from galley._doc import Document, Span
from galley._lib import Error, Result, c_strings, lib, library_path, take_string

__all__ = ["Pipeline", "Document", "Span", "GalleyError", "ConfigError", "library_path"]
__version__ = "0.1.0"

# Opening pipelines and starting sessions loads modules (libltdl): one at a time.
_loading = threading.Lock()
_STATUS = ("kept", "dropped", "rejected")
_EXIT_FAILED = 2
_FORM_COLUMNS = 1     # enum galley_form: lines, each layer as columns (galley/_doc.py)


class GalleyError(Exception):
    """A run or a session could not complete."""


class ConfigError(GalleyError):
    """The pipeline config (or a setting) is wrong. `errors` holds every
    message, each "file:line: what is wrong" as `galley check` prints it."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


def _setting(key, value):
    """A --set string from a Python value."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return "%s=%s" % (key, value)


class Pipeline:
    """A pipeline config, loaded and checked, ready to run.

    `set` overrides options like the command's --set: a dict such as
    {"dedup.threshold": 0.9, "threads": 2, "input.text_field": "body"}.
    Raises ConfigError with every mistake found."""

    def __init__(self, config, set=None):
        settings = [_setting(k, v) for k, v in (set or {}).items()]
        errors = c_void_p()
        with _loading:
            self._h = lib.galley_pipeline_open(os.fsencode(config), c_strings(settings), byref(errors))
        if not self._h:
            text = take_string(errors) or "the pipeline could not be loaded"
            raise ConfigError([line for line in text.splitlines() if line])
        self.config = config
        self.text_field = lib.galley_pipeline_text_field(self._h).decode()
        self.id_field = lib.galley_pipeline_id_field(self._h).decode()
        names, arr = [], lib.galley_pipeline_layers(self._h)
        while arr[len(names)] is not None:
            names.append(arr[len(names)].decode())
        self.layers = tuple(names)
        self.account = None
        self._text_key = json.dumps(self.text_field).encode() + b":"

    def close(self):
        """Frees the pipeline (also done when it is garbage)."""
        h, self._h = getattr(self, "_h", None), None
        if h:
            lib.galley_pipeline_close(h)

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _encode(self, item):
        """One input as a JSON object for the session: a str is the text,
        a dict the whole record (text, id and metadata fields), bytes one
        JSONL line as it is."""
        if isinstance(item, str):
            return b"{" + self._text_key + json.dumps(item, ensure_ascii=False).encode(
                "utf-8", "surrogatepass") + b"}"
        if isinstance(item, dict):
            return json.dumps(item, ensure_ascii=False).encode("utf-8", "surrogatepass")
        if isinstance(item, (bytes, bytearray, memoryview)):
            return bytes(item)
        raise TypeError("galley: pipe() takes str (a text), dict (a record) or bytes (a JSON line), "
                        "not %s" % type(item).__name__)

    def _document(self, r):
        status = _STATUS[r.status]
        return Document(string_at(r.json, r.json_len), status, r.reason.decode() if r.reason else None,
                        r.message.decode("utf-8", "replace") if r.message else None, self.layers)

    def pipe(self, docs, threads=0, kept_only=False):
        """Runs the pipeline on an iterable of documents and yields them
        back, in input order, as Document objects: str items are texts, dict
        items records with the fields `input.text_field` and `input.id_field`
        name (the rest is metadata), bytes items JSON lines. Every input
        comes out, dropped and rejected ones too (see `status`), unless
        `kept_only`. `threads`: worker threads (0: all cores; None: the
        config's). Streaming: the iterable is read as the workers need it
        and memory stays bounded. When the generator ends, `self.account`
        holds the account (as --stats writes it)."""
        if not self._h:
            raise GalleyError("galley: the pipeline is closed")
        err = Error()
        with _loading:
            s = lib.galley_session_start(self._h, -1 if threads is None else int(threads),
                                         _FORM_COLUMNS, byref(err))
        if not s:
            raise GalleyError(err.text())
        push, pull = lib.galley_session_push, lib.galley_session_pull
        r = Result()
        rr = byref(r)
        try:
            for item in docs:
                data = self._encode(item)
                while push(s, data, len(data), None) == 0:
                    # Full: wait for the oldest document; that frees a batch.
                    if pull(s, 1, rr) == 1 and (not kept_only or r.status == 0):
                        yield self._document(r)
                while pull(s, 0, rr) == 1:
                    if not kept_only or r.status == 0:
                        yield self._document(r)
            lib.galley_session_end_input(s)
            while pull(s, 1, rr) == 1:
                if not kept_only or r.status == 0:
                    yield self._document(r)
        finally:
            account = c_void_p()
            status = lib.galley_session_finish(s, byref(account), byref(err))
            text = take_string(account)
            self.account = json.loads(text) if text else None
            if status != 0 and not err.set:
                err.message = b"the session did not finish"
        if status != 0:
            raise GalleyError(err.text())

    def run(self, inputs, output=None, rejects=None):
        """Runs the pipeline over files, folders or "-" like `galley run`
        (quietly) and returns the account as a dict (what --stats writes).
        `output` overrides the config's output path (".gz" compresses);
        `rejects` names a file for each rejected input with its reason.
        Raises GalleyError when the run cannot complete."""
        if not self._h:
            raise GalleyError("galley: the pipeline is closed")
        if isinstance(inputs, (str, bytes, os.PathLike)):
            inputs = [inputs]
        inputs = [os.fspath(i) for i in inputs]
        account, err = c_void_p(), Error()
        enc = lambda p: os.fsencode(p) if p is not None else None
        with _loading:
            status = lib.galley_pipeline_run(self._h, c_strings(inputs), len(inputs), enc(output),
                                             enc(rejects), byref(account), byref(err))
        text = take_string(account)
        if status >= _EXIT_FAILED:
            raise GalleyError(err.text() if err.set else "galley: the run did not complete")
        self.account = json.loads(text) if text else None
        return self.account

    def __repr__(self):
        return "<galley.Pipeline %r layers=%s>" % (self.config, list(self.layers))
