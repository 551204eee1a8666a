"""What each kind of local storage pool does to the host.

One class per pool type: ``dir`` (a directory), ``fs`` (a block device's
filesystem mounted on the target), ``netfs`` (an NFS export mounted on the
target) and ``logical`` (an LVM volume group whose logical volumes are the
volumes).  localstorage.py keeps the pool state and calls these.
"""
import os

from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, OPERATION_INVALID, STORAGE_POOL_BUILT, SYSTEM_ERROR)
from virtsh.drivers.storage import BUILD_NO_OVERWRITE, BUILD_OVERWRITE


def _system_error(message, err):
    return VirtError(SYSTEM_ERROR, "%s: %s" % (message, os.strerror(err.errno)))


# where Debian's libvirt 9.0 runs these tools from: its errors name them so
_LIBVIRT_TOOL_DIRS = {"mount": "/bin", "umount": "/bin", "scrub": "/usr/bin"}


def run(argv, what):
    """Run a host tool (*what* it is for names it when it is missing); when it
    fails, libvirt's error for a failed child process, with the tool's own
    messages (minus LVM's complaints about descriptors it inherited)."""
    import subprocess
    try:
        proc = subprocess.run(argv, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise VirtError(INTERNAL_ERROR, "%s: %s is not installed" % (what, argv[0])) from None
    if proc.returncode:
        errors = "".join(line for line in proc.stderr.splitlines(keepends=True)
                         if "leaked on" not in line)
        command = " ".join(["%s/%s" % (_LIBVIRT_TOOL_DIRS.get(argv[0], "/sbin"), argv[0])]
                           + argv[1:])
        raise VirtError(INTERNAL_ERROR, "Child process (%s) unexpected exit status %d%s"
                        % (command, proc.returncode, ": " + errors if errors.strip() else ""))
    return proc.stdout


def _lvm(argv, what):
    """An LVM tool, quiet about inherited descriptors."""
    os.environ.setdefault("LVM_SUPPRESS_FD_WARNINGS", "1")
    return run(argv, what)


def _source(defn, tag, attr=None):
    elem = defn.tree.find("source/" + tag)
    if elem is None:
        return None
    return elem.get(attr) if attr else (elem.text or "").strip()


def _mounted_on(target):
    target = os.path.realpath(target)
    try:
        with open("/proc/mounts") as f:
            return any(line.split()[1] == target for line in f if len(line.split()) > 1)
    except OSError:
        return False


class DirBackend:
    """A plain directory; its files are the volumes."""

    volume_kind = "file"

    def build(self, defn, flags):
        """Make the target directory: with the definition's <permissions>
        mode, else (when new) libvirt's 0711."""
        path = defn.target_path
        mode = defn.tree.findtext("target/permissions/mode")
        created = not os.path.isdir(path)
        try:
            os.makedirs(path, exist_ok=True)
            if mode or created:
                os.chmod(path, int(mode, 8) if mode else 0o711)
        except OSError as e:
            raise _system_error("cannot create path '%s'" % path, e) from None

    def start(self, defn):
        try:
            os.listdir(defn.target_path)
        except OSError as e:
            raise _system_error("cannot open directory '%s'" % defn.target_path,
                                e) from None

    def stop(self, defn):
        """Nothing to undo for a directory."""

    def delete(self, defn):
        try:
            os.rmdir(defn.target_path)
        except OSError as e:
            raise _system_error("failed to remove pool '%s'" % defn.target_path,
                                e) from None

    def sizes(self, defn):
        """(capacity, allocation, available) in bytes."""
        st = os.statvfs(defn.target_path)
        capacity, free = st.f_frsize * st.f_blocks, st.f_frsize * st.f_bfree
        return capacity, capacity - free, free

    def volume_paths(self, defn):
        target = defn.target_path
        return [os.path.join(target, n) for n in sorted(os.listdir(target))
                if os.path.isfile(os.path.join(target, n))]

    def has_volume(self, path):
        return os.path.isfile(path)


MOUNT_OPTIONS = "nodev,nosuid,noexec"     # libvirt's for every fs and netfs pool


class FsBackend(DirBackend):
    """A filesystem on a block device (or image), mounted on the target."""

    def build(self, defn, flags):
        """Make the target directory; with --overwrite or --no-overwrite also
        the filesystem (format 'auto' makes ext4)."""
        device = _source(defn, "device", "path")
        fmt = _source(defn, "format", "type") or "auto"
        super().build(defn, flags)
        if not flags & (BUILD_NO_OVERWRITE | BUILD_OVERWRITE):
            return
        if not device:
            raise VirtError(OPERATION_INVALID, "No source device specified when "
                            "formatting pool '%s'" % defn.name)
        if not os.path.exists(device):
            raise VirtError(OPERATION_INVALID, "Source device does not exist when "
                            "formatting pool '%s'" % defn.name)
        if flags & BUILD_NO_OVERWRITE and self._has_filesystem(device):
            raise VirtError(STORAGE_POOL_BUILT, "Device '%s' is not empty" % device)
        run(["mkfs", "-t", "ext4" if fmt == "auto" else fmt]
            + (["-F"] if fmt in ("auto", "ext2", "ext3", "ext4") else [])
            + [device], "Failed to make filesystem of type '%s' on device '%s'"
            % (fmt, device))

    def _has_filesystem(self, device):
        import subprocess
        proc = subprocess.run(["blkid", "-p", device], capture_output=True)
        return proc.returncode == 0

    def mount_argv(self, defn):
        device = _source(defn, "device", "path")
        fmt = _source(defn, "format", "type") or "auto"
        return ["mount", "-o", MOUNT_OPTIONS, "-t", fmt, device, defn.target_path]

    def start(self, defn):
        """Mount the source on the target, unless it is mounted there already
        (as libvirt, mount itself reports a missing target)."""
        if not _mounted_on(defn.target_path):
            run(self.mount_argv(defn), "cannot mount pool '%s'" % defn.name)

    def stop(self, defn):
        if _mounted_on(defn.target_path):
            run(["umount", defn.target_path], "cannot unmount '%s'" % defn.target_path)


class NetfsBackend(FsBackend):
    """An NFS export mounted on the target directory."""

    def build(self, defn, flags):
        DirBackend.build(self, defn, flags)

    def mount_argv(self, defn):
        """As libvirt: no -t for format 'auto' (mount probes), CIFS as a guest
        of //HOST/DIR, an NFS protocol version as nfsvers."""
        host = _source(defn, "host", "name")
        directory = _source(defn, "dir", "path")
        fmt = _source(defn, "format", "type") or "auto"
        options = MOUNT_OPTIONS + {"cifs": ",guest",
                                   "glusterfs": ",direct-io-mode=1"}.get(fmt, "")
        version = _source(defn, "protocol", "ver")
        if version and fmt in ("auto", "nfs"):
            options += ",nfsvers=" + version
        source = ("//%s/%s" if fmt == "cifs" else "%s:%s") % (host, directory)
        return (["mount", "-o", options] + (["-t", fmt] if fmt != "auto" else [])
                + [source, defn.target_path])


class LogicalBackend:
    """An LVM volume group; its logical volumes are the volumes."""

    volume_kind = "block"

    def _vg(self, defn):
        return _source(defn, "name") or defn.name

    def build(self, defn, flags):
        devices = [d.get("path") for d in defn.tree.findall("source/device")]
        if not devices:
            raise VirtError(OPERATION_INVALID, "cannot initialize storage pool '%s' "
                            "without source devices" % defn.name)
        for device in devices:
            _lvm(["pvcreate", "-y"] + (["-ff"] if flags & BUILD_OVERWRITE else [])
                 + [device], "cannot initialize '%s' for LVM" % device)
        _lvm(["vgcreate", self._vg(defn)] + devices,
             "cannot create volume group '%s'" % self._vg(defn))

    def start(self, defn):
        _lvm(["vgchange", "-aay", self._vg(defn)], "cannot activate volume group '%s'"
             % self._vg(defn))

    def stop(self, defn):
        _lvm(["vgchange", "-an", self._vg(defn)], "cannot deactivate volume group '%s'"
             % self._vg(defn))

    def delete(self, defn):
        _lvm(["vgremove", "-f", self._vg(defn)], "cannot remove volume group '%s'"
             % self._vg(defn))
        for device in defn.tree.findall("source/device"):
            _lvm(["pvremove", "-y", device.get("path")], "cannot remove physical "
                 "volume '%s'" % device.get("path"))

    def sizes(self, defn):
        out = _lvm(["vgs", "--noheadings", "--units", "b", "--nosuffix", "-o",
                    "vg_size,vg_free", self._vg(defn)], "cannot query volume group")
        size, free = (int(x) for x in out.split()[:2])
        return size, size - free, free

    def volume_paths(self, defn):
        out = _lvm(["lvs", "--noheadings", "-o", "lv_name", self._vg(defn)],
                   "cannot list logical volumes")
        return ["/dev/%s/%s" % (self._vg(defn), n) for n in sorted(out.split())]

    def has_volume(self, path):
        return os.path.exists(path)

    def create_volume(self, defn, name, capacity):
        _lvm(["lvcreate", "-y", "-n", name, "-L", "%dB" % capacity, self._vg(defn)],
             "cannot create logical volume '%s'" % name)

    def delete_volume(self, path):
        _lvm(["lvremove", "-f", path], "cannot remove logical volume '%s'" % path)


BACKENDS = {"dir": DirBackend(), "fs": FsBackend(), "netfs": NetfsBackend(),
            "logical": LogicalBackend()}


def for_pool(defn):
    return BACKENDS[defn.type]


_DEVICE_TYPES = ("fs", "logical", "disk", "iscsi", "iscsi-direct", "zfs")


def same_storage(a, b):
    """Whether pool definitions *a* and *b* name the same storage, which
    libvirt refuses: the same directory (dir), export (netfs) or a shared
    source device (pools built on block devices)."""
    if a.type in ("dir", "netfs") or b.type in ("dir", "netfs"):
        if a.type != b.type:
            return False
        if a.type == "dir":
            return os.path.abspath(a.target_path) == os.path.abspath(b.target_path)
        return (_source(a, "dir", "path") == _source(b, "dir", "path")
                and _source(a, "host", "name") == _source(b, "host", "name"))
    if a.type in _DEVICE_TYPES and b.type in _DEVICE_TYPES:
        devices = {d.get("path") for d in a.tree.findall("source/device")}
        return any(d.get("path") in devices for d in b.tree.findall("source/device"))
    return False


def find_sources(pool_type, host=None):
    """The <sources> document find-storage-pool-sources prints, for the pool
    types that can discover them (logical: volume groups; netfs: a host's
    NFS exports)."""
    from virtsh.drivers.errors import INVALID_ARG, NO_SUPPORT
    from virtsh.xmlconf import objxml
    el = objxml.element
    sources = []
    if pool_type == "logical":
        out = _lvm(["pvs", "--noheadings", "--separator", ",", "-o", "pv_name,vg_name"],
                   "cannot list physical volumes")
        groups = {}
        for line in out.splitlines():
            pv, _, vg = line.strip().partition(",")
            if vg:
                groups.setdefault(vg, []).append(pv)
        for vg, pvs in sorted(groups.items()):
            sources.append(el("source", children=[el("device", {"path": p}) for p in pvs]
                              + [el("name", text=vg), el("format", {"type": "lvm2"})]))
    elif pool_type == "netfs":
        if not host:
            raise VirtError(INVALID_ARG, "hostname must be specified for netfs sources")
        out = run(["showmount", "--no-headers", "-e", host],
                  "cannot list the NFS exports of '%s'" % host)
        for line in out.splitlines():
            if line.split():
                sources.append(el("source", children=[
                    el("host", {"name": host}), el("dir", {"path": line.split()[0]}),
                    el("format", {"type": "nfs"})]))
    else:
        raise VirtError(NO_SUPPORT, "pool type '%s' does not support source discovery"
                        % pool_type)
    return objxml.write(el("sources", children=sources), expand=("sources",))


FILE_FORMATS = ("none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi",
                 "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk")
_FS_FORMATS = ("auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2",
               "vfat", "hfs+", "xfs", "ocfs2", "vmfs")
_DISK_FORMATS = ("unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2")
_PART_TYPES = ("none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm",
               "linux-raid", "extended")
# pool type -> ((pool default format, source formats) or None,
#               (volume default format, target formats) or None), in libvirt's order
_CAPABILITIES = (
    ("dir", None, ("raw", FILE_FORMATS)),
    ("fs", ("auto", _FS_FORMATS), ("raw", FILE_FORMATS)),
    ("netfs", ("auto", ("auto", "nfs", "glusterfs", "cifs")), ("raw", FILE_FORMATS)),
    ("logical", ("lvm2", ("unknown", "lvm2")), None),
    ("disk", ("unknown", _DISK_FORMATS), ("none", _PART_TYPES)),
    ("iscsi", None, None), ("iscsi-direct", None, None), ("scsi", None, None),
    ("mpath", None, None), ("rbd", None, ("raw", ())), ("sheepdog", None, None),
    ("gluster", None, ("raw", FILE_FORMATS)), ("zfs", None, None),
    ("vstorage", None, ("raw", FILE_FORMATS)),
)


def capabilities_xml():
    """The storage pool capabilities document; the types with a backend
    here are the supported ones."""
    from virtsh.xmlconf import objxml
    el = objxml.element

    def options(tag, enum_name, spec):
        default, values = spec
        return el(tag, children=[el("defaultFormat", {"type": default}), el(
            "enum", {"name": enum_name}, children=[el("value", text=v) for v in values])])
    pools = []
    for ptype, pool_opts, vol_opts in _CAPABILITIES:
        pools.append(el("pool", {"type": ptype,
                                 "supported": "yes" if ptype in BACKENDS else "no"},
                        children=[pool_opts and options("poolOptions", "sourceFormatType",
                                                        pool_opts),
                                  vol_opts and options("volOptions", "targetFormatType",
                                                       vol_opts)]))
    # libvirt's document ends with an empty line
    return objxml.write(el("storagepoolCapabilities", children=pools),
                        expand=("pool", "enum")) + "\n"
