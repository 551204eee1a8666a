"""Host objects of a daemonless driver: secrets, network filters, and the
node devices and interfaces sysfs shows, in one mixin.

The Connection defines ``_host_dirs(kind)`` -> (config_dir, state_dir).
"""
from virtsh.drivers.localnwfilter import LocalNWFilterMixin
from virtsh.drivers.localsecrets import LocalSecretsMixin
from virtsh.drivers.sysfsdevices import SysfsDevicesMixin


class LocalHostMixin(LocalSecretsMixin, LocalNWFilterMixin, SysfsDevicesMixin):
    """Secrets, filters, node devices and interfaces of this host."""

    def _secret_dirs(self):
        return self._host_dirs("secrets")

    def _nwfilter_dir(self):
        return self._host_dirs("nwfilter")[0]
