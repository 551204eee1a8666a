"""Test driver: the storage APIs of the connection (mixed into TestConnection).

Pools live in ``self._pools`` (name -> PoolRecord, in definition order),
each with its volumes (name -> VolDef).  As in libvirt's test driver every
pool has 100 GiB; a volume's allocation is taken from the pool's free space.
The default node's pool is kept as text and parsed only when needed.
"""
from virtsh.drivers import storage as S
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, INVALID_ARG, NO_STORAGE_POOL, NO_STORAGE_VOL,
    NO_SUPPORT, OPERATION_FAILED, OPERATION_INVALID, check_flags)
from virtsh.drivers.listing import wanted
from virtsh.drivers.test.handles import RecordHandle

POOL_CAPACITY = 100 * 1024 ** 3

DEFAULT_POOL_XML = """<pool type='dir'>
  <name>default-pool</name>
  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
  <target>
    <path>/default-pool</path>
  </target>
</pool>
"""

LOGICAL_SOURCES = """<sources>
  <source>
    <device path='/dev/sda20'/>
    <name>testvg1</name>
    <format type='lvm2'/>
  </source>
  <source>
    <device path='/dev/sda21'/>
    <name>testvg2</name>
    <format type='lvm2'/>
  </source>
</sources>
"""

NETFS_SOURCES = """<sources>
  <source>
    <host name='%s'/>
    <dir path='/testshare'/>
    <format type='nfs'/>
  </source>
</sources>
"""


class PoolRecord:
    """One pool of the test node: definition, state, sizes and volumes."""

    __slots__ = ("name", "uuid", "type", "_xml", "_def", "active", "persistent",
                 "autostart", "allocation", "volumes")

    def __init__(self, name, uuid, ptype, xml=None, definition=None):
        self.name = name
        self.uuid = uuid
        self.type = ptype
        self._xml = xml
        self._def = definition
        self.active = False
        self.persistent = True
        self.autostart = False
        self.allocation = 0
        self.volumes = {}

    @property
    def definition(self):
        if self._def is None:
            from virtsh.xmlconf import storage
            self._def = storage.parse_pool(self._xml)
        return self._def

    @property
    def target_path(self):
        return self.definition.target_path

    def sizes(self):
        """(capacity, allocation, available) in bytes."""
        return POOL_CAPACITY, self.allocation, POOL_CAPACITY - self.allocation

    def add_volume(self, vol):
        self.volumes[vol.name] = vol
        self.allocation += vol.allocation


def _volume_type(pool_type):
    """libvirt's testStorageVolumeTypeForPool."""
    if pool_type in ("dir", "fs", "netfs", "vstorage"):
        return S.VOL_FILE
    if pool_type in ("sheepdog", "iscsi-direct", "gluster", "rbd"):
        return S.VOL_NETWORK
    return S.VOL_BLOCK


