"""Storage Volume commands (virsh help group 'volume')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('vol-clone', "",
         data('vol', "", required=True),
         data('newname', "", required=True),
         data('pool', ""),
         flag('prealloc-metadata', ""),
         flag('reflink', ""),
         flag('print-xml', ""))
def vol_clone(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-create-as', "",
         data('pool', "", required=True),
         data('name', "", required=True),
         data('capacity', "", required=True),
         data('allocation', ""),
         data('format', ""),
         data('backing-vol', ""),
         data('backing-vol-format', ""),
         flag('prealloc-metadata', ""),
         flag('print-xml', ""))
def vol_create_as(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-create', "",
         data('pool', "", required=True),
         data('file', "", required=True),
         flag('prealloc-metadata', ""),
         flag('validate', ""))
def vol_create(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-create-from', "",
         data('pool', "", required=True),
         data('file', "", required=True),
         data('vol', "", required=True),
         data('inputpool', ""),
         flag('prealloc-metadata', ""),
         flag('reflink', ""),
         flag('validate', ""))
def vol_create_from(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-delete', "",
         data('vol', "", required=True),
         data('pool', ""),
         flag('delete-snapshots', ""))
def vol_delete(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-download', "",
         data('vol', "", required=True),
         data('file', "", required=True),
         data('pool', ""),
         data('offset', "", kind=NUMBER),
         data('length', "", kind=NUMBER),
         flag('sparse', ""))
def vol_download(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-dumpxml', "",
         data('vol', "", required=True),
         data('pool', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def vol_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-info', "",
         data('vol', "", required=True),
         data('pool', ""),
         flag('bytes', ""),
         flag('physical', ""))
def vol_info(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-key', "",
         data('vol', "", required=True),
         data('pool', ""))
def vol_key(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-list', "",
         data('pool', "", required=True),
         flag('details', ""))
def vol_list(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-name', "",
         data('vol', "", required=True))
def vol_name(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-path', "",
         data('vol', "", required=True),
         data('pool', ""))
def vol_path(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-pool', "",
         data('vol', "", required=True),
         flag('uuid', ""))
def vol_pool(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-resize', "",
         data('vol', "", required=True),
         data('capacity', "", required=True),
         data('pool', ""),
         flag('allocate', ""),
         flag('delta', ""),
         flag('shrink', ""))
def vol_resize(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-upload', "",
         data('vol', "", required=True),
         data('file', "", required=True),
         data('pool', ""),
         data('offset', "", kind=NUMBER),
         data('length', "", kind=NUMBER),
         flag('sparse', ""))
def vol_upload(ctl, args):
    raise NotImplementedError  # TODO


@command('vol-wipe', "",
         data('vol', "", required=True),
         data('pool', ""),
         data('algorithm', ""))
def vol_wipe(ctl, args):
    raise NotImplementedError  # TODO
