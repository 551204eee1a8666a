"""Test driver: vCPU and IOThread pinning, plus the tuning and guest parts.

``DomainDevicesMixin`` is mixed into TestDomain (drivers/test/domain.py)
and uses its record (``self._rec()``, ``rec.defs(flags)``, ``rec.current``);
it brings in DomainTuningMixin (tuning.py) and DomainGuestMixin (guest.py).
"""
import time

from virtsh.drivers import cpusets
from virtsh.drivers import domain as D
from virtsh.drivers.errors import VirtError, INVALID_ARG, OPERATION_INVALID
from virtsh.drivers.test.apichecks import check_flags, check_params, one_def
from virtsh.drivers.test.guest import DomainGuestMixin
from virtsh.drivers.test.tuning import DomainTuningMixin
from virtsh.drivers.deftree import (
    child, default_cpumask, drop_if_empty, iothread_ids, pin_of, set_pin, vcpu_counts)


class DomainDevicesMixin(DomainTuningMixin, DomainGuestMixin):
    """vCPU and IOThread APIs of TestDomain, and the host figures they use."""

    # --- host figures -------------------------------------------------------
    def _node_info(self):
        try:
            return self.conn.get_node_info()
        except VirtError:
            return ("i686", 3145728, 16, 1400, 2, 2, 2, 2)

    def _host_cpus(self):
        """libvirt's VIR_NODEINFO_MAXCPUS of the test node."""
        info = self._node_info()
        return info[4] * info[5] * info[6] * info[7]

    # --- vCPUs ----------------------------------------------------------------
    def _vcpu_affinity(self, tree, vcpu):
        pin = pin_of(tree, "vcpupin", "vcpu", vcpu)
        if pin is not None:
            return cpusets.parse(pin.get("cpuset"))
        return default_cpumask(tree, self._host_cpus())

    def vcpus_info(self):
        rec = self._rec()
        if not rec.active:
            raise VirtError(OPERATION_INVALID, "cannot list vcpus for an inactive domain")
        tree = rec.current.tree
        cpu_time = time.time_ns() // 1000 // 10
        result = []
        for vcpu in range(vcpu_counts(tree)[1]):
            cpus = self._vcpu_affinity(tree, vcpu)
            result.append((vcpu, D.VCPU_RUNNING, cpu_time, max(cpus), cpus))
        return result

    def vcpu_pin_info(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        return [self._vcpu_affinity(tree, v) for v in range(vcpu_counts(tree)[0])]

    def pin_vcpu(self, vcpu, cpus, flags=0):
        check_flags(flags, 0, "testDomainPinVcpuFlags")
        rec = self._rec()
        if not rec.active:
            raise VirtError(OPERATION_INVALID, "cannot pin vcpus on an inactive domain")
        tree = rec.live.tree
        if vcpu >= vcpu_counts(tree)[1]:
            raise VirtError(INVALID_ARG, "requested vcpu '%d' is not present in "
                            "the domain" % vcpu)
        set_pin(tree, "vcpupin", "vcpu", vcpu, cpus)

    def pin_vcpu_live(self, vcpu, cpus):
        self.pin_vcpu(vcpu, cpus, 0)

    def emulator_pin_info(self, flags=0):
        tree = one_def(self._rec(), flags).tree
        pin = tree.find("cputune/emulatorpin")
        if pin is not None:
            return cpusets.parse(pin.get("cpuset"))
        return default_cpumask(tree, self._host_cpus())

    def pin_emulator(self, cpus, flags=0):
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        if not cpus:
            raise VirtError(INVALID_ARG, "Empty cpu list for pinning")
        set_pin(tree, "emulatorpin", None, None, cpus)

    # --- IOThreads ----------------------------------------------------------
    def iothread_info(self, flags=0):
        import os
        tree = one_def(self._rec(), flags).tree
        every = default_cpumask(tree, os.cpu_count() or 1)
        result = []
        for ident in iothread_ids(tree):
            pin = pin_of(tree, "iothreadpin", "iothread", ident)
            result.append((ident, cpusets.parse(pin.get("cpuset")) if pin is not None
                           else every))
        return result

    def add_iothread(self, iothread_id, flags=0):
        from lxml import etree
        rec = self._rec()
        rec.touch()
        for defn in (one_def(rec, flags),):
            tree = defn.tree
            ids = iothread_ids(tree)
            if iothread_id in ids:
                raise VirtError(INVALID_ARG, "an IOThread is already using "
                                "iothread_id '%d'" % iothread_id)
            holder = child(tree, "iothreadids")
            if not len(holder):
                for ident in ids:
                    etree.SubElement(holder, "iothread", id=str(ident))
            etree.SubElement(holder, "iothread", id=str(iothread_id))
            child(tree, "iothreads").text = str(len(ids) + 1)

    def del_iothread(self, iothread_id, flags=0):
        rec = self._rec()
        rec.touch()
        for defn in (one_def(rec, flags),):
            tree = defn.tree
            ids = iothread_ids(tree)
            if iothread_id not in ids:
                raise VirtError(INVALID_ARG, "cannot find IOThread '%d' in "
                                "iothreadids list" % iothread_id)
            for elem in tree.findall("iothreadids/iothread"):
                if elem.get("id") == str(iothread_id):
                    elem.getparent().remove(elem)
            pin = pin_of(tree, "iothreadpin", "iothread", iothread_id)
            if pin is not None:
                pin.getparent().remove(pin)
            self._set_iothread_count(tree, len(ids) - 1)

    @staticmethod
    def _set_iothread_count(tree, count):
        if count:
            tree.find("iothreads").text = str(count)
            return
        for tag in ("iothreads", "iothreadids"):
            elem = tree.find(tag)
            if elem is not None:
                tree.remove(elem)
        drop_if_empty(tree, "cputune")

    def _require_iothread(self, tree, iothread_id):
        if iothread_id not in iothread_ids(tree):
            raise VirtError(INVALID_ARG, "iothreadid %d not found" % iothread_id)

    def pin_iothread(self, iothread_id, cpus, flags=0):
        rec = self._rec()
        rec.touch()
        tree = one_def(rec, flags).tree
        self._require_iothread(tree, iothread_id)
        set_pin(tree, "iothreadpin", "iothread", iothread_id, cpus)

    def set_iothread_params(self, iothread_id, params, flags=0):
        check_params(params, ("poll_max_ns", "poll_grow", "poll_shrink",
                              "thread_pool_min", "thread_pool_max"))
        self._require_iothread(one_def(self._rec(), flags).tree, iothread_id)
