"""Documents and spans as Python objects, made from the COLUMNS form of a
session's output (galley/embed.h): the text as it is, the metadata and
each layer decoded when first used; a layer's offsets are read in one
call and its fields are columns, each decoded when a span's field is
first read, so that a document costs a few lists to decode rather than
an object per span. Spans are tuples made at C speed. Offsets are code
points: Python str indexes."""
import functools
import json
from array import array
from itertools import repeat
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


assert array("Q").itemsize == 8   # a layer's offsets: uint64s (galley/embed.h)


class _Columns:
    """One layer's fields: each column kept as galley wrote it until a
    span's field is first read, then decoded once for every span."""
    __slots__ = ("names", "columns", "raw", "decoded", "text", "sliced", "written", "missing")

    def __init__(self, names, columns, text, sliced, written, missing):
        self.names = names      # the fields, in the order galley writes them
        self.columns = columns  # their columns' JSON, tab-separated (bytes)
        self.raw = None         # name -> the column's JSON, once split
        self.decoded = {}
        self.text = text        # the document's text, when span text is sliced from it
        self.sliced = sliced
        self.written = written  # whether galley writes a text field for the spans
        self.missing = missing  # name -> indexes of the spans that lack it

    def column(self, name):
        col = self.decoded.get(name)
        if col is None:
            if self.raw is None:
                self.raw = dict(zip(self.names, self.columns.split(b"\t")))
            col = self.decoded[name] = _decode(self.raw[name].decode("utf-8"))
        return col

    def absent(self, name, i):
        ix = self.missing.get(name)
        return ix is not None and i in ix


class Span(tuple):
    """One element of a layer: `start` and `end` (code points into the
    document's text, end exclusive, so doc.text[s.start:s.end] == s.text),
    `text`, and the layer's own fields as attributes (an entity's `type`
    and `canonical`, a quote's `kind`, `speaker`, `cue`, ...); `get(name)`
    reads any field, `fields` gives them all. Read-only (a tuple)."""
    __slots__ = ()

    start = property(itemgetter(0), doc="first code point")
    end = property(itemgetter(1), doc="code point after the last")

    @property
    def text(self):
        cols = self[3]
        if cols.sliced:
            return cols.text[self[0]:self[1]]
        return self.get("text")

    def get(self, name, default=None):
        """The field `name`, or `default` when the span lacks it."""
        cols, i = self[3], self[2]
        if name == "text" and cols.sliced:
            return self.text if cols.written else default
        if name not in cols.names or cols.absent(name, i):
            return default
        return cols.column(name)[i]

    def _items(self):
        cols, i = self[3], self[2]
        return ((n, cols.column(n)[i]) for n in cols.names if not cols.absent(n, i))

    @property
    def fields(self):
        """The layer's own fields (all but start, end and text)."""
        return {n: v for n, v in self._items() if n != "text"}

    def to_dict(self):
        """The element as `galley run` writes it."""
        d = {"start": self[0], "end": self[1]}
        cols = self[3]
        if cols.sliced and cols.written:
            d["text"] = self.text
        d.update(self._items())
        return d

    def __repr__(self):
        extra = "".join(", %s=%r" % kv for kv in self.fields.items())
        return "Span(%d, %d, %r%s)" % (self[0], self[1], self.text, extra)


def _field(name):
    def get(self):
        cols = self[3]
        col = cols.decoded.get(name)
        if col is None:
            col = cols.column(name)
        return col[self[2]]
    return property(get, doc="the layer's field %r" % name)


def _span_class(names):
    """The Span class for a layer with these fields: one attribute each."""
    cls = _classes.get(names)
    if cls is None:
        ns = {"__slots__": ()}
        for name in names:
            if name not in _OWN and name.isidentifier():
                ns[name] = _field(name)
        cls = type("Span", (Span,), ns)
        cls._make = functools.partial(tuple.__new__, cls)
        _classes[names] = cls
    return cls


def _spans(layer, text):
    """The spans of one layer: (N, its head, its offsets, its columns)."""
    n, head, offsets, columns = layer
    head = _decode(head.decode("utf-8"))
    both = array("Q", offsets)
    names = tuple(head["fields"])
    missing = {f: frozenset(ix) for f, ix in head.get("missing", {}).items()}
    # With no text field at all, text is sliced too, but not written back.
    sliced = head.get("sliced", False)
    written = sliced or "text" in names
    sliced = sliced or "text" not in names
    cols = _Columns(names, columns, text, sliced, written, missing)
    return list(map(_span_class(names)._make, zip(both[:n], both[n:], range(n), repeat(cols, n))))


def _layer_name(raw):
    name = _layer_names.get(raw)
    if name is None:
        name = _layer_names[raw] = _decode(raw.decode("utf-8"))
    return name


class Document:
    """A document after the pipeline: `id`, `text` (as the pipeline left
    it: the normalizer may have rewritten it), `metadata`, `source`,
    `status` ("kept", "dropped" or "rejected"), `reason` and `message`
    (why, when not kept), and one attribute per layer (`entities`,
    `quotes`, ...), a list of Span. A layer the pipeline provides but this
    document lacks is an empty list."""

    def __init__(self, data, status="kept", reason=None, message=None, layers=()):
        # Found in bytes (memchr), decoded part by part: the head, the
        # text as it is, the metadata and each layer when first used.
        at = data.index(b"\n")
        head = _decode(data[:at].decode("utf-8"))
        at += 1
        end = at + head["text_bytes"]
        self.id = head["id"]
        self.text = data[at:end].decode("utf-8")
        self.source = head["source"]
        self.status = status
        self.reason = reason
        self.message = message
        at = data.find(b"\n", end + 1)
        at = len(data) if at < 0 else at
        self._meta = data[end + 1:at]
        raw = self._raw = {}
        while at < len(data):
            # \n"NAME"\tN\t{head}\tOFFSETS[\tCOLUMNS]: the offsets, which
            # may hold any byte, are found by their length.
            tab = data.index(b"\t", at)
            count = data.index(b"\t", tab + 1)
            close = data.index(b"\t", count + 1)
            n = int(data[tab + 1:count])
            off = close + 1 + 16 * n
            nl = data.find(b"\n", off)
            nl = len(data) if nl < 0 else nl
            raw[_layer_name(data[at + 1:tab])] = (n, data[count + 1:close], data[close + 1:off],
                                                 data[off + 1:nl])
            at = nl
        self._provided = layers

    def __getattr__(self, name):
        # Only for names not set yet: the metadata and the layers, decoded
        # on first use.
        raw = self.__dict__.get("_raw")
        if raw is None or name.startswith("_"):
            raise AttributeError(name)
        if name == "metadata":
            value = _decode(self._meta.decode("utf-8"))
        elif name in raw:
            value = _spans(raw[name], self.text)
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
