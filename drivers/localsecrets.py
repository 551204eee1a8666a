"""Secrets on this host, without a daemon.

A Connection mixing in ``LocalSecretsMixin`` defines ``_secret_dirs()`` ->
(config_dir, state_dir): a persistent secret is ``config_dir/UUID.xml``
plus its value in ``config_dir/UUID.base64``, an ephemeral one the same in
``state_dir``; every file is mode 0600 in a 0700 directory.
"""
import os

from virtsh.drivers import files, hostobjects as H
from virtsh.drivers.errors import (
    VirtError, INTERNAL_ERROR, INVALID_SECRET, NO_SECRET, check_flags)
from virtsh.drivers.listing import wanted


class LocalSecret(H.Secret):
    """A handle on a stored secret."""

    def __init__(self, conn, defn):
        super().__init__(conn)
        self._uuid = defn.uuid
        self._usage = defn.usage_type
        self._usage_id = defn.usage_id

    def uuid(self):
        return self._uuid

    def usage_type(self):
        return H.SECRET_USAGE_TYPES.index(self._usage or "none")

    def usage_id(self):
        return self._usage_id

    def _stored(self):
        return self.conn._secret_file(self._uuid)

    def xml_desc(self, flags=0):
        from virtsh.xmlconf import secret
        check_flags(flags, 0, "secretGetXMLDesc")
        return secret.format(self._stored()[1])

    def value(self, flags=0):
        check_flags(flags, 0, "secretGetValue")
        import base64
        base, defn = self._stored()
        if defn.private:
            raise VirtError(INVALID_SECRET, "secret is private")
        try:
            with open(base + ".base64", "rb") as f:
                return base64.b64decode(f.read())
        except FileNotFoundError:
            raise VirtError(NO_SECRET, "secret '%s' does not have a value"
                            % self._uuid) from None

    def set_value(self, value, flags=0):
        import base64
        check_flags(flags, 0, "secretSetValue")
        base, _ = self._stored()
        files.save_config(base + ".base64", base64.b64encode(value))

    def undefine(self):
        base, _ = self._stored()
        for suffix in (".base64", ".xml"):
            try:
                os.unlink(base + suffix)
            except FileNotFoundError:
                pass


class LocalSecretsMixin:
    """The secrets part of a Connection keeping secrets on this host."""

    def _secret_dirs(self):
        raise NotImplementedError

    def _stored_secrets(self):
        """(path without suffix, SecretDef) of every secret."""
        from virtsh.xmlconf import secret
        found = []
        for directory in self._secret_dirs():
            if not os.path.isdir(directory):
                continue
            for entry in sorted(os.listdir(directory)):
                if entry.endswith(".xml"):
                    path = os.path.join(directory, entry)
                    try:
                        with open(path) as f:
                            found.append((path[:-4], secret.parse(f.read())))
                    except (OSError, VirtError):
                        continue
        return found

    def _secret_file(self, uuid):
        key = uuid.replace("-", "").lower()
        for base, defn in self._stored_secrets():
            if defn.uuid.replace("-", "") == key:
                return base, defn
        raise VirtError(NO_SECRET, "no secret with matching uuid '%s'" % uuid)

    def list_all_secrets(self, flags=0):
        check_flags(flags, 0xf, "connectListAllSecrets")
        return [LocalSecret(self, d) for _, d in self._stored_secrets()
                if wanted(flags, H.SECRET_LIST_EPHEMERAL, H.SECRET_LIST_NO_EPHEMERAL,
                          d.ephemeral)
                and wanted(flags, H.SECRET_LIST_PRIVATE, H.SECRET_LIST_NO_PRIVATE,
                           d.private)]

    def num_of_secrets(self):
        return len(self._stored_secrets())

    def lookup_secret_by_uuid(self, uuid):
        return LocalSecret(self, self._secret_file(uuid)[1])

    def lookup_secret_by_usage(self, usage_type, usage_id):
        name = H.SECRET_USAGE_TYPES[usage_type]
        for _, defn in self._stored_secrets():
            if defn.usage_type == name and defn.usage_id == usage_id:
                return LocalSecret(self, defn)
        raise VirtError(NO_SECRET, "no secret with matching usage '%s'" % usage_id)

    def define_secret(self, xml, flags=0):
        from virtsh.xmlconf import secret
        check_flags(flags, 1, "secretDefineXML")
        defn = secret.parse(xml)
        old = None
        for base, other in self._stored_secrets():
            if other.uuid == defn.uuid:
                old = (base, other)
            elif (defn.usage_type and other.usage_type == defn.usage_type
                  and other.usage_id == defn.usage_id):
                raise VirtError(INTERNAL_ERROR, "a secret with UUID %s already defined "
                                "for use with %s" % (other.uuid, defn.usage_id))
        if old is not None and old[1].private and not defn.private:
            raise VirtError(INTERNAL_ERROR, "cannot change private flag on existing "
                            "secret")
        directory = self._secret_dirs()[1 if defn.ephemeral else 0]
        base = os.path.join(directory, defn.uuid)
        files.save_config(base + ".xml", secret.format(defn).encode())
        if old is not None and old[0] != base:
            # redefined between persistent and ephemeral: the value moves along
            if os.path.exists(old[0] + ".base64"):
                os.makedirs(directory, mode=0o700, exist_ok=True)
                os.replace(old[0] + ".base64", base + ".base64")
            os.unlink(old[0] + ".xml")
        return LocalSecret(self, defn)
