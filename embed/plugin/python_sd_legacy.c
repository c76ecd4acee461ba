/* python-sd.so: the storage daemon plugin for scripts written for Bareos < 20
 * (plugin name "python"; docs/legacy.md).  As python_fd_legacy.c: the
 * current glue (python3_sd.c) compiled in with its exports renamed, and a
 * loadPlugin that also installs bareospy/legacy/sd.py.
 */
#define loadPlugin bareospy_current_load_plugin
#define unloadPlugin bareospy_current_unload_plugin
#include "python3_sd.c"
#undef loadPlugin
#undef unloadPlugin

#include "python_legacy.h"

BAREOSPY_LEGACY_PLUGIN(sd, Sd, "Python Storage Daemon Plugin, API before Bareos 20 (bareospy)")
