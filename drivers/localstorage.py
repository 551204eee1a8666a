"""Storage pools of directories on this host, without a daemon.

A driver gets libvirt's ``dir`` pools by mixing ``LocalStorageMixin`` into
its Connection and defining ``_storage_dirs()`` -> (config_dir, state_dir):
persistent pool definitions live in ``config_dir/NAME.xml`` (autostart
links in ``config_dir/autostart``), running pools in ``state_dir/NAME.xml``,
so every process sees the same pools, as with libvirtd.  Volumes are the
files of the pool's target directory; ``qemu-img`` makes the non-raw ones.
"""
import os

from virtsh.drivers import files, poolbackends
from virtsh.drivers import storage as S
from virtsh.drivers.errors import (
    VirtError, ARGUMENT_UNSUPPORTED, CONFIG_UNSUPPORTED, INTERNAL_ERROR, INVALID_ARG,
    NO_STORAGE_POOL, NO_STORAGE_VOL, OPERATION_FAILED, OPERATION_INVALID,
    OPERATION_UNSUPPORTED,
    NO_SUPPORT, STORAGE_VOL_EXIST, SYSTEM_ERROR, XML_ERROR, check_flags)
from virtsh.drivers.listing import wanted

# virStoragePoolCreateFlags
POOL_CREATE_WITH_BUILD = 1
POOL_CREATE_WITH_BUILD_OVERWRITE = 2
POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 4
QCOW2_MAGIC = b"QFI\xfb"


def _system_error(message, err):
    return VirtError(SYSTEM_ERROR, "%s: %s" % (message, os.strerror(err.errno)))


# image formats told apart by their headers: (format, magic, its offset,
# offset of the virtual size, its byte order, unit of the size)
_IMAGE_HEADERS = (
    ("vmdk", b"KDMV", 0, 12, "little", 512),
    ("vdi", b"\x7f\x10\xda\xbe", 64, 368, "little", 1),
    ("vpc", b"conectix", 0, 48, "big", 1),
    ("qed", b"QED\0", 0, 48, "little", 1),
)


def _probe(path):
    """(format, capacity) of an image file or device from its header (qcow
    and qcow2 by their version, vmdk, vdi, vpc, qed), else raw."""
    with open(path, "rb") as f:
        head = f.read(512)
        if head[:4] == QCOW2_MAGIC and len(head) >= 32:
            version = int.from_bytes(head[4:8], "big")
            return "qcow" if version == 1 else "qcow2", int.from_bytes(head[24:32], "big")
        for fmt, magic, at, size_at, order, unit in _IMAGE_HEADERS:
            if head[at:at + len(magic)] == magic and len(head) >= size_at + 8:
                return fmt, int.from_bytes(head[size_at:size_at + 8], order) * unit
        return "raw", f.seek(0, os.SEEK_END)


def _is_block(path):
    import stat
    return stat.S_ISBLK(os.stat(path).st_mode)


def _backing_file(path):
    """The backing file a qcow2 image names (absolute), or None."""
    with open(path, "rb") as f:
        head = f.read(20)
        offset, size = int.from_bytes(head[8:16], "big"), int.from_bytes(head[16:20], "big")
        if not offset or not size:
            return None
        f.seek(offset)
        name = f.read(size).decode("utf-8", "replace")
    return os.path.join(os.path.dirname(path), name)


def _add_target_permissions(defn):
    """A running pool shows its target's actual mode and owner, as libvirt's
    refresh records them (unless the definition sets them)."""
    target = defn.tree.find("target")
    if target is None or target.find("permissions") is not None \
            or not os.path.exists(defn.target_path):
        return
    target.append(_permissions(os.stat(defn.target_path)))


def _permissions(st):
    from virtsh.xmlconf import objxml
    return objxml.element("permissions", children=[
        objxml.element("mode", text="%04o" % (st.st_mode & 0o7777)),
        objxml.element("owner", text=st.st_uid),
        objxml.element("group", text=st.st_gid)])


