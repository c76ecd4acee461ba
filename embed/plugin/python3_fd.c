/* python3-fd.so: the file daemon's Python plugin.
 *
 * A daemon dlopen()s this library and calls loadPlugin() once, then the
 * entry points of the PluginFunctions table for every job, event, file and
 * I/O block.  This file does what must be done in C: start the interpreter,
 * take the GIL around every call (from whatever thread the daemon calls), and
 * fill the ABI tables.  Everything else -- packets, script loading, error
 * reporting -- is the Cython code of bareospy/bareosfd.pyx, compiled into the
 * same library and reached through its `public` functions (bareosfd.h).
 *
 * The interpreter is the main interpreter of the process: plugin instances
 * are isolated by per-instance module namespaces (see the README), so
 * extension modules that refuse sub-interpreters work in concurrent jobs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bareospy/fd.h"
#include "bareosfd.h"


#ifndef BAREOSPY_PYTHON_EXECUTABLE
#define BAREOSPY_PYTHON_EXECUTABLE "python3"
#endif
#ifndef BAREOSPY_LIBPYTHON
#define BAREOSPY_LIBPYTHON ""
#endif

static const char usage[] =
    "python3:module_name=<python-module-to-load>:module_path=<path-to-python-modules>"
    ":<key>=<value>:...\n"
    "  module_name  the Python module (the plugin script) to import\n"
    "  module_path  a directory searched for it (and for its helper modules)\n"
    "  The plugin directory is always searched too; every other key=value pair\n"
    "  is passed to the script's load_bareos_plugin/parse_plugin_definition.\n";

static PluginInformation information = {
    .size = sizeof(PluginInformation),
    .version = FD_PLUGIN_INTERFACE_VERSION,
    .plugin_magic = FD_PLUGIN_MAGIC,
    .plugin_license = BAREOS_PLUGIN_LICENSE,
    .plugin_author = "the bareospy developers",
    .plugin_date = "November 2026",
    .plugin_version = "4",
    .plugin_description = "Python File Daemon Plugin (bareospy)",
    .plugin_usage = usage,
};

static FdCoreFunctions* core = NULL;
/* Whether this library started the interpreter of the process. */
static int python_started_here = 0;

/* A message from the plugin itself, before Python can report anything. */
static void complain(const char* text)
{
  if (core && core->JobMessage)
    core->JobMessage(NULL, __FILE__, __LINE__, M_ERROR, 0, "python3-fd: %s\n", text);
  else
    fprintf(stderr, "python3-fd: %s\n", text);
}

/* Make libpython's symbols global, for extension modules imported later,
 * even if the daemon dlopen()ed us without RTLD_GLOBAL. */
static void promote_libpython(void)
{
  if (BAREOSPY_LIBPYTHON[0] == '\0') return;
  void* handle = dlopen(BAREOSPY_LIBPYTHON, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
  if (handle) dlclose(handle);
}

static bRC start_interpreter(void)
{
  if (PyImport_AppendInittab("bareosfd", PyInit_bareosfd) != 0) {
    complain("cannot register the bareosfd module");
    return bRC_Error;
  }
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.install_signal_handlers = 0; /* the daemon owns the signals */
  config.parse_argv = 0;
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name,
                                            BAREOSPY_PYTHON_EXECUTABLE);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    char text[512];
    snprintf(text, sizeof text, "cannot start Python: %s",
             status.err_msg ? status.err_msg : "unknown error");
    complain(text);
    return bRC_Error;
  }
  python_started_here = 1;
  return bRC_OK;
}

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions);
bRC unloadPlugin(void);

static bRC newPlugin(PluginContext* ctx);
static bRC freePlugin(PluginContext* ctx);
static bRC getPluginValue(PluginContext* ctx, pVariable var, void* value);
static bRC setPluginValue(PluginContext* ctx, pVariable var, void* value);
static bRC handlePluginEvent(PluginContext* ctx, bEvent* event, void* value);
static bRC startBackupFile(PluginContext* ctx, save_pkt* sp);
static bRC endBackupFile(PluginContext* ctx);
static bRC startRestoreFile(PluginContext* ctx, const char* cmd);
static bRC endRestoreFile(PluginContext* ctx);
static bRC pluginIO(PluginContext* ctx, io_pkt* io);
static bRC createFile(PluginContext* ctx, restore_pkt* rp);
static bRC setFileAttributes(PluginContext* ctx, restore_pkt* rp);
static bRC checkFile(PluginContext* ctx, char* fname);
static bRC getAcl(PluginContext* ctx, acl_pkt* ap);
static bRC setAcl(PluginContext* ctx, acl_pkt* ap);
static bRC getXattr(PluginContext* ctx, xattr_pkt* xp);
static bRC setXattr(PluginContext* ctx, xattr_pkt* xp);

