"""virsh's two output layouts: tables and ``%-15s %s`` key/value blocks.

Tables (``list``, ``net-list``, ``pool-list`` ... every ``*-list``)::

    print_table(ctl, ("Id", "Name", "State"), rows)

prints, as virsh's vshTable does::

     Id   Name   State
    ----------------------
     1    test   running

Each cell is preceded by one space and padded to its column's width plus two
(the last cell is not padded); the dashes line is (width + 3) per column.
With ``-q`` the header and dashes are left out *and* the header no longer
counts for the column widths.  Control characters (and a literal ``\\x``)
are shown as ``\\xNN``.

Key/value blocks (``dominfo``, ``nodeinfo``, ``net-info`` ...)::

    print_fields(ctl, [("Name:", "test"), ("UUID:", uuid)])

prints ``%-15s %s`` lines: the label (with its colon) padded to 15.
"""
import unicodedata


def format_table(header, rows, show_header=True):
    """The text of a table (every line ends with a newline).

    *header*: column titles; *rows*: sequences of cells (str() is applied),
    each as long as *header*.
    """
    cells = [[_safe(str(c)) for c in row] for row in rows]
    head = [_safe(h) for h in header]
    measured = ([head] if show_header else []) + cells
    widths = [0] * len(head)
    for row in measured:
        for i, (_, w) in enumerate(row):
            widths[i] = max(widths[i], w)
    lines = []
    if show_header:
        lines.append(_row_text(head, widths))
        lines.append("-" * sum(w + 3 for w in widths))
    lines.extend(_row_text(row, widths) for row in cells)
    return "".join(line + "\n" for line in lines)


def print_table(ctl, header, rows):
    """Print a table through *ctl*; ``-q`` drops the header and dashes."""
    ctl.print(format_table(header, rows, show_header=not ctl.quiet), end="")


def field_line(label, value):
    """One key/value line without newline: ``"Name:           test"``."""
    return "%-15s %s" % (label, value)


def print_fields(ctl, pairs):
    """Print (label, value) pairs as ``%-15s %s`` lines."""
    for label, value in pairs:
        ctl.print(field_line(label, value))


def _row_text(row, widths):
    parts = []
    last = len(row) - 1
    for i, (text, width) in enumerate(row):
        parts.append(" " + text)
        if i < last:
            parts.append(" " * (widths[i] - width + 2))
    return "".join(parts)


def _safe(text):
    """(printable text, display width): control characters and a literal
    backslash-x become ``\\xNN`` so that the column width is right."""
    if text.isascii() and text.isprintable() and "\\x" not in text:
        return text, len(text)          # the usual cell: one column a character
    out = []
    width = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ord(ch) < 32 or ord(ch) == 127 or (ch == "\\" and text[i + 1:i + 2] == "x"):
            out.append("\\x%02x" % ord(ch))
            width += 4
        elif not ch.isprintable():
            encoded = "".join("\\x%02x" % b for b in ch.encode("utf-8", "surrogateescape"))
            out.append(encoded)
            width += len(encoded)
        else:
            out.append(ch)
            width += _char_width(ch)
        i += 1
    return "".join(out), width


def _char_width(ch):
    if ord(ch) < 0x300:
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
