/* python3-dir.so: the director's Python plugin.
 *
 * What is the director's own: its ABI values and event record type.  Its
 * plugins only get events, like those of the other daemon of that kind, so
 * the entry points are the shared ones of python3_events.c, and the Cython
 * code they call is bareospy/common/events.pxi compiled into bareosdir.
 */
#include "python3_events.h"

#include "bareospy/dir.h"

PyMODINIT_FUNC PyInit_bareosdir(void);

static bRC handlePluginEvent(PluginContext* ctx, bDirEvent* event, void* value)
{
  return bareospy_events_handle(ctx, event ? &event->eventType : NULL, value);
}

static PluginInformation information = BAREOSPY_PLUGIN_INFORMATION(
    DIR_PLUGIN_INTERFACE_VERSION, DIR_PLUGIN_MAGIC, "Python Director Plugin (bareospy)", bareospy_events_usage);

static DirPluginFunctions functions =
    BAREOSPY_EVENTS_FUNCTIONS(DirPluginFunctions, DIR_PLUGIN_INTERFACE_VERSION, handlePluginEvent);

static const BareospyEventsGlue glue = {
    .base = {.plugin_name = "python3-dir", .module_name = "bareosdir", .init_module = PyInit_bareosdir,
             .setup = bareospy_events_setup, .teardown = bareospy_events_teardown},
    .information = &information,
    .functions = &functions,
};

BAREOSPY_EVENTS_ENTRY_POINTS(glue, DirCoreFunctions)
