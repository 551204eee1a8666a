"""Test driver: snapshots and checkpoints of a domain (libvirt's test driver).

``DomainMoments`` holds one domain's snapshot and checkpoint trees; a
DomainRecord builds it on first use (``moments_of``), loading the
``<test:domainsnapshot>`` elements of a node file then.  The Domain APIs
are the mixin ``DomainSnapshotsMixin`` of TestDomain; TestSnapshot and
TestCheckpoint are the handles they return.  Semantics and messages follow
libvirt's test driver: snapshots record the domain definition, reverting
restores it and the run state, and checkpoints exist only while a domain
runs and has no snapshots.
"""
from virtsh.drivers import domain as D
from virtsh.drivers import snapshot as S
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, INVALID_ARG, NO_DOMAIN_CHECKPOINT,
    NO_DOMAIN_SNAPSHOT, OPERATION_INVALID, OPERATION_UNSUPPORTED,
    SNAPSHOT_REVERT_RISKY)
from virtsh.drivers.moments import (
    MomentTree, delete_moment, select_checkpoints, select_snapshots)

_SNAPSHOT_CREATE_FLAGS = (
    S.SNAPSHOT_CREATE_REDEFINE | S.SNAPSHOT_CREATE_CURRENT | S.SNAPSHOT_CREATE_HALT |
    S.SNAPSHOT_CREATE_QUIESCE | S.SNAPSHOT_CREATE_ATOMIC | S.SNAPSHOT_CREATE_LIVE |
    S.SNAPSHOT_CREATE_VALIDATE)
_SNAPSHOT_FILTERS = (
    S.SNAPSHOT_LIST_METADATA | S.SNAPSHOT_LIST_NO_METADATA | S.SNAPSHOT_LIST_LEAVES |
    S.SNAPSHOT_LIST_NO_LEAVES | S.SNAPSHOT_LIST_INACTIVE | S.SNAPSHOT_LIST_ACTIVE |
    S.SNAPSHOT_LIST_DISK_ONLY | S.SNAPSHOT_LIST_INTERNAL | S.SNAPSHOT_LIST_EXTERNAL)
_SNAPSHOT_LIST_FLAGS = (S.SNAPSHOT_LIST_ROOTS | S.SNAPSHOT_LIST_TOPOLOGICAL |
                        _SNAPSHOT_FILTERS)
_CHECKPOINT_LIST_FLAGS = (S.CHECKPOINT_LIST_ROOTS | S.CHECKPOINT_LIST_TOPOLOGICAL |
                          S.CHECKPOINT_LIST_LEAVES | S.CHECKPOINT_LIST_NO_LEAVES)


class DomainMoments:
    """The snapshots and checkpoints of one domain."""

    def __init__(self, snapshot_elems, domain_name):
        self.snapshots = MomentTree()
        self.checkpoints = MomentTree()
        for elem in snapshot_elems:
            self._load_snapshot(elem)
        if snapshot_elems and not self.snapshots.link_all():
            raise VirtError(INTERNAL_ERROR, "Snapshots have inconsistent relations "
                            "for domain %s" % domain_name)

    def _load_snapshot(self, elem):
        """A node file's snapshot: a recorded definition with <active>."""
        from virtsh.xmlconf import snapshot as xs
        defn = xs.parse_element(elem, xs.PARSE_REDEFINE | xs.PARSE_INTERNAL)
        snap = self.snapshots.add(defn)
        if defn.active:
            if self.snapshots.current is not None:
                raise VirtError(INTERNAL_ERROR,
                                "more than one snapshot claims to be active")
            self.snapshots.current = snap


def moments_of(rec):
    """The DomainMoments of a DomainRecord, built on first use."""
    if rec.moments is None:
        rec.moments = DomainMoments(rec.snapshot_elems, rec.name)
        rec.snapshot_elems = []
    return rec.moments


