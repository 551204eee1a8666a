"""Typed option access with virsh's error texts (virtsh/args.py)."""
import pytest

from virtsh.args import Args, UINT_MAX, ULLONG_MAX
from virtsh.errors import CommandError


def args(**values):
    return Args(None, {k.replace("_", "-"): v for k, v in values.items()})


def error_of(call):
    with pytest.raises(CommandError) as info:
        call()
    return info.value.lines


def test_plain_access():
    a = args(domain="vm", live=True, string=["a", "b"])
    assert (a.get("domain"), a.get("file"), a.flag("live"), a.flag("config")) == ("vm", None, True, False)
    assert a.argv("string") == ["a", "b"] and a.argv("other") == []
    assert a.given("domain") and not a.given("file")


def test_string_refuses_empty_values():
    assert args(domain="vm").string("domain") == "vm"
    assert args().string("domain", "dflt") == "dflt"
    assert error_of(lambda: args(domain="").string("domain")) == [
        "Failed to get option 'domain': Option argument is empty"]


def test_exclusive_options():
    args(shell=True).exclusive("shell", "xml")
    assert error_of(lambda: args(shell=True, xml=True).exclusive("shell", "xml")) == [
        "Options --shell and --xml are mutually exclusive"]


def test_int_accepts_c_forms_only():
    assert [args(n=t).int("n") for t in ("12", "+1", " -3")] == [12, 1, -3]
    for bad in ("0x1", "1.5", "", "2147483648", "12abc"):
        assert error_of(lambda: args(cellno=bad).int("cellno")) == [
            "Numeric value '%s' for <cellno> option is malformed or out of range" % bad]


def test_unsigned_wrap_like_strtoul():
    assert args(n="-1").uint("n") == UINT_MAX
    assert args(n="-1").ulong("n") == ULLONG_MAX
    assert args().uint("n", 7) == 7


def test_scaled_sizes():
    assert args(size="1048576").scaled("size", 1024) == 1048576 * 1024
    assert args(size="1GiB").scaled("size", 1024) == 1 << 30
    assert args(size="1KB").scaled("size") == 1000
    assert args(size="512b").scaled("size", 1024) == 512
    lines = error_of(lambda: args(size="10Q").scaled("size"))
    assert lines == ["Scaled numeric value '10Q' for <size> option is malformed or out of range",
                     "invalid argument: unknown suffix 'Q'"]
    assert error_of(lambda: args(size="-1").scaled("size"))[0].startswith("Scaled numeric value '-1'")
