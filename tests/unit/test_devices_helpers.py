"""CPU lists, sizes and typed parameters as the device/tuning commands
parse and print them."""
import pytest

from virtsh import domopts
from virtsh.drivers import cpusets
from virtsh.drivers.errors import VirtError
from virtsh.errors import CommandError


@pytest.mark.parametrize("text, cpus", [
    ("0", {0}), ("0-3", {0, 1, 2, 3}), ("1,3-5,^4", {1, 3, 5}), (" 2 , 7", {2, 7}),
])
def test_cpuset_parse(text, cpus):
    assert cpusets.parse(text) == cpus


@pytest.mark.parametrize("text", ["x", "3-1", "-1", "1,,2", ""])
def test_cpuset_parse_rejects_malformed_lists(text):
    with pytest.raises(VirtError, match="Failed to parse bitmap"):
        cpusets.parse(text)


def test_cpuset_format_joins_ranges():
    assert cpusets.format({0, 1, 2, 5, 7, 8}) == "0-2,5,7-8"
    assert cpusets.format(set()) == ""


def test_cpu_list_for_pinning():
    assert domopts.parse_cpu_list("r", 4) == {0, 1, 2, 3}
    with pytest.raises(CommandError) as err:
        domopts.parse_cpu_list("9", 8)
    assert err.value.lines == ["CPU 9 in cpulist '9' exceed the maxcpu 8"]
    with pytest.raises(CommandError) as err:
        domopts.parse_cpu_list("x", 8)
    assert err.value.lines == ["Invalid cpulist 'x'",
                               "invalid argument: Failed to parse bitmap 'x'"]


def test_affinity_is_cut_to_the_host_cpu_count():
    every = set(range(16))
    assert domopts.cpu_list_text(every, 8) == "0-7"
    assert domopts.cpu_map_text({2, 3, 12}, 8) == "--yy----"


@pytest.mark.parametrize("value, text", [
    (0, "0.000 B"), (1023, "1023.000 B"), (1024, "1.000 KiB"),
    (1099506450432, "1023.995 GiB"), (1099511627776, "1.000 TiB"),
])
def test_pretty_capacity(value, text):
    assert domopts.pretty_capacity(value) == text


def test_typed_parameter_conversion_follows_the_current_type():
    assert domopts.convert_param("weight", "100", 50) == 100
    assert domopts.convert_param("cmt", "yes", False) is True
    assert domopts.convert_param("group_name", "g1", "") == "g1"
    with pytest.raises(VirtError, match="expected unsigned int"):
        domopts.convert_param("weight", "abc", 50)


def test_typed_parameter_text():
    assert [domopts.param_text(v) for v in (True, 5, "", 1.5)] == \
        ["yes", "5", "", "1.500000"]
