"""Which domain holds which UUID, without reading every definition.

Defining a domain must refuse a UUID another domain holds; without a
daemon's tables in memory that meant reading the head of all the other
definitions on each define.  The index (``CACHE/uuids.json``) remembers,
per domain name, the UUID in the head of its live or persistent XML and
the inode numbers of those two files (every write of a definition is a
rename onto a new inode), plus the identity and modification time of the
persistent-definition folder when the index was last brought up to date.

The state tree stays the truth:

- ``Store.write_config`` records what it writes here, under the index's
  lock, and stamps the folder afresh; so does a use that rescanned.
- A use whose stamp no longer matches the folder (a definition added,
  removed or renamed by anything else, or a writer killed between its
  write and its record) lists the folder again (``os.scandir`` yields
  inode numbers without a ``stat`` per file) and re-reads only the names
  whose files are new or replaced.  Running domains' live definitions sit
  in the run folder, which is small and always listed.
- Whoever is named as holding a UUID is checked against its file by the
  caller, so an entry that went stale can cost a read, never a refusal.

A missing or corrupt index is rebuilt by the same listing.
"""
import os

from virtsh.drivers.qemu import files, quickfacts

UNKNOWN = None      # a head without <uuid> (an odd document): ask the parser


class UuidIndex:
    """The UUIDs of one Store's domains, kept in a cache file."""

    def __init__(self, store, path):
        self.store = store
        self.path = path

    def holders(self, uuid):
        """Names of the domains that may hold *uuid*: those whose head
        names it, and those whose head did not tell (check them fully)."""
        with self._lock():
            entries, _ = self._refresh(save=True)
        return sorted(name for name, (_, found) in entries.items()
                      if found == uuid or found is UNKNOWN)

    def record_write(self, name, xml, write):
        """Run *write* (which stores *xml* as the persistent definition of
        *name*) and record it; without an index yet, just run it (the
        first use builds the index from the folder)."""
        if not os.path.exists(self.path):
            write()
            return
        with self._lock():
            entries, in_sync = self._refresh(save=False)
            write()
            entries[name] = (self._identity(name), quickfacts.uuid(xml))
            # stamped afresh only when nothing but this write can have
            # changed the folder since it was last listed
            self._save(entries, self._stamp() if in_sync else None)

    # --- the cache file ---------------------------------------------------
    def _lock(self):
        return files.Lock(self.path[:-len(".json")] + ".lock")

    def _refresh(self, save):
        """({name: ((persistent inode, live inode), uuid)} matching the tree
        now, whether the stamp was current) with the lock held; *save*
        writes the index when anything changed."""
        known, stamp = self._load()
        current_stamp = self._stamp()
        in_sync = stamp is not None and stamp == current_stamp
        active = _active_names(self.store.tree.run)
        if in_sync:     # only the running and the formerly running need a look
            persistent = {name: ident[0] for name, (ident, _) in known.items() if ident[0]}
            current = {name: entry for name, entry in known.items()
                       if entry[0][0] and not entry[0][1]}
            todo = active | (known.keys() - current.keys())
        else:
            persistent = _inodes(self.store.tree.config)
            current = {}
            todo = persistent.keys() | active
        for name in todo:
            ident = (persistent.get(name, 0),
                     _inode(self.store.run(name, "xml")) if name in active else 0)
            if ident == (0, 0):
                continue                # a transient domain that ended
            old = known.get(name)
            current[name] = old if old is not None and old[0] == ident else (
                ident, self.store.uuid_hint(name))
        if save and not (in_sync and current == known):
            self._save(current, current_stamp)
        return current, in_sync

    def _load(self):
        """(entries, stamp) of the cache file; parsed again only when the
        file was replaced since this process last read it."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return {}, None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = _PARSED.get(self.path)
        if cached is None or cached[0] != key:
            cached = _PARSED[self.path] = (key,) + _parse(files.read_text(self.path, ""))
        return dict(cached[1]), cached[2]

    def _save(self, entries, stamp):
        """Write the cache file (the lock held, so the file stays the one
        written here until the lock is released)."""
        import json
        try:
            files.write_atomic(self.path, json.dumps({"stamp": stamp, "domains": entries}),
                               durable=False)
            st = os.stat(self.path)
        except OSError:                 # a full or read-only disk: stay a cache
            return
        _PARSED[self.path] = ((st.st_ino, st.st_mtime_ns, st.st_size), dict(entries), stamp)

    def _stamp(self):
        """Identity and modification time of the persistent-definition folder."""
        try:
            st = os.stat(self.store.tree.config)
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino, st.st_mtime_ns)

    def _identity(self, name):
        return tuple(_inode(path) for path in (self.store.config(name),
                                                self.store.run(name, "xml")))


_PARSED = {}        # path -> (file identity, entries, stamp): one parse per change


def _parse(text):
    import json
    try:
        data = json.loads(text)
        entries = {name: (tuple(ident), found) for name, (ident, found)
                   in data["domains"].items()}
        return entries, tuple(data["stamp"]) if data["stamp"] else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}, None                 # corrupt (never half: atomic writes)


def _inode(path):
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return 0


def _inodes(directory):
    """{name: inode} of the visible NAME.xml entries of *directory*."""
    try:
        with os.scandir(directory) as entries:
            return {e.name[:-4]: e.inode() for e in entries
                    if e.name.endswith(".xml") and not e.name.startswith(".")}
    except FileNotFoundError:
        return {}


def _active_names(run):
    """Names with a status file: the running domains, live XML beside."""
    try:
        entries = os.listdir(run)
    except FileNotFoundError:
        return set()
    return {e[:-7] for e in entries if e.endswith(".status") and not e.startswith(".")}
