"""Driver classes whose API mixins are imported on first use.

QemuDomain gathers a dozen mixins (hot-plug, migration, snapshots, block
jobs ...) and QemuConnection seven (storage, networks, events ...):
importing them all costs more than the rest of a one-shot ``domstate``.
A class deriving from ``lazy_mixins(Domain, MIXINS)`` holds only its core
methods.  Every other API of the base is a stand-in that, on first call,
turns the object into an instance of the full class (the core's own
attributes first, then the mixins in the order given, as if they had been
listed as bases) and calls again; non-API attributes of the mixins
(helpers such as ``has_managed_save``) load the same way through
``__getattr__``, which Python consults only when normal lookup fails, so
calls to the core pay nothing.
"""


def lazy_mixins(api_base, mixins):
    """A subclass of *api_base* (Domain, Connection) to derive a core class
    from; *mixins* are ("module", "ClassName") pairs in resolution order."""
    namespace = {"_mixins": tuple(mixins), "_full": None, "__getattr__": _load_attribute}
    for klass in reversed(api_base.__mro__):
        for name, declared in vars(klass).items():
            spec = getattr(declared, "virt_api", None)
            if spec:
                namespace[name] = _stand_in(api_base, name, spec)
    return type("Lazy" + api_base.__name__, (api_base,), namespace)


def _stand_in(api_base, name, spec):
    def load_and_call(self, *args, **kwargs):
        if _load_mixins(self):
            return getattr(self, name)(*args, **kwargs)
        return getattr(api_base, name)(self, *args, **kwargs)   # no mixin has it
    load_and_call.__name__ = load_and_call.__qualname__ = name
    load_and_call.virt_api = spec
    return load_and_call


def _load_attribute(self, name):
    if not name.startswith("__") and _load_mixins(self):
        return getattr(self, name)
    raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))


def _load_mixins(obj):
    """Make *obj* an instance of its full class; False when it is one."""
    core = type(obj)
    if core.__dict__.get("_full") is core:
        return False
    if core._full is None:
        bases = tuple(getattr(__import__(module, fromlist=[cls]), cls)
                      for module, cls in core._mixins)
        own = {k: v for k, v in vars(core).items() if k not in ("__dict__", "__weakref__")}
        full = type(core.__name__, bases + (core,), own)
        full._full = full
        core._full = full
    obj.__class__ = core._full
    return True