class DomainSnapshotsMixin:
    """The snapshot and checkpoint APIs of TestDomain (like libvirt's test
    driver, it offers no backup APIs)."""

    def _moments(self):
        return moments_of(self._rec())

    # --- snapshots ---------------------------------------------------------
    def snapshot_create_xml(self, xml, flags=0):
        from virtsh.xmlconf import snapshot as xs
        S.check_snapshot_create_flags(flags)
        S.check_flags(flags, _SNAPSHOT_CREATE_FLAGS, "testDomainSnapshotCreateXML")
        redefine = bool(flags & S.SNAPSHOT_CREATE_REDEFINE)
        rec = self._rec()
        moments = moments_of(rec)
        if len(moments.checkpoints):
            raise VirtError(OPERATION_UNSUPPORTED,
                            "cannot create snapshot while checkpoint exists")
        if not rec.persistent and flags & S.SNAPSHOT_CREATE_HALT:
            raise VirtError(OPERATION_INVALID,
                            "cannot halt after transient domain snapshot")
        parse_flags = xs.PARSE_DISKS | (xs.PARSE_REDEFINE if redefine else 0)
        defn = xs.parse(xml, parse_flags)
        tree = moments.snapshots
        if redefine:
            snap = self._redefine_snapshot(rec, tree, defn, flags)
        else:
            defn.dom = rec.current.copy()
            defn.state = rec.state
            if defn.memory == xs.LOC_EXTERNAL:
                xs.align_disks(defn, xs.LOC_EXTERNAL, False)
            else:
                defn.memory = xs.LOC_NO if rec.state == D.SHUTOFF else xs.LOC_INTERNAL
                xs.align_disks(defn, xs.LOC_INTERNAL, True)
            snap = tree.add(defn)
            current = tree.current
            defn.parent_name = current.name if current else None
            if flags & S.SNAPSHOT_CREATE_HALT and rec.active:
                self._stop_for_snapshot(rec, D.SHUTOFF_FROM_SNAPSHOT)
        if not redefine or flags & S.SNAPSHOT_CREATE_CURRENT:
            tree.current = snap
        tree.link(snap)
        return TestSnapshot(self, snap.name)

    def _redefine_snapshot(self, rec, tree, defn, flags):
        """Record (or replace) a snapshot from its full XML; the Moment."""
        from virtsh.xmlconf import snapshot as xs
        tree.check_cycles(defn)
        other = tree.get(defn.name)
        if flags & S.SNAPSHOT_CREATE_DISK_ONLY and defn.state != xs.STATE_DISK_SNAPSHOT:
            raise VirtError(INVALID_ARG, "disk-only flag for snapshot %s requires "
                            "disk-snapshot state" % defn.name)
        if defn.dom is not None and defn.dom.uuid != rec.uuid:
            raise VirtError(INVALID_ARG, "definition for snapshot %s must use uuid %s"
                            % (defn.name, rec.uuid))
        if other is not None:
            old = other.defn
            if old.online != defn.online:
                raise VirtError(INVALID_ARG, "cannot change between online and "
                                "offline snapshot state in snapshot %s" % defn.name)
            if (old.state == xs.STATE_DISK_SNAPSHOT) != (defn.state == xs.STATE_DISK_SNAPSHOT):
                raise VirtError(INVALID_ARG, "cannot change between disk only and "
                                "full system in snapshot %s" % defn.name)
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

    def list_all_snapshots(self, flags=0):
        S.check_flags(flags, _SNAPSHOT_LIST_FLAGS, "testDomainListAllSnapshots")
        tree = self._moments().snapshots
        return [TestSnapshot(self, m.name) for m in select_snapshots(tree, None, flags)]

    def snapshot_num(self, flags=0):
        S.check_flags(flags, _SNAPSHOT_LIST_FLAGS, "testDomainSnapshotNum")
        return len(select_snapshots(self._moments().snapshots, None, flags))

    def snapshot_lookup_by_name(self, name, flags=0):
        S.check_flags(flags, 0, "testDomainSnapshotLookupByName")
        return TestSnapshot(self, self._snapshot(name).name)

    def has_current_snapshot(self, flags=0):
        S.check_flags(flags, 0, "testDomainHasCurrentSnapshot")
        return self._moments().snapshots.current is not None

    def snapshot_current(self, flags=0):
        S.check_flags(flags, 0, "testDomainSnapshotCurrent")
        current = self._moments().snapshots.current
        if current is None:
            raise VirtError(NO_DOMAIN_SNAPSHOT,
                            "the domain does not have a current snapshot")
        return TestSnapshot(self, current.name)

    def _snapshot(self, name):
        snap = self._moments().snapshots.get(name)
        if snap is None:
            raise VirtError(NO_DOMAIN_SNAPSHOT,
                            "no domain snapshot with matching name '%s'" % name)
        return snap

    def _stop_for_snapshot(self, rec, reason):
        """Shut the domain off, keeping a transient one (testDomainShutdownState)."""
        rec.stop(reason)
        self._id = -1

    def _revert_to(self, snap, flags):
        """testDomainRevertToSnapshot on the Moment *snap*."""
        rec = self._rec()
        defn = snap.defn
        start = flags & (S.SNAPSHOT_REVERT_RUNNING | S.SNAPSHOT_REVERT_PAUSED)
        if not rec.persistent and not defn.online and not start:
            raise VirtError(OPERATION_INVALID, "transient domain needs to request run "
                            "or pause to revert to inactive snapshot")
        if defn.dom is None and not flags & S.SNAPSHOT_REVERT_FORCE:
            raise VirtError(SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain '%s' "
                            "rollback info" % (defn.name, rec.name))
        tree = moments_of(rec).snapshots
        tree.current = None
        rec.touch()
        rec.set_config(defn.dom.copy())
        if defn.online:
            if rec.active:              # libvirt's test driver always restarts
                self._stop_for_snapshot(rec, D.SHUTOFF_FROM_SNAPSHOT)
            rec.start(self.conn._next_domain_id(), D.RUNNING_FROM_SNAPSHOT)
            self._id = rec.id
            paused = (not flags & S.SNAPSHOT_REVERT_RUNNING and
                      (defn.state == D.PAUSED or flags & S.SNAPSHOT_REVERT_PAUSED))
            if paused:
                rec.state, rec.reason = D.PAUSED, D.PAUSED_FROM_SNAPSHOT
            else:
                rec.state, rec.reason = D.RUNNING, D.RUNNING_FROM_SNAPSHOT
        elif rec.active:
            self._stop_for_snapshot(rec, D.SHUTOFF_FROM_SNAPSHOT)
        tree.current = snap

    # --- checkpoints -------------------------------------------------------
    def checkpoint_create_xml(self, xml, flags=0):
        from virtsh.xmlconf import checkpoint as xc
        S.check_checkpoint_create_flags(flags)
        S.check_flags(flags, S.CHECKPOINT_CREATE_REDEFINE | S.CHECKPOINT_CREATE_QUIESCE,
                      "testDomainCheckpointCreateXML")
        redefine = bool(flags & S.CHECKPOINT_CREATE_REDEFINE)
        rec = self._rec()
        moments = moments_of(rec)
        if len(moments.snapshots):
            raise VirtError(OPERATION_UNSUPPORTED,
                            "cannot create checkpoint while snapshot exists")
        if not rec.active:
            raise VirtError(OPERATION_UNSUPPORTED,
                            "cannot create checkpoint for inactive domain")
        defn = xc.parse(xml, xc.PARSE_REDEFINE if redefine else 0)
        tree = moments.checkpoints
        update_current = not redefine
        if redefine:
            tree.check_cycles(defn)
            if defn.dom is not None:
                if defn.dom.uuid != rec.uuid:
                    raise VirtError(INVALID_ARG, "definition for checkpoint %s must "
                                    "use uuid %s" % (defn.name, rec.uuid))
                xc.align_disks(defn)
            else:
                xc.name_bitmaps(defn)
            parent = tree.get(defn.parent_name) if defn.parent_name else None
            if tree.current is None or (parent is not None and parent is tree.current):
                update_current = True
            chk = tree.get(defn.name)
            if chk is not None:
                tree.unlink(chk)
                chk.defn = defn
            else:
                chk = tree.add(defn)
        else:
            defn.dom = rec.current.copy()
            xc.align_disks(defn)
            chk = tree.add(defn)
            if tree.current is not None:
                defn.parent_name = tree.current.name
        if update_current:
            tree.current = chk
        tree.link(chk)
        return TestCheckpoint(self, chk.name)

    def list_all_checkpoints(self, flags=0):
        S.check_flags(flags, _CHECKPOINT_LIST_FLAGS, "testDomainListAllCheckpoints")
        tree = self._moments().checkpoints
        return [TestCheckpoint(self, m.name) for m in select_checkpoints(tree, None, flags)]

    def checkpoint_lookup_by_name(self, name, flags=0):
        S.check_flags(flags, 0, "testDomainCheckpointLookupByName")
        return TestCheckpoint(self, self._checkpoint(name).name)

    def _checkpoint(self, name):
        chk = self._moments().checkpoints.get(name)
        if chk is None:
            raise VirtError(NO_DOMAIN_CHECKPOINT,
                            "no domain checkpoint with matching name '%s'" % name)
        return chk