static FdPluginFunctions functions = {
    .size = sizeof(FdPluginFunctions),
    .version = FD_PLUGIN_INTERFACE_VERSION,
    .newPlugin = newPlugin,
    .freePlugin = freePlugin,
    .getPluginValue = getPluginValue,
    .setPluginValue = setPluginValue,
    .handlePluginEvent = handlePluginEvent,
    .startBackupFile = startBackupFile,
    .endBackupFile = endBackupFile,
    .startRestoreFile = startRestoreFile,
    .endRestoreFile = endRestoreFile,
    .pluginIO = pluginIO,
    .createFile = createFile,
    .setFileAttributes = setFileAttributes,
    .checkFile = checkFile,
    .getAcl = getAcl,
    .setAcl = setAcl,
    .getXattr = getXattr,
    .setXattr = setXattr,
};

/* Thread states.  Each daemon thread that calls in gets one Python thread
 * state for its whole life (created on its first call, deleted when the
 * thread exits), so a call costs one GIL acquire/release and Python-level
 * thread data (threading.local, ...) survives between calls. */
static pthread_key_t thread_state_key;
static pthread_once_t thread_state_once = PTHREAD_ONCE_INIT;

static void drop_thread_state(void* state)
{
  PyThreadState* tstate = state;
  PyEval_RestoreThread(tstate);
  PyThreadState_Clear(tstate);
  PyThreadState_DeleteCurrent();
}

static void make_thread_state_key(void) { pthread_key_create(&thread_state_key, drop_thread_state); }

/* Take the GIL on the calling thread; returns the state to pass to leave(),
 * NULL if this thread held the GIL already. */
static PyThreadState* enter(void)
{
  if (PyGILState_Check()) return NULL;
  PyThreadState* tstate = PyGILState_GetThisThreadState();
  if (!tstate) {
    pthread_once(&thread_state_once, make_thread_state_key);
    tstate = PyThreadState_New(PyInterpreterState_Main());
    pthread_setspecific(thread_state_key, tstate);
  }
  PyEval_RestoreThread(tstate);
  return tstate;
}

static void leave(PyThreadState* tstate)
{
  if (tstate) PyEval_SaveThread();
}

/* Import the compiled-in bareosfd (GIL held); its code is unusable before. */
static bRC import_module(void)
{
  PyObject* module = PyImport_ImportModule("bareosfd");
  if (module) {
    Py_DECREF(module);
    return bRC_OK;
  }
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyObject* text = value ? PyObject_Str(value) : NULL;
  const char* utf8 = text ? PyUnicode_AsUTF8(text) : NULL;
  char message[1024];
  snprintf(message, sizeof message, "cannot import the bareosfd module: %s",
           utf8 ? utf8 : "unknown error");
  complain(message);
  PyErr_Clear();
  Py_XDECREF(text);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  return bRC_Error;
}

/* Once the interpreter runs: import the module and hand it the core (GIL held). */
static bRC setup_module(void)
{
  if (import_module() != bRC_OK) return bRC_Error;
  return bareospy_fd_setup(core);
}

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  (void)core_info;
  if (!core_functions || !plugin_info || !plugin_functions) return bRC_Error;
  core = (FdCoreFunctions*)core_functions;
  promote_libpython();
  bRC rc;
  if (!Py_IsInitialized()) {
    if (start_interpreter() != bRC_OK) return bRC_Error;
    rc = setup_module();
    PyEval_SaveThread(); /* the daemon's threads take the GIL per call */
  } else if (!python_started_here) {
    complain("Python is already running in this process and was not started by "
             "this plugin; refusing to load");
    return bRC_Error;
  } else { /* loaded again after an unload */
    PyThreadState* tstate = enter();
    rc = setup_module();
    leave(tstate);
  }
  if (rc != bRC_OK) return bRC_Error;
  *plugin_info = &information;
  *plugin_functions = &functions;
  return bRC_OK;
}

