/* python-fd.so: the file daemon plugin for scripts written for Bareos < 20
 * (plugin name "python"; docs/legacy.md).
 *
 * It is python3-fd.so with one step added to loadPlugin: python3_fd.c is
 * compiled into this file with its two exported functions renamed, and the
 * loadPlugin of BAREOSPY_LEGACY_PLUGIN (python_legacy.h) calls it, then
 * installs the legacy layer (bareospy/legacy/fd.py: the old-API bareosfd facade, the bareos_fd_consts
 * module, and a script adapter that passes `context` to every script
 * function).  Nothing of the current API's per-call path changes: the
 * adapter is what the plugin layer finds as the script's functions.
 */
#define loadPlugin bareospy_current_load_plugin
#define unloadPlugin bareospy_current_unload_plugin
#include "python3_fd.c"
#undef loadPlugin
#undef unloadPlugin

#include "python_legacy.h"

BAREOSPY_LEGACY_PLUGIN(fd, Fd, "Python File Daemon Plugin, API before Bareos 20 (bareospy)")