class TestStoragePool(RecordHandle, S.StoragePool):
    """A handle on a test-node pool."""

    def _rec(self):
        return self.conn._pool_by_name(self._name)

    def _active_rec(self):
        return _active_pool(self.conn, self._name)

    def _inactive_rec(self):
        rec = self._rec()
        if rec.active:
            raise VirtError(OPERATION_INVALID, "storage pool '%s' is active" % rec.name)
        return rec

    def is_active(self):
        return self.conn._pool_by_uuid(self._uuid).active

    def is_persistent(self):
        return self.conn._pool_by_uuid(self._uuid).persistent

    def info(self):
        rec = self._rec()
        state = S.POOL_RUNNING if rec.active else S.POOL_INACTIVE
        return (state,) + rec.sizes()

    def autostart(self):
        rec = self._rec()
        return rec.persistent and rec.autostart

    def set_autostart(self, enabled):
        rec = self._rec()
        if not rec.persistent:
            raise VirtError(INVALID_ARG, "pool has no config file")
        rec.autostart = bool(enabled)

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import storage
        check_flags(flags, 0, "testStoragePoolGetXMLDesc")
        rec = self._rec()
        return storage.format_pool(rec.definition, *rec.sizes())

    def build(self, flags=0):
        check_flags(flags, 0, "testStoragePoolBuild")
        self._inactive_rec()

    def create(self, flags=0):
        check_flags(flags, 0, "testStoragePoolCreate")
        self._inactive_rec().active = True

    def destroy(self):
        rec = self._active_rec()
        rec.active = False
        adapter = rec.definition.source_adapter()
        if adapter is not None and adapter.get("type") == "fc_host":
            self.conn._destroy_vport()
        if not rec.persistent:
            self.conn._pools.pop(rec.name, None)

    def delete(self, flags=0):
        check_flags(flags, 0, "testStoragePoolDelete")
        self._inactive_rec()

    def undefine(self):
        self.conn._pools.pop(self._inactive_rec().name, None)

    def refresh(self, flags=0):
        check_flags(flags, 0, "testStoragePoolRefresh")
        self._active_rec()

    def list_all_volumes(self, flags=0):
        check_flags(flags, 0, "testStoragePoolListAllVolumes")
        rec = self.conn._pool_by_uuid(self._uuid)
        if not rec.active:
            raise VirtError(OPERATION_INVALID, "storage pool is not active")
        return [TestStorageVol(self.conn, rec.name, vol) for vol in rec.volumes.values()]

    def lookup_volume_by_name(self, name):
        rec = self._active_rec()
        return TestStorageVol(self.conn, rec.name, _volume_in(rec, name))

    def create_volume(self, xml, flags=0):
        check_flags(flags, 0, "testStorageVolCreateXML")
        return self._add_volume(xml, None)

    def create_volume_from(self, xml, source_vol, flags=0):
        check_flags(flags, 0, "testStorageVolCreateXMLFrom")
        return self._add_volume(xml, source_vol)

    def _add_volume(self, xml, source_vol):
        from virtsh.xmlconf import storage
        rec = self._active_rec()
        vol = storage.parse_volume(xml, rec.type)
        if vol.name in rec.volumes:
            raise VirtError(OPERATION_FAILED, "storage vol already exists")
        if source_vol is not None and source_vol.name() not in rec.volumes:
            raise VirtError(NO_STORAGE_VOL, "no storage vol with matching name '%s'"
                            % source_vol.name())
        if rec.allocation + vol.allocation > POOL_CAPACITY:
            raise VirtError(INTERNAL_ERROR, "Not enough free space in pool for "
                            "volume '%s'" % vol.name)
        vol.set_location("%s/%s" % (rec.target_path, vol.name))
        rec.add_volume(vol)
        return TestStorageVol(self.conn, rec.name, vol)


def _active_pool(conn, name):
    """The record of running pool *name* (libvirt's FindActiveByName)."""
    rec = conn._pool_by_name(name)
    if not rec.active:
        raise VirtError(OPERATION_INVALID, "storage pool '%s' is not active" % rec.name)
    return rec


def _volume_in(rec, name):
    vol = rec.volumes.get(name)
    if vol is None:
        raise VirtError(NO_STORAGE_VOL, "no storage vol with matching name '%s'" % name)
    return vol


class TestStorageVol(S.StorageVol):
    """A handle on a volume of a test-node pool."""

    def __init__(self, conn, pool_name, vol):
        super().__init__(conn)
        self._pool = pool_name
        self._name = vol.name
        self._key = vol.key

    def name(self):
        return self._name

    def key(self):
        return self._key

    def pool_name(self):
        return self._pool

    def _vol(self):
        rec = _active_pool(self.conn, self._pool)
        return rec, _volume_in(rec, self._name)

    def pool(self):
        return self.conn.lookup_storage_pool_by_name(self._pool)

    def info(self):
        rec, vol = self._vol()
        return _volume_type(rec.type), vol.capacity, vol.allocation

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import storage
        check_flags(flags, 0, "testStorageVolGetXMLDesc")
        return storage.format_volume(self._vol()[1])

    def path(self):
        return self._vol()[1].path

    def delete(self, flags=0):
        check_flags(flags, 0, "testStorageVolDelete")
        rec, vol = self._vol()
        rec.allocation -= vol.allocation
        del rec.volumes[vol.name]


