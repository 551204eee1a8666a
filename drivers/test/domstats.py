"""Test driver: ``domstats`` and domain event registration of TestConnection."""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, ARGUMENT_UNSUPPORTED, INVALID_ARG


class DomainStatsMixin:
    """``virConnectGetAllDomainStats`` of TestConnection (only the state
    group, as libvirt's test driver) and domain event registration."""

    SUPPORTED_STATS = D.STATS_STATE
    LIST_FLAGS = 0xffff

    def get_all_domain_stats(self, stats=0, flags=0):
        return self.domain_list_get_stats(
            self.list_all_domains(flags & self.LIST_FLAGS), stats, flags)

    def domain_list_get_stats(self, domains, stats=0, flags=0):
        extra = stats & ~self.SUPPORTED_STATS
        if extra and flags & D.STATS_ENFORCE_STATS:
            raise VirtError(ARGUMENT_UNSUPPORTED, "Stats types bits 0x%x are not "
                            "supported by this daemon" % extra)
        wanted = stats & self.SUPPORTED_STATS if stats else self.SUPPORTED_STATS
        records = []
        for dom in domains:
            fields = []
            if wanted & D.STATS_STATE:
                state, reason = dom.state()
                fields += [("state.state", state), ("state.reason", reason)]
            records.append((dom, fields))
        return records

    # --- events ---------------------------------------------------------------
    def domain_event_register(self, domain, event_id, callback):
        """Remember *callback*; the test node raises no events of its own
        while a single command waits, as with libvirt in one process."""
        callbacks = self.__dict__.setdefault("_event_callbacks", {})
        callback_id = len(callbacks) + 1
        callbacks[callback_id] = (domain, event_id, callback)
        return callback_id

    def domain_event_deregister(self, callback_id):
        callbacks = self.__dict__.get("_event_callbacks", {})
        if callbacks.pop(callback_id, None) is None:
            raise VirtError(INVALID_ARG, "could not find event callback %d for "
                            "deregistration" % callback_id)
