"""IOThreads of QEMU guests: list, add, delete, pin.

A mixin of QemuDomain.  The definitions keep ``<iothreads>`` /
``<iothreadids>`` and ``<cputune><iothreadpin>``; a running guest gets
``iothread`` objects through QMP (``object-add`` / ``object-del``) and its
threads are found with ``query-iothreads`` for pinning.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, INVALID_ARG, OPERATION_INVALID
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

AFFECT = D.AFFECT_LIVE | D.AFFECT_CONFIG


def iothread_ids(root):
    """IOThread ids: <iothreadids>, else 1..<iothreads>."""
    ids = [int(t.get("id")) for t in root.findall("iothreadids/iothread")]
    if not ids:
        count = root.findtext("iothreads")
        ids = list(range(1, int(count) + 1)) if count and count.strip() else []
    return ids


def _set_ids(root, ids):
    from lxml import etree
    for tag in ("iothreads", "iothreadids"):
        elem = root.find(tag)
        if elem is not None:
            root.remove(elem)
    if not ids:
        return
    etree.SubElement(root, "iothreads").text = str(len(ids))
    holder = etree.SubElement(root, "iothreadids")
    for ident in ids:
        etree.SubElement(holder, "iothread", id=str(ident))


class IOThreadsMixin(RunningBase):
    """iothreadinfo, iothreadadd, iothreaddel, iothreadpin."""

    def _iothread_threads(self):
        """{iothread id: host thread id} of the running guest."""
        out = {}
        for thread in self._qmp_once("query-iothreads"):
            name = thread["id"]
            if name.startswith("iothread") and name[8:].isdigit():
                out[int(name[8:])] = thread["thread-id"]
        return out

    def iothread_info(self, flags=0):
        edits.one_of(flags)
        defs = edits.read(self, flags & AFFECT)
        root = defs.selected()[0]
        threads = self._iothread_threads() if defs.live is not None else {}
        out = []
        for ident in iothread_ids(root):
            if ident in threads:
                affinity = os.sched_getaffinity(threads[ident])
            else:
                affinity = self._affinity(root, "iothreadpin", "iothread", ident)
            out.append((ident, affinity))
        return out

    def add_iothread(self, iothread_id, flags=0):
        if iothread_id <= 0:
            raise VirtError(INVALID_ARG, "invalid value of 0 for iothread_id", raw=True)
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                ids = iothread_ids(root)
                if iothread_id in ids:
                    raise VirtError(INVALID_ARG, "an IOThread is already using "
                                    "iothread_id '%d'" % iothread_id)
                if root is defs.live:
                    from virtsh.drivers.qemu.resources import _set_affinity
                    mon = self._monitor()
                    try:
                        mon.cmd("object-add", **{"qom-type": "iothread",
                                                 "id": "iothread%d" % iothread_id})
                    finally:
                        mon.close()
                    # a new thread inherits QEMU's pinning; it runs where
                    # unpinned threads of the domain run
                    _set_affinity(self._iothread_threads()[iothread_id],
                                  self._affinity(root, "iothreadpin", "iothread", iothread_id))
                _set_ids(root, ids + [iothread_id])

    def del_iothread(self, iothread_id, flags=0):
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                ids = iothread_ids(root)
                if iothread_id not in ids:
                    raise VirtError(INVALID_ARG, "cannot find IOThread '%d' in "
                                    "iothreadids list" % iothread_id)
                used = [d for d in root.iter("driver")
                        if d.get("iothread") == str(iothread_id)]
                if used:
                    raise VirtError(OPERATION_INVALID, "cannot remove IOThread %d since "
                                    "it is being used by disk '%s'" % (
                                        iothread_id,
                                        used[0].getparent().find("target").get("dev")))
                if root is defs.live:
                    mon = self._monitor()
                    try:
                        mon.cmd("object-del", id="iothread%d" % iothread_id)
                    finally:
                        mon.close()
                for pin in root.findall("cputune/iothreadpin"):
                    if pin.get("iothread") == str(iothread_id):
                        pin.getparent().remove(pin)
                _set_ids(root, [i for i in ids if i != iothread_id])

    def pin_iothread(self, iothread_id, cpus, flags=0):
        from virtsh.drivers.qemu.resources import _set_affinity
        from virtsh.drivers.deftree import set_pin
        if not cpus:
            raise VirtError(INVALID_ARG, "Empty iothread cpumap list for pinning")
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                if iothread_id not in iothread_ids(root):
                    raise VirtError(INVALID_ARG, "iothreadid %d not found" % iothread_id)
                if root is defs.live:
                    mon = self._monitor()
                    try:
                        threads = {int(t["id"][8:]): t["thread-id"]
                                   for t in mon.cmd("query-iothreads")
                                   if t["id"][8:].isdigit()}
                    finally:
                        mon.close()
                    _set_affinity(threads[iothread_id], cpus)
                set_pin(root, "iothreadpin", "iothread", iothread_id, cpus)
