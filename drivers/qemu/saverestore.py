"""Saving a running QEMU guest to a file and starting it again from one.

An image is laid out as libvirt's QEMU driver writes it: a header (magic,
version, length of the XML area, whether the guest was running), the
domain XML padded with NULs, then QEMU's migration stream.  The magic
says "Part" while the stream is written and "Save" once it is complete,
so a half-written image is never restored.  QEMU writes the stream to a
file descriptor passed over QMP (``getfd`` + ``migrate fd:``) and reads
it back the same way into a QEMU started with ``-incoming defer``.

``SaveMixin`` is part of QemuDomain (save, managed save, start from a
managed save); ``SaveImagesMixin`` is part of QemuConnection (restore,
save-image-dumpxml/-define).
"""
import os
import stat
import struct
import time

from virtsh.drivers import domain as D
from virtsh.drivers.errors import (VirtError, INVALID_ARG, OPERATION_FAILED,
                                   OPERATION_INVALID, OPERATION_ABORTED, SYSTEM_ERROR)
from virtsh.drivers.qemu.running import RunningBase
from virtsh.xmlconf import XML_SECURE, XML_INACTIVE, XML_MIGRATABLE   # images keep passwords (0600)

MAGIC = b"LibvirtQemudSave"
MAGIC_PARTIAL = b"LibvirtQemudPart"
VERSION = 2
HEADER = struct.Struct("=16s5I15I")          # magic, version, xml area, running,
XML_ALIGN = 64 * 1024                        # compressed, cookie, unused[15]
FULL_BANDWIDTH = 1 << 53                     # bytes/s: no throttling
PAUSED_MIGRATION, PAUSED_SAVE = 2, 3         # virDomainPausedReason
RUNNING_SAVE_CANCELED = 7                    # virDomainRunningReason


# --- the image file -----------------------------------------------------------------
class Image:
    """The header and XML of a save image."""

    def __init__(self, xml, running, area):
        self.xml = xml
        self.running = running
        self.area = area            # bytes reserved for the XML

    @classmethod
    def read(cls, path):
        try:
            with open(path, "rb") as f:
                head = f.read(HEADER.size)
                fields = HEADER.unpack(head) if len(head) == HEADER.size else None
                if fields is None or fields[0] != MAGIC:
                    raise VirtError(OPERATION_FAILED, "image magic is incorrect")
                if fields[1] > VERSION:
                    raise VirtError(OPERATION_FAILED, "image version is not supported "
                                    "(%d > %d)" % (fields[1], VERSION))
                area = fields[2]
                xml = f.read(area).split(b"\0", 1)[0].decode()
        except OSError as e:
            raise open_error(path, e) from None
        return cls(xml, bool(fields[3]), area)

    def header(self, magic=MAGIC):
        return HEADER.pack(magic, VERSION, self.area, int(self.running), 0, 0, *[0] * 15)

    def head_bytes(self, magic=MAGIC):
        data = self.xml.encode()
        if len(data) >= self.area:
            raise VirtError(OPERATION_FAILED, "new xml too large to fit in file")
        return self.header(magic) + data + b"\0" * (self.area - len(data))

    def rewrite(self, path):
        """Store a changed header and XML in place (the stream stays)."""
        try:
            fd = os.open(path, os.O_WRONLY)
        except OSError as e:
            raise open_error(path, e) from None
        try:
            os.write(fd, self.head_bytes())
            os.fsync(fd)
        finally:
            os.close(fd)


def open_error(path, err):
    return VirtError(SYSTEM_ERROR, "Failed to open file '%s': %s"
                     % (path, os.strerror(err.errno)))


