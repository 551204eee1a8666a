"""Which domain holds which UUID, without reading every definition.

Defining a domain must refuse a UUID another domain holds; without a
daemon's tables in memory that meant reading the head of every other
definition on each define.  The index is one file, ``CACHE/uuids``, of
records ``\\nUUID NAME`` appended as domains take UUIDs (``\\nUUID `` when
one is freed); the last record of a UUID wins.  A lookup reads the file
and searches it from the end; recording is one append.  Creating files is
what costs most on a journalling file system, and neither creates one.
When the file has grown to several times the size it had when last
written whole, it is written afresh with one record per UUID.

The state tree stays the truth:

- Writes and removals of persistent definitions (``Store.write_config``,
  ``Store.remove_definition``) record here under the index's lock, and
  move the stamp (identity and modification time of the definition
  folder, kept at the start of the lock file ``uuids.lock``) along only
  when it was current before their change.
- A lookup whose stamp does not match the folder (a definition added,
  removed or renamed by anything else, or a writer killed between its
  write and its record) rebuilds the index from the heads of all the
  definitions, and of the running domains' live ones.
- A transient domain's UUID is recorded when it starts, before its live
  definition exists.
- Whoever is named as holding a UUID is checked against its file by the
  caller, so a stale record can cost a read, never a refusal.
"""
import os

from virtsh.drivers import files
from virtsh.drivers.qemu import quickfacts

HEAD = 128          # the lock file: the stamp, then the size last written whole
REWRITE_FACTOR = 4
REWRITE_MIN = 64 * 1024


class UuidIndex:
    """The UUIDs of one Store's domains, kept in a cache file."""

    def __init__(self, store, path):
        self.store = store
        self.path = path

    def holder(self, uuid):
        """The name of the domain that may hold *uuid*, or None."""
        with self._lock() as lock:
            if _read_head(lock)[0] != self._stamp():
                self._rebuild(lock)
            return _holder(self._records(), uuid)

    def record_write(self, name, xml, write):
        """Run *write* (which stores *xml* as the persistent definition of
        *name*) and record the UUID it holds."""
        uuid = quickfacts.uuid(xml)

        def write_and_record():
            write()
            self._append(uuid, name)
        self._change(write_and_record, uuid is not None)

    def record_removal(self, name, remove):
        """Run *remove* (which deletes the persistent definition of *name*)
        and free its UUID, unless its guest runs on (transient)."""
        uuid = self.store.uuid_hint(name)

        def remove_and_free():
            remove()
            if uuid is not None and not os.path.exists(self.store.run(name, "xml")) \
                    and _holder(self._records(), uuid) == name:
                self._append(uuid, "")
        self._change(remove_and_free, uuid is not None)

    def record_start(self, name, uuid):
        """Note that the transient domain *name* holds *uuid* from now on."""
        with self._lock():
            if _holder(self._records(), uuid) != name:
                self._append(uuid, name)

    # --- the cache files ---------------------------------------------------
    def _change(self, change, recorded):
        """Run *change* of the definition folder under the index's lock; the
        stamp follows when it was current before and *recorded* (the change
        was noted in the index: a head without UUID is not)."""
        with self._lock() as lock:
            stamp, whole = _read_head(lock)
            in_sync = recorded and stamp == self._stamp()
            change()
            if in_sync:
                stamp = self._stamp()
            size = _size(self.path)
            if size > max(REWRITE_MIN, REWRITE_FACTOR * whole):
                self._write_whole(lock, _latest(self._records()), stamp if in_sync else None)
            elif in_sync:
                _write_head(lock, stamp, whole)

    def _lock(self):
        return files.Lock(self.path + ".lock")

    def _records(self):
        try:
            with open(self.path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""

    def _append(self, uuid, name):
        if uuid is None or "\n" in name:    # such a name cannot be defined either
            return
        fd = files.open_creating(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, ("\n%s %s" % (uuid, name)).encode())
        finally:
            os.close(fd)

    def _rebuild(self, lock):
        """A record for every definition's UUID, none for anything else."""
        stamp = self._stamp()           # before listing: a change meanwhile shows next time
        wanted = {}
        for name in self.store.names():
            uuid = self.store.uuid_hint(name) or self._parsed_uuid(name)
            if uuid is not None and "\n" not in name:
                wanted[uuid] = name
        self._write_whole(lock, wanted, stamp)

    def _write_whole(self, lock, holders, stamp):
        data = "".join("\n%s %s" % item for item in holders.items() if item[1]).encode()
        files.write_atomic(self.path, data, durable=False)
        _write_head(lock, stamp, len(data))

    def _parsed_uuid(self, name):
        """The UUID of a definition whose head did not show it."""
        from lxml import etree
        text = self.store.live_xml(name) or self.store.config_xml(name)
        try:
            return etree.fromstring(text.encode()).findtext("uuid")
        except (etree.XMLSyntaxError, AttributeError):
            return None

    def _stamp(self):
        """Identity and modification time of the persistent-definition folder."""
        try:
            st = os.stat(self.store.tree.config)
        except FileNotFoundError:
            return "-"
        return "%d:%d:%d" % (st.st_dev, st.st_ino, st.st_mtime_ns)


def _holder(records, uuid):
    """The name the last record of *uuid* gives (None: free or unknown)."""
    key = ("\n%s " % uuid).encode()
    start = records.rfind(key)
    if start < 0:
        return None
    end = records.find(b"\n", start + 1)
    name = records[start + len(key):end if end >= 0 else None].decode(errors="replace")
    return name or None


def _latest(records):
    """{uuid: name} of the last record of each UUID ("" when freed)."""
    latest = {}
    for record in records.decode(errors="replace").split("\n")[1:]:
        uuid, _, name = record.partition(" ")
        latest[uuid] = name
    return latest


def _read_head(lock):
    """(stamp, size of the index when last written whole) from the lock
    file; a torn or missing head just fails to match."""
    head = os.pread(lock.fd, HEAD, 0).decode(errors="replace").split()
    try:
        return head[0], int(head[1])
    except (IndexError, ValueError):
        return None, 0


def _write_head(lock, stamp, whole):
    """*stamp* None: out of step with the folder (the next lookup rebuilds)."""
    os.pwrite(lock.fd, ("%s %d" % (stamp or "stale", whole)).ljust(HEAD).encode(), 0)


def _size(path):
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0
