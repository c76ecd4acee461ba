/* The glue of the daemon plugins whose plugins only get events
 * (python3-sd.so, python3-dir.so): their PluginFunctions tables have the same
 * shape, and every entry point calls the same Cython code
 * (bareospy/common/events.pxi, compiled into each daemon's module).
 *
 * A daemon's file (python3_sd.c, ...) is one BAREOSPY_EVENTS_PLUGIN line:
 * the daemon's names, from which the macro takes its ABI types and values.
 */
#ifndef BAREOSPY_PYTHON3_EVENTS_H
#define BAREOSPY_PYTHON3_EVENTS_H

#include "python3_common.h"

#include <stdint.h>

/* The `cdef public` functions of common/events.pxi (GIL held unless noted). */
bRC bareospy_events_setup(void* functions);
void bareospy_events_teardown(void);
bRC bareospy_events_new_plugin(PluginContext* ctx);
bRC bareospy_events_free_plugin(PluginContext* ctx);
bRC bareospy_events_plugin_value(PluginContext* ctx, pVariable var, void* value); /* no GIL */
bRC bareospy_events_handle_plugin_event(PluginContext* ctx, uint32_t* event, void* value);

/* One daemon's plugin: the shared glue's part, and what loadPlugin hands out. */
typedef struct BareospyEventsGlue {
  BareospyGlue base;
  PluginInformation* information;
  void* functions; /* the daemon's PluginFunctions table */
} BareospyEventsGlue;

/* The plugin_usage text (the same definition syntax for both daemons). */
extern const char bareospy_events_usage[];

/* The entry points of the PluginFunctions table, GIL taken around each. */
bRC bareospy_events_newPlugin(PluginContext* ctx);
bRC bareospy_events_freePlugin(PluginContext* ctx);
/* handlePluginEvent, given the event number (the daemon's wrapper passes
 * &event->eventType, NULL for no event). */
bRC bareospy_events_handle(PluginContext* ctx, uint32_t* event_type, void* value);

/* loadPlugin's work: start Python, import the module, hand out the tables. */
bRC bareospy_events_load(const BareospyEventsGlue* glue, void* core_functions,
                         BareospyJobMessage job_message, PluginInformation** plugin_info,
                         void** plugin_functions);

/* A PluginFunctions initializer of the SD/DIR shape (spec §1.7). */
#define BAREOSPY_EVENTS_FUNCTIONS(Table, interface_version, handler)                          \
  {                                                                                        \
    .size = sizeof(Table), .version = (interface_version),                                 \
    .newPlugin = bareospy_events_newPlugin, .freePlugin = bareospy_events_freePlugin,      \
    .getPluginValue = bareospy_events_plugin_value,                                        \
    .setPluginValue = bareospy_events_plugin_value, .handlePluginEvent = (handler),        \
  }

/* Everything a daemon's glue file defines: its PluginInformation, its
 * PluginFunctions table with the handlePluginEvent wrapper for its event
 * record, the glue, and the exported loadPlugin/unloadPlugin.  The names
 * follow the ABI headers: for BAREOSPY_EVENTS_PLUGIN(sd, Sd, SD, bareossd, ...)
 * bSdEvent, SdPluginFunctions, SdCoreFunctions, SD_PLUGIN_INTERFACE_VERSION,
 * SD_PLUGIN_MAGIC and the module's PyInit_bareossd. */
#define BAREOSPY_EVENTS_PLUGIN(daemon, Daemon, DAEMON, module, description)                    \
  PyMODINIT_FUNC PyInit_##module(void);                                                    \
  static bRC handlePluginEvent(PluginContext* ctx, b##Daemon##Event* event, void* value)    \
  {                                                                                        \
    return bareospy_events_handle(ctx, event ? &event->eventType : NULL, value);           \
  }                                                                                        \
  static PluginInformation information = BAREOSPY_PLUGIN_INFORMATION(                      \
      DAEMON##_PLUGIN_INTERFACE_VERSION, DAEMON##_PLUGIN_MAGIC, description,               \
      bareospy_events_usage);                                                              \
  static Daemon##PluginFunctions functions = BAREOSPY_EVENTS_FUNCTIONS(                    \
      Daemon##PluginFunctions, DAEMON##_PLUGIN_INTERFACE_VERSION, handlePluginEvent);      \
  static const BareospyEventsGlue glue = {                                                 \
      .base = {.plugin_name = "python3-" #daemon, .module_name = #module,                   \
               .init_module = PyInit_##module, .setup = bareospy_events_setup,             \
               .teardown = bareospy_events_teardown},                                      \
      .information = &information,                                                         \
      .functions = &functions,                                                             \
  };                                                                                       \
  bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,                     \
                 PluginInformation** plugin_info, void** plugin_functions);                \
  bRC unloadPlugin(void);                                                                  \
  bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,                     \
                 PluginInformation** plugin_info, void** plugin_functions)                 \
  {                                                                                        \
    (void)core_info;                                                                       \
    Daemon##CoreFunctions* core = core_functions;                                          \
    return bareospy_events_load(&glue, core, core ? core->JobMessage : NULL, plugin_info,  \
                                plugin_functions);                                         \
  }                                                                                        \
  bRC unloadPlugin(void)                                                                   \
  {                                                                                        \
    bareospy_glue_unload(&glue.base);                                                      \
    return bRC_OK;                                                                         \
  }

#endif
