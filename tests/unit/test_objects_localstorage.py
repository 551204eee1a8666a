"""Directory pools kept on disk (drivers/localstorage.py): what a second
connection sees, real files for volumes, libvirt's errors."""
import os
import shutil

import pytest

from virtsh.drivers.connection import Connection
from virtsh.drivers.errors import VirtError
from virtsh.drivers.localstorage import LocalStorageMixin
from virtsh.drivers.uri import URI


class DirConnection(LocalStorageMixin, Connection):
    def __init__(self, root):
        super().__init__(URI("x:///"))
        self.root = root

    def _storage_dirs(self):
        return (os.path.join(self.root, "etc"), os.path.join(self.root, "run"))


def pool_xml(name, target):
    return ("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>"
            % (name, target))


def test_defined_pool_is_seen_by_another_connection(tmp_path):
    first = DirConnection(str(tmp_path))
    pool = first.define_storage_pool(pool_xml("p", tmp_path / "pool"))
    pool.build()
    pool.set_autostart(True)
    pool.create()
    second = DirConnection(str(tmp_path))
    again = second.lookup_storage_pool_by_uuid(pool.uuid())
    assert (again.name(), again.is_active(), again.is_persistent(), again.autostart()) \
        == ("p", True, True, True)
    again.destroy()
    assert not first.lookup_storage_pool_by_name("p").is_active()


def test_raw_volumes_are_files_sparse_or_allocated(tmp_path):
    conn = DirConnection(str(tmp_path))
    pool = conn.create_storage_pool(pool_xml("t", tmp_path / "pool"), 1)
    sparse = pool.create_volume("<volume><name>s.img</name><capacity>1048576</capacity>"
                                "<allocation>0</allocation></volume>")
    full = pool.create_volume("<volume><name>f.img</name><capacity>1048576</capacity>"
                              "</volume>")
    assert sparse.info() == (0, 1048576, 0)
    assert full.info()[2] >= 1048576
    assert [v.name() for v in pool.list_all_volumes()] == ["f.img", "s.img"]
    assert conn.lookup_storage_vol_by_path(str(tmp_path / "pool" / "s.img")).name() == "s.img"
    with pytest.raises(VirtError) as e:
        pool.create_volume("<volume><name>s.img</name><capacity>1</capacity></volume>")
    assert str(e.value) == "storage volume 's.img' exists already"
    sparse.delete()
    assert not (tmp_path / "pool" / "s.img").exists()
    pool.destroy()                      # transient: gone
    with pytest.raises(VirtError) as e:
        conn.lookup_storage_pool_by_name("t")
    assert str(e.value) == "Storage pool not found: no storage pool with matching name 't'"


@pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img not installed")
def test_qcow2_volume_reports_its_virtual_size(tmp_path):
    conn = DirConnection(str(tmp_path))
    pool = conn.create_storage_pool(pool_xml("q", tmp_path / "pool"), 1)
    vol = pool.create_volume("<volume><name>a.qcow2</name><capacity>16777216</capacity>"
                             "<target><format type='qcow2'/></target></volume>")
    vtype, capacity, allocation = vol.info()
    assert capacity == 16777216 and allocation < 1048576
    assert "<format type='qcow2'/>" in vol.xml_desc()


def test_running_pool_refuses_undefine_and_double_start(tmp_path):
    conn = DirConnection(str(tmp_path))
    pool = conn.define_storage_pool(pool_xml("p", tmp_path / "pool"))
    with pytest.raises(VirtError) as e:
        pool.create()
    assert "cannot open directory" in str(e.value)
    pool.build()
    pool.create()
    with pytest.raises(VirtError) as e:
        pool.undefine()
    assert str(e.value) == "Requested operation is not valid: storage pool 'p' is still active"
