"""commands.INDEX matches the modules, and the command tree matches virsh 9.0's."""
import json
import os
import re
import subprocess
import sys

import pytest

from virtsh import commands
from virtsh.cmd import ARGV, BOOL, NUMBER, STRING, Alias, Command, argv, data, problems

INVENTORY = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                         "conformance", "virsh-commands.json")


@pytest.fixture(scope="module")
def registry():
    return dict(commands.load_all())


@pytest.fixture(scope="module")
def inventory():
    if not os.path.exists(INVENTORY):
        pytest.skip("no virsh-commands.json beside the repository")
    with open(INVENTORY) as f:
        return json.load(f)


def test_index_names_exactly_what_the_modules_declare(registry):
    declared = {name: cmd.module.rsplit(".", 1)[1] for name, cmd in registry.items()}
    assert declared == commands.INDEX


def test_every_command_knows_its_group(registry):
    groups = {g for g, _, _ in commands.GROUPS}
    assert {cmd.group for cmd in registry.values()} <= groups


@pytest.mark.parametrize("argv, module", [
    (["dominfo", "test"], "monitor"),
    (["destroy", "test"], "domain"),
    (["vcpucount", "test"], "domtune"),
    (["save", "test", "/nonexistent/dir/img"], "domsave"),
])
def test_a_command_imports_only_the_module_declaring_it(argv, module):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "virtsh",
                           "-c", "test:///default", *argv], capture_output=True, text=True)
    loaded = re.findall(r"\| +(virtsh\.commands\.\w+)$", proc.stderr, re.M)
    assert loaded == ["virtsh.commands." + module]


def test_commands_of_a_module_a_handler_imported_get_their_group():
    # start --console imports domguest outside commands._load
    code = ("import virtsh.commands.domguest\n"
            "from virtsh import commands\n"
            "print(commands.find('start').group, commands.find('console').group, sep='|')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout == "Domain Management|Domain Management\n"


def _implemented(cmd):
    """False for a declaration whose handler is still the TODO stub."""
    return "NotImplementedError" not in cmd.handler.__code__.co_names


def test_every_implemented_command_has_help_texts(registry):
    missing = sorted({cmd.name for cmd in registry.values() if _implemented(cmd) and (
        not cmd.help or any(not o.help for o in cmd.options))})
    assert missing == []


def test_declarations_follow_virsh_rules(registry):
    found = [p for cmd in set(registry.values()) for p in problems(cmd)
             if not p.endswith("has no help")]
    assert found == []


def test_problems_are_found():
    bad = Command("bad", "", (argv("rest", "x"), data("late", "y", required=True)),
                  (Alias("old", "gone"),), None, "", False, False, __name__)
    assert problems(bad) == [
        "command 'bad' has no help",
        "argv option 'rest' of command 'bad' is not last",
        "required option 'late' of command 'bad' follows an optional one",
        "alias 'old' of command 'bad' names no option",
    ]


def test_groups_and_their_order_match_virsh(inventory):
    ours = [(name, keyword) for name, keyword, _ in commands.GROUPS]
    assert ours == [(g["name"], g["keyword"]) for g in inventory["groups"]]
    for group in inventory["groups"]:
        modules = next(m for n, _, m in commands.GROUPS if n == group["name"])
        listed = [name for name, mod in commands.INDEX.items() if mod in modules]
        visible = [n for n in listed if n in group["commands"]]
        assert visible == group["commands"], group["name"]


_KIND = {"bool": BOOL, "string": STRING, "number": NUMBER, "argv": ARGV}


def _virsh_command_params():
    if not os.path.exists(INVENTORY):
        return []
    with open(INVENTORY) as f:
        return [pytest.param(c, id=c["name"]) for c in json.load(f)["commands"]]


@pytest.mark.parametrize("spec", _virsh_command_params())
def test_command_matches_virsh(registry, spec):
    cmd = registry.get(spec["name"])
    assert cmd is not None, "not registered"
    assert cmd.name == spec["name"]
    assert bool(cmd.hidden) == bool(spec.get("hidden"))
    assert cmd.group == spec["group"]
    theirs = [(o["name"], _KIND[o["type"]], o["required"], o["positional"])
              for o in spec["options"]]
    known = {o["name"] for o in spec["options"]}
    ours = [(o.name, o.kind, o.required, o.positional) for o in cmd.options
            if o.name in known]
    assert ours == theirs
    # Options beyond virsh's (``edit --xpath``, ``--json``) must not change
    # how a virsh command line parses: named only, never required.
    extras = [o.name for o in cmd.options
              if o.name not in known and (o.positional or o.required)]
    assert extras == []
    assert [o.name for o in cmd.options if o.positional] == \
        [o["name"] for o in sorted((o for o in spec["options"] if o["positional"]),
                                   key=lambda o: o["position"])]
    aliases = sorted((a.name, a.target, a.value) for a in cmd.aliases)
    assert aliases == sorted((a["name"], a["alias_of"], a.get("implies_value"))
                             for a in spec.get("option_aliases", ()))
    for other in spec.get("aliases", ()):
        assert registry.get(other) is cmd, "command alias %s" % other
