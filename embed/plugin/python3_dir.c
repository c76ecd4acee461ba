/* python3-dir.so: the director's Python plugin.
 *
 * Director plugins only get events, as storage daemon plugins do, so this
 * file only names the director's side of the ABI (bareospy/dir.h: bDirEvent,
 * DirPluginFunctions, DIR_PLUGIN_MAGIC, ...); the glue is python3_events.c
 * and the Cython code bareospy/common/events.pxi compiled into bareosdir.
 */
#include "python3_events.h"

#include "bareospy/dir.h"

BAREOSPY_EVENTS_PLUGIN(dir, Dir, DIR, bareosdir, "Python Director Plugin (bareospy)")
