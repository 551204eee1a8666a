"""A few facts of a stored definition, read from its text without lxml.

``dominfo`` needs the UUID, memory sizes, vCPUs and OS type; parsing the
whole document (lxml plus xmlconf.domain) cost more than the rest of the
command.  Stored documents are canonical (qemuns.format wrote them): each
child of <domain> starts a line indented by two spaces, each child of <os>
by four, and text and attribute values are escaped, so a line starting
``  <memory`` can only be that element.  Anything unexpected answers None:
the caller then parses the document.
"""


def uuid(text):
    found = _element(text, "  <uuid")
    return found[1] if found else None


def os_type(text):
    start = text.find("\n  <os>")
    end = text.find("\n  </os>", start)
    found = _element(text, "    <type", start, end) if start >= 0 <= end else None
    return found[1] if found and found[1] else None


def sizes(text):
    """(maximum memory KiB, current memory KiB, vCPUs), or None."""
    memory = _kib(_element(text, "  <memory"))
    current = _kib(_element(text, "  <currentMemory"))
    vcpu = _element(text, "  <vcpu")
    try:
        vcpus = int(_attribute(vcpu[0], "current") or vcpu[1]) if vcpu else 1
    except ValueError:
        return None
    if memory is None:
        return None
    return memory, current or memory, vcpus


def _kib(found):
    if found is None or (_attribute(found[0], "unit") or "KiB") != "KiB":
        return None
    try:
        return int(found[1])
    except ValueError:
        return None


def _element(text, opening, start=0, end=None):
    """(attribute text, content) of the element opening the first line of
    text[start:end] that starts with *opening* (None when there is none or
    the element spans lines)."""
    at = text.find("\n" + opening, start, len(text) if end is None else end)
    if at < 0:
        return None
    tag = opening.lstrip(" <")
    after = at + 1 + len(opening)
    close = text.find(">", after)
    line_end = text.find("\n", after)
    if close < 0 or text[after:after + 1] not in (" ", "/", ">") or 0 <= line_end < close:
        return None
    if text[close - 1] == "/":
        return text[after:close - 1], ""
    content_end = text.find("</%s>" % tag, close)
    if content_end < 0 or 0 <= text.find("\n", close, content_end):
        return None
    return text[after:close], text[close + 1:content_end].strip()


def _attribute(attributes, name):
    at = attributes.find(" %s=" % name)
    if at < 0:
        return None
    quote_at = at + len(name) + 2
    end = attributes.find(attributes[quote_at], quote_at + 1)
    return attributes[quote_at + 1:end] if end > 0 else None
