"""Snapshots and checkpoints of a domain: the handles and libvirt's constants.

A snapshot (virDomainSnapshot) or checkpoint (virDomainCheckpoint) is named
by its domain and its name, as in libvirt; drivers subclass
DomainSnapshot / DomainCheckpoint and override the APIs they support (see
drivers/base.py).  The Domain APIs that create and list them live in
drivers/domain.py.  The argument checks libvirt's public API makes before
any driver runs (flags that exclude or require each other) are here too,
so every driver applies them the same way.
"""
from virtsh.drivers.base import ApiObject, api
from virtsh.drivers.errors import VirtError, INVALID_ARG

# virDomainSnapshotCreateFlags
SNAPSHOT_CREATE_REDEFINE = 1 << 0
SNAPSHOT_CREATE_CURRENT = 1 << 1
SNAPSHOT_CREATE_NO_METADATA = 1 << 2
SNAPSHOT_CREATE_HALT = 1 << 3
SNAPSHOT_CREATE_DISK_ONLY = 1 << 4
SNAPSHOT_CREATE_REUSE_EXT = 1 << 5
SNAPSHOT_CREATE_QUIESCE = 1 << 6
SNAPSHOT_CREATE_ATOMIC = 1 << 7
SNAPSHOT_CREATE_LIVE = 1 << 8
SNAPSHOT_CREATE_VALIDATE = 1 << 9

# virDomainSnapshotListFlags (ROOTS and DESCENDANTS share a bit: ROOTS for
# a domain's list, DESCENDANTS for a snapshot's children)
SNAPSHOT_LIST_ROOTS = 1 << 0
SNAPSHOT_LIST_DESCENDANTS = 1 << 0
SNAPSHOT_LIST_METADATA = 1 << 1
SNAPSHOT_LIST_LEAVES = 1 << 2
SNAPSHOT_LIST_NO_LEAVES = 1 << 3
SNAPSHOT_LIST_NO_METADATA = 1 << 4
SNAPSHOT_LIST_INACTIVE = 1 << 5
SNAPSHOT_LIST_ACTIVE = 1 << 6
SNAPSHOT_LIST_DISK_ONLY = 1 << 7
SNAPSHOT_LIST_INTERNAL = 1 << 8
SNAPSHOT_LIST_EXTERNAL = 1 << 9
SNAPSHOT_LIST_TOPOLOGICAL = 1 << 10

# virDomainSnapshotRevertFlags
SNAPSHOT_REVERT_RUNNING = 1 << 0
SNAPSHOT_REVERT_PAUSED = 1 << 1
SNAPSHOT_REVERT_FORCE = 1 << 2
SNAPSHOT_REVERT_RESET_NVRAM = 1 << 3

# virDomainSnapshotDeleteFlags
SNAPSHOT_DELETE_CHILDREN = 1 << 0
SNAPSHOT_DELETE_METADATA_ONLY = 1 << 1
SNAPSHOT_DELETE_CHILDREN_ONLY = 1 << 2

# virDomainSnapshotXMLFlags
SNAPSHOT_XML_SECURE = 1 << 0

# virDomainCheckpointCreateFlags
CHECKPOINT_CREATE_REDEFINE = 1 << 0
CHECKPOINT_CREATE_QUIESCE = 1 << 1
CHECKPOINT_CREATE_REDEFINE_VALIDATE = 1 << 2

# virDomainCheckpointListFlags
CHECKPOINT_LIST_ROOTS = 1 << 0
CHECKPOINT_LIST_DESCENDANTS = 1 << 0
CHECKPOINT_LIST_TOPOLOGICAL = 1 << 1
CHECKPOINT_LIST_LEAVES = 1 << 2
CHECKPOINT_LIST_NO_LEAVES = 1 << 3

# virDomainCheckpointDeleteFlags
CHECKPOINT_DELETE_CHILDREN = 1 << 0
CHECKPOINT_DELETE_METADATA_ONLY = 1 << 1
CHECKPOINT_DELETE_CHILDREN_ONLY = 1 << 2

# virDomainCheckpointXMLFlags
CHECKPOINT_XML_SECURE = 1 << 0
CHECKPOINT_XML_NO_DOMAIN = 1 << 1
CHECKPOINT_XML_SIZE = 1 << 2

# virDomainBackupBeginFlags
BACKUP_BEGIN_REUSE_EXTERNAL = 1 << 0


# --- the public API's own argument checks ----------------------------------
def _exclusive(flags, a, a_name, b, b_name):
    if flags & a and flags & b:
        raise VirtError(INVALID_ARG, "Flags '%s' and '%s' are mutually exclusive"
                        % (a_name, b_name), raw=True)


def _requires(flags, needed, needed_name, by, by_name):
    if flags & by and not flags & needed:
        raise VirtError(INVALID_ARG, "Flag '%s' is required by flag '%s'"
                        % (needed_name, by_name), raw=True)


