"""Networks, pools, network filters and secrets written by several virtsh
processes at once on one qemu:///embed tree: every define succeeds, what
is stored is one whole definition, and no temporary file is left behind.

Each process defines the same object again and again, then the next kind
(as scripts run in parallel do): the writers race on the same file on
purpose.
"""
import base64
import os
import subprocess
import sys

WRITERS = 6
ROUNDS = 15
SECRET_UUID = "5a1d8a3c-0000-4000-8000-00000000c0de"

NETWORK = """<network>
  <name>shared-net</name>
  <uuid>5a1d8a3c-0000-4000-8000-0000000000a1</uuid>
  <bridge name='virbr-shared'/>
  <ip address='192.168.213.1' netmask='255.255.255.0'/>
</network>
"""
FILTER = """<filter name='shared-filter' chain='root'>
  <uuid>5a1d8a3c-0000-4000-8000-0000000000a2</uuid>
  <rule action='drop' direction='in' priority='500'><ip protocol='tcp' dstportstart='23'/></rule>
</filter>
"""
SECRET = """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='volume'><volume>/var/lib/images/shared.img</volume></usage>
</secret>
""" % SECRET_UUID


def _pool(target):
    return """<pool type='dir'>
  <name>shared-pool</name>
  <uuid>5a1d8a3c-0000-4000-8000-0000000000a3</uuid>
  <target><path>%s</path></target>
</pool>
""" % target


def _virtsh(uri, *argv, stdin=None):
    return subprocess.Popen([sys.executable, "-m", "virtsh", "-q", "-c", uri, *argv],
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _all_files(root):
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def test_parallel_defines_of_the_same_objects_all_succeed_and_leave_whole_files(tmp_path):
    root = tmp_path / "root"
    uri = "qemu:///embed?root=%s" % root
    inputs = {"net.xml": NETWORK, "filter.xml": FILTER, "secret.xml": SECRET,
              "pool.xml": _pool(tmp_path / "images")}
    for name, text in inputs.items():
        (tmp_path / name).write_text(text)
    lines = ["net-define %s/net.xml" % tmp_path, "nwfilter-define %s/filter.xml" % tmp_path,
             "pool-define %s/pool.xml" % tmp_path, "secret-define %s/secret.xml" % tmp_path]
    script = "".join(line + "\n" for line in lines for _ in range(ROUNDS))
    script += "".join("secret-set-value %s --base64 %s\n"
                      % (SECRET_UUID, base64.b64encode(b"secret-%02d" % n).decode())
                      for n in range(ROUNDS))
    (tmp_path / "script").write_text(script)
    writers = []
    for _ in range(WRITERS):            # all started before any is waited for
        with open(tmp_path / "script") as commands:
            writers.append(_virtsh(uri, stdin=commands))
    results = [w.communicate() for w in writers]
    for writer, (_, err) in zip(writers, results):
        assert writer.returncode == 0 and err == "", err

    leftovers = [p for p in _all_files(root) if ".tmp" in os.path.basename(p)
                 or p.endswith(".new")]
    assert leftovers == []
    shown = _virtsh(uri, "net-dumpxml shared-net; nwfilter-dumpxml shared-filter; "
                         "pool-dumpxml shared-pool; secret-dumpxml %s" % SECRET_UUID)
    out, err = shown.communicate()
    assert shown.returncode == 0, err
    for needle in ("<bridge name='virbr-shared'", "dstportstart='23'",
                   "<path>%s</path>" % (tmp_path / "images"),
                   "<volume>/var/lib/images/shared.img</volume>"):
        assert needle in out
    value = _virtsh(uri, "secret-get-value", SECRET_UUID)
    out, err = value.communicate()
    assert value.returncode == 0, err
    assert base64.b64decode(out.strip()).startswith(b"secret-")