def area_for(xml):
    size = len(xml.encode()) + 1
    return (size // XML_ALIGN + 1) * XML_ALIGN


def _wait_migration(mon, what, progress=None, job=None):
    """Poll ``query-migrate`` until the stream is complete, telling
    *progress(done, total)* how far it got and recording it in *job*
    (which another process may ask to abort)."""
    aborting = False
    while True:
        info = mon.cmd("query-migrate")
        status = info.get("status")
        ram = info.get("ram")
        if progress is not None and ram and ram.get("total"):
            progress(min(ram["transferred"], ram["total"]), ram["total"])
        if status == "completed":
            if job is not None:
                job.complete(info)
            return
        if status in ("failed", "cancelled"):
            if aborting:
                raise job.aborted()
            raise VirtError(OPERATION_FAILED, "%s: %s" % (what, info.get(
                "error-desc", "job '%s' unexpectedly failed" % what)))
        if job is not None:
            job.update(info)
            if not aborting and job.take_abort_request():
                aborting = True
                mon.cmd("migrate_cancel")
        time.sleep(0.02)


def _wait_incoming(mon):
    while True:
        status = mon.cmd("query-status")["status"]
        if status not in ("inmigrate", "prelaunch"):
            if status not in ("paused", "running"):
                raise VirtError(OPERATION_FAILED, "load of migration stream failed "
                                "(guest state '%s')" % status)
            return
        info = mon.cmd("query-migrate")
        if info.get("status") == "failed":
            raise VirtError(OPERATION_FAILED, "incoming migration failed: %s"
                            % info.get("error-desc", ""))
        time.sleep(0.02)


# --- domain side ------------------------------------------------------------------
class SaveMixin(RunningBase):
    """save, managedsave and a start that resumes a managed save."""

    def _managed_path(self):
        return self.store.managed_save_path(self.name())

    def save(self, path, xml=None, flags=0):
        with self.store.lock(self.name()):
            self._save_locked(path, xml, flags)

    def _save_locked(self, path, xml, flags):
        from virtsh.drivers.qemu import lifecycle, qemuns, store as S
        from virtsh.xmlconf import domain as xd
        if flags & D.SAVE_RUNNING and flags & D.SAVE_PAUSED:
            raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_SAVE_RUNNING' and "
                            "'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive", raw=True)
        status = self._running_status()
        if xml is None:
            from virtsh.drivers.qemu.live import defined_cpu, drop_detected_chains
            live = defined_cpu(xd.parse_document(self.store.live_xml(self.name())), status)
            drop_detected_chains(live)
            self._undo_start_choices(live)      # ports, sockets: the restore picks anew
            xml = qemuns.format(xd.DomainDef(live), XML_INACTIVE | XML_MIGRATABLE | XML_SECURE)
        running = status["state"] == D.RUNNING
        if flags & (D.SAVE_RUNNING | D.SAVE_PAUSED):
            running = bool(flags & D.SAVE_RUNNING)
        image = Image(xml, running, area_for(xml))
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as e:
            raise VirtError(SYSTEM_ERROR, "Failed to create file '%s': %s"
                            % (path, os.strerror(e.errno))) from None
        done = False
        try:
            # a file is marked partial until complete; a pipe cannot be rewritten
            regular = stat.S_ISREG(os.fstat(fd).st_mode)
            os.write(fd, image.head_bytes(MAGIC_PARTIAL if regular else MAGIC))
            self._migrate_out(fd, status["state"] == D.RUNNING)
            if regular:
                os.fsync(fd)
                os.pwrite(fd, image.header(), 0)
                os.fsync(fd)
            done = True
        finally:
            os.close(fd)
            if not done:
                try:
                    os.unlink(path)
                except OSError:
                    pass
        lifecycle.stop(self.store, self.name(), status, "saved", S.SHUTOFF_SAVED)

    def _migrate_out(self, fd, was_running):
        """Pause the guest and have QEMU write its state to *fd* (a job
        other processes can follow and abort)."""
        from virtsh.drivers.qemu.jobs import Job, OPERATION_SAVE
        mon = self._monitor()
        job = Job(self.store, self.name(), OPERATION_SAVE)
        try:
            if was_running:
                mon.cmd("stop")
                self.store.update_state(self.name(), D.PAUSED, PAUSED_SAVE)
            try:
                mon.cmd("migrate-set-parameters", **{"max-bandwidth": FULL_BANDWIDTH})
                mon.send_fd(fd, "migrate")
                mon.cmd("migrate", uri="fd:migrate")
                _wait_migration(mon, "migration out", getattr(self.conn, "progress", None),
                                job)
            except KeyboardInterrupt:
                _cancel(mon, was_running)
                raise VirtError(OPERATION_ABORTED, "operation aborted: migration out "
                                "job: canceled by client") from None
            except VirtError:
                _cancel(mon, was_running)
                if was_running:
                    self.store.update_state(self.name(), D.RUNNING, RUNNING_SAVE_CANCELED)
                raise
        finally:
            job.end()
            mon.close()

    def managed_save(self, flags=0):
        with self.store.lock(self.name()):
            if not self.is_persistent():
                if not self.exists():
                    raise self._gone()
                self._running_status()
                raise VirtError(OPERATION_INVALID, "cannot do managed save for "
                                "transient domain")
            path = self._managed_path()
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            self._save_locked(path, None, flags)

    def managed_save_remove(self, flags=0):
        from virtsh.drivers import files
        files.remove(self._managed_path())

    def _managed_image(self):
        if not self.has_managed_save():
            raise VirtError(OPERATION_INVALID, "domain does not have managed save image")
        return Image.read(self._managed_path())

    def managed_save_xml(self, flags=0):
        return shown_xml(self.conn, self._managed_image().xml, flags)

    def managed_save_define_xml(self, xml, flags=0):
        image = self._managed_image()
        image.xml = checked_xml(self.conn, image.xml, xml)
        if flags & (D.SAVE_RUNNING | D.SAVE_PAUSED):
            image.running = bool(flags & D.SAVE_RUNNING)
        image.rewrite(self._managed_path())

    def start_from_managed_save(self, flags):
        """With the lock held: resume the managed save image if there is one
        (True), unless a fresh boot is asked for (the image is dropped)."""
        path = self._managed_path()
        if not os.path.exists(path):
            return False
        if flags & D.START_FORCE_BOOT:
            self.managed_save_remove()
            return False
        restore_into(self, path, Image.read(path), None,
                     D.SAVE_PAUSED if flags & D.START_PAUSED else 0)
        self.managed_save_remove()
        return True