def _file_facts(path, fmt):
    """<format>, <permissions> and <timestamps> of a volume's file, as
    libvirt's volume XML shows them (it knows no birth time: 0)."""
    from virtsh.xmlconf import objxml
    st = os.stat(path)

    def stamp(ns):
        return "%d.%09d" % divmod(ns, 10 ** 9)
    return [objxml.element("format", {"type": fmt}), _permissions(st),
            objxml.element("timestamps", children=[
                objxml.element("atime", text=stamp(st.st_atime_ns)),
                objxml.element("mtime", text=stamp(st.st_mtime_ns)),
                objxml.element("ctime", text=stamp(st.st_ctime_ns)),
                objxml.element("btime", text="0")])]


class LocalPool(S.StoragePool):
    """A handle on a directory pool."""

    def __init__(self, conn, defn):
        super().__init__(conn)
        self._name = defn.name
        self._uuid = defn.uuid

    def name(self):
        return self._name

    def uuid(self):
        return self._uuid

    def _state(self):
        return self.conn._local_pool(self._name)

    def _active(self):
        defn, active, _ = self._state()
        if not active:
            raise VirtError(OPERATION_INVALID, "storage pool '%s' is not active"
                            % self._name)
        return defn

    def _inactive(self, already=False):
        """The definition of a pool that must not be running; libvirt says
        "already active" to build/start and "still active" to delete/undefine."""
        defn, active, persistent = self._state()
        if active:
            raise VirtError(OPERATION_INVALID, "storage pool '%s' is %s active"
                            % (self._name, "already" if already else "still"))
        return defn, persistent

    def is_active(self):
        return self._state()[1]

    def is_persistent(self):
        return self._state()[2]

    def _sizes(self, defn):
        return poolbackends.for_pool(defn).sizes(defn)

    def info(self):
        defn, active, _ = self._state()
        if not active:
            return (S.POOL_INACTIVE, 0, 0, 0)
        return (S.POOL_RUNNING,) + self._sizes(defn)

    def autostart(self):
        return os.path.lexists(self.conn._autostart_link(self._name))

    def set_autostart(self, enabled):
        if not self._state()[2]:
            raise VirtError(INTERNAL_ERROR, "pool has no config file")
        link = self.conn._autostart_link(self._name)
        if enabled and not os.path.lexists(link):
            os.makedirs(os.path.dirname(link), mode=0o700, exist_ok=True)
            os.symlink(self.conn._pool_file(self._name, persistent=True), link)
        elif not enabled and os.path.lexists(link):
            os.unlink(link)

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import storage
        check_flags(flags, 1, "storagePoolGetXMLDesc")
        defn, active, _ = self._state()
        sizes = (0, 0, 0)
        if active and not flags:
            sizes = self._sizes(defn)
            _add_target_permissions(defn)
        return storage.format_pool(defn, *sizes)

    def build(self, flags=0):
        check_flags(flags, S.BUILD_NO_OVERWRITE | S.BUILD_OVERWRITE, "storagePoolBuild")
        if flags & S.BUILD_NO_OVERWRITE and flags & S.BUILD_OVERWRITE:
            raise VirtError(OPERATION_INVALID, "Overwrite and no overwrite flags are "
                            "mutually exclusive")
        defn = self._inactive(already=True)[0]
        poolbackends.for_pool(defn).build(defn, flags)

    def create(self, flags=0):
        check_flags(flags, 7, "storagePoolCreate")
        defn, _ = self._inactive(already=True)
        self.conn._start_pool(defn, flags)

    def destroy(self):
        defn = self._active()
        poolbackends.for_pool(defn).stop(defn)
        os.unlink(self.conn._pool_file(self._name, persistent=False))

    def delete(self, flags=0):
        check_flags(flags, 1, "storagePoolDelete")
        defn, _ = self._inactive()
        poolbackends.for_pool(defn).delete(defn)

    def undefine(self):
        _, persistent = self._inactive()
        if not persistent:
            raise VirtError(OPERATION_INVALID, "storage pool '%s' is not persistent"
                            % self._name)
        self.set_autostart(False)
        os.unlink(self.conn._pool_file(self._name, persistent=True))

    def refresh(self, flags=0):
        check_flags(flags, 0, "storagePoolRefresh")
        self._active()

    def _volume_path(self, name):
        return os.path.join(self._active().target_path, name)

    def _backend(self):
        return poolbackends.for_pool(self._state()[0])

    def list_all_volumes(self, flags=0):
        check_flags(flags, 0, "storagePoolListAllVolumes")
        defn, active, _ = self._state()
        if not active:
            raise VirtError(OPERATION_INVALID, "storage pool '%s' is not active"
                            % self._name)
        return [LocalVol(self.conn, self._name, path)
                for path in poolbackends.for_pool(defn).volume_paths(defn)]

    def lookup_volume_by_name(self, name):
        path = self._volume_path(name)
        if "/" in name or not self._backend().has_volume(path):
            raise VirtError(NO_STORAGE_VOL, "no storage vol with matching name '%s'" % name)
        return LocalVol(self.conn, self._name, path)

    def create_volume(self, xml, flags=0):
        return self._new_volume(xml, None, flags)

    def create_volume_from(self, xml, source_vol, flags=0):
        return self._new_volume(xml, source_vol, flags)

    def _new_volume(self, xml, source, flags):
        from virtsh.xmlconf import storage
        check_flags(flags, S.VOL_CREATE_PREALLOC_METADATA | S.VOL_CREATE_REFLINK | 4,
                    "storageVolCreateXML")
        defn = self._active()
        backend = poolbackends.for_pool(defn)
        vol = storage.parse_volume(xml, defn.type)
        if "/" in vol.name:             # a volume is a file of the target folder
            raise VirtError(OPERATION_INVALID, "volume name '%s' cannot contain '/'"
                            % vol.name)
        path = self._volume_path(vol.name)
        if os.path.lexists(path):
            if source is not None:
                raise VirtError(INTERNAL_ERROR, "storage volume name '%s' already in use."
                                % vol.name)
            raise VirtError(STORAGE_VOL_EXIST, "storage volume '%s' exists already"
                            % vol.name, raw=True)
        if backend.volume_kind == "block":
            if source is not None:
                raise VirtError(CONFIG_UNSUPPORTED, "cloning into a logical volume "
                                "is not supported")
            backend.create_volume(defn, vol.name, vol.capacity)
            return LocalVol(self.conn, self._name, path)
        fmt = vol.tree.find("target/format").get("type")
        if fmt not in poolbackends.FILE_FORMATS:
            raise VirtError(CONFIG_UNSUPPORTED, "unknown volume format type %s" % fmt)
        backing = vol.tree.findtext("backingStore/path")
        if fmt == "raw" and source is None:
            _check_raw_request(flags, backing)
        try:
            if source is not None:
                _copy_image(source.path(), path, fmt)
            elif fmt == "raw" and backing is None:
                _make_raw(path, vol.capacity, vol.allocation)
            else:
                _qemu_img(["create", "-f", fmt]
                          + (["-b", backing, "-F", _probe(backing)[0]] if backing else [])
                          + _preallocation(vol, fmt, flags)
                          + [path, str(vol.capacity)])
            os.chmod(path, 0o600)
        except BaseException as e:
            if os.path.lexists(path):
                os.unlink(path)         # nothing half-created stays behind
            if isinstance(e, OSError):
                raise _system_error("cannot extend file '%s'" % path, e) from None
            raise
        return LocalVol(self.conn, self._name, path)


