"""xmlconf/domain_order.py is generated: it must equal the generator's output,
so orders are fixed in tests/conformance/gen_domain_order.py, never by hand."""
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(os.path.dirname(REPO), "shared", "conformance", "xml")


def test_committed_order_tables_equal_the_generators_output():
    if not os.path.isdir(CORPUS):
        pytest.skip("no conformance corpus at %s" % CORPUS)
    generated = subprocess.run(
        [sys.executable, os.path.join(REPO, "tests", "conformance", "gen_domain_order.py")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True).stdout
    with open(os.path.join(REPO, "xmlconf", "domain_order.py")) as f:
        assert f.read() == generated