def _cancel(mon, was_running):
    try:
        mon.cmd("migrate_cancel")
        if was_running:
            mon.cmd("cont")
    except VirtError:
        pass


def checked_xml(conn, old_xml, new_xml):
    """The replacement XML of an image, in the driver's form; it must
    describe the same domain."""
    from virtsh.drivers.qemu import qemuns
    old = conn.prepare_definition(old_xml)
    new = conn.prepare_definition(new_xml)
    if old.name != new.name or old.uuid != new.uuid:
        raise VirtError(OPERATION_INVALID, "target domain name '%s' does not match "
                        "source '%s'" % (new.name, old.name)
                        if old.name != new.name else
                        "target domain uuid %s does not match source %s"
                        % (new.uuid, old.uuid))
    return qemuns.format(new, XML_INACTIVE | XML_MIGRATABLE | XML_SECURE)


def shown_xml(conn, stored, flags):
    """An image's definition as a user sees it: loaded as the driver loads
    any definition (its defaults back in: the image has the migratable
    form), passwords only with the SAVE_IMAGE_XML_SECURE flag (the image
    itself keeps them)."""
    from virtsh.drivers.qemu import qemuns
    return qemuns.format(conn.prepare_definition(stored), XML_INACTIVE | (flags & XML_SECURE))


def restore_into(dom, path, image, xml, flags):
    """Start *dom* (lock held) from the stream of the image at *path*."""
    from virtsh.drivers.qemu import store as S
    defn = dom.conn.prepare_definition(xml or image.xml)
    running = image.running
    if flags & (D.SAVE_RUNNING | D.SAVE_PAUSED):
        running = bool(flags & D.SAVE_RUNNING)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as e:
        raise open_error(path, e) from None
    try:
        os.lseek(fd, HEADER.size + image.area, os.SEEK_SET)
        dom.start_locked(defn.tree, paused=True, transient=not dom.is_persistent(),
                         extra_args=("-incoming", "defer"))
        status = dom._status()
        mon = dom._monitor()
        try:
            mon.send_fd(fd, "restore")
            mon.cmd("migrate-incoming", uri="fd:restore")
            _wait_incoming(mon)
            if running:
                mon.cmd("cont")
        except VirtError:
            mon.close()
            from virtsh.drivers.qemu import lifecycle
            lifecycle.stop(dom.store, dom.name(), status, "failed", S.SHUTOFF_FAILED)
            raise
        mon.close()
    finally:
        os.close(fd)
    if running:
        dom.store.update_state(dom.name(), D.RUNNING, D.RUNNING_RESTORED)
    else:
        dom.store.update_state(dom.name(), D.PAUSED, PAUSED_MIGRATION)


# --- connection side --------------------------------------------------------------
class SaveImagesMixin:
    """restore, save-image-dumpxml and save-image-define of QemuConnection."""

    def restore_domain(self, path, xml=None, flags=0):
        from virtsh.drivers.qemu.domain import QemuDomain
        if flags & D.SAVE_RUNNING and flags & D.SAVE_PAUSED:
            raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_SAVE_RUNNING' and "
                            "'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive", raw=True)
        image = Image.read(path)
        defn = self.prepare_definition(xml or image.xml)
        with self.store.lock(defn.name):
            self._check_unique(defn.name, defn.uuid, allow_active=False)
            restore_into(QemuDomain(self, defn.name), path, image,
                         xml and checked_xml(self, image.xml, xml), flags)

    def save_image_get_xml(self, path, flags=0):
        return shown_xml(self, Image.read(path).xml, flags)

    def save_image_define_xml(self, path, xml, flags=0):
        image = Image.read(path)
        image.xml = checked_xml(self, image.xml, xml)
        if flags & (D.SAVE_RUNNING | D.SAVE_PAUSED):
            image.running = bool(flags & D.SAVE_RUNNING)
        image.rewrite(path)