def _check_raw_request(flags, backing):
    """What a raw file cannot be (libvirt's refusals, in its order)."""
    if flags & S.VOL_CREATE_PREALLOC_METADATA:
        raise VirtError(CONFIG_UNSUPPORTED, "metadata preallocation is not supported "
                        "for raw volumes")
    if backing is not None:
        raise VirtError(NO_SUPPORT, "backing storage not supported for raw volumes")


def _preallocation(vol, fmt, flags):
    """qemu-img's preallocation option for --prealloc-metadata, as libvirt
    picks it: metadata only for a sparse volume, falloc for a full one."""
    if not flags & S.VOL_CREATE_PREALLOC_METADATA or fmt != "qcow2":
        return []
    mode = "metadata" if vol.capacity > vol.allocation else "falloc"
    return ["-o", "preallocation=" + mode]


def _make_raw(path, capacity, allocation):
    """A raw file of *capacity* bytes, *allocation* of them reserved on disk
    (libvirt's order, so a full disk fails with its message)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.ftruncate(fd, capacity)
        size = min(allocation, capacity)
        if size:
            try:
                os.posix_fallocate(fd, 0, size)
            except OSError as e:
                raise _system_error("cannot allocate %d bytes in file '%s'"
                                    % (size, path), e) from None
    finally:
        os.close(fd)


def _resize_raw(path, capacity, allocate):
    """Set a raw file's size; *allocate* reserves all of it on disk too."""
    try:
        os.truncate(path, capacity)
    except OSError as e:
        raise _system_error("Failed to truncate file '%s'" % path, e) from None
    if allocate:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.posix_fallocate(fd, 0, capacity)
        except OSError as e:
            raise _system_error("Failed to pre-allocate space for file '%s'" % path,
                                e) from None
        finally:
            os.close(fd)


