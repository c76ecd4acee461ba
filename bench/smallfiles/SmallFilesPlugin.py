"""The small-file benchmark plugin: backs up the regular files of a directory.

Option dir=DIR (the tree, walked once, sorted), io=plugin|direct.  One
StatPacket per file from os.stat, data through plugin_io or direct I/O.
"""
import os

import bareosfd
from bareosfd import FT_REG, bRC_More, bRC_OK

from SmallFilesPluginBase import SmallFilesPluginBase


class SmallFilesPlugin(SmallFilesPluginBase):
    def __init__(self, plugindef):
        super().__init__(plugindef)
        self.files = []
        self.index = 0

    def parse_plugin_definition(self, plugindef):
        result = super().parse_plugin_definition(plugindef)
        top = self.options.get("dir")
        if top and not self.files:
            for root, dirs, names in os.walk(top):
                dirs.sort()
                self.files.extend(os.path.join(root, name) for name in sorted(names))
        return result

    def start_backup_file(self, savepkt):
        bareosfd.DebugMessage(100, "start_backup_file: %s\n" % self.files[self.index])
        path = self.files[self.index]
        st = os.stat(path)
        statp = bareosfd.StatPacket()
        statp.st_mode = st.st_mode
        statp.st_size = st.st_size
        statp.st_mtime = int(st.st_mtime)
        statp.st_atime = int(st.st_atime)
        statp.st_ctime = int(st.st_ctime)
        savepkt.statp = statp
        savepkt.fname = path
        savepkt.type = FT_REG
        return bRC_OK

    def end_backup_file(self):
        bareosfd.DebugMessage(100, "end_backup_file\n")
        self.index += 1
        return bRC_More if self.index < len(self.files) else bRC_OK
