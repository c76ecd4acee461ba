/* The daemon-neutral part of the Python daemon plugins (python3-fd.so,
 * python3-sd.so, python3-dir.so).
 *
 * A daemon plugin is one Cython module (bareosfd, ...) compiled together with
 * a little C glue.  What the glue does the same way for every daemon lives
 * here: start the interpreter (or refuse a foreign one), import the module,
 * hand it the core's function table, keep one Python thread state per daemon
 * thread, and take the GIL around each call.  The per-daemon file
 * (python3_fd.c, ...) keeps the ABI tables and the entry point wrappers, and
 * describes its module in a BareospyGlue.
 *
 * The glue includes Python.h through this header only (first, as Python
 * requires).
 */
#ifndef BAREOSPY_PYTHON3_COMMON_H
#define BAREOSPY_PYTHON3_COMMON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "bareospy/plugin.h"
#include "pycompat.h" /* what CPython 2.7 lacks (the legacy 2.7 build) */

/* A compiled-in module's init function: PyInit_<name> (2.7: init<name>). */
#if PY_MAJOR_VERSION >= 3
typedef PyObject* (*BareospyModuleInit)(void);
#define BAREOSPY_MODULE_INIT(name) PyInit_##name
#else
typedef void (*BareospyModuleInit)(void);
#define BAREOSPY_MODULE_INIT(name) init##name
#endif

/* The JobMessage member every daemon's CoreFunctions table has. */
typedef bRC (*BareospyJobMessage)(PluginContext* ctx, const char* file, int line, int type,
                                  utime_t mtime, const char* fmt, ...);

/* What the shared glue needs to know about one daemon's plugin. */
typedef struct BareospyGlue {
  const char* plugin_name;        /* "python3-fd": prefix of the glue's own messages */
  const char* module_name;        /* "bareosfd": the compiled-in module */
  BareospyModuleInit init_module; /* its PyInit_ function */
  /* Once per loadPlugin, GIL held, module imported: keep the core's table. */
  bRC (*setup)(void* core_functions);
  /* Once per unloadPlugin, GIL held: the core's table is gone after this. */
  void (*teardown)(void);
} BareospyGlue;

/* loadPlugin's shared part: start Python on the first load (or refuse a
 * Python this plugin did not start), import the module and call
 * glue->setup(core_functions).  ``job_message`` (may be NULL) reports what
 * goes wrong before Python can. */
bRC bareospy_glue_load(const BareospyGlue* glue, void* core_functions,
                       BareospyJobMessage job_message);

/* unloadPlugin's shared part: glue->teardown() with the GIL held.  The
 * interpreter stays alive (see python3_common.c). */
void bareospy_glue_unload(const BareospyGlue* glue);

/* The calling thread's Python thread state, created on its first call. */
PyThreadState* bareospy_glue_new_thread_state(void);

/* Take the GIL on the calling thread; returns what to pass to
 * bareospy_glue_leave(), NULL if this thread held the GIL already.  Inline:
 * every call of every entry point passes here. */
static inline PyThreadState* bareospy_glue_enter(void)
{
  if (PyGILState_Check()) return NULL;
  PyThreadState* tstate = PyGILState_GetThisThreadState();
  if (!tstate) tstate = bareospy_glue_new_thread_state();
  PyEval_RestoreThread(tstate);
  return tstate;
}

static inline void bareospy_glue_leave(PyThreadState* tstate)
{
  if (tstate) PyEval_SaveThread();
}

/* The body of an entry point: take the GIL on the calling thread, call the
 * Cython implementation, release the GIL.  Needs a `ctx` in scope. */
#define WITH_GIL(call)                             \
  do {                                             \
    if (!ctx) return bRC_Error;                    \
    PyThreadState* tstate = bareospy_glue_enter(); \
    bRC rc = (call);                               \
    bareospy_glue_leave(tstate);                   \
    return rc;                                     \
  } while (0)

/* A PluginInformation initializer: what differs between daemons. */
#define BAREOSPY_PLUGIN_INFORMATION(interface_version, magic, description, usage_text) \
  {                                                                                 \
    .size = sizeof(PluginInformation), .version = (interface_version),              \
    .plugin_magic = (magic), .plugin_license = BAREOS_PLUGIN_LICENSE,               \
    .plugin_author = "the bareospy developers", .plugin_date = "November 2026",     \
    .plugin_version = "4", .plugin_description = (description),                     \
    .plugin_usage = (usage_text),                                                   \
  }

#endif
