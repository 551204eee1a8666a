"""Argument checks the test driver's APIs share, with libvirt's errors."""
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, ARGUMENT_UNSUPPORTED, INVALID_ARG


def unsupported_flags(flags, function):
    """virCheckFlags' error (printed without a prefix)."""
    return VirtError(INVALID_ARG, "unsupported flags (0x%x) in function %s"
                     % (flags, function), raw=True)


def check_flags(flags, allowed, function):
    if flags & ~allowed:
        raise unsupported_flags(flags & ~allowed, function)


def one_def(rec, flags):
    """libvirt's virDomainObjGetOneDef: the one definition *flags* select."""
    if flags & D.AFFECT_LIVE and flags & D.AFFECT_CONFIG:
        raise VirtError(INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                        "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", raw=True)
    live, config = rec.defs(flags)
    return live if live is not None else config


def check_params(params, known):
    """virTypedParamsValidate: every name must be one of *known*, once."""
    seen = set()
    for name, _ in params:
        if name not in known:
            raise VirtError(ARGUMENT_UNSUPPORTED, "parameter '%s' not supported" % name)
        if name in seen:
            raise VirtError(INVALID_ARG, "parameter '%s' occurs multiple times" % name)
        seen.add(name)

