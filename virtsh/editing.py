"""The editor loop behind every ``*-edit`` command.

virsh's contract: the object's XML goes to a temporary file, $VISUAL or
$EDITOR (else vi) edits it, an untouched file means "not changed", and a
redefinition that fails offers "Failed. Try again? [y,n,i,f,?]" on a
terminal: edit again, give up, retry without validation, or retry as is.
Whatever happens, a failed redefinition leaves the old definition in place
(the driver only replaces it on success).

``--xpath EXPR --set VALUE`` / ``--delete`` edit without an editor.
"""
import os
import sys

from virtsh.errors import CommandError

ASK = "Try again?"
CHOICE_HELP = (
    ("y", "yes, open the editor again"),
    ("n", "no, discard my changes"),
    ("i", "retry the definition without validation"),
    ("f", "force: retry the same definition"),
    ("?", "show this help"),
)
CHANGED_BY_OTHER = "The XML configuration was changed by another user."


class Editable:
    """What an edit command edits: how to read and redefine it, and the
    messages virsh prints for it.

    *get_xml()* returns the current XML; *define(xml, validate)* redefines
    and returns what fills the ``%s`` of *edited* (the redefined object's
    name), or None when *edited* is a complete line; *not_changed* is the
    full "... not changed." line; *can_relax*: whether validation can be
    switched off (offers the 'i' answer); *define_unchanged*: redefine even
    an untouched document (``snapshot-edit --current`` makes it current).
    """

    def __init__(self, get_xml, define, not_changed, edited, can_relax=False,
                 define_unchanged=False):
        self.get_xml = get_xml
        self.define = define
        self.not_changed = not_changed
        self.edited = edited
        self.can_relax = can_relax
        self.define_unchanged = define_unchanged

    def edited_line(self, label):
        return self.edited if label is None else self.edited % label


def run(ctl, thing, change=None):
    """Edit *thing* (an Editable): with *change* (from xpath_change) without
    an editor, else in the editor loop.  True on success."""
    if change is not None:
        return edit_xpath(ctl, thing, *change)
    return edit_in_editor(ctl, thing)


def xpath_change(args):
    """(expr, value, delete) from ``--xpath`` with ``--set`` or ``--delete``;
    None without --xpath."""
    expr, value, delete = args.get("xpath"), args.get("set"), args.flag("delete")
    if expr is None:
        if value is not None or delete:
            raise CommandError("--%s needs --xpath" % ("set" if value is not None
                                                       else "delete"))
        return None
    if (value is None) == (not delete):
        raise CommandError("--xpath needs exactly one of --set and --delete")
    return expr, value, delete


def edit_in_editor(ctl, thing):
    """The editor loop for *thing*; True on success."""
    from virtsh.drivers.errors import VirtError
    original = thing.get_xml()
    path = _write_temp(original)
    try:
        validate = True
        answer = "y"
        while True:
            if answer == "y":
                run_editor(path)
                doc = _read_back(path)
                if doc == original and not thing.define_unchanged:
                    ctl.print_extra(thing.not_changed)
                    return True
            failure = None
            current = thing.get_xml()
            if current != original:
                failure = CHANGED_BY_OTHER
                original = current
            else:
                try:
                    label = thing.define(doc, validate)
                except VirtError as e:
                    failure = e
            if failure is None:
                ctl.print_extra(thing.edited_line(label))
                return True
            answer = ask_again(ctl, failure, validate and thing.can_relax)
            if answer == "i":
                validate = False
            elif answer not in ("y", "f"):
                raise CommandError(failure if answer is None else None,
                                   thing.not_changed)
    finally:
        os.unlink(path)


def inactive_xml(obj, flag):
    """``obj.xml_desc(flag)``, or ``obj.xml_desc()`` when the driver refuses
    the flag as an invalid argument (virsh's fallback for net-edit and
    pool-edit: the test driver knows no inactive network or pool XML)."""
    from virtsh.drivers.errors import INVALID_ARG, VirtError
    try:
        return obj.xml_desc(flag)
    except VirtError as e:
        if e.code != INVALID_ARG:
            raise
    return obj.xml_desc()


