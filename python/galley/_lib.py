"""Finding libgalley and declaring the part of its C API the binding uses
(include/galley/embed.h) as ctypes prototypes.

The library is looked for, in order: GALLEY_LIBRARY (a path to
libgalley.so); the build tree named by GALLEY_BUILD_DIR, or the one this
package sits in (an in-place build); the folder `make install` put it in;
the dynamic loader's own search. From a build tree, the stages are taken
from that tree too (its plugins/ folders join GALLEY_PLUGIN_PATH), the way
the uninstalled `galley` command finds them.

ctypes releases the GIL around every call, so the session's worker threads
and a waiting pull run while other Python threads go on.
"""
import ctypes
import ctypes.util
import glob
import os

__all__ = ["lib", "Error", "Result", "library_path"]


class Error(ctypes.Structure):
    """struct galley_error."""
    _fields_ = [("set", ctypes.c_int), ("message", ctypes.c_char * 1024)]

    def text(self):
        return self.message.decode("utf-8", "replace")


class Result(ctypes.Structure):
    """struct galley_result: one finished document."""
    _fields_ = [("status", ctypes.c_int), ("json", ctypes.c_void_p), ("json_len", ctypes.c_size_t),
                ("id", ctypes.c_char_p), ("source", ctypes.c_char_p), ("reason", ctypes.c_char_p),
                ("message", ctypes.c_char_p)]


def _build_tree_of(path):
    """The top of the build tree a library path lies in, or None."""
    d = os.path.dirname(os.path.abspath(path))
    if os.path.basename(d) == ".libs" and os.path.basename(os.path.dirname(d)) == "core":
        return os.path.dirname(os.path.dirname(d))
    return None


def _candidates():
    """(path, build tree or None) to try, best first."""
    env = os.environ.get("GALLEY_LIBRARY")
    if env:
        yield env, _build_tree_of(env)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    trees = [os.environ.get("GALLEY_BUILD_DIR"), os.path.dirname(os.path.dirname(here))]
    for tree in trees:
        if tree:
            tree = os.path.abspath(tree)
            lib = os.path.join(tree, "core", ".libs", "libgalley.so")
            if os.path.exists(lib):
                yield lib, tree
    try:
        from galley import _install
        yield os.path.join(_install.LIBDIR, "libgalley.so"), None
    except ImportError:
        pass
    found = ctypes.util.find_library("galley")
    if found:
        yield found, None
    for d in ("/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"):
        for lib in sorted(glob.glob(os.path.join(d, "libgalley.so*"))):
            yield lib, None


def _use_build_tree(tree):
    """Stages from the build tree: its plugins/<stage> folders go after
    any GALLEY_PLUGIN_PATH the user set (their data is found beside the
    sources, as for the uninstalled command)."""
    dirs = sorted(d for d in glob.glob(os.path.join(tree, "plugins", "*")) if os.path.isdir(d))
    have = [p for p in os.environ.get("GALLEY_PLUGIN_PATH", "").split(":") if p]
    os.environ["GALLEY_PLUGIN_PATH"] = ":".join(have + [d for d in dirs if d not in have])


def _load():
    tried = []
    for path, tree in _candidates():
        try:
            handle = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        if tree:
            _use_build_tree(tree)
        return handle, path
    raise ImportError("galley: libgalley not found (tried: %s). Build galley (make) and set "
                      "GALLEY_BUILD_DIR to the build tree, or GALLEY_LIBRARY to libgalley.so, "
                      "or run make install" % (", ".join(tried) or "nothing"))


lib, library_path = _load()

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_STRS = ctypes.POINTER(ctypes.c_char_p)
_ERR = ctypes.POINTER(Error)
for _name, _res, _args in [
    ("galley_pipeline_open", _P, [_S, _STRS, _PP]),
    ("galley_pipeline_close", None, [_P]),
    ("galley_pipeline_text_field", _S, [_P]),
    ("galley_pipeline_id_field", _S, [_P]),
    ("galley_pipeline_layers", _STRS, [_P]),
    ("galley_pipeline_run", ctypes.c_int, [_P, _STRS, ctypes.c_size_t, _S, _S, _PP, _ERR]),
    ("galley_session_start", _P, [_P, ctypes.c_int, ctypes.c_int, _ERR]),
    ("galley_session_push", ctypes.c_int, [_P, _S, ctypes.c_size_t, _S]),
    ("galley_session_pull", ctypes.c_int, [_P, ctypes.c_int, ctypes.POINTER(Result)]),
    ("galley_session_end_input", None, [_P]),
    ("galley_session_finish", ctypes.c_int, [_P, _PP, _ERR]),
    ("galley_free", None, [_P]),
]:
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args


def take_string(ptr):
    """The text of a malloc'd C string (a c_void_p), freed; None for NULL."""
    if not ptr.value:
        return None
    try:
        return ctypes.string_at(ptr.value).decode("utf-8", "replace")
    finally:
        lib.galley_free(ptr.value)


def c_strings(items):
    """A NULL-terminated char *[] of the items (encoded), and the array."""
    arr = (ctypes.c_char_p * (len(items) + 1))()
    for i, s in enumerate(items):
        arr[i] = os.fsencode(s) if not isinstance(s, bytes) else s
    arr[len(items)] = None
    return arr