def check_snapshot_create_flags(flags):
    """virDomainSnapshotCreateXML's checks, before the driver's."""
    _requires(flags, SNAPSHOT_CREATE_REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE",
              SNAPSHOT_CREATE_CURRENT, "VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT")
    _exclusive(flags, SNAPSHOT_CREATE_REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE",
               SNAPSHOT_CREATE_NO_METADATA, "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA")


def check_snapshot_revert_flags(flags):
    """virDomainRevertToSnapshot's checks, before the driver's."""
    _exclusive(flags, SNAPSHOT_REVERT_RUNNING, "VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING",
               SNAPSHOT_REVERT_PAUSED, "VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED")


def check_snapshot_delete_flags(flags):
    """virDomainSnapshotDelete's checks, before the driver's."""
    _exclusive(flags, SNAPSHOT_DELETE_CHILDREN, "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN",
               SNAPSHOT_DELETE_CHILDREN_ONLY, "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY")


def check_checkpoint_create_flags(flags):
    """virDomainCheckpointCreateXML's checks, before the driver's."""
    _requires(flags, CHECKPOINT_CREATE_REDEFINE, "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE",
              CHECKPOINT_CREATE_REDEFINE_VALIDATE,
              "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE")
    _exclusive(flags, CHECKPOINT_CREATE_REDEFINE, "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE",
               CHECKPOINT_CREATE_QUIESCE, "VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE")


def check_checkpoint_delete_flags(flags):
    """virDomainCheckpointDelete's checks, before the driver's."""
    _exclusive(flags, CHECKPOINT_DELETE_CHILDREN, "VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN",
               CHECKPOINT_DELETE_CHILDREN_ONLY,
               "VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY")


def check_flags(flags, allowed, function):
    """A driver's virCheckFlags: reject bits outside *allowed*."""
    unknown = flags & ~allowed
    if unknown:
        raise VirtError(INVALID_ARG, "unsupported flags (0x%x) in function %s"
                        % (unknown, function), raw=True)


# --- the handles -----------------------------------------------------------
class _Moment(ApiObject):
    """What snapshots and checkpoints share: a name within a domain."""

    def __init__(self, domain, name):
        self.conn = domain.conn
        self._domain = domain
        self._name = name

    def name(self):
        """The snapshot's or checkpoint's name."""
        return self._name

    def domain(self):
        """The Domain it belongs to."""
        return self._domain

    def __eq__(self, other):
        return (type(other) is type(self) and other._name == self._name
                and other._domain.uuid() == self._domain.uuid())

    def __hash__(self):
        return hash((self._name, self._domain.uuid()))

    def __repr__(self):
        return "<%s %r of %r>" % (type(self).__name__, self._name,
                                  self._domain.name())


class DomainSnapshot(_Moment):
    """A snapshot of a domain; drivers subclass it."""

    @api("virDomainSnapshotGetXMLDesc")
    def xml_desc(self, flags=0):
        """The snapshot XML (flags: SNAPSHOT_XML_SECURE)."""

    @api("virDomainSnapshotGetParent")
    def parent(self, flags=0):
        """The parent DomainSnapshot (NO_DOMAIN_SNAPSHOT error for a root)."""

    @api("virDomainSnapshotNumChildren")
    def num_children(self, flags=0):
        """How many children (with SNAPSHOT_LIST_DESCENDANTS: descendants)."""

    @api("virDomainSnapshotListAllChildren")
    def list_all_children(self, flags=0):
        """The children (or descendants) matching the SNAPSHOT_LIST_* flags."""

    @api("virDomainSnapshotIsCurrent")
    def is_current(self, flags=0):
        """Whether this is the domain's current snapshot."""

    @api("virDomainSnapshotHasMetadata")
    def has_metadata(self, flags=0):
        """Whether the driver keeps metadata for this snapshot."""

    @api("virDomainRevertToSnapshot", write=True)
    def revert(self, flags=0):
        """Bring the domain back to this snapshot (SNAPSHOT_REVERT_* flags)."""

    @api("virDomainSnapshotDelete", write=True)
    def delete(self, flags=0):
        """Delete the snapshot (SNAPSHOT_DELETE_* flags)."""


class DomainCheckpoint(_Moment):
    """A checkpoint of a domain; drivers subclass it."""

    @api("virDomainCheckpointGetXMLDesc")
    def xml_desc(self, flags=0):
        """The checkpoint XML (CHECKPOINT_XML_* flags)."""

    @api("virDomainCheckpointGetParent")
    def parent(self, flags=0):
        """The parent DomainCheckpoint (NO_DOMAIN_CHECKPOINT error for a root)."""

    @api("virDomainCheckpointListAllChildren")
    def list_all_children(self, flags=0):
        """The children (or descendants) matching CHECKPOINT_LIST_* flags."""

    @api("virDomainCheckpointDelete", write=True)
    def delete(self, flags=0):
        """Delete the checkpoint (CHECKPOINT_DELETE_* flags)."""
