"""Migration driven by the client over two connections, driver-neutral.

The phases (begin, prepare, perform, finish, confirm) are API calls of the
source domain and the destination connection, so they work the same for a
local driver and across the remote driver's proxy.  Whatever goes wrong
after prepare, the destination's half-started guest is discarded and the
source keeps (or gets back) its running guest.
"""
import time

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, OPERATION_FAILED, OPERATION_ABORTED

POLL_SECONDS = 0.05
COPY_STORAGE = D.MIGRATE_NON_SHARED_DISK | D.MIGRATE_NON_SHARED_INC


class Watch:
    """What the client wants while the job runs: progress reports, a
    timeout and what to do when it expires ("suspend" or "postcopy")."""

    def __init__(self, progress=None, timeout=0, on_timeout="suspend"):
        self.progress = progress
        self.timeout = timeout
        self.on_timeout = on_timeout
        self.completed = None       # the finished job's statistics (dict)


def migrate(dom, dest, params=None, flags=0, watch=None):
    """Move *dom* to the connection *dest*; the domain there."""
    params = dict(params or {})
    watch = watch or Watch()
    xml = dom.migrate_begin(params, flags)
    if flags & D.MIGRATE_PERSIST_DEST and "persistent_xml" not in params and dom.is_persistent():
        params["persistent_xml"] = dom.xml_desc(1 | 2 | 8)   # secure, inactive, migratable
    if "listen_address" not in params and not _host_of(dest):
        params["listen_address"] = "127.0.0.1"      # same machine: stay on loopback
    if flags & COPY_STORAGE and not flags & D.MIGRATE_OFFLINE:
        params["storage_disks"] = dom.migrate_storage_disks(params, flags)
    target = dest.migrate_prepare(xml, params, flags)
    name = target["name"]
    try:
        if not flags & D.MIGRATE_OFFLINE:
            if not target.get("uri"):
                target["uri"] = "tcp:%s:%d" % (target.get("host") or _host_of(dest)
                                               or "localhost", target["port"])
            if target.get("nbd"):
                dom.migrate_storage_start(target, params, flags)
                _follow(dom, watch, until=lambda stats: stats.get("disk_remaining") == 0)
            dom.migrate_perform(target, params, flags)
            _follow(dom, watch)
            if target.get("nbd"):
                dom.migrate_storage_finish(flags)
        new = dest.migrate_finish(name, params, flags, cancelled=False)
    except BaseException:
        _undo(dom, dest, name, params, flags)
        raise
    dom.migrate_confirm(params, flags, cancelled=False)
    return new


def _undo(dom, dest, name, params, flags):
    for step in (lambda: dest.migrate_finish(name, params, flags, cancelled=True),
                 lambda: dom.migrate_confirm(params, flags, cancelled=True)):
        try:
            step()
        except VirtError:
            pass


def _follow(dom, watch, until=None):
    """Poll the source's job until it ends (or its statistics satisfy
    *until*: the disks are in step); report progress; act on the
    timeout; Ctrl-C cancels the job."""
    started = time.monotonic()
    timed_out = False
    while True:
        try:
            kind, stats = dom.job_stats()
            values = dict(stats)
            if watch.progress and "data_total" in values and kind != D.JOB_COMPLETED:
                watch.progress(values["data_remaining"], values["data_total"])
            if kind == D.JOB_COMPLETED:
                watch.completed = values
                if watch.progress:
                    watch.progress(0, 1)
                return
            if kind == D.JOB_FAILED:
                raise VirtError(OPERATION_FAILED, "job 'migration out' failed: %s"
                                % values.get("errmsg", "unexpectedly failed"))
            if kind == D.JOB_CANCELLED:
                raise VirtError(OPERATION_ABORTED, "migration out job: canceled by client")
            if until is not None and until(values):
                return
            if (watch.timeout and not timed_out
                    and time.monotonic() - started >= watch.timeout):
                timed_out = True
                if watch.on_timeout == "postcopy":
                    dom.migrate_start_post_copy()
                else:
                    dom.suspend()
            time.sleep(POLL_SECONDS)
        except KeyboardInterrupt:
            try:
                dom.abort_job()
            except VirtError:
                pass
            raise VirtError(OPERATION_ABORTED, "migration out job: canceled by client") from None


def _host_of(conn):
    """The host name the client reached *conn* by (None: this machine)."""
    uri = getattr(conn, "uri", None)
    host = getattr(uri, "host", None)
    return host or None
