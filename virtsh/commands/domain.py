"""Domain Management commands (virsh help group 'domain')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('attach-device', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def attach_device(ctl, args):
    raise NotImplementedError  # TODO


@command('attach-disk', "",
         data('domain', "", required=True),
         data('source', "", required=True),
         data('target', "", required=True),
         data('targetbus', ""),
         data('driver', ""),
         data('subdriver', ""),
         data('iothread', ""),
         data('cache', ""),
         data('io', ""),
         data('type', ""),
         data('mode', ""),
         data('sourcetype', ""),
         data('serial', ""),
         data('wwn', ""),
         data('alias', ""),
         flag('rawio', ""),
         data('address', ""),
         flag('multifunction', ""),
         flag('print-xml', ""),
         data('source-protocol', ""),
         data('source-host-name', ""),
         data('source-host-transport', ""),
         data('source-host-socket', ""),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         aliases=(Alias('shareable', 'mode', 'shareable'),))
def attach_disk(ctl, args):
    raise NotImplementedError  # TODO


@command('attach-interface', "",
         data('domain', "", required=True),
         data('type', "", required=True),
         data('source', "", required=True),
         data('target', ""),
         data('mac', ""),
         data('script', ""),
         data('model', ""),
         data('alias', ""),
         data('inbound', ""),
         data('outbound', ""),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""),
         flag('managed', ""),
         data('source-mode', ""))
def attach_interface(ctl, args):
    raise NotImplementedError  # TODO


@command('autostart', "",
         data('domain', "", required=True),
         flag('disable', ""))
def autostart(ctl, args):
    raise NotImplementedError  # TODO


@command('blkdeviotune', "",
         data('domain', "", required=True),
         data('device', "", required=True),
         data('total-bytes-sec', "", kind=NUMBER),
         data('read-bytes-sec', "", kind=NUMBER),
         data('write-bytes-sec', "", kind=NUMBER),
         data('total-iops-sec', "", kind=NUMBER),
         data('read-iops-sec', "", kind=NUMBER),
         data('write-iops-sec', "", kind=NUMBER),
         data('total-bytes-sec-max', "", kind=NUMBER),
         data('read-bytes-sec-max', "", kind=NUMBER),
         data('write-bytes-sec-max', "", kind=NUMBER),
         data('total-iops-sec-max', "", kind=NUMBER),
         data('read-iops-sec-max', "", kind=NUMBER),
         data('write-iops-sec-max', "", kind=NUMBER),
         data('size-iops-sec', "", kind=NUMBER),
         data('group-name', ""),
         data('total-bytes-sec-max-length', "", kind=NUMBER),
         data('read-bytes-sec-max-length', "", kind=NUMBER),
         data('write-bytes-sec-max-length', "", kind=NUMBER),
         data('total-iops-sec-max-length', "", kind=NUMBER),
         data('read-iops-sec-max-length', "", kind=NUMBER),
         data('write-iops-sec-max-length', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         aliases=(Alias('total_bytes_sec', 'total-bytes-sec'), Alias('read_bytes_sec', 'read-bytes-sec'), Alias('write_bytes_sec', 'write-bytes-sec'), Alias('total_iops_sec', 'total-iops-sec'), Alias('read_iops_sec', 'read-iops-sec'), Alias('write_iops_sec', 'write-iops-sec'), Alias('total_bytes_sec_max', 'total-bytes-sec-max'), Alias('read_bytes_sec_max', 'read-bytes-sec-max'), Alias('write_bytes_sec_max', 'write-bytes-sec-max'), Alias('total_iops_sec_max', 'total-iops-sec-max'), Alias('read_iops_sec_max', 'read-iops-sec-max'), Alias('write_iops_sec_max', 'write-iops-sec-max'), Alias('size_iops_sec', 'size-iops-sec'), Alias('group_name', 'group-name'), Alias('total_bytes_sec_max_length', 'total-bytes-sec-max-length'), Alias('read_bytes_sec_max_length', 'read-bytes-sec-max-length'), Alias('write_bytes_sec_max_length', 'write-bytes-sec-max-length'), Alias('total_iops_sec_max_length', 'total-iops-sec-max-length'), Alias('read_iops_sec_max_length', 'read-iops-sec-max-length'), Alias('write_iops_sec_max_length', 'write-iops-sec-max-length'),))
def blkdeviotune(ctl, args):
    raise NotImplementedError  # TODO


@command('blkiotune', "",
         data('domain', "", required=True),
         data('weight', "", kind=NUMBER),
         data('device-weights', ""),
         data('device-read-iops-sec', ""),
         data('device-write-iops-sec', ""),
         data('device-read-bytes-sec', ""),
         data('device-write-bytes-sec', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def blkiotune(ctl, args):
    raise NotImplementedError  # TODO


@command('blockcommit', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('bandwidth', "", kind=NUMBER),
         data('base', ""),
         flag('shallow', ""),
         data('top', ""),
         flag('active', ""),
         flag('delete', ""),
         flag('wait', ""),
         flag('verbose', ""),
         data('timeout', "", kind=NUMBER),
         flag('pivot', ""),
         flag('keep-overlay', ""),
         flag('async', ""),
         flag('keep-relative', ""),
         flag('bytes', ""))
def blockcommit(ctl, args):
    raise NotImplementedError  # TODO


@command('blockcopy', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('dest', ""),
         data('bandwidth', "", kind=NUMBER),
         flag('shallow', ""),
         flag('reuse-external', ""),
         flag('blockdev', ""),
         flag('wait', ""),
         flag('verbose', ""),
         data('timeout', "", kind=NUMBER),
         flag('pivot', ""),
         flag('finish', ""),
         flag('async', ""),
         data('xml', ""),
         data('format', ""),
         data('granularity', "", kind=NUMBER),
         data('buf-size', "", kind=NUMBER),
         flag('bytes', ""),
         flag('transient-job', ""),
         flag('synchronous-writes', ""),
         flag('print-xml', ""),
         aliases=(Alias('raw', 'format', 'raw'),))
def blockcopy(ctl, args):
    raise NotImplementedError  # TODO


@command('blockjob', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         flag('abort', ""),
         flag('async', ""),
         flag('pivot', ""),
         flag('info', ""),
         flag('bytes', ""),
         flag('raw', ""),
         data('bandwidth', "", kind=NUMBER))
def blockjob(ctl, args):
    raise NotImplementedError  # TODO


@command('blockpull', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('bandwidth', "", kind=NUMBER),
         data('base', ""),
         flag('wait', ""),
         flag('verbose', ""),
         data('timeout', "", kind=NUMBER),
         flag('async', ""),
         flag('keep-relative', ""),
         flag('bytes', ""))
def blockpull(ctl, args):
    raise NotImplementedError  # TODO


@command('blockresize', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('size', "", required=True, kind=NUMBER))
def blockresize(ctl, args):
    raise NotImplementedError  # TODO


@command('change-media', "",
         data('domain', "", required=True),
         data('path', "", required=True),
         data('source', ""),
         flag('eject', ""),
         flag('insert', ""),
         flag('update', ""),
         flag('current', ""),
         flag('live', ""),
         flag('config', ""),
         flag('force', ""),
         flag('print-xml', ""),
         flag('block', ""))
def change_media(ctl, args):
    raise NotImplementedError  # TODO


@command('console', "",
         data('domain', "", required=True),
         data('devname', ""),
         flag('force', ""),
         flag('safe', ""))
def console(ctl, args):
    raise NotImplementedError  # TODO


@command('cpu-stats', "",
         data('domain', "", required=True),
         flag('total', ""),
         data('start', "", kind=NUMBER),
         data('count', "", kind=NUMBER))
def cpu_stats(ctl, args):
    raise NotImplementedError  # TODO


@command('create', "",
         data('file', "", required=True),
         flag('console', ""),
         flag('paused', ""),
         flag('autodestroy', ""),
         data('pass-fds', ""),
         flag('validate', ""),
         flag('reset-nvram', ""))
def create(ctl, args):
    raise NotImplementedError  # TODO


@command('define', "",
         data('file', "", required=True),
         flag('validate', ""))
def define(ctl, args):
    raise NotImplementedError  # TODO


@command('desc', "",
         data('domain', "", required=True),
         flag('live', ""),
         flag('config', ""),
         flag('current', ""),
         flag('title', ""),
         flag('edit', ""),
         argv('new-desc', ""))
def desc(ctl, args):
    raise NotImplementedError  # TODO


@command('destroy', "",
         data('domain', "", required=True),
         flag('graceful', ""),
         flag('remove-logs', ""))
def destroy(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-device', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def detach_device(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-device-alias', "",
         data('domain', "", required=True),
         data('alias', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def detach_device_alias(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-disk', "",
         data('domain', "", required=True),
         data('target', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""))
def detach_disk(ctl, args):
    raise NotImplementedError  # TODO


@command('detach-interface', "",
         data('domain', "", required=True),
         data('type', "", required=True),
         data('mac', ""),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""))
def detach_interface(ctl, args):
    raise NotImplementedError  # TODO


@command('domdisplay', "",
         data('domain', "", required=True),
         flag('include-password', ""),
         data('type', ""),
         flag('all', ""))
def domdisplay(ctl, args):
    raise NotImplementedError  # TODO


@command('domfsfreeze', "",
         data('domain', "", required=True),
         argv('mountpoint', ""))
def domfsfreeze(ctl, args):
    raise NotImplementedError  # TODO


@command('domfsthaw', "",
         data('domain', "", required=True),
         argv('mountpoint', ""))
def domfsthaw(ctl, args):
    raise NotImplementedError  # TODO


@command('domfsinfo', "",
         data('domain', "", required=True))
def domfsinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domfstrim', "",
         data('domain', "", required=True),
         data('minimum', "", kind=NUMBER),
         data('mountpoint', ""))
def domfstrim(ctl, args):
    raise NotImplementedError  # TODO


@command('domhostname', "",
         data('domain', "", required=True),
         data('source', ""))
def domhostname(ctl, args):
    raise NotImplementedError  # TODO


@command('domid', "",
         data('domain', "", required=True))
def domid(ctl, args):
    raise NotImplementedError  # TODO


@command('domif-setlink', "",
         data('domain', "", required=True),
         data('interface', "", required=True),
         data('state', "", required=True),
         flag('config', ""),
         flag('print-xml', ""),
         aliases=(Alias('persistent', 'config'),))
def domif_setlink(ctl, args):
    raise NotImplementedError  # TODO


@command('domiftune', "",
         data('domain', "", required=True),
         data('interface', "", required=True),
         data('inbound', ""),
         data('outbound', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def domiftune(ctl, args):
    raise NotImplementedError  # TODO


@command('domjobabort', "",
         data('domain', "", required=True),
         flag('postcopy', ""))
def domjobabort(ctl, args):
    raise NotImplementedError  # TODO


@command('domjobinfo', "",
         data('domain', "", required=True),
         flag('completed', ""),
         flag('keep-completed', ""),
         flag('anystats', ""),
         flag('rawstats', ""))
def domjobinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domlaunchsecinfo', "",
         data('domain', "", required=True))
def domlaunchsecinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domsetlaunchsecstate', "",
         data('domain', "", required=True),
         opt('secrethdr', ""),
         opt('secret', ""),
         data('set-address', "", kind=NUMBER))
def domsetlaunchsecstate(ctl, args):
    raise NotImplementedError  # TODO


@command('domname', "",
         data('domain', "", required=True))
def domname(ctl, args):
    raise NotImplementedError  # TODO


@command('domrename', "",
         data('domain', "", required=True),
         data('new-name', "", required=True))
def domrename(ctl, args):
    raise NotImplementedError  # TODO


@command('dompmsuspend', "",
         data('domain', "", required=True),
         data('target', "", required=True),
         opt('duration', "", kind=NUMBER))
def dompmsuspend(ctl, args):
    raise NotImplementedError  # TODO


@command('dompmwakeup', "",
         data('domain', "", required=True))
def dompmwakeup(ctl, args):
    raise NotImplementedError  # TODO


@command('domuuid', "",
         data('domain', "", required=True))
def domuuid(ctl, args):
    raise NotImplementedError  # TODO


@command('domxml-from-native', "",
         data('format', "", required=True),
         data('config', "", required=True))
def domxml_from_native(ctl, args):
    raise NotImplementedError  # TODO


@command('domxml-to-native', "",
         data('format', "", required=True),
         opt('domain', ""),
         data('xml', ""))
def domxml_to_native(ctl, args):
    raise NotImplementedError  # TODO


@command('dump', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('live', ""),
         flag('crash', ""),
         flag('bypass-cache', ""),
         flag('reset', ""),
         flag('verbose', ""),
         flag('memory-only', ""),
         data('format', ""))
def dump(ctl, args):
    raise NotImplementedError  # TODO


@command('dumpxml', "",
         data('domain', "", required=True),
         flag('inactive', ""),
         flag('security-info', ""),
         flag('update-cpu', ""),
         flag('migratable', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('edit', "",
         data('domain', "", required=True),
         flag('skip-validate', ""))
def edit(ctl, args):
    raise NotImplementedError  # TODO


@command('get-user-sshkeys', "",
         data('domain', "", required=True),
         data('user', "", required=True))
def get_user_sshkeys(ctl, args):
    raise NotImplementedError  # TODO


@command('inject-nmi', "",
         data('domain', "", required=True))
def inject_nmi(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadinfo', "",
         data('domain', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadpin', "",
         data('domain', "", required=True),
         data('iothread', "", required=True, kind=NUMBER),
         data('cpulist', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadpin(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadadd', "",
         data('domain', "", required=True),
         data('id', "", required=True, kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadadd(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreadset', "",
         data('domain', "", required=True),
         data('id', "", required=True, kind=NUMBER),
         data('poll-max-ns', "", kind=NUMBER),
         data('poll-grow', "", kind=NUMBER),
         data('poll-shrink', "", kind=NUMBER),
         data('thread-pool-min', "", kind=NUMBER),
         data('thread-pool-max', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreadset(ctl, args):
    raise NotImplementedError  # TODO


@command('iothreaddel', "",
         data('domain', "", required=True),
         data('id', "", required=True, kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def iothreaddel(ctl, args):
    raise NotImplementedError  # TODO


@command('send-key', "",
         data('domain', "", required=True),
         opt('codeset', ""),
         opt('holdtime', "", kind=NUMBER),
         argv('keycode', "", required=True))
def send_key(ctl, args):
    raise NotImplementedError  # TODO


@command('send-process-signal', "",
         data('domain', "", required=True),
         data('pid', "", required=True),
         data('signame', "", required=True))
def send_process_signal(ctl, args):
    raise NotImplementedError  # TODO


@command('lxc-enter-namespace', "",
         data('domain', "", required=True),
         flag('noseclabel', ""),
         argv('cmd', "", required=True))
def lxc_enter_namespace(ctl, args):
    raise NotImplementedError  # TODO


@command('managedsave', "",
         data('domain', "", required=True),
         flag('bypass-cache', ""),
         flag('running', ""),
         flag('paused', ""),
         flag('verbose', ""))
def managedsave(ctl, args):
    raise NotImplementedError  # TODO


@command('managedsave-remove', "",
         data('domain', "", required=True))
def managedsave_remove(ctl, args):
    raise NotImplementedError  # TODO


@command('managedsave-edit', "",
         data('domain', "", required=True),
         flag('running', ""),
         flag('paused', ""))
def managedsave_edit(ctl, args):
    raise NotImplementedError  # TODO


@command('managedsave-dumpxml', "",
         data('domain', "", required=True),
         flag('security-info', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def managedsave_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('managedsave-define', "",
         data('domain', "", required=True),
         data('xml', "", required=True),
         flag('running', ""),
         flag('paused', ""))
def managedsave_define(ctl, args):
    raise NotImplementedError  # TODO


@command('memtune', "",
         data('domain', "", required=True),
         data('hard-limit', "", kind=NUMBER),
         data('soft-limit', "", kind=NUMBER),
         data('swap-hard-limit', "", kind=NUMBER),
         data('min-guarantee', "", kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def memtune(ctl, args):
    raise NotImplementedError  # TODO


@command('perf', "",
         data('domain', "", required=True),
         data('enable', ""),
         data('disable', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def perf(ctl, args):
    raise NotImplementedError  # TODO


@command('metadata', "",
         data('domain', "", required=True),
         data('uri', "", required=True),
         flag('live', ""),
         flag('config', ""),
         flag('current', ""),
         flag('edit', ""),
         data('key', ""),
         data('set', ""),
         flag('remove', ""))
def metadata(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate', "",
         data('domain', "", required=True),
         data('desturi', "", required=True),
         flag('live', ""),
         flag('offline', ""),
         flag('p2p', ""),
         flag('direct', ""),
         flag('tunnelled', ""),
         flag('persistent', ""),
         flag('undefinesource', ""),
         flag('suspend', ""),
         flag('copy-storage-all', ""),
         flag('copy-storage-inc', ""),
         flag('copy-storage-synchronous-writes', ""),
         flag('change-protection', ""),
         flag('unsafe', ""),
         flag('verbose', ""),
         flag('compressed', ""),
         flag('auto-converge', ""),
         flag('rdma-pin-all', ""),
         flag('abort-on-error', ""),
         flag('postcopy', ""),
         flag('postcopy-after-precopy', ""),
         flag('postcopy-resume', ""),
         flag('zerocopy', ""),
         data('migrateuri', ""),
         data('graphicsuri', ""),
         data('listen-address', ""),
         data('dname', ""),
         data('timeout', "", kind=NUMBER),
         flag('timeout-suspend', ""),
         flag('timeout-postcopy', ""),
         data('xml', ""),
         data('migrate-disks', ""),
         data('disks-port', "", kind=NUMBER),
         data('disks-uri', ""),
         data('comp-methods', ""),
         data('comp-mt-level', "", kind=NUMBER),
         data('comp-mt-threads', "", kind=NUMBER),
         data('comp-mt-dthreads', "", kind=NUMBER),
         data('comp-xbzrle-cache', "", kind=NUMBER),
         data('auto-converge-initial', "", kind=NUMBER),
         data('auto-converge-increment', "", kind=NUMBER),
         data('persistent-xml', ""),
         flag('tls', ""),
         data('postcopy-bandwidth', "", kind=NUMBER),
         flag('parallel', ""),
         data('parallel-connections', "", kind=NUMBER),
         data('bandwidth', "", kind=NUMBER),
         data('tls-destination', ""),
         aliases=(Alias('tunneled', 'tunnelled'),))
def migrate(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate-setmaxdowntime', "",
         data('domain', "", required=True),
         data('downtime', "", required=True, kind=NUMBER))
def migrate_setmaxdowntime(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate-getmaxdowntime', "",
         data('domain', "", required=True))
def migrate_getmaxdowntime(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate-compcache', "",
         data('domain', "", required=True),
         opt('size', "", kind=NUMBER))
def migrate_compcache(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate-setspeed', "",
         data('domain', "", required=True),
         data('bandwidth', "", required=True, kind=NUMBER),
         flag('postcopy', ""))
def migrate_setspeed(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate-getspeed', "",
         data('domain', "", required=True),
         flag('postcopy', ""))
def migrate_getspeed(ctl, args):
    raise NotImplementedError  # TODO


@command('migrate-postcopy', "",
         data('domain', "", required=True))
def migrate_postcopy(ctl, args):
    raise NotImplementedError  # TODO


@command('numatune', "",
         data('domain', "", required=True),
         data('mode', ""),
         data('nodeset', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def numatune(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-attach', "",
         data('pid', "", required=True))
def qemu_attach(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-monitor-command', "",
         data('domain', "", required=True),
         flag('hmp', ""),
         flag('pretty', ""),
         flag('return-value', ""),
         opt('pass-fds', ""),
         argv('cmd', "", required=True))
def qemu_monitor_command(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-monitor-event', "",
         data('domain', ""),
         data('event', ""),
         flag('pretty', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('regex', ""),
         flag('no-case', ""),
         flag('timestamp', ""))
def qemu_monitor_event(ctl, args):
    raise NotImplementedError  # TODO


@command('qemu-agent-command', "",
         data('domain', "", required=True),
         opt('timeout', "", kind=NUMBER),
         flag('async', ""),
         flag('block', ""),
         flag('pretty', ""),
         argv('cmd', "", required=True))
def qemu_agent_command(ctl, args):
    raise NotImplementedError  # TODO


@command('guest-agent-timeout', "",
         data('domain', "", required=True),
         opt('timeout', "", kind=NUMBER))
def guest_agent_timeout(ctl, args):
    raise NotImplementedError  # TODO


@command('reboot', "",
         data('domain', "", required=True),
         data('mode', ""))
def reboot(ctl, args):
    raise NotImplementedError  # TODO


@command('reset', "",
         data('domain', "", required=True))
def reset(ctl, args):
    raise NotImplementedError  # TODO


@command('restore', "",
         data('file', "", required=True),
         flag('bypass-cache', ""),
         data('xml', ""),
         flag('running', ""),
         flag('paused', ""),
         flag('reset-nvram', ""))
def restore(ctl, args):
    raise NotImplementedError  # TODO


@command('resume', "",
         data('domain', "", required=True))
def resume(ctl, args):
    raise NotImplementedError  # TODO


@command('save', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('bypass-cache', ""),
         data('xml', ""),
         flag('running', ""),
         flag('paused', ""),
         flag('verbose', ""))
def save(ctl, args):
    raise NotImplementedError  # TODO


@command('save-image-define', "",
         data('file', "", required=True),
         data('xml', "", required=True),
         flag('running', ""),
         flag('paused', ""))
def save_image_define(ctl, args):
    raise NotImplementedError  # TODO


@command('save-image-dumpxml', "",
         data('file', "", required=True),
         flag('security-info', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def save_image_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('save-image-edit', "",
         data('file', "", required=True),
         flag('running', ""),
         flag('paused', ""))
def save_image_edit(ctl, args):
    raise NotImplementedError  # TODO


@command('schedinfo', "",
         data('domain', "", required=True),
         opt('weight', "", kind=NUMBER),
         opt('cap', "", kind=NUMBER),
         flag('current', ""),
         flag('config', ""),
         flag('live', ""),
         argv('set', ""))
def schedinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('screenshot', "",
         data('domain', "", required=True),
         data('file', ""),
         data('screen', "", kind=NUMBER))
def screenshot(ctl, args):
    raise NotImplementedError  # TODO


@command('set-lifecycle-action', "",
         data('domain', "", required=True),
         data('type', "", required=True),
         data('action', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def set_lifecycle_action(ctl, args):
    raise NotImplementedError  # TODO


@command('set-user-sshkeys', "",
         data('domain', "", required=True),
         data('user', "", required=True),
         data('file', ""),
         flag('reset', ""),
         flag('remove', ""))
def set_user_sshkeys(ctl, args):
    raise NotImplementedError  # TODO


@command('set-user-password', "",
         data('domain', "", required=True),
         data('user', "", required=True),
         data('password', "", required=True),
         flag('encrypted', ""))
def set_user_password(ctl, args):
    raise NotImplementedError  # TODO


@command('setmaxmem', "",
         data('domain', "", required=True),
         data('size', "", required=True, kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         aliases=(Alias('kilobytes', 'size'),))
def setmaxmem(ctl, args):
    raise NotImplementedError  # TODO


@command('setmem', "",
         data('domain', "", required=True),
         data('size', "", required=True, kind=NUMBER),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         aliases=(Alias('kilobytes', 'size'),))
def setmem(ctl, args):
    raise NotImplementedError  # TODO


@command('setvcpus', "",
         data('domain', "", required=True),
         data('count', "", required=True, kind=NUMBER),
         flag('maximum', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('guest', ""),
         flag('hotpluggable', ""))
def setvcpus(ctl, args):
    raise NotImplementedError  # TODO


@command('shutdown', "",
         data('domain', "", required=True),
         data('mode', ""))
def shutdown(ctl, args):
    raise NotImplementedError  # TODO


@command('start', "",
         data('domain', "", required=True),
         flag('console', ""),
         flag('paused', ""),
         flag('autodestroy', ""),
         flag('bypass-cache', ""),
         flag('force-boot', ""),
         data('pass-fds', ""),
         flag('reset-nvram', ""))
def start(ctl, args):
    raise NotImplementedError  # TODO


@command('suspend', "",
         data('domain', "", required=True))
def suspend(ctl, args):
    raise NotImplementedError  # TODO


@command('ttyconsole', "",
         data('domain', "", required=True))
def ttyconsole(ctl, args):
    raise NotImplementedError  # TODO


@command('undefine', "",
         data('domain', "", required=True),
         flag('managed-save', ""),
         data('storage', ""),
         flag('remove-all-storage', ""),
         flag('delete-storage-volume-snapshots', ""),
         flag('wipe-storage', ""),
         flag('snapshots-metadata', ""),
         flag('checkpoints-metadata', ""),
         flag('nvram', ""),
         flag('keep-nvram', ""),
         flag('tpm', ""),
         flag('keep-tpm', ""),
         aliases=(Alias('delete-snapshots', 'delete-storage-volume-snapshots'),))
def undefine(ctl, args):
    raise NotImplementedError  # TODO


@command('update-device', "",
         data('domain', "", required=True),
         data('file', "", required=True),
         flag('persistent', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('force', ""))
def update_device(ctl, args):
    raise NotImplementedError  # TODO


@command('update-memory-device', "",
         data('domain', "", required=True),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""),
         flag('print-xml', ""),
         data('alias', ""),
         data('node', "", kind=NUMBER),
         data('requested-size', "", kind=NUMBER))
def update_memory_device(ctl, args):
    raise NotImplementedError  # TODO


@command('vcpucount', "",
         data('domain', "", required=True),
         flag('maximum', ""),
         flag('active', ""),
         flag('live', ""),
         flag('config', ""),
         flag('current', ""),
         flag('guest', ""))
def vcpucount(ctl, args):
    raise NotImplementedError  # TODO


@command('vcpuinfo', "",
         data('domain', "", required=True),
         flag('pretty', ""))
def vcpuinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('vcpupin', "",
         data('domain', "", required=True),
         data('vcpu', "", kind=NUMBER),
         data('cpulist', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def vcpupin(ctl, args):
    raise NotImplementedError  # TODO


@command('emulatorpin', "",
         data('domain', "", required=True),
         data('cpulist', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def emulatorpin(ctl, args):
    raise NotImplementedError  # TODO


@command('vncdisplay', "",
         data('domain', "", required=True))
def vncdisplay(ctl, args):
    raise NotImplementedError  # TODO


@command('guestvcpus', "",
         data('domain', "", required=True),
         data('cpulist', ""),
         flag('enable', ""),
         flag('disable', ""))
def guestvcpus(ctl, args):
    raise NotImplementedError  # TODO


@command('setvcpu', "",
         data('domain', "", required=True),
         data('vcpulist', "", required=True),
         flag('enable', ""),
         flag('disable', ""),
         flag('config', ""),
         flag('live', ""),
         flag('current', ""))
def setvcpu(ctl, args):
    raise NotImplementedError  # TODO


@command('domblkthreshold', "",
         data('domain', "", required=True),
         data('dev', "", required=True),
         data('threshold', "", required=True, kind=NUMBER))
def domblkthreshold(ctl, args):
    raise NotImplementedError  # TODO


@command('guestinfo', "",
         data('domain', "", required=True),
         flag('user', ""),
         flag('os', ""),
         flag('timezone', ""),
         flag('hostname', ""),
         flag('filesystem', ""),
         flag('disk', ""),
         flag('interface', ""))
def guestinfo(ctl, args):
    raise NotImplementedError  # TODO


@command('domdirtyrate-calc', "",
         data('domain', "", required=True),
         data('seconds', "", kind=NUMBER),
         data('mode', ""))
def domdirtyrate_calc(ctl, args):
    raise NotImplementedError  # TODO


@command('dom-fd-associate', "",
         data('domain', "", required=True),
         data('name', "", required=True),
         data('pass-fds', "", required=True),
         flag('seclabel-writable', ""),
         flag('seclabel-restore', ""))
def dom_fd_associate(ctl, args):
    raise NotImplementedError  # TODO
