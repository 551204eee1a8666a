"""Connection URIs: ``driver[+transport]://[user@][host][:port]/path[?params]``."""


def unquote(text):
    """Percent-decoding, importing urllib only when a URI has escapes
    (urllib.parse costs milliseconds on every command's start-up)."""
    if "%" not in text:
        return text
    from urllib.parse import unquote as decode
    return decode(text)


class URI:
    """A parsed connection URI; ``str(uri)`` gives back the original text."""

    __slots__ = ("text", "scheme", "driver", "transport", "user", "host",
                 "port", "path", "params")

    def __init__(self, text):
        self.text = text
        scheme, sep, rest = text.partition(":")
        if not sep or not scheme:
            raise ValueError(text)
        self.scheme = scheme
        self.driver, _, transport = scheme.partition("+")
        self.transport = transport or None
        self.user = self.host = self.port = None
        self.params = {}
        if rest.startswith("//"):
            rest = rest[2:]
            authority, slash, rest = rest.partition("/")
            rest = slash + rest
            if "@" in authority:
                user, _, authority = authority.rpartition("@")
                self.user = unquote(user)
            if authority.startswith("["):
                host, _, port = authority[1:].partition("]")
                port = port[1:] if port.startswith(":") else ""
            else:
                host, _, port = authority.partition(":")
            self.host = unquote(host) or None
            self.port = int(port) if port else None
        path, _, query = rest.partition("?")
        self.path = unquote(path)
        for item in filter(None, query.split("&")):
            key, _, value = item.partition("=")
            self.params[unquote(key)] = unquote(value)

    def __str__(self):
        return self.text

    def __repr__(self):
        return "URI(%r)" % self.text
