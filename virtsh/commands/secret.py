"""Secret commands (virsh help group 'secret')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('secret-define', "",
         data('file', "", required=True),
         flag('validate', ""))
def secret_define(ctl, args):
    raise NotImplementedError  # TODO


@command('secret-dumpxml', "",
         data('secret', "", required=True),
         opt('xpath', ""),
         flag('wrap', ""))
def secret_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('secret-event', "",
         data('secret', ""),
         data('event', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('list', ""),
         flag('timestamp', ""))
def secret_event(ctl, args):
    raise NotImplementedError  # TODO


@command('secret-get-value', "",
         data('secret', "", required=True),
         flag('plain', ""))
def secret_get_value(ctl, args):
    raise NotImplementedError  # TODO


@command('secret-list', "",
         flag('ephemeral', ""),
         flag('no-ephemeral', ""),
         flag('private', ""),
         flag('no-private', ""))
def secret_list(ctl, args):
    raise NotImplementedError  # TODO


@command('secret-set-value', "",
         data('secret', "", required=True),
         opt('file', ""),
         flag('plain', ""),
         flag('interactive', ""),
         data('base64', ""))
def secret_set_value(ctl, args):
    raise NotImplementedError  # TODO


@command('secret-undefine', "",
         data('secret', "", required=True))
def secret_undefine(ctl, args):
    raise NotImplementedError  # TODO