/* The interpreter stays alive after unloadPlugin: extension modules cannot be
 * re-initialised in a new interpreter, and this library stays mapped
 * (-z nodelete) so a later loadPlugin finds it running. */
bRC unloadPlugin(void)
{
  if (!Py_IsInitialized()) return bRC_OK;
  PyThreadState* tstate = enter();
  bareospy_fd_teardown();
  leave(tstate);
  core = NULL;
  return bRC_OK;
}

/* Every entry point: take the GIL on the calling thread, call the Cython
 * implementation, release the GIL. */
#define WITH_GIL(call)                   \
  do {                                   \
    if (!ctx) return bRC_Error;          \
    PyThreadState* tstate = enter();     \
    bRC rc = (call);                     \
    leave(tstate);                       \
    return rc;                           \
  } while (0)

static bRC newPlugin(PluginContext* ctx)
{
  if (!ctx) return bRC_Error;
  PyThreadState* tstate = enter();
  bRC rc = bareospy_fd_new_plugin(ctx);
  leave(tstate);
  if (rc != bRC_OK) return rc;
  return core->registerBareosEvents(ctx, 9, bEventLevel, bEventSince, bEventNewPluginOptions,
                                    bEventPluginCommand, bEventJobStart, bEventRestoreCommand,
                                    bEventEstimateCommand, bEventBackupCommand,
                                    bEventRestoreObject);
}

static bRC freePlugin(PluginContext* ctx) { WITH_GIL(bareospy_fd_free_plugin(ctx)); }
static bRC getPluginValue(PluginContext* ctx, pVariable var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_OK;
}
static bRC setPluginValue(PluginContext* ctx, pVariable var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_OK;
}
static bRC handlePluginEvent(PluginContext* ctx, bEvent* event, void* value)
{
  if (!event) return bRC_Error;
  WITH_GIL(bareospy_fd_handle_plugin_event(ctx, event, value));
}
static bRC startBackupFile(PluginContext* ctx, save_pkt* sp)
{
  if (!sp) return bRC_Error;
  WITH_GIL(bareospy_fd_start_backup_file(ctx, sp));
}
static bRC endBackupFile(PluginContext* ctx) { WITH_GIL(bareospy_fd_end_backup_file(ctx)); }
static bRC startRestoreFile(PluginContext* ctx, const char* cmd)
{
  WITH_GIL(bareospy_fd_start_restore_file(ctx, cmd));
}
static bRC endRestoreFile(PluginContext* ctx) { WITH_GIL(bareospy_fd_end_restore_file(ctx)); }
static bRC pluginIO(PluginContext* ctx, io_pkt* io)
{
  if (!io) return bRC_Error;
  WITH_GIL(bareospy_fd_plugin_io(ctx, io));
}
static bRC createFile(PluginContext* ctx, restore_pkt* rp)
{
  if (!rp) return bRC_Error;
  WITH_GIL(bareospy_fd_create_file(ctx, rp));
}
static bRC setFileAttributes(PluginContext* ctx, restore_pkt* rp)
{
  if (!rp) return bRC_Error;
  WITH_GIL(bareospy_fd_set_file_attributes(ctx, rp));
}
static bRC checkFile(PluginContext* ctx, char* fname) { WITH_GIL(bareospy_fd_check_file(ctx, fname)); }
static bRC getAcl(PluginContext* ctx, acl_pkt* ap)
{
  if (!ap) return bRC_Error;
  WITH_GIL(bareospy_fd_get_acl(ctx, ap));
}
static bRC setAcl(PluginContext* ctx, acl_pkt* ap)
{
  if (!ap) return bRC_Error;
  WITH_GIL(bareospy_fd_set_acl(ctx, ap));
}
static bRC getXattr(PluginContext* ctx, xattr_pkt* xp)
{
  if (!xp) return bRC_Error;
  WITH_GIL(bareospy_fd_get_xattr(ctx, xp));
}
static bRC setXattr(PluginContext* ctx, xattr_pkt* xp)
{
  if (!xp) return bRC_Error;
  WITH_GIL(bareospy_fd_set_xattr(ctx, xp));
}
