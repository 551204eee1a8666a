"""The tree of a domain's snapshots (or checkpoints), as libvirt keeps it.

libvirt calls both kinds "moments" and keeps them in one structure: a map
by name, a parent/children tree under an invisible root, and a "current"
one.  Children are kept newest first (libvirt prepends them), which is the
order of topological listings.  Drivers store their definitions (objects
with ``name`` and ``parent_name``) in a MomentTree and build their API on
its operations; the error texts are libvirt's.
"""
from virtsh.drivers import snapshot as S
from virtsh.drivers.errors import VirtError, INVALID_ARG, OPERATION_FAILED


class Moment:
    """One snapshot or checkpoint: its definition and place in the tree."""

    __slots__ = ("defn", "parent", "children")

    def __init__(self, defn):
        self.defn = defn
        self.parent = None          # parent Moment, None for a root
        self.children = []          # newest first

    @property
    def name(self):
        return self.defn.name


class MomentTree:
    """A domain's snapshots or checkpoints."""

    def __init__(self):
        self._by_name = {}          # name -> Moment, in order of creation
        self._roots = []            # moments without parent, newest first
        self.current = None         # the current Moment, or None

    def __len__(self):
        return len(self._by_name)

    def __iter__(self):
        return iter(list(self._by_name.values()))

    def get(self, name):
        """The Moment called *name*, or None."""
        return self._by_name.get(name)

    def add(self, defn):
        """Store a new definition (not linked to its parent yet)."""
        if defn.name in self._by_name:
            raise VirtError(OPERATION_FAILED,
                            "domain moment %s already exists" % defn.name)
        moment = Moment(defn)
        self._by_name[defn.name] = moment
        return moment

    def remove(self, moment):
        """Forget *moment*; return whether it was the current one."""
        del self._by_name[moment.name]
        if self.current is moment:
            self.current = None
            return True
        return False

    # --- relations ---------------------------------------------------------
    def link(self, moment):
        """Attach *moment* under the parent its definition names (at the
        top when that parent does not exist)."""
        name = moment.defn.parent_name
        parent = self._by_name.get(name) if name else None
        moment.parent = parent
        self._children(parent).insert(0, moment)

    def unlink(self, moment):
        """Detach *moment* from its parent, keeping its own children."""
        siblings = self._children(moment.parent)
        if moment in siblings:
            siblings.remove(moment)
        moment.parent = None

    def move_children(self, moment, to):
        """Give *moment*'s children to *to* (None: make them roots)."""
        for child in moment.children:
            child.parent = to
        target = self._children(to)
        target[:0] = moment.children
        moment.children = []

    def link_all(self):
        """Build the tree from the definitions' parent names (after loading);
        False when a parent is missing."""
        consistent = True
        for moment in self._by_name.values():
            name = moment.defn.parent_name
            if name and name not in self._by_name:
                consistent = False
            self.link(moment)
        return consistent

    def check_cycles(self, defn):
        """Refuse a redefinition whose parent is missing or would make a loop."""
        if not defn.parent_name:
            return
        if defn.parent_name == defn.name:
            raise VirtError(INVALID_ARG, "cannot set moment %s as its own parent"
                            % defn.name)
        other = self._by_name.get(defn.parent_name)
        if other is None:
            raise VirtError(INVALID_ARG, "parent %s for moment %s not found"
                            % (defn.parent_name, defn.name))
        while other is not None and other.defn.parent_name:
            if other.defn.parent_name == defn.name:
                raise VirtError(INVALID_ARG, "parent %s would create cycle to %s"
                                % (other.name, defn.name))
            other = self._by_name.get(other.defn.parent_name)

    def _children(self, moment):
        return self._roots if moment is None else moment.children

    # --- walking -----------------------------------------------------------
    def children(self, moment=None):
        """Direct children (None: the roots), newest first."""
        return list(self._children(moment))

    def descendants(self, moment=None):
        """Every moment below *moment* (None: all), parents before children."""
        found = []
        stack = list(reversed(self._children(moment)))
        while stack:
            m = stack.pop()
            found.append(m)
            stack.extend(reversed(m.children))
        return found

    def select(self, start=None, roots=False, descendants=False,
               topological=False, leaves=False, no_leaves=False):
        """Moments as libvirt's list APIs choose them.

        Without *start* (a domain's list): the roots with *roots*, else all
        (parents first with *topological*).  With *start* (a moment's
        children): its descendants with *descendants*, else its children.
        *leaves* / *no_leaves* keep only moments without / with children
        (both together filter nothing).
        """
        if start is None:
            if roots:
                found = self.children()
            elif topological:
                found = self.descendants()
            else:
                found = list(self._by_name.values())
        elif descendants:
            found = self.descendants(start)
        else:
            found = self.children(start)
        if leaves and not no_leaves:
            found = [m for m in found if not m.children]
        elif no_leaves and not leaves:
            found = [m for m in found if m.children]
        return found


