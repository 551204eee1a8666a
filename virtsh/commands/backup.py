"""Backup commands (virsh help group 'backup')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('backup-begin', "",
         data('domain', "", required=True),
         data('backupxml', ""),
         data('checkpointxml', ""),
         flag('reuse-external', ""))
def backup_begin(ctl, args):
    raise NotImplementedError  # TODO


@command('backup-dumpxml', "",
         data('domain', "", required=True),
         opt('xpath', ""),
         flag('wrap', ""))
def backup_dumpxml(ctl, args):
    raise NotImplementedError  # TODO
