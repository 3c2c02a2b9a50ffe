"""site-dir.py PREFIX - where `make install` puts the galley package for
this python3: the folder of its own search path under PREFIX (on Debian,
/usr/local/lib/python3.X/dist-packages for /usr/local), else its
site-packages scheme under PREFIX. Printed with PREFIX as ${prefix}, so
that make's prefix and DESTDIR apply."""
import sys
import sysconfig

prefix = sys.argv[1].rstrip("/") or "/"
for path in sys.path:
    if path.startswith(prefix + "/lib/") and path.endswith(("site-packages", "dist-packages")):
        break
else:
    path = sysconfig.get_path("purelib", "posix_prefix", vars={"base": prefix, "platbase": prefix})
print("${prefix}" + path[len(prefix):] if path.startswith(prefix + "/") else path)
