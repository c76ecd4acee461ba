"""Static types for plugin scripts: the functions the daemon calls.

A file daemon script is a module; the daemon looks its functions up by name
at each call (docs/plugin-api.md, "Functions a script defines").  These
``Protocol`` classes name them with their argument types, so that a type
checker can check a script module as a whole::

    import my_plugin                      # the script (a module)
    from bareospy.typing import BackupScript

    script: BackupScript = my_plugin      # mypy checks every function

Each function returns a ``bRC_*`` code (an int).  The daemon passes its
arguments positionally, so the parameter names are the script's choice.
Only ``load_bareos_plugin`` is always needed; pick the protocol that
matches what the script does (or combine them, as ``FdPluginScript``
does).  Nothing here is used at run time.
"""

from typing import Protocol

import bareosfd

__all__ = [
    "PluginScript", "BackupScript", "RestoreScript", "AttributeScript",
    "OptionPluginScript", "FdPluginScript",
]


class PluginScript(Protocol):
    """What every script defines: loading and events."""

    def load_bareos_plugin(self, plugindef: str, /) -> int:
        """Called once, with the definition's leftover options
        (``"key=value:...:"``), when the first definition reaches the script."""

    def parse_plugin_definition(self, plugindef: str, /) -> int:
        """Called after loading and with every later definition (each
        backup, estimate and restored file): the same leftover options."""

    def handle_plugin_event(self, event: int, /) -> int:
        """Called for each registered ``bEvent*`` (the number only)."""


class BackupScript(PluginScript, Protocol):
    """A command plugin that backs up files (and answers estimates)."""

    def start_backup_file(self, savepkt: bareosfd.SavePacket, /) -> int:
        """Describe the next file in ``savepkt``: bRC_OK, bRC_Stop (no more
        files) or bRC_Skip (ask again without end_backup_file)."""

    def end_backup_file(self) -> int:
        """bRC_More if another file follows, bRC_OK when done."""

    def plugin_io(self, iop: bareosfd.IoPacket, /) -> int:
        """Open, read, write, close or seek; the answer goes in ``iop.status``."""


class RestoreScript(PluginScript, Protocol):
    """A command plugin that restores what it backed up."""

    def start_restore_file(self, cmd: str, /) -> int:
        """A restored file begins; ``cmd`` is the full definition recorded at backup."""

    def create_file(self, restorepkt: bareosfd.RestorePacket, /) -> int:
        """Create the file or set ``restorepkt.create_status`` (CF_*)."""

    def set_file_attributes(self, restorepkt: bareosfd.RestorePacket, /) -> int:
        """Apply owner, mode and times after the data (result ignored)."""

    def end_restore_file(self) -> int:
        """The restored file is complete."""

    def plugin_io(self, iop: bareosfd.IoPacket, /) -> int:
        """Open, read, write, close or seek; the answer goes in ``iop.status``."""


class AttributeScript(Protocol):
    """The optional ACL, extended attribute, accurate and restore object hooks."""

    def get_acl(self, aclpkt: bareosfd.AclPacket, /) -> int:
        """Backup: put the file's ACL in ``aclpkt.content``."""

    def set_acl(self, aclpkt: bareosfd.AclPacket, /) -> int:
        """Restore: apply ``aclpkt.content``."""

    def get_xattr(self, xattrpkt: bareosfd.XattrPacket, /) -> int:
        """Backup: one attribute per call; bRC_More while more follow."""

    def set_xattr(self, xattrpkt: bareosfd.XattrPacket, /) -> int:
        """Restore: apply one attribute."""

    def check_file(self, fname: str, /) -> int:
        """Accurate mode: bRC_Seen keeps ``fname`` from being marked deleted."""

    def restore_object_data(self, rop: bareosfd.RestoreObject, /) -> int:
        """A restore object saved by this plugin comes back."""


class OptionPluginScript(PluginScript, Protocol):
    """An option plugin (``Options { Plugin = ... }``)."""

    def handle_backup_file(self, savepkt: bareosfd.SavePacket, /) -> int:
        """bRC_OK (the plugin does the file's I/O), bRC_Skip or bRC_Core."""

    def plugin_io(self, iop: bareosfd.IoPacket, /) -> int:
        """I/O of the files this plugin claimed."""


class FdPluginScript(BackupScript, RestoreScript, AttributeScript, Protocol):
    """A complete command plugin: backup, restore and the optional hooks."""