# --- selecting and deleting, shared by the drivers' snapshot APIs --------
def _snapshot_kept(defn, flags):
    """libvirt's status and location filters of snapshot lists."""
    from virtsh.xmlconf import snapshot as xs
    status = flags & (S.SNAPSHOT_LIST_INACTIVE | S.SNAPSHOT_LIST_ACTIVE |
                      S.SNAPSHOT_LIST_DISK_ONLY)
    if status and status != (S.SNAPSHOT_LIST_INACTIVE | S.SNAPSHOT_LIST_ACTIVE |
                             S.SNAPSHOT_LIST_DISK_ONLY):
        if defn.state == xs.STATE_SHUTOFF:
            wanted = S.SNAPSHOT_LIST_INACTIVE
        elif defn.state == xs.STATE_DISK_SNAPSHOT:
            wanted = S.SNAPSHOT_LIST_DISK_ONLY
        else:
            wanted = S.SNAPSHOT_LIST_ACTIVE
        if not status & wanted:
            return False
    location = flags & (S.SNAPSHOT_LIST_INTERNAL | S.SNAPSHOT_LIST_EXTERNAL)
    if location == S.SNAPSHOT_LIST_INTERNAL and defn.is_external():
        return False
    if location == S.SNAPSHOT_LIST_EXTERNAL and not defn.is_external():
        return False
    return True


def select_snapshots(tree, start, flags):
    if flags & S.SNAPSHOT_LIST_NO_METADATA and not flags & S.SNAPSHOT_LIST_METADATA:
        return []           # every snapshot listed here has metadata
    found = tree.select(start, roots=start is None and bool(flags & S.SNAPSHOT_LIST_ROOTS),
                        descendants=bool(flags & S.SNAPSHOT_LIST_DESCENDANTS),
                        topological=bool(flags & S.SNAPSHOT_LIST_TOPOLOGICAL),
                        leaves=bool(flags & S.SNAPSHOT_LIST_LEAVES),
                        no_leaves=bool(flags & S.SNAPSHOT_LIST_NO_LEAVES))
    return [m for m in found if _snapshot_kept(m.defn, flags)]


def select_checkpoints(tree, start, flags):
    return tree.select(start, roots=start is None and bool(flags & S.CHECKPOINT_LIST_ROOTS),
                       descendants=bool(flags & S.CHECKPOINT_LIST_DESCENDANTS),
                       topological=bool(flags & S.CHECKPOINT_LIST_TOPOLOGICAL),
                       leaves=bool(flags & S.CHECKPOINT_LIST_LEAVES),
                       no_leaves=bool(flags & S.CHECKPOINT_LIST_NO_LEAVES))


def delete_moment(tree, moment, children, children_only):
    """Remove a moment (and/or its descendants), reparenting as libvirt does."""
    if children or children_only:
        was_current = False
        for below in tree.descendants(moment):
            was_current |= tree.remove(below)
        if was_current:
            tree.current = moment
        moment.children = []
    elif moment.children:
        parent = moment.parent
        for child in moment.children:
            child.defn.parent_name = parent.name if parent else None
        tree.move_children(moment, parent)
    if children_only:
        return
    tree.unlink(moment)
    if tree.current is moment:
        parent_name = moment.defn.parent_name
        tree.current = tree.get(parent_name) if parent_name else None
    tree.remove(moment)
