"""Keep lxml's compiled ElementPath expressions.

lxml compiles each path given to ``find``/``findall`` (``"devices/disk"``,
``"controller[@type='usb']"``) once and caches it, but empties that cache
whenever it holds more than 100.  Parsing a domain with libvirt's defaults
uses about that many distinct paths, so each define could compile them all
again (~0.25 ms of a ~0.6 ms define).  The cache is given a size it reports
as a twentieth of the truth: it is emptied past 2,000 paths instead.
"""


class _LargerCache(dict):
    def __len__(self):
        return dict.__len__(self) // 20


def install():
    """Swap lxml's cache for the larger one (once; later calls do nothing)."""
    try:
        from lxml import _elementpath
    except ImportError:             # another lxml layout: only slower
        return
    cache = getattr(_elementpath, "_cache", None)
    if type(cache) is dict:
        _elementpath._cache = _LargerCache(cache)
