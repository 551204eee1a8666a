"""Virsh itself commands (virsh help group 'virsh')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('cd', "",
         data('dir', ""))
def cd(ctl, args):
    raise NotImplementedError  # TODO


@command('echo', "",
         flag('shell', ""),
         flag('xml', ""),
         flag('split', ""),
         flag('err', ""),
         argv('string', ""))
def echo(ctl, args):
    raise NotImplementedError  # TODO


@command('exit', "")
def cmd_exit(ctl, args):
    raise NotImplementedError  # TODO


@command('help', "",
         data('command', ""))
def cmd_help(ctl, args):
    raise NotImplementedError  # TODO


@command('pwd', "")
def pwd(ctl, args):
    raise NotImplementedError  # TODO


@command('quit', "")
def cmd_quit(ctl, args):
    raise NotImplementedError  # TODO


@command('connect', "",
         data('name', ""),
         flag('readonly', ""))
def connect(ctl, args):
    raise NotImplementedError  # TODO


@command('self-test', "",
         flag('completers-missing', ""),
         hidden=True)
def self_test(ctl, args):
    raise NotImplementedError  # TODO


@command('complete', "",
         argv('string', ""),
         hidden=True)
def complete(ctl, args):
    raise NotImplementedError  # TODO
