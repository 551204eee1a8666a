"""Title, description, metadata elements and the name of a QEMU domain.

A mixin of QemuDomain.  Metadata lives only in the definitions (QEMU
knows nothing of it), so get/set are edits of the live and/or persistent
XML; renaming moves the files of an inactive persistent domain.
"""
import os

from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, OPERATION_INVALID
from virtsh.drivers.qemu import edits

AFFECT = D.AFFECT_LIVE | D.AFFECT_CONFIG


class MetadataMixin:
    """desc, metadata and domrename."""

    def metadata(self, type_, uri=None, flags=0):
        from virtsh.drivers import metadata
        edits.one_of(flags)
        return metadata.get(edits.read(self, flags & AFFECT).selected()[0], type_, uri)

    def set_metadata(self, type_, value, key=None, uri=None, flags=0):
        from virtsh.drivers import metadata
        with edits.editing(self, flags & AFFECT) as defs:
            for root in defs.selected():
                metadata.set(root, type_, value, key, uri)

    def rename(self, new_name, flags=0):
        old = self.name()
        with self.store.lock(old):
            if self.is_active():
                raise VirtError(OPERATION_INVALID, "cannot rename active domain")
            if not self.is_persistent():
                raise VirtError(OPERATION_INVALID, "cannot rename a transient domain")
            if self.has_managed_save():
                raise VirtError(OPERATION_INVALID, "domain with a managed saved state "
                                "can't be renamed")
            if self._has_snapshots():
                raise VirtError(OPERATION_INVALID, "cannot rename domain with snapshots")
            if new_name == old:
                return
            if "/" in new_name or new_name.startswith("."):
                raise VirtError(OPERATION_INVALID, "domain name '%s' is not valid" % new_name)
            with self.store.lock(new_name):
                if os.path.exists(self.store.config(new_name)) or \
                        os.path.exists(self.store.run(new_name, "status")):
                    raise VirtError(OPERATION_INVALID, "domain with name '%s' already "
                                    "exists" % new_name)
                root = edits.tree_of(self.store.config_xml(old))
                root.find("name").text = new_name
                self._name = new_name
                edits.save_config(self, root)
                if os.path.lexists(self.store.autostart_link(old)):
                    os.symlink(self.store.config(new_name),
                               self.store.autostart_link(new_name))
                self.store.remove_definition(old)

    def _has_snapshots(self):
        try:
            return self.snapshot_num(0) > 0
        except VirtError:
            return False
