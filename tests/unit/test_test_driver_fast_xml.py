"""The default node's domain XML is served from its unparsed text (so a
one-shot ``dumpxml`` never loads lxml); that text must stay exactly what
xmlconf formats for the same definition, for every flag and state."""
import itertools
import subprocess
import sys

import pytest

from virtsh import drivers, xmlconf
from virtsh.drivers.test.domains import DEFAULT_DOMAIN_XML
from virtsh.xmlconf import domain as xd

FLAGS = (xmlconf.XML_SECURE, xmlconf.XML_INACTIVE, xmlconf.XML_MIGRATABLE)
FLAG_SETS = [sum(c) for n in range(len(FLAGS) + 1) for c in itertools.combinations(FLAGS, n)]


def _record(conn):
    return conn._domain_records["6695eb01-f6a4-8304-79aa-97f2502e193f"]


def _xmlconf_formatting(flags, live_id):
    defn = xd.parse(DEFAULT_DOMAIN_XML)
    return xd.format(defn, flags, None if flags & xmlconf.XML_INACTIVE else live_id)


@pytest.mark.parametrize("flags", FLAG_SETS)
@pytest.mark.parametrize("running", [True, False])
def test_unparsed_text_equals_xmlconf_formatting(flags, running):
    conn = drivers.open("test:///default")
    dom = conn.lookup_domain_by_name("test")
    if not running:
        dom.destroy()
    fast = dom.xml_desc(flags)
    assert _record(conn).summary is not None, "the fast path parsed the definition"
    assert fast == _xmlconf_formatting(flags, 1 if running else None)


def test_parsed_definition_is_formatted_by_xmlconf():
    conn = drivers.open("test:///default")
    dom = conn.lookup_domain_by_name("test")
    dom.set_autostart(True)
    _record(conn).touch()                    # what every definition change does first
    assert _record(conn).unparsed_xml(1) is None
    assert dom.xml_desc(0) == _xmlconf_formatting(0, 1)


def test_one_shot_dumpxml_does_not_load_lxml():
    code = ("import sys; from virtsh.main import main\n"
            "sys.argv = ['virtsh', '-c', 'test:///default', 'dumpxml', 'test']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(str(sorted(m for m in sys.modules if 'lxml' in m)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.startswith("<domain type='test' id='1'>\n  <name>test</name>")
    assert proc.stderr == "[]"
