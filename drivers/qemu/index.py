"""Which domain holds which UUID, without reading every definition.

Defining a domain must refuse a UUID another domain holds; without a
daemon's tables in memory that meant reading the head of every other
definition on each define.  The index is a folder, ``CACHE/uuids``, with
one symbolic link per UUID whose target is the name of the domain that
holds it: a lookup is one ``readlink`` and recording one ``symlink``,
however many domains there are.

The state tree stays the truth:

- Writes and removals of persistent definitions (``Store.write_config``,
  ``Store.remove_definition``) record here under the index's lock, and
  move the stamp (identity and modification time of the definition
  folder, kept in ``.stamp``, the index's lock file) along only when it
  was current before their change.
- A lookup whose stamp does not match the folder (a definition added,
  removed or renamed by anything else, or a writer killed between its
  write and its record) rebuilds the index from the heads of all the
  definitions, and of the running domains' live ones.
- A transient domain's UUID is recorded when it starts, before its live
  definition exists.
- Whoever is named as holding a UUID is checked against its file by the
  caller, so a stale link can cost a read, never a refusal.
"""
import os

from virtsh.drivers.qemu import files, quickfacts

STAMP_WIDTH = 64        # "dev:inode:mtime_ns", padded: rewritten in place


class UuidIndex:
    """The UUIDs of one Store's domains, kept as links in a cache folder."""

    def __init__(self, store, path):
        self.store = store
        self.path = path

    def holders(self, uuid):
        """Names of the domains that may hold *uuid* (at most one)."""
        with self._lock() as lock:
            if _read_stamp(lock) != self._stamp():
                self._rebuild(lock)
            name = self._holder(uuid)
        return [name] if name is not None else []

    def record_write(self, name, xml, write):
        """Run *write* (which stores *xml* as the persistent definition of
        *name*) and record the UUID it holds."""
        uuid = quickfacts.uuid(xml)

        def write_and_link():
            write()
            self._link(uuid, name)
        self._change(write_and_link, uuid is not None)

    def record_removal(self, name, remove):
        """Run *remove* (which deletes the persistent definition of *name*)
        and drop the link to *name*, unless its guest runs on (transient)."""
        uuid = self.store.uuid_hint(name)

        def remove_and_unlink():
            remove()
            if uuid is not None and self._holder(uuid) == name \
                    and not os.path.exists(self.store.run(name, "xml")):
                files.remove(os.path.join(self.path, uuid))
        self._change(remove_and_unlink, uuid is not None)

    def record_start(self, name, uuid):
        """Note that the transient domain *name* holds *uuid* from now on."""
        with self._lock():
            self._link(uuid, name)

    # --- the cache folder ------------------------------------------------------
    def _change(self, change, recorded):
        """Run *change* of the definition folder under the index's lock; the
        stamp follows when it was current before and *recorded* (the change
        was noted in the index: a head without UUID is not)."""
        with self._lock() as lock:
            in_sync = recorded and _read_stamp(lock) == self._stamp()
            change()
            if in_sync:
                _write_stamp(lock, self._stamp())

    def _lock(self):
        return files.Lock(os.path.join(self.path, ".stamp"))

    def _holder(self, uuid):
        try:
            return os.readlink(os.path.join(self.path, uuid))
        except OSError:
            return None

    def _link(self, uuid, name):
        """Point *uuid*'s link at *name* (a link is replaced in one step)."""
        if uuid is None:
            return
        holder, path = self._holder(uuid), os.path.join(self.path, uuid)
        if holder == name:
            return
        if holder is None:
            try:
                os.symlink(name, path)
                return
            except FileExistsError:
                pass
        tmp = os.path.join(self.path, ".%s.tmp%d" % (uuid, os.getpid()))
        files.remove(tmp)
        os.symlink(name, tmp)
        os.rename(tmp, path)

    def _rebuild(self, lock):
        """Links for every definition's UUID, none for anything else."""
        stamp = self._stamp()           # before listing: a change meanwhile shows next time
        wanted = {}
        for name in self.store.names():
            uuid = self.store.uuid_hint(name) or self._parsed_uuid(name)
            if uuid is not None:
                wanted[uuid] = name
        for entry in os.listdir(self.path):
            if not entry.startswith(".") and entry not in wanted:
                files.remove(os.path.join(self.path, entry))
        for uuid, name in wanted.items():
            self._link(uuid, name)
        _write_stamp(lock, stamp)

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
            return None
        return "%d:%d:%d" % (st.st_dev, st.st_ino, st.st_mtime_ns)



def _read_stamp(lock):
    return os.pread(lock.fd, STAMP_WIDTH, 0).decode(errors="replace").strip() or None


def _write_stamp(lock, stamp):
    """Rewrite the stamp in place (a torn one just fails to match)."""
    if stamp is not None:
        os.pwrite(lock.fd, stamp.ljust(STAMP_WIDTH).encode(), 0)