def _copy_image(source, target, fmt):
    if _probe(source)[0] == fmt:
        import shutil
        shutil.copyfile(source, target)
        os.chmod(target, 0o600)
    else:
        _qemu_img(["convert", "-O", fmt, source, target])


# virStorageVolWipeAlgorithm -> the pattern name of scrub(1)
SCRUB_PATTERNS = (None, "nnsa", "dod", "bsi", "gutmann", "schneier", "pfitzner7",
                  "pfitzner33", "random")
WIPE_TRIM = 9


def _scrub(path, algorithm):
    """Wipe *path* with scrub's pattern for libvirt's algorithm number."""
    import shutil
    if algorithm == WIPE_TRIM:
        raise VirtError(ARGUMENT_UNSUPPORTED, "'trim' algorithm not supported")
    if not 0 < algorithm < len(SCRUB_PATTERNS):
        raise VirtError(INVALID_ARG, "wiping algorithm %d not supported" % algorithm)
    if shutil.which("scrub") is None:
        raise VirtError(SYSTEM_ERROR, "Cannot find 'scrub' in path: No such file or "
                        "directory")
    poolbackends.run(["scrub", "-f", "-p", SCRUB_PATTERNS[algorithm], path],
                     "cannot wipe '%s'" % path)


def _qemu_img(argv):
    import subprocess
    try:
        proc = subprocess.run(["qemu-img"] + argv, capture_output=True, text=True)
    except FileNotFoundError:
        raise VirtError(INTERNAL_ERROR, "creation of non-raw file images is not "
                        "supported without qemu-img.") from None
    if proc.returncode:
        raise VirtError(INTERNAL_ERROR, "qemu-img failed: %s" % proc.stderr.strip())


