"""A DIR plugin of the class-plugin shape (spec §8.5) that names new volumes:
Dir Plugin Options "python3:module_path=...:module_name=bareos-dir-volume-names:prefix=P"
gives the volumes P-<JobId>-<n>, n counting the job's NewVolume events."""
import bareosdir
import BareosDirWrapper
from BareosDirWrapper import *  # noqa: F401,F403  the forwarders
from BareosDirPluginBaseclass import BareosDirPluginBaseclass


class VolumeNamer(BareosDirPluginBaseclass):
    def __init__(self, plugindef):
        super().__init__(plugindef)
        bareosdir.RegisterEvents([bareosdir.bDirEventNewVolume])
        self.volumes = 0

    def handle_plugin_event(self, event):
        if event == bareosdir.bDirEventNewVolume:
            self.volumes += 1
            prefix = self.options.get("prefix", "Py")
            name = f"{prefix}-{self.jobId:04d}-{self.volumes}"
            bareosdir.SetValue(bareosdir.bwDirVarVolumeName, name)
            bareosdir.DebugMessage(100, f"named the new volume {name}\n")
            return bareosdir.bRC_OK
        return super().handle_plugin_event(event)


def load_bareos_plugin(plugindef):
    BareosDirWrapper.bareos_dir_plugin_object = VolumeNamer(plugindef)
    return bareosdir.bRC_OK
