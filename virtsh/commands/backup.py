"""Backup commands (virsh help group 'backup')."""
from virtsh import lookup
from virtsh.cmd import command, data, flag, opt
from virtsh.cmdutil import read_file
from virtsh.xmlout import print_xml

BACKUP_BEGIN_REUSE_EXTERNAL = 1     # drivers.snapshot's value


@command('backup-begin', "Start a backup job of a running domain",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         data('backupxml', "backup job XML file (default: a push backup of every disk)",
              complete="file"),
         data('checkpointxml', "XML of a checkpoint to create with the backup",
              complete="file"),
         flag('reuse-external', "use the existing target files of a push backup"),
         desc="Start a push or pull backup of a running domain's disks.")
def backup_begin(ctl, args):
    dom = lookup.domain(ctl, args)
    backup_path, checkpoint_path = args.string("backupxml"), args.string("checkpointxml")
    backup_xml = read_file(backup_path) if backup_path else "<domainbackup/>"
    checkpoint_xml = read_file(checkpoint_path) if checkpoint_path else None
    flags = BACKUP_BEGIN_REUSE_EXTERNAL if args.flag("reuse-external") else 0
    dom.backup_begin(backup_xml, checkpoint_xml, flags)
    ctl.print("Backup started")


@command('backup-dumpxml', "Show the XML of a running backup job",
         data('domain', "domain name, id or uuid", required=True, complete="domain-active"),
         opt('xpath', "show only the nodes this XPath expression selects"),
         flag('wrap', "wrap the --xpath results in a <nodes> element"),
         desc="Print the XML description of the domain's running backup job.")
def backup_dumpxml(ctl, args):
    dom = lookup.domain(ctl, args)
    print_xml(ctl, dom.backup_xml_desc(), args.get("xpath"), args.flag("wrap"))
