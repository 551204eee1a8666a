"""The pieces of console and monitor commands that need no guest: which
character device a console opens, virsh's JSON layouts, QMP wrapping."""
import json

import pytest
from lxml import etree

from virtsh.drivers.errors import VirtError
from virtsh.drivers.qemu import command, console
from virtsh.jsonpretty import compact, pretty

DEVICES = """<domain><devices>
  <serial type='pty'><source path='/dev/pts/7'/><alias name='serial0'/></serial>
  <serial type='null'><alias name='serial1'/></serial>
  <console type='pty'><source path='/dev/pts/7'/><alias name='serial0'/></console>
  <parallel type='pty'><source path='/dev/pts/9'/><alias name='parallel0'/></parallel>
</devices></domain>"""


def test_console_device_by_default_and_by_alias():
    root = etree.fromstring(DEVICES)
    assert console.find_device(root, None).tag == "console"
    assert console.find_device(root, "parallel0").find("source").get("path") == "/dev/pts/9"
    with pytest.raises(VirtError, match="cannot find character device nosuch"):
        console.find_device(root, "nosuch")
    with pytest.raises(VirtError, match="character device serial1 is not using a PTY"):
        console.open_fd(console.find_device(root, "serial1"), "serial1")


def test_pretty_json_is_laid_out_as_virsh_does():
    reply = {"return": {"status": "running", "list": [1, {}], "none": []}, "id": "x"}
    assert pretty(reply) == (
        '{\n  "return": {\n    "status": "running",\n    "list": [\n      1,\n'
        '      {\n\n      }\n    ],\n    "none": [\n\n    ]\n  },\n  "id": "x"\n}')
    assert compact(reply["return"]) == '{"status":"running","list":[1,{}],"none":[]}'


def test_qmp_command_words_are_wrapped():
    from virtsh.commands.domguest import _qmp_command_text
    from virtsh.errors import CommandError
    assert _qmp_command_text(['{"execute":"stop"}']) == '{"execute":"stop"}'
    assert json.loads(_qmp_command_text(["query-status"])) == {"execute": "query-status"}
    assert json.loads(_qmp_command_text(["eject", '"id":"cd0",', '"force":true'])) == {
        "execute": "eject", "arguments": {"id": "cd0", "force": True}}
    with pytest.raises(CommandError, match="failed to wrap arguments 'a=1'"):
        _qmp_command_text(["cmd", "a=1"])


def test_unix_serial_becomes_a_listening_socket_chardev():
    serial = etree.fromstring("<serial type='unix'><source mode='bind' path='/tmp/s'/>"
                              "<target port='0'/></serial>")
    argv = command._serial(serial, 0)
    assert argv[:2] == ["-chardev", "socket,id=charserial0,path=/tmp/s,server=on,wait=off"]
