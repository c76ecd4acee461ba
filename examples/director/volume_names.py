"""A director plugin (python3-dir.so, the script functions of the plugin
API) that names every new volume: "PREFIX-<n>", n the volume's number in
its pool (prefix=... in the Dir Plugin Options, default "Demo").  The
director asks for one when a job starts with no appendable volume and each
time the storage daemon fills one; the SD labels the volume with that name
and the catalog records it."""
import bareosdir

prefix = "Demo"


def load_bareos_plugin(plugindef):
    bareosdir.RegisterEvents([bareosdir.bDirEventNewVolume])
    return bareosdir.bRC_OK


def parse_plugin_definition(plugindef):
    global prefix
    for item in plugindef.split(":"):
        key, _, value = item.partition("=")
        if key == "prefix" and value:
            prefix = value
    return bareosdir.bRC_OK


def handle_plugin_event(event):
    if event == bareosdir.bDirEventNewVolume:
        volumes = bareosdir.GetValue(bareosdir.bDirVarNumVols)  # in the job's pool
        name = f"{prefix}-{volumes + 1:04d}"
        bareosdir.SetValue(bareosdir.bwDirVarVolumeName, name)
        bareosdir.JobMessage(bareosdir.M_INFO, f"volume_names.py: new volume {name}\n")
    return bareosdir.bRC_OK
