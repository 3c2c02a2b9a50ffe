"""Documents and spans as Python objects, made from the JSON line galley
writes for each document (offsets in code points: Python str indexes)."""

__all__ = ["Document", "Span"]

# The members of a document that are not layers.
_FIXED = ("id", "text", "metadata", "source")
_STATUS = ("kept", "dropped", "rejected")


class Span:
    """One element of a layer: `start` and `end` (code points into the
    document's text, end exclusive, so doc.text[s.start:s.end] == s.text),
    `text`, and the layer's own fields as attributes (an entity's `type`
    and `canonical`, a quote's `kind`, `speaker`, `cue`, ...)."""

    def __init__(self, start, end, text=None, **fields):
        self.__dict__.update(fields)
        self.start, self.end, self.text = start, end, text

    @classmethod
    def _from_json(cls, d):
        # The parsed JSON object becomes the attributes, without a copy.
        s = cls.__new__(cls)
        s.__dict__ = d
        return s

    @property
    def fields(self):
        """The layer's own fields (all but start, end and text)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("start", "end", "text")}

    def to_dict(self):
        """The element as galley writes it."""
        return dict(self.__dict__)

    def __eq__(self, other):
        return isinstance(other, Span) and self.__dict__ == other.__dict__

    def __repr__(self):
        extra = "".join(", %s=%r" % kv for kv in self.fields.items())
        return "Span(%d, %d, %r%s)" % (self.start, self.end, self.text, extra)


class Document:
    """A document after the pipeline: `id`, `text` (as the pipeline left
    it: the normalizer may have rewritten it), `metadata`, `source`,
    `status` ("kept", "dropped" or "rejected"), `reason` and `message`
    (why, when not kept), and one attribute per layer (`entities`,
    `quotes`, ...), a list of Span. A layer the pipeline provides but this
    document lacks is an empty list."""

    def __init__(self, data, status="kept", reason=None, message=None, layers=()):
        self._data = data
        self._layer_names = layers
        self.id = data.get("id")
        self.text = data.get("text", "")
        self.metadata = data.get("metadata", {})
        self.source = data.get("source")
        self.status = status
        self.reason = reason
        self.message = message

    def __getattr__(self, name):
        # Only for names not set yet: a layer, made into spans on first use.
        data = self.__dict__.get("_data")
        if data is None or name.startswith("_") or name in _FIXED:
            raise AttributeError(name)
        if name not in data and name not in self._layer_names:
            raise AttributeError("document has no layer %r (it has: %s)"
                                 % (name, ", ".join(self.layer_names) or "none"))
        spans = [Span._from_json(d) for d in data.get(name, ())]
        self.__dict__[name] = spans
        return spans

    @property
    def layer_names(self):
        """The layers of this document and those the pipeline provides."""
        names = [k for k in self._data if k not in _FIXED]
        return names + [n for n in self._layer_names if n not in names]

    @property
    def layers(self):
        """Every layer, by name."""
        return {name: getattr(self, name) for name in self.layer_names}

    @property
    def kept(self):
        return self.status == "kept"

    def to_dict(self):
        """The document as galley writes it (one line of `galley run`)."""
        return self._data

    def __repr__(self):
        counts = ", ".join("%s=%d" % (n, len(self._data.get(n, ()))) for n in self.layer_names)
        extra = "" if self.status == "kept" else ", %s: %s" % (self.status, self.reason)
        return "<Document %r%s%s%s>" % (self.id, ", " if counts else "", counts, extra)
