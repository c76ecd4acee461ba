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

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions);
bRC unloadPlugin(void);

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  bRC rc = bareospy_current_load_plugin(core_info, core_functions, plugin_info, plugin_functions);
  if (rc != bRC_OK) return rc;
  information.plugin_description = "Python Storage Daemon Plugin, API before Bareos 20 (bareospy)";
  information.plugin_usage = bareospy_legacy_usage;
  PyThreadState* tstate = bareospy_glue_enter();
  rc = bareospy_legacy_install("sd", (void*)loadPlugin);
  bareospy_glue_leave(tstate);
  if (rc != bRC_OK) {
    SdCoreFunctions* core = core_functions;
    core->JobMessage(NULL, __FILE__, __LINE__, M_ERROR, 0,
                     "python-sd: cannot install the legacy API layer (bareospy.legacy.sd)\n");
    bareospy_current_unload_plugin();
    return bRC_Error;
  }
  return bRC_OK;
}

bRC unloadPlugin(void) { return bareospy_current_unload_plugin(); }
