"""The libvirt XML vocabulary (import name ``virtsh.xmlconf``).

Pure functions, no I/O: parse a document into a definition, apply
libvirt's defaults and checks, and format it back exactly as libvirt
does.  Nothing here imports from virtsh.drivers or virtsh (the layers point
down only); errors are ``virtsh.drivers.errors.VirtError``-compatible
because xmlconf raises ``XMLConfError(code, detail)`` with libvirt's codes.
"""

# Formatting flags, libvirt's virDomainXMLFlags values.
XML_SECURE = 1          # include passwords and secrets
XML_INACTIVE = 2        # the persistent definition, not the live one
XML_UPDATE_CPU = 4      # host-model CPU expanded
XML_MIGRATABLE = 8      # leave out what the destination regenerates