class LocalVol(S.StorageVol):
    """A file of a directory pool."""

    def __init__(self, conn, pool_name, path):
        super().__init__(conn)
        self._pool = pool_name
        self._path = path

    def name(self):
        return os.path.basename(self._path)

    def key(self):
        return self._path

    def pool_name(self):
        return self._pool

    def _backend(self):
        return poolbackends.for_pool(self.conn._local_pool(self._pool)[0])

    def _check(self):
        if not os.path.exists(self._path):
            raise VirtError(NO_STORAGE_VOL, "no storage vol with matching name '%s'"
                            % self.name())
        return self._path

    def pool(self):
        return self.conn.lookup_storage_pool_by_name(self._pool)

    def info(self):
        fmt, capacity = _probe(self._check())
        if _is_block(self._path):
            return S.VOL_BLOCK, capacity, capacity
        return S.VOL_FILE, capacity, os.stat(self._path).st_blocks * 512

    def info_flags(self, flags=0):
        check_flags(flags, S.VOL_GET_PHYSICAL, "storageVolGetInfoFlags")
        vtype, capacity, allocation = self.info()
        if flags & S.VOL_GET_PHYSICAL:
            allocation = os.path.getsize(self._path)
        return vtype, capacity, allocation

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import objxml
        el = objxml.element
        check_flags(flags, 0, "storageVolGetXMLDesc")
        fmt, capacity = _probe(self._check())
        vtype, _, allocation = self.info()
        root = el("volume", {"type": S.VOL_TYPE_NAMES[vtype]}, children=[
            el("name", text=self.name()), el("key", text=self._path),
            el("capacity", {"unit": "bytes"}, capacity),
            el("allocation", {"unit": "bytes"}, allocation),
            el("physical", {"unit": "bytes"}, _probe(self._path)[1] if fmt == "raw"
               else os.stat(self._path).st_size),
            el("target", children=[el("path", text=self._path)]
               + _file_facts(self._path, fmt))])
        backing = _backing_file(self._path) if fmt == "qcow2" else None
        if backing:
            facts = _file_facts(backing, _probe(backing)[0]) \
                if os.path.exists(backing) else []
            root.append(el("backingStore", children=[el("path", text=backing)] + facts))
        return objxml.write(root)

    def path(self):
        return self._check()

    def delete(self, flags=0):
        check_flags(flags, 0, "storageVolDelete")
        self.conn._check_volume_unused(self._check(), self.name())
        backend = self._backend()
        if backend.volume_kind == "block":
            backend.delete_volume(self._path)
            return
        try:
            os.unlink(self._path)
        except OSError as e:
            raise _system_error("cannot unlink file '%s'" % self._path, e) from None

    def wipe(self, algorithm=0, flags=0):
        check_flags(flags, 0, "storageVolWipe")
        if algorithm != 0:
            _scrub(self._check(), algorithm)
            return
        size = os.path.getsize(self._check())
        with open(self._path, "r+b") as f:
            chunk = b"\0" * (1 << 20)
            done = 0
            while done < size:
                done += f.write(chunk[:min(len(chunk), size - done)])

    def resize(self, capacity, flags=0):
        check_flags(flags, S.RESIZE_ALLOCATE | S.RESIZE_DELTA | S.RESIZE_SHRINK,
                    "storageVolResize")
        fmt, current = _probe(self._check())
        allocation = self.info()[2]
        if flags & S.RESIZE_DELTA:
            capacity = current - min(capacity, current) if flags & S.RESIZE_SHRINK \
                else current + capacity
        if capacity < allocation:
            raise VirtError(INVALID_ARG, "can't shrink capacity below existing allocation")
        if capacity < current and not flags & S.RESIZE_SHRINK:
            raise VirtError(INVALID_ARG, "Can't shrink capacity below current capacity "
                            "unless shrink flag explicitly specified")
        if flags & S.RESIZE_ALLOCATE:
            if capacity - allocation > self.pool().info()[3]:
                raise VirtError(OPERATION_FAILED, "Not enough space left in storage pool")
            if fmt != "raw":
                raise VirtError(OPERATION_UNSUPPORTED, "preallocate is only supported for "
                                "raw type volume")
        if fmt == "raw":
            _resize_raw(self._path, capacity, flags & S.RESIZE_ALLOCATE)
        else:
            _qemu_img(["resize"] + (["--shrink"] if capacity < current else [])
                      + [self._path, str(capacity)])

    def upload(self, source, offset, length, flags=0):
        check_flags(flags, 1, "storageVolUpload")
        with open(self._check(), "r+b") as f:
            f.seek(offset)
            data = source.read(length or -1)
            f.write(data)

    def download(self, target, offset, length, flags=0):
        check_flags(flags, 1, "storageVolDownload")
        with open(self._check(), "rb") as f:
            f.seek(offset)
            target.write(f.read(length or -1))