class TestSnapshot(S.DomainSnapshot):
    """A snapshot of a test domain (found again by name on every call)."""

    def _moment(self):
        return self._domain._snapshot(self._name)

    def _tree(self):
        return self._domain._moments().snapshots

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import snapshot as xs
        S.check_flags(flags, S.SNAPSHOT_XML_SECURE, "testDomainSnapshotGetXMLDesc")
        return xs.format(self._moment().defn, uuid=self._domain.uuid(),
                         secure=bool(flags & S.SNAPSHOT_XML_SECURE))

    def parent(self, flags=0):
        S.check_flags(flags, 0, "testDomainSnapshotGetParent")
        defn = self._moment().defn
        if not defn.parent_name:
            raise VirtError(NO_DOMAIN_SNAPSHOT, "snapshot '%s' does not have a parent"
                            % defn.name)
        return TestSnapshot(self._domain, defn.parent_name)

    def num_children(self, flags=0):
        return len(self.list_all_children(flags))

    def list_all_children(self, flags=0):
        S.check_flags(flags, _SNAPSHOT_LIST_FLAGS, "testDomainSnapshotListAllChildren")
        found = select_snapshots(self._tree(), self._moment(), flags)
        return [TestSnapshot(self._domain, m.name) for m in found]

    def is_current(self, flags=0):
        S.check_flags(flags, 0, "testDomainSnapshotIsCurrent")
        return self._moment() is self._tree().current

    def has_metadata(self, flags=0):
        S.check_flags(flags, 0, "testDomainSnapshotHasMetadata")
        self._moment()
        return True

    def revert(self, flags=0):
        S.check_snapshot_revert_flags(flags)
        S.check_flags(flags, S.SNAPSHOT_REVERT_RUNNING | S.SNAPSHOT_REVERT_PAUSED |
                      S.SNAPSHOT_REVERT_FORCE, "testDomainRevertToSnapshot")
        self._domain._revert_to(self._moment(), flags)

    def delete(self, flags=0):
        S.check_snapshot_delete_flags(flags)
        S.check_flags(flags, S.SNAPSHOT_DELETE_CHILDREN | S.SNAPSHOT_DELETE_CHILDREN_ONLY,
                      "testDomainSnapshotDelete")
        delete_moment(self._tree(), self._moment(), flags & S.SNAPSHOT_DELETE_CHILDREN,
                flags & S.SNAPSHOT_DELETE_CHILDREN_ONLY)


