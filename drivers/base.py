"""The mechanism behind every driver object: API methods and read-only checks.

A public object class (Domain, Network ...) declares each libvirt API it
offers with ``@api("virDomainSuspend", write=True)``.  The declaration's body
is never run: a driver that does not override the method raises libvirt's
"not supported by the connection driver" error naming the API, as virsh
shows it.  When a driver overrides a ``write`` method, the override is
wrapped so that a read-only connection refuses it before the driver runs,
with libvirt's "read only access prevents <API>" error.  Both rules live here
once, so every driver (test, qemu, remote ...) gets them.
"""
from virtsh.drivers.errors import no_support, read_only


def api(name, write=False):
    """Declare a libvirt API method; see the module docstring."""
    def declare(fn):
        def unsupported(self, *args, **kwargs):
            if write:
                self._check_writable(name)
            raise no_support(name)
        unsupported.__name__ = fn.__name__
        unsupported.__qualname__ = fn.__qualname__
        unsupported.__doc__ = fn.__doc__
        unsupported.virt_api = (name, write)
        return unsupported
    return declare


def _guard(name, fn):
    def guarded(self, *args, **kwargs):
        self._check_writable(name)
        return fn(self, *args, **kwargs)
    guarded.__name__ = fn.__name__
    guarded.__qualname__ = fn.__qualname__
    guarded.__doc__ = fn.__doc__
    guarded.virt_api = (name, True)
    return guarded


class ApiObject:
    """Base of every object a connection hands out (and of Connection)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Overrides come from the class itself or from plain mixin classes
        # among its bases (class TestDomain(SnapshotsMixin, Domain)).
        names = set(cls.__dict__)
        for base in cls.__mro__[1:]:
            if base is not object and not issubclass(base, ApiObject):
                names.update(base.__dict__)
        for attr in names:
            owner = next(k for k in cls.__mro__ if attr in k.__dict__)
            if owner is not cls and issubclass(owner, ApiObject):
                continue            # inherited, already guarded where defined
            fn = owner.__dict__[attr]
            if not callable(fn) or getattr(fn, "virt_api", None):
                continue
            for base in cls.__mro__[1:]:
                if issubclass(base, ApiObject) and attr in base.__dict__:
                    spec = getattr(base.__dict__[attr], "virt_api", None)
                    if spec and spec[1]:
                        setattr(cls, attr, _guard(spec[0], fn))
                    break

    def _connection(self):
        return self.conn

    def _check_writable(self, api_name):
        if self._connection().readonly:
            raise read_only(api_name)