class LocalStorageMixin:
    """The storage part of a Connection keeping pools as host directories."""

    def _storage_dirs(self):
        """(config_dir, state_dir) of this connection's pools."""
        raise NotImplementedError

    def _pool_file(self, name, persistent):
        config, state = self._storage_dirs()
        return os.path.join(config if persistent else state, name + ".xml")

    def _autostart_link(self, name):
        return os.path.join(self._storage_dirs()[0], "autostart", name + ".xml")

    def _read_pool(self, path):
        from virtsh.xmlconf import storage
        try:
            with open(path) as f:
                return storage.parse_pool(f.read())
        except (OSError, VirtError):
            return None

    def _local_pools(self):
        """name -> (definition, active, persistent), in name order."""
        found = {}
        config, state = self._storage_dirs()
        for directory, persistent in ((config, True), (state, False)):
            if not os.path.isdir(directory):
                continue
            for entry in sorted(os.listdir(directory)):
                if not entry.endswith(".xml"):
                    continue
                defn = self._read_pool(os.path.join(directory, entry))
                if defn is None:
                    continue
                if persistent:
                    found[defn.name] = (defn, False, True)
                else:
                    old = found.get(defn.name)
                    found[defn.name] = (defn, True, old is not None)
        return found

    def _local_pool(self, name):
        state = self._local_pools().get(name)
        if state is None:
            raise VirtError(NO_STORAGE_POOL, "no storage pool with matching name '%s'"
                            % name)
        return state

    def _start_pool(self, defn, flags=0):
        """Build (when asked) and start the pool, then record it as running."""
        backend = poolbackends.for_pool(defn)
        if flags & (POOL_CREATE_WITH_BUILD | POOL_CREATE_WITH_BUILD_OVERWRITE
                     | POOL_CREATE_WITH_BUILD_NO_OVERWRITE):
            backend.build(defn, S.BUILD_OVERWRITE if flags & POOL_CREATE_WITH_BUILD_OVERWRITE
                          else S.BUILD_NO_OVERWRITE
                          if flags & POOL_CREATE_WITH_BUILD_NO_OVERWRITE else 0)
        backend.start(defn)
        files.save_config(self._pool_file(defn.name, persistent=False), _pool_text(defn))

    def _check_volume_unused(self, path, name):
        """Refuse to delete a volume a running guest has as a disk."""
        from virtsh.drivers import domain as D
        try:
            domains = self.list_all_domains(D.LIST_ACTIVE)
        except VirtError:
            return
        for dom in domains:
            from virtsh.xmlconf import domain as xd
            tree = xd.parse_document(dom.xml_desc())
            for src in tree.findall("devices/disk/source"):
                if path in (src.get("file"), src.get("dev")) or (
                        src.get("volume") == name and src.get("pool")
                        and self._pool_of(path) == src.get("pool")):
                    raise VirtError(OPERATION_INVALID, "storage volume '%s' is in use "
                                    "by domain '%s'" % (name, dom.name()))

    def _pool_of(self, path):
        vol = self._vol_search(path)
        return vol.pool_name() if vol else None

    def _check_new_pool(self, defn, allow_inactive_same):
        for name, (other, active, _) in self._local_pools().items():
            if other.uuid == defn.uuid and name != defn.name:
                raise VirtError(OPERATION_FAILED, "pool '%s' is already defined with "
                                "uuid %s" % (name, other.uuid))
            if name == defn.name:
                if other.uuid != defn.uuid:
                    raise VirtError(OPERATION_FAILED, "pool '%s' already exists with "
                                    "uuid %s" % (name, other.uuid))
                if active or not allow_inactive_same:
                    raise VirtError(OPERATION_INVALID, "pool '%s' is already active"
                                    % name)
            elif poolbackends.same_storage(other, defn):
                raise VirtError(OPERATION_FAILED, "Storage source conflict with pool: "
                                "'%s'" % name)

    def _parse_local_pool(self, xml):
        from virtsh.xmlconf import storage
        defn = storage.parse_pool(xml)
        if defn.type not in poolbackends.BACKENDS:
            raise VirtError(CONFIG_UNSUPPORTED, "storage pool type '%s' is not "
                            "supported by this driver" % defn.type)
        mode = defn.tree.findtext("target/permissions/mode")
        if mode is not None and not (mode.strip() and set(mode.strip()) <= set("01234567")):
            raise VirtError(XML_ERROR, "malformed octal mode")
        return defn

    def _autostart_pools(self):
        """Once per boot: forget pools a previous boot left running, start
        the autostart ones (a pool that fails to start stays inactive)."""
        from virtsh.drivers.bootmark import first_since_boot
        config, state = self._storage_dirs()
        if not first_since_boot(state):
            return
        for entry in os.listdir(state):
            if entry.endswith(".xml"):
                os.unlink(os.path.join(state, entry))
        links = os.path.join(config, "autostart")
        for entry in sorted(os.listdir(links)) if os.path.isdir(links) else ():
            defn = self._read_pool(os.path.join(config, entry))
            if defn is not None:
                try:
                    self._start_pool(defn)
                except (VirtError, OSError):
                    pass

    # --- APIs -------------------------------------------------------------
    def list_all_storage_pools(self, flags=0):
        check_flags(flags, (1 << 20) - 1, "connectListAllStoragePools")
        types = S.list_type_names(flags)
        result = []
        for name, (defn, active, persistent) in self._local_pools().items():
            pool = LocalPool(self, defn)
            if (wanted(flags, S.LIST_ACTIVE, S.LIST_INACTIVE, active)
                    and wanted(flags, S.LIST_PERSISTENT, S.LIST_TRANSIENT, persistent)
                    and wanted(flags, S.LIST_AUTOSTART, S.LIST_NO_AUTOSTART,
                               pool.autostart())
                    and (not types or defn.type in types)):
                result.append(pool)
        return result

    def lookup_storage_pool_by_name(self, name):
        return LocalPool(self, self._local_pool(name)[0])

    def lookup_storage_pool_by_uuid(self, uuid):
        key = uuid.replace("-", "").lower()
        for defn, _, _ in self._local_pools().values():
            if defn.uuid.replace("-", "") == key:
                return LocalPool(self, defn)
        raise VirtError(NO_STORAGE_POOL, "no storage pool with matching uuid '%s'" % uuid)

    def define_storage_pool(self, xml, flags=0):
        check_flags(flags, 1, "storagePoolDefineXML")
        defn = self._parse_local_pool(xml)
        self._check_new_pool(defn, allow_inactive_same=True)
        files.save_config(self._pool_file(defn.name, persistent=True), _pool_text(defn))
        return LocalPool(self, defn)

    def create_storage_pool(self, xml, flags=0):
        check_flags(flags, 7, "storagePoolCreateXML")
        defn = self._parse_local_pool(xml)
        self._check_new_pool(defn, allow_inactive_same=False)
        self._start_pool(defn, flags)
        return LocalPool(self, defn)

    def _vol_search(self, path):
        path = os.path.abspath(path)
        for name, (defn, active, _) in self._local_pools().items():
            if active and os.path.dirname(path) == os.path.abspath(defn.target_path) \
                    and poolbackends.for_pool(defn).has_volume(path):
                return LocalVol(self, name, path)
        return None

    def get_storage_pool_capabilities(self, flags=0):
        check_flags(flags, 0, "connectGetStoragePoolCapabilities")
        return poolbackends.capabilities_xml()

    def find_storage_pool_sources(self, pool_type, spec=None, flags=0):
        check_flags(flags, 0, "connectFindStoragePoolSources")
        host = None
        if spec:
            from virtsh.xmlconf import objxml
            found = objxml.parse_root(spec, "source", "storage_pool_source").find("host")
            host = found.get("name") if found is not None else None
        return poolbackends.find_sources(pool_type, host)

    def volume_disk_source(self, pool_name, volume_name):
        """The file behind <disk type='volume'><source pool= volume=/>, for
        the QEMU driver's argv builder; libvirt's errors when either is
        missing or the pool is not running."""
        return self.lookup_storage_pool_by_name(pool_name) \
            .lookup_volume_by_name(volume_name).path()

    def translate_volume_disks(self, root):
        """Turn every <disk type='volume'> of domain tree *root* (a copy the
        caller owns, e.g. the one the QEMU argv is built from) into the
        file or block disk its pool volume is, as libvirt does at start."""
        for disk in root.findall("devices/disk[@type='volume']"):
            source = disk.find("source")
            if source is None:
                continue
            path = self.volume_disk_source(source.get("pool"), source.get("volume"))
            block = _is_block(path)
            disk.set("type", "block" if block else "file")
            source.set("dev" if block else "file", path)

    def lookup_storage_vol_by_key(self, key):
        vol = self._vol_search(key)
        if vol is None:
            raise VirtError(NO_STORAGE_VOL, "no storage vol with matching key %s" % key)
        return vol

    def lookup_storage_vol_by_path(self, path):
        vol = self._vol_search(path)
        if vol is None:
            raise VirtError(NO_STORAGE_VOL, "no storage vol with matching path '%s'"
                            % path)
        return vol


def _pool_text(defn):
    from virtsh.xmlconf import objxml
    return objxml.write(defn.tree, expand=("source",))