class StorageMixin:
    """The storage part of TestConnection."""

    # --- node loading -----------------------------------------------------
    def _init_storage(self, root):
        self._pools = {}
        if root is None:
            rec = PoolRecord("default-pool", "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566",
                             "dir", xml=DEFAULT_POOL_XML)
            rec.active = True
            self._pools[rec.name] = rec
            return
        from lxml import etree
        from virtsh.xmlconf import storage
        for elem in root.findall("pool"):
            volumes = elem.findall("volume")
            for v in volumes:
                elem.remove(v)
            rec = self._add_pool(storage.parse_pool(etree.tostring(elem)))
            rec.active = True
            for v in volumes:
                vol = storage.parse_volume(etree.tostring(v), rec.type)
                path = vol.path or "%s/%s" % (rec.target_path, vol.name)
                vol.set_location(path, vol.key or path)
                rec.add_volume(vol)

    # --- records ----------------------------------------------------------
    def _pool_by_name(self, name):
        rec = self._pools.get(name)
        if rec is None:
            raise VirtError(NO_STORAGE_POOL, "no storage pool with matching name '%s'"
                            % name)
        return rec

    def _pool_by_uuid(self, uuid):
        key = uuid.replace("-", "").lower()
        for rec in self._pools.values():
            if rec.uuid.replace("-", "").lower() == key:
                return rec
        raise VirtError(NO_STORAGE_POOL, "no storage pool with matching uuid '%s'" % uuid)

    def _add_pool(self, defn, check_live=False):
        """libvirt's virStoragePoolObjListAdd: a new pool, or a new
        definition for an inactive pool of the same name and UUID."""
        for rec in self._pools.values():
            if rec.uuid == defn.uuid:
                if rec.name != defn.name:
                    raise VirtError(OPERATION_FAILED, "pool '%s' is already defined "
                                    "with uuid %s" % (rec.name, rec.uuid))
                if check_live and rec.active:
                    raise VirtError(OPERATION_FAILED, "pool '%s' is already active"
                                    % rec.name)
                rec._def, rec._xml = defn, None
                return rec
        if defn.name in self._pools:
            raise VirtError(OPERATION_FAILED, "pool '%s' already exists with uuid %s"
                            % (defn.name, self._pools[defn.name].uuid))
        rec = PoolRecord(defn.name, defn.uuid, defn.type, definition=defn)
        self._pools[rec.name] = rec
        return rec

    # --- APIs -------------------------------------------------------------
    def list_all_storage_pools(self, flags=0):
        check_flags(flags, (1 << 20) - 1, "testConnectListAllStoragePools")
        types = S.list_type_names(flags)
        result = []
        for rec in self._pools.values():
            if not wanted(flags, S.LIST_ACTIVE, S.LIST_INACTIVE, rec.active):
                continue
            if not wanted(flags, S.LIST_PERSISTENT, S.LIST_TRANSIENT, rec.persistent):
                continue
            if not wanted(flags, S.LIST_AUTOSTART, S.LIST_NO_AUTOSTART,
                           rec.persistent and rec.autostart):
                continue
            if types and rec.type not in types:
                continue
            result.append(TestStoragePool(self, rec))
        return result

    def lookup_storage_pool_by_name(self, name):
        return TestStoragePool(self, self._pool_by_name(name))

    def lookup_storage_pool_by_uuid(self, uuid):
        return TestStoragePool(self, self._pool_by_uuid(uuid))

    def define_storage_pool(self, xml, flags=0):
        from virtsh.xmlconf import storage
        check_flags(flags, 1, "testStoragePoolDefineXML")
        rec = self._add_pool(storage.parse_pool(xml))
        rec.persistent = True
        return TestStoragePool(self, rec)

    def create_storage_pool(self, xml, flags=0):
        from virtsh.xmlconf import storage
        check_flags(flags, 0, "testStoragePoolCreateXML")
        defn = storage.parse_pool(xml)
        existed = defn.name in self._pools
        rec = self._add_pool(defn, check_live=True)
        adapter = defn.source_adapter()
        if adapter is not None and adapter.get("type") == "fc_host":
            try:
                self._create_vport(adapter.get("wwnn"), adapter.get("wwpn"))
            except VirtError:
                if not existed:
                    del self._pools[rec.name]
                raise
        rec.persistent = False
        rec.active = True
        return TestStoragePool(self, rec)

    def find_storage_pool_sources(self, pool_type, spec=None, flags=0):
        check_flags(flags, 0, "testConnectFindStoragePoolSources")
        if pool_type == "dir":
            # libvirt takes type number 0 (dir) for "no such type" here
            raise VirtError(INTERNAL_ERROR, "unknown storage pool type %s" % pool_type)
        host = None
        if spec:
            host = _source_host(spec)
        if pool_type == "logical":
            return LOGICAL_SOURCES
        if pool_type == "netfs":
            if not host:
                raise VirtError(INVALID_ARG, "hostname must be specified for netfs sources")
            return NETFS_SOURCES % host
        raise VirtError(NO_SUPPORT, "pool type '%s' does not support source discovery"
                        % pool_type)

    def _vol_search(self, match, what, value):
        for rec in self._pools.values():
            if not rec.active:
                continue
            for vol in rec.volumes.values():
                if match(vol) == value:
                    return TestStorageVol(self, rec.name, vol)
        raise VirtError(NO_STORAGE_VOL, "no storage vol with matching %s '%s'"
                        % (what, value))

    def lookup_storage_vol_by_key(self, key):
        return self._vol_search(lambda v: v.key, "key", key)

    def lookup_storage_vol_by_path(self, path):
        return self._vol_search(lambda v: v.path, "path", path)


def _source_host(spec):
    """The host name of a ``<source>`` document (find-storage-pool-sources)."""
    from virtsh.xmlconf import objxml
    root = objxml.parse_root(spec, "source", "storage_source_specification")
    host = root.find("host")
    return None if host is None else host.get("name")

