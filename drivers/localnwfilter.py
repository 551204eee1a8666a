"""Network filters on this host, kept as XML files, without a daemon.

``LocalNWFilterMixin`` needs ``_nwfilter_dir()``: each filter is
``DIR/NAME.xml``.  Filters are stored and shown; virtsh does not (yet)
turn them into firewall rules for guest ports.
"""
import os

from virtsh.drivers import files, hostobjects as H
from virtsh.drivers.errors import VirtError, NO_NWFILTER, OPERATION_FAILED, check_flags


class LocalNWFilter(H.NWFilter):
    def __init__(self, conn, defn):
        super().__init__(conn)
        self._name, self._uuid = defn.name, defn.uuid

    def name(self):
        return self._name

    def uuid(self):
        return self._uuid

    def _path(self):
        return os.path.join(self.conn._nwfilter_dir(), self._name + ".xml")

    def xml_desc(self, flags=0):
        check_flags(flags, 0, "nwfilterGetXMLDesc")
        try:
            with open(self._path()) as f:
                return f.read()
        except FileNotFoundError:
            raise VirtError(NO_NWFILTER, "no nwfilter with matching name '%s'"
                            % self._name) from None

    def undefine(self):
        self.xml_desc()
        os.unlink(self._path())


class LocalNWFilterMixin:
    """The network filter part of a Connection on this host."""

    def _nwfilter_dir(self):
        raise NotImplementedError

    def _nwfilters(self):
        from virtsh.xmlconf import nwfilter
        directory = self._nwfilter_dir()
        found = []
        for entry in sorted(os.listdir(directory)) if os.path.isdir(directory) else ():
            if entry.endswith(".xml"):
                try:
                    with open(os.path.join(directory, entry)) as f:
                        found.append(nwfilter.parse(f.read()))
                except (OSError, VirtError):
                    continue
        return found

    def list_all_nwfilters(self, flags=0):
        check_flags(flags, 0, "connectListAllNWFilters")
        return [LocalNWFilter(self, d) for d in self._nwfilters()]

    def num_of_nwfilters(self):
        return len(self._nwfilters())

    def lookup_nwfilter_by_name(self, name):
        for defn in self._nwfilters():
            if defn.name == name:
                return LocalNWFilter(self, defn)
        raise VirtError(NO_NWFILTER, "no nwfilter with matching name '%s'" % name)

    def lookup_nwfilter_by_uuid(self, uuid):
        key = uuid.replace("-", "").lower()
        for defn in self._nwfilters():
            if defn.uuid.replace("-", "").lower() == key:
                return LocalNWFilter(self, defn)
        raise VirtError(NO_NWFILTER, "no nwfilter with matching uuid '%s'" % uuid)

    def define_nwfilter(self, xml, flags=0):
        from virtsh.xmlconf import nwfilter
        check_flags(flags, 1, "nwfilterDefineXML")
        defn = nwfilter.parse(xml)
        for other in self._nwfilters():
            if other.uuid == defn.uuid and other.name != defn.name:
                raise VirtError(OPERATION_FAILED, "filter with same UUID but different "
                                "name ('%s') already exists" % other.name)
            if other.name == defn.name and other.uuid != defn.uuid:
                raise VirtError(OPERATION_FAILED, "filter '%s' already exists with uuid %s"
                                % (defn.name, other.uuid))
        files.save_config(os.path.join(self._nwfilter_dir(), defn.name + ".xml"),
                      nwfilter.format(defn))
        return LocalNWFilter(self, defn)
