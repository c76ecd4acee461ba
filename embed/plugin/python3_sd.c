/* python3-sd.so: the storage daemon's Python plugin.
 *
 * What is the storage daemon's own: its ABI values and event record type.  Its
 * plugins only get events, like those of the other daemon of that kind, so
 * the entry points are the shared ones of python3_events.c, and the Cython
 * code they call is bareospy/common/events.pxi compiled into bareossd.
 */
#include "python3_events.h"

#include "bareospy/sd.h"

PyMODINIT_FUNC PyInit_bareossd(void);

static bRC handlePluginEvent(PluginContext* ctx, bSdEvent* event, void* value)
{
  return bareospy_events_handle(ctx, event ? &event->eventType : NULL, value);
}

static PluginInformation information = BAREOSPY_PLUGIN_INFORMATION(
    SD_PLUGIN_INTERFACE_VERSION, SD_PLUGIN_MAGIC, "Python Storage Daemon Plugin (bareospy)", bareospy_events_usage);

static SdPluginFunctions functions =
    BAREOSPY_EVENTS_FUNCTIONS(SdPluginFunctions, SD_PLUGIN_INTERFACE_VERSION, handlePluginEvent);

static const BareospyEventsGlue glue = {
    .base = {.plugin_name = "python3-sd", .module_name = "bareossd", .init_module = PyInit_bareossd,
             .setup = bareospy_events_setup, .teardown = bareospy_events_teardown},
    .information = &information,
    .functions = &functions,
};

BAREOSPY_EVENTS_ENTRY_POINTS(glue, SdCoreFunctions)