def ask_again(ctl, failure, can_relax):
    """Ask on the terminal what to do after *failure*: 'y', 'n', 'i' or 'f'.
    None when stdin is no terminal (then the caller reports the failure)."""
    if not sys.stdin.isatty():
        return None
    import termios
    import tty
    ctl.error(failure)
    choices = "[y,n,i,f,?]" if can_relax else "[y,n,f,?]"
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            ctl.out.write("\rFailed. %s %s: " % (ASK, choices))
            ctl.out.flush()
            key = os.read(fd, 1).decode("ascii", "replace").lower()
            if key == "?":
                ctl.out.write("\r\n")
                for letter, meaning in CHOICE_HELP:
                    if letter != "i" or can_relax:
                        ctl.out.write("%s - %s\r\n" % (letter, meaning))
            elif key in ("y", "n", "f") or (key == "i" and can_relax):
                break
            elif key in ("", "\x04"):     # end of input: give up
                key = "n"
                break
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    ctl.out.write("\r\n")
    ctl.out.flush()
    return key


def run_editor(path):
    """Open *path* in the user's editor; CommandError if it fails."""
    import shlex
    import subprocess
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    if any(c in editor for c in " \t'\"\\$;|&<>()`*?~"):
        argv = ["sh", "-c", "%s %s" % (editor, shlex.quote(path))]
    else:
        argv = [editor, path]
    shown = " ".join(shlex.quote(a) for a in argv)
    try:
        status = subprocess.call(argv)
    except OSError:
        raise CommandError("Cannot find '%s' in path: No such file or "
                           "directory" % editor) from None
    if status != 0:
        raise CommandError("internal error: Child process (%s) unexpected "
                           "exit status %d" % (shown, status))


def _write_temp(text):
    import tempfile
    fd, path = tempfile.mkstemp(prefix="virtsh", suffix=".xml")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def _read_back(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        raise CommandError("Failed to read file '%s' to string: %s"
                           % (path, e.strerror)) from None


# --- editing without an editor ----------------------------------------------

def apply_xpath(xml, expr, value=None, delete=False):
    """*xml* with every node *expr* selects set to *value* (element text or
    attribute value) or, with *delete*, removed.  CommandError when the
    expression is invalid or selects nothing editable."""
    from lxml import etree
    root = etree.fromstring(xml.encode())
    try:
        found = root.xpath(expr)
    except etree.XPathError:
        raise CommandError("Invalid XPath expression '%s'" % expr) from None
    if not isinstance(found, list) or not found:
        raise CommandError("XPath '%s' selects nothing to edit" % expr)
    for node in found:
        if getattr(node, "is_attribute", False):
            owner = node.getparent()
            if delete:
                del owner.attrib[node.attrname]
            else:
                owner.set(node.attrname, value)
        elif isinstance(node, etree._Element):
            if delete:
                if node is root:
                    raise CommandError("Cannot delete the document's root "
                                       "element")
                _remove(node)
            else:
                for child in list(node):
                    node.remove(child)
                node.text = value
        elif delete and getattr(node, "is_text", False):
            node.getparent().text = None
        else:
            raise CommandError("XPath '%s' selects something other than "
                               "elements or attributes" % expr)
    return etree.tostring(root, encoding="unicode")


def _remove(node):
    """Remove *node* with the blank before it, keeping the layout."""
    parent = node.getparent()
    prev = node.getprevious()
    if prev is not None:
        prev.tail = node.tail
    else:
        parent.text = node.tail
    parent.remove(node)


def edit_xpath(ctl, thing, expr, value=None, delete=False):
    """Change the XML with apply_xpath and redefine once (no editor, no
    retry); True on success."""
    from virtsh.drivers.errors import VirtError
    original = thing.get_xml()
    doc = apply_xpath(original, expr, value, delete)
    from lxml import etree
    if etree.tostring(etree.fromstring(original.encode()),
                      encoding="unicode") == doc:
        ctl.print_extra(thing.not_changed)
        return True
    try:
        label = thing.define(doc, True)
    except VirtError as e:
        raise CommandError(e, thing.not_changed) from None
    ctl.print_extra(thing.edited_line(label))
    return True
