/* A core for tests (file daemon, storage daemon, director): a real CoreFunctions table whose entries
 * collect their (variadic) arguments and hand them to hooks written in Cython
 * (bareospy/_testcore.pyx), which pass them on to a Python object. */
#ifndef BAREOSPY_TESTCORE_H
#define BAREOSPY_TESTCORE_H

#include "bareospy/dir.h"
#include "bareospy/fd.h"
#include "bareospy/sd.h"

/* Which FileSet-building call reached the core. */
enum testcore_fileset_op {
  TESTCORE_ADD_EXCLUDE = 1,
  TESTCORE_ADD_INCLUDE,
  TESTCORE_ADD_OPTIONS,
  TESTCORE_ADD_REGEX,
  TESTCORE_ADD_WILD,
  TESTCORE_NEW_OPTIONS,
  TESTCORE_NEW_INCLUDE,
  TESTCORE_NEW_PRE_INCLUDE
};

/* Which save-packet query reached the core. */
enum testcore_query_op { TESTCORE_CHECK_CHANGES = 1, TESTCORE_ACCEPT_FILE };

typedef struct {
  bRC (*events)(PluginContext* ctx, int unregister, int count, const unsigned int* events);
  bRC (*instance_count)(PluginContext* ctx, int* count);
  bRC (*get_value)(PluginContext* ctx, int var, void* value);
  bRC (*set_value)(PluginContext* ctx, int var, const void* value);
  bRC (*job_message)(PluginContext* ctx, const char* file, int line, int type,
                     utime_t mtime, const char* text);
  bRC (*debug_message)(PluginContext* ctx, const char* file, int line, int level,
                       const char* text);
  bRC (*fileset)(PluginContext* ctx, int op, const char* item, int type);
  bRC (*query)(PluginContext* ctx, int op, save_pkt* sp);
  bRC (*seen)(PluginContext* ctx, int clear, int all, const char* fname);
} testcore_hooks;

/* Route the table's calls to `hooks` (copied). */
void testcore_set_hooks(const testcore_hooks* hooks);

/* The table to install into a plugin module. */
FdCoreFunctions* testcore_functions(void);
/* The same hooks behind the storage daemon's and the director's tables. */
SdCoreFunctions* testcore_sd_functions(void);
DirCoreFunctions* testcore_dir_functions(void);

#endif
