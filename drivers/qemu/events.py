"""Domain and QMP event delivery of QemuConnection (a mixin).

Events are read from the domains' event logs (eventlog.py) by a
background thread that polls them while callbacks are registered, as
libvirt's event loop would deliver them from the daemon.
"""
import threading

from virtsh.drivers.errors import VirtError, INVALID_ARG

POLL_SECONDS = 0.05
REGISTER_REGEX, REGISTER_NOCASE = 1, 2     # virConnectDomainQemuMonitorEventRegisterFlags


class EventsMixin:
    """``domain_event_register`` and friends over the event logs."""

    def domain_event_register(self, domain, event_id, callback):
        def deliver(name, record):
            if record.get("id") == event_id:
                callback(self._event_domain(name), event_id, tuple(record["args"]))
        return self._add_event_callback(domain, deliver)

    def domain_event_deregister(self, callback_id):
        with self._event_lock():
            if self._event_callbacks().pop(callback_id, None) is None:
                raise VirtError(INVALID_ARG, "could not find event callback %d for "
                                "deregistration" % callback_id)

    def qemu_monitor_event_register(self, domain, event, callback, flags=0):
        matches = _name_matcher(event, flags)

        def deliver(name, record):
            msg = record.get("qmp")
            if msg is None or not matches(msg.get("event", "")):
                return
            import json
            stamp = msg.get("timestamp", {})
            details = (json.dumps(msg["data"], separators=(",", ":"))
                       if "data" in msg else None)
            callback(self._event_domain(name), msg["event"], stamp.get("seconds", 0),
                     stamp.get("microseconds", 0), details)
        return self._add_event_callback(domain, deliver)

    # --- delivery ---------------------------------------------------------
    def _event_domain(self, name):
        from virtsh.drivers.qemu.domain import QemuDomain
        return QemuDomain(self, name)

    def _event_lock(self):
        return self.__dict__.setdefault("_events_lock", threading.Lock())

    def _event_callbacks(self):
        return self.__dict__.setdefault("_events_callbacks", {})

    def _add_event_callback(self, domain, deliver):
        """Register *deliver(name, record)* for *domain* (None: all); start
        following the logs on the first registration."""
        only = domain.name() if domain is not None else None
        with self._event_lock():
            callbacks = self._event_callbacks()
            callback_id = max(callbacks, default=0) + 1
            callbacks[callback_id] = (only, deliver)
            if "_events_thread" not in self.__dict__:
                from virtsh.drivers.qemu.eventlog import Follower
                follower = Follower(self.tree.run)
                self._events_thread = threading.Thread(
                    target=self._follow_events, args=(follower,), daemon=True)
                self._events_thread.start()
        return callback_id

    def _follow_events(self, follower):
        import time
        while True:
            for name, record in follower.poll():
                with self._event_lock():
                    wanted = [d for only, d in self._event_callbacks().values()
                              if only in (None, name)]
                for deliver in wanted:
                    deliver(name, record)
            time.sleep(POLL_SECONDS)


def _name_matcher(event, flags):
    """Whether a QMP event name is wanted, libvirt's way: all when *event*
    is None, else equal (or, with REGEX, matching) and maybe ignoring case."""
    if event is None:
        return lambda name: True
    if flags & REGISTER_REGEX:
        import re
        try:
            pattern = re.compile(event, re.IGNORECASE if flags & REGISTER_NOCASE else 0)
        except re.error as e:
            raise VirtError(INVALID_ARG, "failed to compile regex '%s': %s"
                            % (event, e)) from None
        return lambda name: pattern.search(name) is not None
    if flags & REGISTER_NOCASE:
        return lambda name: name.lower() == event.lower()
    return lambda name: name == event
