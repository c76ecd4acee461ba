/* python3-sd.so: the storage daemon's Python plugin.
 *
 * The storage daemon's plugins only get events, like the director's: the
 * entry points are the shared ones of python3_events.c, calling the Cython
 * code of bareospy/common/events.pxi compiled into bareossd.  What is the
 * storage daemon's own are the ABI names (bareospy/sd.h) the line below
 * takes: bSdEvent, SdPluginFunctions, SD_PLUGIN_MAGIC, ...
 */
#include "python3_events.h"

#include "bareospy/sd.h"

BAREOSPY_EVENTS_PLUGIN(sd, Sd, SD, bareossd, "Python Storage Daemon Plugin (bareospy)")
