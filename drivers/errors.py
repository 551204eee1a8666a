"""VirtError: libvirt's error numbers and message texts.

virsh prints a failed API call as ``error: <message>``; the message is the
code's prefix (``Domain not found: ``) followed by the detail.  Keeping both
here lets every driver raise ``VirtError(NO_DOMAIN, "no domain with matching
name 'x'")`` and get virsh's exact line.
"""

OK = 0
INTERNAL_ERROR = 1
NO_MEMORY = 2
NO_SUPPORT = 3
UNKNOWN_HOST = 4
NO_CONNECT = 5
INVALID_CONN = 6
INVALID_DOMAIN = 7
INVALID_ARG = 8
OPERATION_FAILED = 9
NO_DEVICE = 23
XML_ERROR = 27
DOM_EXIST = 28
OPERATION_DENIED = 29
OPEN_FAILED = 30
READ_FAILED = 31
PARSE_FAILED = 32
CONF_SYNTAX = 33
WRITE_FAILED = 34
XML_DETAIL = 35
INVALID_NETWORK = 36
NETWORK_EXIST = 37
SYSTEM_ERROR = 38
RPC = 39
NO_DOMAIN = 42
NO_NETWORK = 43
INVALID_MAC = 44
AUTH_FAILED = 45
INVALID_STORAGE_POOL = 46
INVALID_STORAGE_VOL = 47
NO_STORAGE_POOL = 49
NO_STORAGE_VOL = 50
INVALID_NODE_DEVICE = 52
NO_NODE_DEVICE = 53
NO_SECURITY_MODEL = 54
OPERATION_INVALID = 55
NO_INTERFACE = 57
INVALID_INTERFACE = 58
NO_NWFILTER = 62
INVALID_SECRET = 65
NO_SECRET = 66
CONFIG_UNSUPPORTED = 67
OPERATION_TIMEOUT = 68
INVALID_DOMAIN_SNAPSHOT = 71
NO_DOMAIN_SNAPSHOT = 72
SNAPSHOT_REVERT_RISKY = 73
ARGUMENT_UNSUPPORTED = 74
STORAGE_PROBE_FAILED = 75
STORAGE_POOL_BUILT = 76
OPERATION_ABORTED = 78
NO_DOMAIN_METADATA = 80
OVERFLOW = 82
BLOCK_COPY_ACTIVE = 83
OPERATION_UNSUPPORTED = 84
SSH = 85
AGENT_UNRESPONSIVE = 86
RESOURCE_BUSY = 87
ACCESS_DENIED = 88
STORAGE_VOL_EXIST = 90
CPU_INCOMPATIBLE = 91
XML_INVALID_SCHEMA = 92
DEVICE_MISSING = 99
NO_NWFILTER_BINDING = 101
INVALID_DOMAIN_CHECKPOINT = 102
NO_DOMAIN_CHECKPOINT = 103
NO_DOMAIN_BACKUP = 104
NO_NETWORK_PORT = 107
NO_HOSTNAME = 108
CHECKPOINT_INCONSISTENT = 109

