"""domjobinfo's layout of raw job statistics (virsh's labels and units)."""
from virtsh import jobinfo


def test_migration_statistics_read_as_virsh_writes_them():
    params = [("operation", 5), ("time_elapsed", 1234), ("data_total", 1 << 30),
              ("data_processed", 3 * (1 << 20)), ("data_remaining", 512 << 20),
              ("memory_bps", 32 << 20), ("memory_dirty_rate", 7),
              ("memory_page_size", 4096), ("memory_iteration", 2),
              ("downtime", 300), ("setup_time", 10)]
    assert jobinfo.lines(False, params) == [
        "Operation:        Outgoing migration",
        "Time elapsed:     1234         ms",
        "Data processed:   3.000 MiB",
        "Data remaining:   512.000 MiB",
        "Data total:       1.000 GiB",
        "Memory bandwidth: 32.000 MiB/s",
        "Dirty rate:       7            pages/s",
        "Page size:        4096         bytes",
        "Iteration:        2           ",
        "Expected downtime: 300          ms",
        "Setup time:       10           ms",
    ]


def test_a_completed_job_reports_its_total_downtime_and_error():
    out = jobinfo.lines(True, [("downtime", 42), ("errmsg", "boom")])
    assert out == ["Total downtime:   42           ms", "Error message:    boom"]


def test_labelled_statistics_are_not_raw():
    assert not jobinfo.is_raw([("Time elapsed", "5 ms")])
    assert jobinfo.is_raw([("time_elapsed", 5)])
