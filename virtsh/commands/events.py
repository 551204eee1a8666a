"""Domain Events commands (virsh help group 'events')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('event', "",
         data('domain', ""),
         data('event', ""),
         flag('all', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('list', ""),
         flag('timestamp', ""))
def event(ctl, args):
    raise NotImplementedError  # TODO
