/* See python3_events.h. */
#include "python3_events.h"

const char bareospy_events_usage[] =
    "python3:module_name=<python-module-to-load>:module_path=<path-to-python-modules>"
    "[:instance=<n>]:<key>=<value>:...\n"
    "  module_name  the Python module (the plugin script) to import\n"
    "  module_path  a directory searched for it (and for its helper modules)\n"
    "  instance     which instance of the plugin gets these options (0 by default)\n"
    "  The plugin directory is always searched too; every other key=value pair\n"
    "  is passed to the script's load_bareos_plugin/parse_plugin_definition.\n";

bRC bareospy_events_load(const BareospyEventsGlue* glue, void* core_functions,
                         BareospyJobMessage job_message, PluginInformation** plugin_info,
                         void** plugin_functions)
{
  if (!core_functions || !plugin_info || !plugin_functions) return bRC_Error;
  if (bareospy_glue_load(&glue->base, core_functions, job_message) != bRC_OK) return bRC_Error;
  *plugin_info = glue->information;
  *plugin_functions = glue->functions;
  return bRC_OK;
}

bRC bareospy_events_newPlugin(PluginContext* ctx) { WITH_GIL(bareospy_events_new_plugin(ctx)); }

bRC bareospy_events_freePlugin(PluginContext* ctx) { WITH_GIL(bareospy_events_free_plugin(ctx)); }

bRC bareospy_events_handle(PluginContext* ctx, uint32_t* event_type, void* value)
{
  if (!event_type) return bRC_Error;
  WITH_GIL(bareospy_events_handle_plugin_event(ctx, event_type, value));
}
