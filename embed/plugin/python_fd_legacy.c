/* python-fd.so: the file daemon plugin for scripts written for Bareos < 20
 * (plugin name "python"; docs/legacy.md).
 *
 * It is python3-fd.so with one step added to loadPlugin: python3_fd.c is
 * compiled into this file with its two exported functions renamed, and the
 * loadPlugin below calls it, then installs the legacy layer
 * (bareospy/legacy/fd.py: the old-API bareosfd facade, the bareos_fd_consts
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

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions);
bRC unloadPlugin(void);

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  bRC rc = bareospy_current_load_plugin(core_info, core_functions, plugin_info, plugin_functions);
  if (rc != bRC_OK) return rc;
  information.plugin_description = "Python File Daemon Plugin, API before Bareos 20 (bareospy)";
  information.plugin_usage = bareospy_legacy_usage;
  PyThreadState* tstate = bareospy_glue_enter();
  rc = bareospy_legacy_install("fd", (void*)loadPlugin);
  bareospy_glue_leave(tstate);
  if (rc != bRC_OK) {
    core->JobMessage(NULL, __FILE__, __LINE__, M_ERROR, 0,
                     "python-fd: cannot install the legacy API layer (bareospy.legacy.fd)\n");
    bareospy_current_unload_plugin();
    return bRC_Error;
  }
  return bRC_OK;
}

bRC unloadPlugin(void) { return bareospy_current_unload_plugin(); }
