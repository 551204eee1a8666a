"""Storage Pool commands (virsh help group 'pool')."""
from virtsh.cmd import Alias, NUMBER, argv, command, data, flag, opt


@command('find-storage-pool-sources-as', "",
         data('type', "", required=True),
         data('host', ""),
         data('port', ""),
         data('initiator', ""))
def find_storage_pool_sources_as(ctl, args):
    raise NotImplementedError  # TODO


@command('find-storage-pool-sources', "",
         data('type', "", required=True),
         data('srcSpec', ""))
def find_storage_pool_sources(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-autostart', "",
         data('pool', "", required=True),
         flag('disable', ""))
def pool_autostart(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-build', "",
         data('pool', "", required=True),
         flag('no-overwrite', ""),
         flag('overwrite', ""))
def pool_build(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-create-as', "",
         data('name', "", required=True),
         data('type', "", required=True),
         flag('print-xml', ""),
         data('source-host', ""),
         data('source-path', ""),
         data('source-dev', ""),
         data('source-name', ""),
         data('target', ""),
         data('source-format', ""),
         data('auth-type', ""),
         data('auth-username', ""),
         data('secret-usage', ""),
         data('secret-uuid', ""),
         data('adapter-name', ""),
         data('adapter-wwnn', ""),
         data('adapter-wwpn', ""),
         data('adapter-parent', ""),
         data('adapter-parent-wwnn', ""),
         data('adapter-parent-wwpn', ""),
         data('adapter-parent-fabric-wwn', ""),
         data('source-protocol-ver', ""),
         data('source-initiator', ""),
         flag('build', ""),
         flag('no-overwrite', ""),
         flag('overwrite', ""))
def pool_create_as(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-create', "",
         data('file', "", required=True),
         flag('build', ""),
         flag('no-overwrite', ""),
         flag('overwrite', ""))
def pool_create(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-define-as', "",
         data('name', "", required=True),
         data('type', "", required=True),
         flag('print-xml', ""),
         data('source-host', ""),
         data('source-path', ""),
         data('source-dev', ""),
         data('source-name', ""),
         data('target', ""),
         data('source-format', ""),
         data('auth-type', ""),
         data('auth-username', ""),
         data('secret-usage', ""),
         data('secret-uuid', ""),
         data('adapter-name', ""),
         data('adapter-wwnn', ""),
         data('adapter-wwpn', ""),
         data('adapter-parent', ""),
         data('adapter-parent-wwnn', ""),
         data('adapter-parent-wwpn', ""),
         data('adapter-parent-fabric-wwn', ""),
         data('source-protocol-ver', ""),
         data('source-initiator', ""))
def pool_define_as(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-define', "",
         data('file', "", required=True),
         flag('validate', ""))
def pool_define(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-delete', "",
         data('pool', "", required=True))
def pool_delete(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-destroy', "",
         data('pool', "", required=True))
def pool_destroy(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-dumpxml', "",
         data('pool', "", required=True),
         flag('inactive', ""),
         opt('xpath', ""),
         flag('wrap', ""))
def pool_dumpxml(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-edit', "",
         data('pool', "", required=True))
def pool_edit(ctl, args):
    from virtsh import editing, lookup
    pool = lookup.pool(ctl, args)
    inactive = 1                        # VIR_STORAGE_XML_INACTIVE
    return editing.run(ctl, editing.Editable(
        lambda: pool.xml_desc(inactive),
        lambda xml, validate: ctl.conn.define_storage_pool(xml).name(),
        "Pool %s XML configuration not changed." % pool.name(),
        "Pool %s XML configuration edited."))


@command('pool-info', "",
         data('pool', "", required=True),
         flag('bytes', ""))
def pool_info(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-list', "",
         flag('inactive', ""),
         flag('all', ""),
         flag('transient', ""),
         flag('persistent', ""),
         flag('autostart', ""),
         flag('no-autostart', ""),
         data('type', ""),
         flag('details', ""),
         flag('uuid', ""),
         flag('name', ""))
def pool_list(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-name', "",
         data('pool', "", required=True))
def pool_name(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-refresh', "",
         data('pool', "", required=True))
def pool_refresh(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-start', "",
         data('pool', "", required=True),
         flag('build', ""),
         flag('no-overwrite', ""),
         flag('overwrite', ""))
def pool_start(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-undefine', "",
         data('pool', "", required=True))
def pool_undefine(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-uuid', "",
         data('pool', "", required=True))
def pool_uuid(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-event', "",
         data('pool', ""),
         data('event', ""),
         flag('loop', ""),
         data('timeout', "", kind=NUMBER),
         flag('list', ""),
         flag('timestamp', ""))
def pool_event(ctl, args):
    raise NotImplementedError  # TODO


@command('pool-capabilities', "")
def pool_capabilities(ctl, args):
    raise NotImplementedError  # TODO
