"""Run ../shared/conformance's scorers against virtsh and hold the floors.

A floor is the number of cases that passed when it was last raised: raise
it whenever the score rises, never lower it, so any regression fails.
"""
import os
import re
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFORMANCE = os.path.join(os.path.dirname(REPO), "shared", "conformance")

CLI_FLOORS = {"scenarios.jsonl": 275, "qemu-scenarios.jsonl": 58}
XML_FLOORS = {"test": 738, "test-migratable": 658, "test-secure": 658, "qemu": 587}


def virtsh_command():
    """The installed virtsh beside this interpreter, else `python -m virtsh`."""
    script = os.path.join(os.path.dirname(sys.executable), "virtsh")
    if os.path.exists(script):
        return script
    return shutil.which("virtsh") or "%s -m virtsh" % sys.executable


@pytest.fixture(scope="module")
def corpus():
    if not os.path.isdir(CONFORMANCE):
        pytest.skip("no conformance corpus at %s" % CONFORMANCE)
    return CONFORMANCE


def score(cmd, pattern):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=1500)
    print(proc.stdout[-6000:])
    match = re.search(pattern, proc.stdout)
    assert match, "the scorer printed no score"
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize("scenarios", sorted(CLI_FLOORS))
def test_cli_scenarios(corpus, scenarios):
    passed, total = score(
        [sys.executable, os.path.join(corpus, "compare-cli.py"),
         "--prog", virtsh_command(), "-j", "2", "--show-failures", "300",
         "--scenarios", os.path.join(corpus, "cli", scenarios)],
        r"cli: (\d+) passed, \d+ failed of (\d+)")
    floor = CLI_FLOORS[scenarios]
    assert passed >= floor, "%s: %d/%d passed, floor %d" % (scenarios, passed, total, floor)


@pytest.mark.parametrize("suite", sorted(XML_FLOORS))
def test_xml_suite(corpus, suite, tmp_path):
    # The qemu suite defines each case on a QEMU driver: a fresh embed root.
    qemu_cmd = "%s -c qemu:///embed?root=%s" % (virtsh_command(), tmp_path)
    passed, total = score(
        [sys.executable, os.path.join(corpus, "compare-xml.py"),
         "--prog", virtsh_command(), "--suite", suite, "-j", "2", "--qemu-cmd", qemu_cmd],
        r"xml/\S+: (\d+) passed, \d+ failed of (\d+)")
    floor = XML_FLOORS[suite]
    assert passed >= floor, "xml %s: %d/%d passed, floor %d" % (suite, passed, total, floor)
