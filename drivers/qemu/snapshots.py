"""Internal snapshots of QEMU guests (qcow2), with libvirt's metadata.

A mixin of QemuDomain plus the QemuSnapshot handle.  The snapshot data
lives in the qcow2 images: a running guest is saved with its memory
(HMP ``savevm`` / ``loadvm`` / ``delvm``), an inactive one disk by disk
(``qemu-img snapshot -c/-a/-d``).  The metadata (libvirt's snapshot XML
with its ``<active>`` mark) is one file per snapshot under
``lib/qemu/snapshot/DOMAIN/``, loaded into a MomentTree on each call.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers import snapshot as S
from virtsh.drivers.errors import (VirtError, CONFIG_UNSUPPORTED, INVALID_ARG,
                                   NO_DOMAIN_SNAPSHOT, OPERATION_FAILED,
                                   OPERATION_INVALID, OPERATION_UNSUPPORTED,
                                   SNAPSHOT_REVERT_RISKY)
from virtsh.drivers.qemu import edits
from virtsh.drivers.qemu.running import RunningBase

_CREATE_FLAGS = (S.SNAPSHOT_CREATE_REDEFINE | S.SNAPSHOT_CREATE_CURRENT |
                 S.SNAPSHOT_CREATE_NO_METADATA | S.SNAPSHOT_CREATE_HALT |
                 S.SNAPSHOT_CREATE_DISK_ONLY | S.SNAPSHOT_CREATE_REUSE_EXT |
                 S.SNAPSHOT_CREATE_ATOMIC | S.SNAPSHOT_CREATE_LIVE |
                 S.SNAPSHOT_CREATE_VALIDATE)
_LIST_FLAGS = (S.SNAPSHOT_LIST_ROOTS | S.SNAPSHOT_LIST_TOPOLOGICAL |
               S.SNAPSHOT_LIST_METADATA | S.SNAPSHOT_LIST_NO_METADATA |
               S.SNAPSHOT_LIST_LEAVES | S.SNAPSHOT_LIST_NO_LEAVES |
               S.SNAPSHOT_LIST_INACTIVE | S.SNAPSHOT_LIST_ACTIVE |
               S.SNAPSHOT_LIST_DISK_ONLY | S.SNAPSHOT_LIST_INTERNAL |
               S.SNAPSHOT_LIST_EXTERNAL)
QEMU_IMG = "/usr/bin/qemu-img"


# --- the qcow2 side ------------------------------------------------------------------
def _qemu_img(*args):
    import subprocess
    try:
        done = subprocess.run([QEMU_IMG] + list(args), capture_output=True, text=True)
    except OSError as e:
        raise VirtError(OPERATION_FAILED, "cannot run %s: %s" % (QEMU_IMG, e.strerror)) \
            from None
    if done.returncode:
        raise VirtError(OPERATION_FAILED, "%s %s failed: %s"
                        % (QEMU_IMG, " ".join(args), done.stderr.strip()))


def _hmp(mon, line, what):
    """An HMP command whose output, if any, is an error message."""
    out = mon.cmd("human-monitor-command", **{"command-line": line}) or ""
    if out.strip():
        raise VirtError(OPERATION_FAILED, "%s: %s" % (what, out.strip()))


def internal_disks(root, defn=None):
    """(target, path) of the disks an internal snapshot covers; libvirt's
    error for one that cannot hold it."""
    skip = {d.name for d in defn.disks if d.snapshot == 1} if defn else set()
    out = []
    for disk in root.findall("devices/disk"):
        target = disk.find("target").get("dev")
        src = disk.find("source")
        path = src is not None and (src.get("file") or src.get("dev"))
        if target in skip or not path or disk.find("readonly") is not None:
            continue
        driver = disk.find("driver")
        fmt = driver.get("type", "raw") if driver is not None else "raw"
        if fmt != "qcow2":
            raise VirtError(CONFIG_UNSUPPORTED, "internal snapshot for disk %s "
                            "unsupported for storage type %s" % (target, fmt))
        out.append((target, path))
    return out


def _hmp_name(name):
    if any(c in name for c in "\"'\\ \n"):
        raise VirtError(INVALID_ARG, "snapshot name '%s' cannot be used with the "
                        "QEMU monitor" % name)
    return name


# --- metadata on disk ----------------------------------------------------------------
class SnapshotStore:
    """The snapshot metadata files of one domain."""

    def __init__(self, dom):
        self.dom = dom
        self.dir = os.path.join(dom.store.tree.lib, "snapshot", dom.name())

    def load(self):
        from virtsh.drivers.moments import MomentTree
        from virtsh.drivers import files
        from virtsh.xmlconf import snapshot as xs
        tree = MomentTree()
        try:
            names = sorted(os.listdir(self.dir))
        except FileNotFoundError:
            names = []
        loaded = []
        for entry in names:
            if not entry.endswith(".xml") or entry.startswith("."):
                continue
            defn = xs.parse(files.read_text(os.path.join(self.dir, entry)),
                            xs.PARSE_REDEFINE | xs.PARSE_INTERNAL)
            loaded.append(defn)
        for defn in sorted(loaded, key=lambda d: d.creation_time):
            moment = tree.add(defn)
            if defn.active:
                tree.current = moment
        tree.link_all()
        return tree

    def save(self, tree):
        from virtsh.drivers import files
        from virtsh.xmlconf import snapshot as xs
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        keep = set()
        for moment in tree:
            path = os.path.join(self.dir, moment.name + ".xml")
            keep.add(os.path.basename(path))
            files.write_atomic(path, xs.format(moment.defn, internal=True,
                                               current=moment is tree.current))
        for entry in os.listdir(self.dir):
            if entry.endswith(".xml") and entry not in keep:
                files.remove(os.path.join(self.dir, entry))

    def drop(self):
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)


def _select(tree, start, flags):
    from virtsh.drivers.moments import select_snapshots
    return select_snapshots(tree, start, flags)


class SnapshotsMixin(RunningBase):
    """The snapshot APIs of QemuDomain."""

    def _snapshots(self):
        return SnapshotStore(self)

    def _snapshot(self, tree, name):
        moment = tree.get(name)
        if moment is None:
            raise VirtError(NO_DOMAIN_SNAPSHOT,
                            "no domain snapshot with matching name '%s'" % name)
        return moment

    def snapshot_count(self):
        return len(self._snapshots().load())

    # --- creation ----------------------------------------------------------------
    def snapshot_create_xml(self, xml, flags=0):
        from virtsh.xmlconf import snapshot as xs
        S.check_snapshot_create_flags(flags)
        S.check_flags(flags, _CREATE_FLAGS, "qemuDomainSnapshotCreateXML")
        if not self.exists():
            raise self._gone()
        redefine = bool(flags & S.SNAPSHOT_CREATE_REDEFINE)
        defn = xs.parse(xml, xs.PARSE_DISKS | (xs.PARSE_REDEFINE if redefine else 0))
        store = self._snapshots()
        with self.store.lock(self.name()):
            tree = store.load()
            if redefine:
                moment = self._redefine(tree, defn)
            else:
                if tree.get(defn.name) is not None:
                    raise VirtError(OPERATION_FAILED, "domain moment %s already exists"
                                    % defn.name)
                self._take(defn, flags)
                if flags & S.SNAPSHOT_CREATE_NO_METADATA:
                    return QemuSnapshot(self, defn.name)
                moment = tree.add(defn)
                defn.parent_name = tree.current.name if tree.current else None
            if not redefine or flags & S.SNAPSHOT_CREATE_CURRENT:
                tree.current = moment
            tree.link(moment)
            store.save(tree)
            if flags & S.SNAPSHOT_CREATE_HALT and self._status() is not None:
                self._stop_locked(D.SHUTOFF_FROM_SNAPSHOT)
        return QemuSnapshot(self, moment.name)

    def _take(self, defn, flags):
        """Record the domain in *defn* and take the snapshot itself."""
        from virtsh.xmlconf import domain as xd
        from virtsh.xmlconf import snapshot as xs
        status = self._status()
        if flags & S.SNAPSHOT_CREATE_HALT and not self.is_persistent():
            raise VirtError(OPERATION_INVALID, "cannot halt after transient domain "
                            "snapshot")
        if defn.memory == xs.LOC_EXTERNAL:
            raise VirtError(OPERATION_UNSUPPORTED, "external memory snapshots are not "
                            "supported by this driver yet")
        disk_only = bool(flags & S.SNAPSHOT_CREATE_DISK_ONLY) or any(
            d.snapshot == xs.LOC_EXTERNAL for d in defn.disks)
        active = status is not None
        live = edits.tree_of(self.store.live_xml(self.name())) if active else None
        config = edits.tree_of(self.store.config_xml(self.name())) \
            if self.is_persistent() else None
        root = live if active else config
        defn.dom = xd.DomainDef(_plain(root))
        if active:
            from virtsh.drivers.qemu.live import defined_cpu, save_cookie
            defined_cpu(defn.dom.tree, status)
            defn.cookie = save_cookie(live)
        if active and config is not None:
            defn.inactive_dom = xd.DomainDef(config)
        if disk_only:
            defn.state = xs.STATE_DISK_SNAPSHOT
            defn.memory = xs.LOC_NO
            xs.align_disks(defn, xs.LOC_EXTERNAL, False)
            from virtsh.drivers.qemu.external import take_disk_only
            take_disk_only(self, defn, live, config, flags)
            return
        defn.state = status["state"] if active else D.SHUTOFF
        defn.memory = xs.LOC_INTERNAL if active else xs.LOC_NO
        xs.align_disks(defn, xs.LOC_INTERNAL, True)
        disks = internal_disks(root, defn)
        name = defn.name
        if not disks:
            raise VirtError(CONFIG_UNSUPPORTED, "internal and full system snapshots "
                            "require all disks to be selected for snapshot" if active
                            else "nothing selected for snapshot")
        if active:
            mon = self._monitor()
            try:
                _hmp(mon, "savevm %s" % _hmp_name(name), "Failed to take snapshot")
            finally:
                mon.close()
        else:
            done = []
            try:
                for _, path in disks:
                    _qemu_img("snapshot", "-c", name, path)
                    done.append(path)
            except VirtError:
                for path in done:
                    try:
                        _qemu_img("snapshot", "-d", name, path)
                    except VirtError:
                        pass
                raise

    def _redefine(self, tree, defn):
        from virtsh.xmlconf import snapshot as xs
        tree.check_cycles(defn)
        if defn.dom is not None and defn.dom.uuid != self.uuid():
            raise VirtError(INVALID_ARG, "definition for snapshot %s must use uuid %s"
                            % (defn.name, self.uuid()))
        other = tree.get(defn.name)
        external = defn.state == xs.STATE_DISK_SNAPSHOT or defn.is_external()
        xs.align_disks(defn, xs.LOC_EXTERNAL if external else xs.LOC_INTERNAL, True,
                       other.defn.dom if other is not None else None)
        if other is None:
            return tree.add(defn)
        if defn.dom is None:
            defn.dom = other.defn.dom
        tree.unlink(other)
        other.defn = defn
        return other

    # --- listing -------------------------------------------------------------------
    def list_all_snapshots(self, flags=0):
        S.check_flags(flags, _LIST_FLAGS, "qemuDomainListAllSnapshots")
        tree = self._snapshots().load()
        return [QemuSnapshot(self, m.name) for m in _select(tree, None, flags)]

    def snapshot_num(self, flags=0):
        S.check_flags(flags, _LIST_FLAGS, "qemuDomainSnapshotNum")
        return len(_select(self._snapshots().load(), None, flags))

    def snapshot_lookup_by_name(self, name, flags=0):
        return QemuSnapshot(self, self._snapshot(self._snapshots().load(), name).name)

    def has_current_snapshot(self, flags=0):
        return self._snapshots().load().current is not None

    def snapshot_current(self, flags=0):
        current = self._snapshots().load().current
        if current is None:
            raise VirtError(NO_DOMAIN_SNAPSHOT,
                            "the domain does not have a current snapshot")
        return QemuSnapshot(self, current.name)

    # --- revert and delete -----------------------------------------------------------
    def _stop_locked(self, reason):
        from virtsh.drivers.qemu import lifecycle
        status = self._status()
        if status is not None:
            lifecycle.stop(self.store, self.name(), status, "destroyed", reason)

    def _revert(self, name, flags):
        from virtsh.drivers import files
        from virtsh.drivers.qemu import qemuns
        from virtsh.xmlconf import domain as xd
        from virtsh.xmlconf import snapshot as xs
        store = self._snapshots()
        with self.store.lock(self.name()):
            tree = store.load()
            moment = self._snapshot(tree, name)
            defn = moment.defn
            start = flags & (S.SNAPSHOT_REVERT_RUNNING | S.SNAPSHOT_REVERT_PAUSED)
            if not self.is_persistent() and not defn.online and not start:
                raise VirtError(OPERATION_INVALID, "transient domain needs to request "
                                "run or pause to revert to inactive snapshot")
            if defn.dom is None and not flags & S.SNAPSHOT_REVERT_FORCE:
                raise VirtError(SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain "
                                "'%s' rollback info" % (defn.name, self.name()))
            if defn.is_external() or defn.state == xs.STATE_DISK_SNAPSHOT:
                raise VirtError(OPERATION_UNSUPPORTED, "reverting to an external "
                                "snapshot is not supported yet")
            config = defn.inactive_dom or defn.dom
            if self.is_persistent() and config is not None:
                self.store.write_config(self.name(), qemuns.format(
                    self.conn.prepare_definition(xd.format(config, edits.XML_INACTIVE | edits.XML_SECURE)),
                    edits.XML_INACTIVE | edits.XML_SECURE))
            if defn.online:
                self._revert_online(defn, flags)
            else:
                self._stop_locked(D.SHUTOFF_FROM_SNAPSHOT)
                for _, path in internal_disks(defn.dom.tree, defn):
                    _qemu_img("snapshot", "-a", defn.name, path)
                if start:
                    root = self.conn.prepare_definition(
                        xd.format(defn.dom, edits.XML_INACTIVE | edits.XML_SECURE)).tree
                    self.start_locked(root, paused=bool(flags & S.SNAPSHOT_REVERT_PAUSED),
                                      transient=not self.is_persistent())
                else:
                    files.write_atomic(self.store.run(self.name(), "shutoff"),
                                       str(D.SHUTOFF_FROM_SNAPSHOT), durable=False)
            tree.current = moment
            store.save(tree)

    def _revert_online(self, defn, flags):
        """Load a snapshot taken while running: restart QEMU on its
        definition, load the state, then run or pause as asked."""
        from virtsh.xmlconf import domain as xd
        self._stop_locked(D.SHUTOFF_FROM_SNAPSHOT)
        root = self.conn.prepare_definition(xd.format(defn.dom, edits.XML_INACTIVE | edits.XML_SECURE)).tree
        self.start_locked(root, paused=True, transient=not self.is_persistent(),
                          extra_args=("-loadvm", _hmp_name(defn.name)))
        paused = (not flags & S.SNAPSHOT_REVERT_RUNNING and
                  (defn.state == D.PAUSED or flags & S.SNAPSHOT_REVERT_PAUSED))
        if paused:
            self.store.update_state(self.name(), D.PAUSED, D.PAUSED_FROM_SNAPSHOT)
        else:
            mon = self._monitor()
            try:
                mon.cmd("cont")
            finally:
                mon.close()
            self.store.update_state(self.name(), D.RUNNING, D.RUNNING_FROM_SNAPSHOT)

    def _delete(self, name, flags):
        from virtsh.drivers.moments import delete_moment
        store = self._snapshots()
        with self.store.lock(self.name()):
            tree = store.load()
            moment = self._snapshot(tree, name)
            doomed = []
            if flags & (S.SNAPSHOT_DELETE_CHILDREN | S.SNAPSHOT_DELETE_CHILDREN_ONLY):
                doomed = tree.descendants(moment)
            if not flags & S.SNAPSHOT_DELETE_CHILDREN_ONLY:
                doomed.append(moment)
            if not flags & S.SNAPSHOT_DELETE_METADATA_ONLY:
                external = [m for m in doomed if m.defn.is_external()]
                if external:
                    raise VirtError(OPERATION_UNSUPPORTED, "deletion of %d external "
                                    "disk snapshots not supported yet" % len(external))
                for doomed_one in doomed:
                    self._discard(doomed_one.defn)
            delete_moment(tree, moment, flags & S.SNAPSHOT_DELETE_CHILDREN,
                    flags & S.SNAPSHOT_DELETE_CHILDREN_ONLY)
            store.save(tree)

    def _discard(self, defn):
        """Remove the snapshot data from the images."""
        if self._status() is not None:
            mon = self._monitor()
            try:
                _hmp(mon, "delvm %s" % _hmp_name(defn.name), "Failed to delete snapshot")
            finally:
                mon.close()
            return
        if defn.dom is None:
            return
        for _, path in internal_disks(defn.dom.tree, defn):
            if os.path.exists(path):
                _qemu_img("snapshot", "-d", defn.name, path)


def _plain(root):
    """A live definition as a snapshot records it: without runtime ids and
    the labels a start generates."""
    from virtsh.xmlconf import domain as xd
    copy = xd.copy_tree(root)
    for alias in list(copy.iter("alias")):
        alias.getparent().remove(alias)
    copy.attrib.pop("id", None)
    for label in copy.findall("seclabel"):
        if label.get("type") == "dynamic" and label.find("baselabel") is None:
            copy.remove(label)
    return copy


class QemuSnapshot(S.DomainSnapshot):
    """A snapshot of a QEMU domain (found again by name on every call)."""

    def _tree(self):
        return self._domain._snapshots().load()

    def _moment(self, tree=None):
        return self._domain._snapshot(tree or self._tree(), self._name)

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import snapshot as xs
        return xs.format(self._moment().defn, uuid=self._domain.uuid(),
                         secure=bool(flags & S.SNAPSHOT_XML_SECURE))

    def parent(self, flags=0):
        defn = self._moment().defn
        if not defn.parent_name:
            raise VirtError(NO_DOMAIN_SNAPSHOT, "snapshot '%s' does not have a parent"
                            % defn.name)
        return QemuSnapshot(self._domain, defn.parent_name)

    def num_children(self, flags=0):
        return len(self.list_all_children(flags))

    def list_all_children(self, flags=0):
        tree = self._tree()
        found = _select(tree, self._moment(tree), flags)
        return [QemuSnapshot(self._domain, m.name) for m in found]

    def is_current(self, flags=0):
        tree = self._tree()
        return self._moment(tree) is tree.current

    def has_metadata(self, flags=0):
        self._moment()
        return True

    def revert(self, flags=0):
        S.check_snapshot_revert_flags(flags)
        self._domain._revert(self._name, flags)

    def delete(self, flags=0):
        S.check_snapshot_delete_flags(flags)
        self._domain._delete(self._name, flags)
