"""virsh's tree layout (vshTreePrint): snapshot-list --tree and the like.

    base
      |
      +- patched
      |   |
      |   +- fix
      |
      +- other

Each entry is (name, parent name or None); children are drawn in list
order under their parent, and the blank-looking lines that close a branch
keep virsh's trailing spaces.
"""


def tree_lines(entries, root):
    """The lines drawing entry *root* (an index into *entries*) and
    everything below it."""
    lines = []
    _draw(entries, root, root, True, "", lines)
    return lines


def _draw(entries, index, last, is_root, indent, lines):
    name = entries[index][0]
    lines.append(indent + ("" if is_root else "+- ") + name)
    if not is_root:
        indent += (" " if index == last else "|") + " "
    children = [i for i, (_, parent) in enumerate(entries) if parent == name]
    if children:
        lines.append(indent + "  |")
    for child in children:
        _draw(entries, child, children[-1], False, indent + "  ", lines)
    if not children and index == last:
        lines.append(indent)


def print_tree(ctl, entries):
    """Print the trees of every entry without a parent (virsh's --tree)."""
    for i, (_, parent) in enumerate(entries):
        if parent is None:
            for line in tree_lines(entries, i):
                ctl.print(line)
