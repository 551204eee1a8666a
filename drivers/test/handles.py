"""Test driver: what network and pool handles share.

A handle keeps only its object's name and UUID and looks the record up again
on every call, so a handle taken before an undefine or redefine never acts
on a stale record.
"""


class RecordHandle:
    """Name and UUID of a record, for a handle class that also derives from
    the driver-neutral object class (which takes the connection)."""

    def __init__(self, conn, rec):
        super().__init__(conn)
        self._name = rec.name
        self._uuid = rec.uuid

    def name(self):
        return self._name

    def uuid(self):
        return self._uuid
