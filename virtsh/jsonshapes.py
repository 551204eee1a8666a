"""The documents ``--json`` prints, one per command, for the man page.

Each shape is written as JSON with the value's type in place of a value
(``str``, ``int``, ``float``, ``bool``, ``T|null``); ``[...]`` is a list of
such objects.  man/generate.py prints them in the JSON OUTPUT section and
tests/cli/test_json.py checks that every command with ``--json`` has one.
Not on the start-up path: only the man page generator and tests import it.
"""

SHAPES = {
    # --- domains ---------------------------------------------------------
    "list": '[{"id": int|null, "name": str, "uuid": str, "state": str, '
            '"persistent": bool|null, "title": str (only with --title)}]',
    "dominfo": '{"id": int|null, "name": str, "uuid": str, "os_type": str|null, '
               '"state": str, "vcpus": int, "cpu_time_ns": int|null, '
               '"max_memory_kib": int, "used_memory_kib": int, '
               '"persistent": bool|null, "autostart": bool|null, '
               '"managed_save": bool|null, "security": {"model": str, "doi": str, '
               '"label": str|null, "enforcing": bool|null}|null, '
               '"messages": [str] (taint and deprecation notes)}',
    "domstate": '{"state": str, "reason": str}',
    "domstats": '[{"name": str, "stats": {FIELD: int|float|bool|str}}] '
                '(FIELD as in the text output, e.g. "state.state")',
    "domblklist": '[{"type": str|null, "device": str, "target": str|null, '
                  '"source": str|null}]',
    "domiflist": '[{"interface": str|null, "type": str|null, "source": str|null, '
                 '"model": str|null, "mac": str|null}]',
    "domblkinfo": '{"device": str, "capacity_bytes": int, "allocation_bytes": int, '
                  '"physical_bytes": int}; with --all a list of these, the sizes '
                  'null for a disk without a source',
    "domblkstat": '{"device": str, "stats": {FIELD: int}} (FIELD: rd_req, rd_bytes, '
                  'wr_req, wr_bytes, flush_operations, rd_total_times, '
                  'wr_total_times, flush_total_times, errs; those the driver has)',
    "domifstat": '{"interface": str, "stats": {FIELD: int}} (FIELD: rx_bytes, '
                 'rx_packets, rx_errs, rx_drop, tx_bytes, tx_packets, tx_errs, '
                 'tx_drop; those the driver has)',
    "dommemstat": '{FIELD: int} (FIELD as in the text output: actual, rss, '
                  'unused, available ... in KiB; last_update in seconds; '
                  'fault counts as numbers)',
    "domifaddr": '[{"name": str, "mac": str|null, "addresses": '
                 '[{"type": "ipv4"|"ipv6", "address": str, "prefix": int}]}]',
    "vcpuinfo": '[{"vcpu": int, "cpu": int|null, "state": str|null, '
                '"cpu_time_ns": int|null, "affinity": [int]}] (null: the domain '
                'is shut off)',
    "vcpucount": '{"maximum": {"config": int|null, "live": int|null}, '
                 '"current": {"config": int|null, "live": int|null}}; with '
                 '--maximum, --active, --live, --config, --current or --guest: '
                 '{"vcpus": int}',
    "schedinfo": '{"scheduler": str, "params": {NAME: int|float|bool|str}}',
    "memtune": '{NAME_kib: int|null} (NAME: hard_limit, soft_limit, '
               'swap_hard_limit, min_guarantee; null: unlimited)',
    "blkiotune": '{NAME: int|str} (weight, device_weight, device_read_iops_sec '
                 '...; per-device values as "/path,value,...")',
    "iothreadinfo": '[{"id": int, "affinity": [int]}]',
    # --- snapshots and checkpoints --------------------------------------
    "snapshot-list": '[{"name": str, "creation_time": int (seconds since the '
                     'epoch), "state": str, "location": "internal"|"external", '
                     '"parent": str|null}]',
    "snapshot-info": '{"name": str, "domain": str, "current": bool, "state": str, '
                     '"location": "internal"|"external", "parent": str|null, '
                     '"children": int, "descendants": int, "metadata": bool}',
    "checkpoint-list": '[{"name": str, "creation_time": int (seconds since the '
                       'epoch), "parent": str|null}]',
    # --- networks, interfaces, filters ----------------------------------
    "net-list": '[{"name": str, "uuid": str, "active": bool, "autostart": bool, '
                '"persistent": bool}]',
    "net-info": '{"name": str, "uuid": str, "active": bool|null, '
                '"persistent": bool|null, "autostart": bool|null, '
                '"bridge": str|null}',
    "net-dhcp-leases": '[{"expiry_time": int (seconds since the epoch), '
                       '"mac": str, "protocol": "ipv4"|"ipv6", "ip_address": str, '
                       '"prefix": int, "hostname": str|null, "client_id": str|null}]',
    "iface-list": '[{"name": str, "active": bool, "mac": str}]',
    "nwfilter-list": '[{"uuid": str, "name": str}]',
    # --- storage -----------------------------------------------------------
    "pool-list": '[{"name": str, "uuid": str, "state": str, '
                 '"capacity_bytes": int|null, "allocation_bytes": int|null, '
                 '"available_bytes": int|null, "autostart": bool, '
                 '"persistent": bool}] (sizes null unless the pool runs)',
    "pool-info": '{"name": str, "uuid": str, "state": str, '
                 '"capacity_bytes": int|null, "allocation_bytes": int|null, '
                 '"available_bytes": int|null, "persistent": bool|null, '
                 '"autostart": bool|null}',
    "vol-list": '[{"name": str, "type": str, "capacity_bytes": int, '
                '"allocation_bytes": int, "path": str|null}]',
    "vol-info": '{"name": str, "type": str, "capacity_bytes": int, '
                '"allocation_bytes": int, "physical_bytes": int (only with '
                '--physical)}',
    # --- host objects --------------------------------------------------------
    "nodedev-list": '[{"name": str, "parent": str|null}]',
    "secret-list": '[{"uuid": str, "usage_type": str|null, "usage_id": str|null}]',
    "nodeinfo": '{"cpu_model": str, "cpus": int, "cpu_mhz": int, '
                '"cpu_sockets": int, "cores_per_socket": int, '
                '"threads_per_core": int, "numa_cells": int, "memory_kib": int}',
    "nodememstats": '{NAME_kib: int} (NAME: total, free, buffers, cached)',
    "nodecpustats": '{"user_ns": int, "system_ns": int, "idle_ns": int, '
                    '"iowait_ns": int}; with --percent: {"usage_percent": '
                    'float|null, "user_percent": ..., "system_percent": ..., '
                    '"idle_percent": ..., "iowait_percent": ...}',
    "freecell": '{"cells": [{"cell": int, "free_kib": int}], "total_kib": int} '
                '(cells empty without --all or a cell number)',
    "version": '{"library_version": str, "hypervisor_type": str, '
               '"hypervisor_version": str|null, "daemon_version": str|null '
               '(null without --daemon)}',
}
