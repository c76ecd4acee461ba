/* The legacy flavour of the daemon plugins (python-fd.so, python-sd.so,
 * python-dir.so): installing the Python side of the API before Bareos 20
 * (bareospy/legacy/).
 */
#ifndef BAREOSPY_PYTHON_LEGACY_H
#define BAREOSPY_PYTHON_LEGACY_H

#include "python3_common.h"

/* With the GIL held: make the package this plugin was installed with
 * importable (an in-place build is not on sys.path), then call
 * bareospy.legacy.<daemon>.install().  ``symbol`` is any function of the
 * plugin library (to find where it lies).  Reports its own errors on stderr
 * of the Python side; returns bRC_Error on failure. */
bRC bareospy_legacy_install(const char* daemon, void* symbol);

/* The plugin_usage text of the legacy plugins. */
extern const char bareospy_legacy_usage[];

/* Everything a legacy plugin's file defines after compiling in its daemon's
 * current glue with loadPlugin/unloadPlugin renamed to
 * bareospy_current_load_plugin/bareospy_current_unload_plugin: the exported
 * loadPlugin, which loads the current plugin, then installs
 * bareospy.legacy.<daemon> (and unloads again if that fails), and
 * unloadPlugin.  For BAREOSPY_LEGACY_PLUGIN(sd, Sd, ...) the core functions
 * are SdCoreFunctions and the messages name python-sd. */
#define BAREOSPY_LEGACY_PLUGIN(daemon, Daemon, description)                                \
  bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,                     \
                 PluginInformation** plugin_info, void** plugin_functions);                \
  bRC unloadPlugin(void);                                                                  \
                                                                                           \
  bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,                     \
                 PluginInformation** plugin_info, void** plugin_functions)                 \
  {                                                                                        \
    bRC rc = bareospy_current_load_plugin(core_info, core_functions, plugin_info,          \
                                          plugin_functions);                               \
    if (rc != bRC_OK) return rc;                                                           \
    information.plugin_description = description;                                          \
    information.plugin_usage = bareospy_legacy_usage;                                      \
    PyThreadState* tstate = bareospy_glue_enter();                                         \
    rc = bareospy_legacy_install(#daemon, (void*)loadPlugin);                              \
    bareospy_glue_leave(tstate);                                                           \
    if (rc != bRC_OK) {                                                                    \
      Daemon##CoreFunctions* daemon_core = core_functions;                                 \
      daemon_core->JobMessage(NULL, __FILE__, __LINE__, M_ERROR, 0,                        \
                              "python-" #daemon                                            \
                              ": cannot install the legacy API layer (bareospy.legacy." #daemon \
                              ")\n");                                                      \
      bareospy_current_unload_plugin();                                                    \
      return bRC_Error;                                                                    \
    }                                                                                      \
    return bRC_OK;                                                                         \
  }                                                                                        \
                                                                                           \
  bRC unloadPlugin(void) { return bareospy_current_unload_plugin(); }

#endif
