"""Documents and spans as Python objects, made from the COLUMNS form of a
session's output (galley/embed.h): lines of JSON, each decoded when first
used (the metadata, each layer), each layer as columns, so a document
costs a few lists to decode rather than an object per span; spans are
tuples made at C speed. Offsets are code points: Python str indexes."""
import functools
import json
from operator import itemgetter

__all__ = ["Document", "Span"]

# Names a field cannot take as an attribute (they are Span's own).
_OWN = frozenset(("start", "end", "text", "fields", "get", "to_dict"))
_classes = {}
_layer_names = {}
# The C scanner itself: a line is one JSON value, so json.loads's checks
# (encoding, trailing text) would only cost time.
_scan = json.JSONDecoder().scan_once


def _decode(line):
    return _scan(line, 0)[0]


class Span(tuple):
    """One element of a layer: `start` and `end` (code points into the
    document's text, end exclusive, so doc.text[s.start:s.end] == s.text),
    `text`, and the layer's own fields as attributes (an entity's `type`
    and `canonical`, a quote's `kind`, `speaker`, `cue`, ...); `get(name)`
    reads any field, `fields` gives them all. Read-only (a tuple)."""
    __slots__ = ()
    _names = ()           # the fields held at [2:2 + len(_names)]
    _text_at = None       # where the document's text is, when text is sliced
    _text_written = True  # whether galley writes a text field for the span
    _ragged = False       # the last item is the set of fields the span lacks

    start = property(itemgetter(0), doc="first code point")
    end = property(itemgetter(1), doc="code point after the last")

    @property
    def text(self):
        if self._text_at is not None:
            return self[self._text_at][self[0]:self[1]]
        return self.get("text")

    def _absent(self):
        return self[-1] if self._ragged else ()

    def get(self, name, default=None):
        """The field `name`, or `default` when the span lacks it."""
        if name == "text" and self._text_at is not None:
            return self.text if self._text_written else default
        try:
            i = self._names.index(name)
        except ValueError:
            return default
        return default if name in self._absent() else self[i + 2]

    @property
    def fields(self):
        """The layer's own fields (all but start, end and text)."""
        absent = self._absent()
        return {n: v for n, v in zip(self._names, self[2:]) if n != "text" and n not in absent}

    def to_dict(self):
        """The element as `galley run` writes it."""
        absent = self._absent()
        d = {"start": self[0], "end": self[1]}
        if self._text_at is not None and self._text_written:
            d["text"] = self.text
        d.update((n, v) for n, v in zip(self._names, self[2:]) if n not in absent)
        return d

    def __repr__(self):
        extra = "".join(", %s=%r" % kv for kv in self.fields.items())
        return "Span(%d, %d, %r%s)" % (self[0], self[1], self.text, extra)


def _span_class(names, sliced, written, ragged):
    """The Span class for a layer with these fields: one attribute each."""
    key = (names, sliced, written, ragged)
    cls = _classes.get(key)
    if cls is None:
        ns = {"__slots__": (), "_names": names, "_ragged": ragged, "_text_written": written,
              "_text_at": 2 + len(names) if sliced else None}
        for i, name in enumerate(names):
            if name not in _OWN and name.isidentifier():
                ns[name] = property(itemgetter(i + 2))
        cls = type("Span", (Span,), ns)
        cls._make = functools.partial(tuple.__new__, cls)
        _classes[key] = cls
    return cls


def _spans(columns, text):
    """The spans of one layer's columns."""
    starts, ends = columns["start"], columns["end"]
    fields = columns["fields"]
    names, cols = tuple(fields), list(fields.values())
    missing = {n: set(ix) for n, ix in columns.get("missing", {}).items()}
    sliced = columns.get("sliced", False)
    # With no text field at all, text is sliced too, but not written back.
    written = sliced or "text" in fields
    sliced = sliced or "text" not in fields
    cls = _span_class(names, sliced, written, bool(missing))
    n = len(starts)
    if sliced:
        cols.append((text,) * n)
    if missing:
        cols.append([frozenset(f for f, ix in missing.items() if i in ix) for i in range(n)])
    return list(map(cls._make, zip(starts, ends, *cols)))


def _layer_name(raw):
    name = _layer_names.get(raw)
    if name is None:
        name = _layer_names[raw] = _decode(raw)
    return name


class Document:
    """A document after the pipeline: `id`, `text` (as the pipeline left
    it: the normalizer may have rewritten it), `metadata`, `source`,
    `status` ("kept", "dropped" or "rejected"), `reason` and `message`
    (why, when not kept), and one attribute per layer (`entities`,
    `quotes`, ...), a list of Span. A layer the pipeline provides but this
    document lacks is an empty list."""

    def __init__(self, data, status="kept", reason=None, message=None, layers=()):
        lines = data.decode("utf-8").split("\n")
        head = _decode(lines[0])
        self.id = head["id"]
        self.text = head["text"]
        self.source = head["source"]
        self.status = status
        self.reason = reason
        self.message = message
        self._meta = lines[1]
        raw = self._raw = {}
        for line in lines[2:]:
            name, _, columns = line.partition("\t")
            raw[_layer_name(name)] = columns
        self._provided = layers

    def __getattr__(self, name):
        # Only for names not set yet: the metadata and the layers, decoded
        # on first use.
        raw = self.__dict__.get("_raw")
        if raw is None or name.startswith("_"):
            raise AttributeError(name)
        if name == "metadata":
            value = _decode(self._meta)
        elif name in raw:
            value = _spans(_decode(raw[name]), self.text)
        elif name in self._provided:
            value = []
        else:
            raise AttributeError("document has no layer %r (it has: %s)"
                                 % (name, ", ".join(self.layer_names) or "none"))
        self.__dict__[name] = value
        return value

    @property
    def layer_names(self):
        """The layers of this document, then the others the pipeline provides."""
        names = list(self._raw)
        return names + [n for n in self._provided if n not in self._raw]

    @property
    def layers(self):
        """Every layer, by name."""
        return {name: getattr(self, name) for name in self.layer_names}

    @property
    def kept(self):
        return self.status == "kept"

    def to_dict(self):
        """The document as `galley run` writes it (one line of its output)."""
        d = {"id": self.id, "text": self.text, "metadata": self.metadata, "source": self.source}
        for name in self._raw:
            d[name] = [s.to_dict() for s in getattr(self, name)]
        return d

    def __repr__(self):
        counts = ", ".join("%s=%d" % (n, len(getattr(self, n))) for n in self.layer_names)
        extra = "" if self.status == "kept" else ", %s: %s" % (self.status, self.reason)
        return "<Document %r%s%s%s>" % (self.id, ", " if counts else "", counts, extra)
