/* Slots of the function table behind the capsule "bareosfd._C_API".
 *
 * The capsule's pointer is an array of BAREOSFD_CAPI_SLOTS function pointers.
 * Slots 18 and 19 are at the positions the original module uses for the same
 * two functions, so module testers written against it keep working.  Slots
 * 0..17 are the per-call entry points of the daemon plugin; slots from 20 on
 * are bareospy's own. */
#ifndef BAREOSFD_CAPI_H
#define BAREOSFD_CAPI_H

#include "bareospy/fd.h"

enum {
  BAREOSFD_CAPI_SET_CORE_FUNCTIONS = 18, /* bRC (*)(CoreFunctions*) */
  BAREOSFD_CAPI_SET_PLUGIN_CONTEXT = 19, /* bRC (*)(PluginContext*)  */
  BAREOSFD_CAPI_NEW_INSTANCE = 20,       /* bRC (*)(PluginContext*)  */
  BAREOSFD_CAPI_FREE_INSTANCE = 21,      /* bRC (*)(PluginContext*)  */
  BAREOSFD_CAPI_SLOTS = 22
};

#define BAREOSFD_CAPSULE_NAME "bareosfd._C_API"

#endif
