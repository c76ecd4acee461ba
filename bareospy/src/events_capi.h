/* Slots of the function table behind the capsules "bareossd._C_API" and
 * "bareosdir._C_API" (the modules of the daemons whose plugins only get
 * events; filled in bareospy/common/events.pxi).
 *
 * Slots 0-5 are where the reference's capsule of these modules (≤ 25) has
 * the same six functions; 6 and 7 are bareospy's own.  All need the GIL. */
#ifndef BAREOSPY_EVENTS_CAPI_H
#define BAREOSPY_EVENTS_CAPI_H

#include "bareospy/plugin.h"

enum {
  EVENTS_CAPI_PARSE_PLUGIN_DEFINITION = 0, /* bRC (*)(PluginContext*, void* options) */
  EVENTS_CAPI_GET_PLUGIN_VALUE = 1,        /* bRC (*)(PluginContext*, pVariable, void*) */
  EVENTS_CAPI_SET_PLUGIN_VALUE = 2,        /* bRC (*)(PluginContext*, pVariable, void*) */
  EVENTS_CAPI_HANDLE_PLUGIN_EVENT = 3,     /* bRC (*)(PluginContext*, uint32_t* event, void*) */
  EVENTS_CAPI_SET_CORE_FUNCTIONS = 4,      /* bRC (*)(void* core functions) */
  EVENTS_CAPI_SET_PLUGIN_CONTEXT = 5,      /* bRC (*)(PluginContext*) */
  EVENTS_CAPI_NEW_INSTANCE = 6,            /* bRC (*)(PluginContext*) */
  EVENTS_CAPI_FREE_INSTANCE = 7,           /* bRC (*)(PluginContext*) */
  EVENTS_CAPI_SLOTS = 8
};

#endif