class TestCheckpoint(S.DomainCheckpoint):
    """A checkpoint of a test domain (found again by name on every call)."""

    def _moment(self):
        return self._domain._checkpoint(self._name)

    def _tree(self):
        return self._domain._moments().checkpoints

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import checkpoint as xc
        S.check_flags(flags, S.CHECKPOINT_XML_SECURE | S.CHECKPOINT_XML_NO_DOMAIN |
                      S.CHECKPOINT_XML_SIZE, "testDomainCheckpointGetXMLDesc")
        if flags & S.CHECKPOINT_XML_SIZE and not self._domain.is_active():
            raise VirtError(OPERATION_INVALID, "domain is not running")
        return xc.format(self._moment().defn, secure=bool(flags & S.CHECKPOINT_XML_SECURE),
                         no_domain=bool(flags & S.CHECKPOINT_XML_NO_DOMAIN),
                         size=bool(flags & S.CHECKPOINT_XML_SIZE))

    def parent(self, flags=0):
        S.check_flags(flags, 0, "testDomainCheckpointGetParent")
        defn = self._moment().defn
        if not defn.parent_name:
            raise VirtError(NO_DOMAIN_CHECKPOINT, "checkpoint '%s' does not have a "
                            "parent" % defn.name)
        return TestCheckpoint(self._domain, defn.parent_name)

    def list_all_children(self, flags=0):
        S.check_flags(flags, _CHECKPOINT_LIST_FLAGS, "testDomainCheckpointListAllChildren")
        found = select_checkpoints(self._tree(), self._moment(), flags)
        return [TestCheckpoint(self._domain, m.name) for m in found]

    def delete(self, flags=0):
        S.check_checkpoint_delete_flags(flags)
        S.check_flags(flags, S.CHECKPOINT_DELETE_CHILDREN |
                      S.CHECKPOINT_DELETE_METADATA_ONLY |
                      S.CHECKPOINT_DELETE_CHILDREN_ONLY, "testDomainCheckpointDelete")
        delete_moment(self._tree(), self._moment(), flags & S.CHECKPOINT_DELETE_CHILDREN,
                flags & S.CHECKPOINT_DELETE_CHILDREN_ONLY)