# The text libvirt puts before the detail, per code ("%s" is the detail).
_PREFIX = {
    INTERNAL_ERROR: "internal error: %s",
    NO_SUPPORT: "this function is not supported by the connection driver: %s",
    NO_CONNECT: "no connection driver available for %s",
    INVALID_CONN: "invalid connection pointer in %s",
    INVALID_ARG: "invalid argument: %s",
    OPERATION_FAILED: "operation failed: %s",
    NO_DEVICE: "device not found: %s",
    XML_ERROR: "XML error: %s",
    DOM_EXIST: "operation failed: %s",
    OPERATION_DENIED: "operation forbidden: %s",
    OPEN_FAILED: "cannot open file: %s",
    READ_FAILED: "cannot read file: %s",
    PARSE_FAILED: "cannot parse file: %s",
    CONF_SYNTAX: "configuration file syntax error: %s",
    WRITE_FAILED: "cannot write file: %s",
    XML_DETAIL: "%s",
    NETWORK_EXIST: "operation failed: %s",
    SYSTEM_ERROR: "%s",
    RPC: "RPC error: %s",
    NO_DOMAIN: "Domain not found: %s",
    NO_NETWORK: "Network not found: %s",
    INVALID_MAC: "invalid MAC address: %s",
    AUTH_FAILED: "authentication failed: %s",
    NO_STORAGE_POOL: "Storage pool not found: %s",
    NO_STORAGE_VOL: "Storage volume not found: %s",
    NO_NODE_DEVICE: "Node device not found: %s",
    NO_SECURITY_MODEL: "Security model not found: %s",
    OPERATION_INVALID: "Requested operation is not valid: %s",
    NO_INTERFACE: "Interface not found: %s",
    NO_NWFILTER: "Network filter not found: %s",
    INVALID_SECRET: "Invalid secret: %s",
    NO_SECRET: "Secret not found: %s",
    CONFIG_UNSUPPORTED: "unsupported configuration: %s",
    OPERATION_TIMEOUT: "Timed out during operation: %s",
    NO_DOMAIN_SNAPSHOT: "Domain snapshot not found: %s",
    SNAPSHOT_REVERT_RISKY: "revert requires force: %s",
    ARGUMENT_UNSUPPORTED: "argument unsupported: %s",
    STORAGE_PROBE_FAILED: "Storage pool probe failed: %s",
    STORAGE_POOL_BUILT: "Storage pool already built: %s",
    OPERATION_ABORTED: "operation aborted: %s",
    NO_DOMAIN_METADATA: "metadata not found: %s",
    OVERFLOW: "value too large: %s",
    BLOCK_COPY_ACTIVE: "block copy still active: %s",
    OPERATION_UNSUPPORTED: "Operation not supported: %s",
    SSH: "SSH transport error: %s",
    AGENT_UNRESPONSIVE: "Guest agent is not responding: %s",
    RESOURCE_BUSY: "resource busy: %s",
    ACCESS_DENIED: "access denied: %s",
    STORAGE_VOL_EXIST: "storage volume already exists: %s",
    CPU_INCOMPATIBLE: "the CPU is incompatible with host CPU: %s",
    XML_INVALID_SCHEMA: "XML document failed to validate against schema: %s",
    DEVICE_MISSING: "device not found: %s",
    NO_NWFILTER_BINDING: "Network filter binding not found: %s",
    NO_DOMAIN_CHECKPOINT: "Domain checkpoint not found: %s",
    NO_DOMAIN_BACKUP: "Domain backup job id not found: %s",
    NO_NETWORK_PORT: "network port not found: %s",
    NO_HOSTNAME: "no hostname found: %s",
    CHECKPOINT_INCONSISTENT: "checkpoint inconsistent: %s",
}


class VirtError(Exception):
    """A failed hypervisor API call, as libvirt reports it."""

    def __init__(self, code, detail="", *, raw=False):
        self.code = code
        self.detail = detail
        if raw:
            self.message = detail
        else:
            self.message = _PREFIX.get(code, "%s") % detail
        super().__init__(self.message)

    def __str__(self):
        return self.message


def no_support(api_name):
    """The error of an API this driver does not implement (virsh's text)."""
    return VirtError(NO_SUPPORT, api_name)


def read_only(api_name):
    """The error of a mutating API on a read-only connection."""
    return VirtError(OPERATION_DENIED, "read only access prevents %s" % api_name)


def unsupported_flags(flags, function):
    """virCheckFlags' error: flags a driver function does not take
    (libvirt prints it without a prefix)."""
    return VirtError(INVALID_ARG, "unsupported flags (0x%x) in function %s"
                     % (flags, function), raw=True)


def check_flags(flags, allowed, function):
    """Raise unsupported_flags for the bits of *flags* outside *allowed*."""
    if flags & ~allowed:
        raise unsupported_flags(flags & ~allowed, function)
