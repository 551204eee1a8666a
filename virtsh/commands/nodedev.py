"""Node Device commands (virsh help group 'nodedev')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('nodedev-create', "",
         data('file', "", required=True),
         flag('validate', ""))
def nodedev_create(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-destroy', "",
         data('device', "", required=True),
         aliases=(Alias('name', 'device'),))
def nodedev_destroy(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-detach', "",
         data('device', "", required=True),
         data('driver', ""),
         also=('nodedev-dettach',))
def nodedev_detach(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-dumpxml', "",
         data('device', "", required=True),
         opt('xpath', ""),
         flag('wrap', ""))
def nodedev_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-list', "",
         flag('tree', ""),
         data('cap', ""),
         flag('inactive', ""),
         flag('all', ""))
def nodedev_list(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-reattach', "",
         data('device', "", required=True))
def nodedev_reattach(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-reset', "",
         data('device', "", required=True))
def nodedev_reset(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-event', "",
         data('device', ""),
         data('event', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('list', ""),
         flag('timestamp', ""))
def nodedev_event(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-define', "",
         data('file', "", required=True),
         flag('validate', ""))
def nodedev_define(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-undefine', "",
         data('device', "", required=True))
def nodedev_undefine(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-start', "",
         data('device', "", required=True))
def nodedev_start(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-autostart', "",
         data('device', "", required=True),
         flag('disable', ""))
def nodedev_autostart(ctl, args):
    raise NotImplementedError  # TODO


@command('nodedev-info', "",
         data('device', "", required=True))
def nodedev_info(ctl, args):
    raise NotImplementedError  # TODO
