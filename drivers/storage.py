"""StoragePool and StorageVol: storage of a connection.

Drivers subclass them and override the APIs they support (see
drivers/base.py); the state, type and flag values are libvirt's.
"""
from virtsh.drivers.base import ApiObject, api

# virStoragePoolState
POOL_INACTIVE, POOL_BUILDING, POOL_RUNNING, POOL_DEGRADED, POOL_INACCESSIBLE = range(5)

# virStorageVolType
VOL_FILE, VOL_BLOCK, VOL_DIR, VOL_NETWORK, VOL_NETDIR, VOL_PLOOP = range(6)
VOL_TYPE_NAMES = ("file", "block", "dir", "network", "netdir", "ploop")

# Pool types in libvirt's order (virStoragePoolType).
POOL_TYPES = ("dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct",
              "scsi", "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage")

# virConnectListAllStoragePoolsFlags: the state/persistence bits, then one
# bit per pool type from 1 << 6 in the order of _LIST_TYPE_BITS.
LIST_INACTIVE = 1 << 0
LIST_ACTIVE = 1 << 1
LIST_PERSISTENT = 1 << 2
LIST_TRANSIENT = 1 << 3
LIST_AUTOSTART = 1 << 4
LIST_NO_AUTOSTART = 1 << 5
_LIST_TYPE_BITS = {
    "dir": 6, "fs": 7, "netfs": 8, "logical": 9, "disk": 10, "iscsi": 11,
    "scsi": 12, "mpath": 13, "rbd": 14, "sheepdog": 15, "gluster": 16,
    "zfs": 17, "vstorage": 18, "iscsi-direct": 19,
}


def list_type_flag(pool_type):
    """The ListAllStoragePools flag selecting pools of *pool_type* (0 if unknown)."""
    bit = _LIST_TYPE_BITS.get(pool_type)
    return 0 if bit is None else 1 << bit


def list_type_names(flags):
    """The pool type names whose bits are set in *flags*."""
    return {name for name, bit in _LIST_TYPE_BITS.items() if flags & (1 << bit)}


# virStoragePoolBuildFlags
BUILD_NEW, BUILD_REPAIR, BUILD_RESIZE, BUILD_NO_OVERWRITE, BUILD_OVERWRITE = 0, 1, 2, 4, 8
# virStorageVolCreateFlags
VOL_CREATE_PREALLOC_METADATA, VOL_CREATE_REFLINK = 1, 2
# virStorageVolResizeFlags
RESIZE_ALLOCATE, RESIZE_DELTA, RESIZE_SHRINK = 1, 2, 4
# virStorageVolInfoFlags
VOL_GET_PHYSICAL = 1


class StoragePool(ApiObject):
    """A storage pool; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def name(self):
        raise NotImplementedError

    def uuid(self):
        """The UUID, string form."""
        raise NotImplementedError

    @api("virStoragePoolIsActive")
    def is_active(self):
        """Whether the pool is running."""

    @api("virStoragePoolIsPersistent")
    def is_persistent(self):
        """Whether the pool has a persistent definition."""

    @api("virStoragePoolGetInfo")
    def info(self):
        """(state, capacity, allocation, available), sizes in bytes."""

    @api("virStoragePoolGetAutostart")
    def autostart(self):
        """Whether the pool starts with the host."""

    @api("virStoragePoolSetAutostart", write=True)
    def set_autostart(self, enabled):
        """Mark or unmark the pool for autostart."""

    @api("virStoragePoolGetXMLDesc")
    def xml_desc(self, flags=0):
        """The pool XML."""

    @api("virStoragePoolBuild", write=True)
    def build(self, flags=0):
        """Build the underlying storage."""

    @api("virStoragePoolCreate", write=True)
    def create(self, flags=0):
        """Start a defined pool."""

    @api("virStoragePoolDestroy", write=True)
    def destroy(self):
        """Stop the pool (a transient one disappears)."""

    @api("virStoragePoolDelete", write=True)
    def delete(self, flags=0):
        """Delete the underlying storage of an inactive pool."""

    @api("virStoragePoolUndefine", write=True)
    def undefine(self):
        """Remove the persistent definition of an inactive pool."""

    @api("virStoragePoolRefresh", write=True)    # libvirt refuses it read-only
    def refresh(self, flags=0):
        """Rescan the pool's volumes."""

    @api("virStoragePoolListAllVolumes")
    def list_all_volumes(self, flags=0):
        """Every StorageVol of the pool."""

    @api("virStorageVolLookupByName")
    def lookup_volume_by_name(self, name):
        """The StorageVol called *name* in this pool."""

    @api("virStorageVolCreateXML", write=True)
    def create_volume(self, xml, flags=0):
        """Create a volume from XML; returns the StorageVol."""

    @api("virStorageVolCreateXMLFrom", write=True)
    def create_volume_from(self, xml, source_vol, flags=0):
        """Create a volume from XML, its content copied from *source_vol*."""


class StorageVol(ApiObject):
    """A storage volume; drivers subclass it."""

    def __init__(self, conn):
        self.conn = conn

    def name(self):
        raise NotImplementedError

    def key(self):
        raise NotImplementedError

    def pool_name(self):
        """The name of the pool holding the volume."""
        raise NotImplementedError

    @api("virStoragePoolLookupByVolume")
    def pool(self):
        """The StoragePool holding the volume."""

    @api("virStorageVolGetInfo")
    def info(self):
        """(type, capacity, allocation), sizes in bytes."""

    @api("virStorageVolGetInfoFlags")
    def info_flags(self, flags=0):
        """Like info; VOL_GET_PHYSICAL reports the physical size."""

    @api("virStorageVolGetXMLDesc")
    def xml_desc(self, flags=0):
        """The volume XML."""

    @api("virStorageVolGetPath")
    def path(self):
        """The volume's path on the host."""

    @api("virStorageVolDelete", write=True)
    def delete(self, flags=0):
        """Delete the volume."""

    @api("virStorageVolWipe", write=True)
    def wipe(self, algorithm=0, flags=0):
        """Overwrite the volume's data."""

    @api("virStorageVolResize", write=True)
    def resize(self, capacity, flags=0):
        """Change the volume's capacity."""

    @api("virStorageVolUpload", write=True)
    def upload(self, source, offset, length, flags=0):
        """Write the bytes of file object *source* into the volume."""

    @api("virStorageVolDownload")
    def download(self, target, offset, length, flags=0):
        """Copy the volume's bytes into file object *target*."""
