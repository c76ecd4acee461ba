/* Slots of the function table behind the capsule "bareosfd._C_API".
 *
 * The capsule's pointer is an array of BAREOSFD_CAPI_SLOTS function pointers.
 * Slots 18 and 19 are at the positions the original module uses for the same
 * two functions, so module testers written against it keep working.  Slots
 * 0..17 are the per-call entry points of the daemon plugin; slots from 20 on
 * are bareospy's own.  The table is filled in bareospy/fd/public-api.pxi. */
#ifndef BAREOSFD_CAPI_H
#define BAREOSFD_CAPI_H

#include "bareospy/fd.h"

enum {
  /* The entry points, each with the signature of its PluginFunctions member
   * (spec §2.6): they run the instance's script. */
  BAREOSFD_CAPI_GET_PLUGIN_VALUE = 1,
  BAREOSFD_CAPI_SET_PLUGIN_VALUE = 2,
  BAREOSFD_CAPI_HANDLE_PLUGIN_EVENT = 3,
  BAREOSFD_CAPI_START_BACKUP_FILE = 4,
  BAREOSFD_CAPI_END_BACKUP_FILE = 5,
  BAREOSFD_CAPI_PLUGIN_IO = 6,
  BAREOSFD_CAPI_START_RESTORE_FILE = 7,
  BAREOSFD_CAPI_END_RESTORE_FILE = 8,
  BAREOSFD_CAPI_CREATE_FILE = 9,
  BAREOSFD_CAPI_SET_FILE_ATTRIBUTES = 10,
  BAREOSFD_CAPI_CHECK_FILE = 11,
  BAREOSFD_CAPI_GET_ACL = 12,
  BAREOSFD_CAPI_SET_ACL = 13,
  BAREOSFD_CAPI_GET_XATTR = 14,
  BAREOSFD_CAPI_SET_XATTR = 15,
  BAREOSFD_CAPI_SET_CORE_FUNCTIONS = 18, /* bRC (*)(CoreFunctions*) */
  BAREOSFD_CAPI_SET_PLUGIN_CONTEXT = 19, /* bRC (*)(PluginContext*)  */
  BAREOSFD_CAPI_NEW_INSTANCE = 20,       /* bRC (*)(PluginContext*)  */
  BAREOSFD_CAPI_FREE_INSTANCE = 21,      /* bRC (*)(PluginContext*)  */
  BAREOSFD_CAPI_SLOTS = 22
};

#define BAREOSFD_CAPSULE_NAME "bareosfd._C_API"

#endif
