/* The daemon-neutral part of the Python daemon plugins: see python3_common.h.
 *
 * The interpreter is the main interpreter of the process: plugin instances
 * are isolated by per-instance module namespaces (see the README), so
 * extension modules that refuse sub-interpreters work in concurrent jobs.
 */
#include "python3_common.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bareospy/consts.h"

#ifndef BAREOSPY_PYTHON_EXECUTABLE
#define BAREOSPY_PYTHON_EXECUTABLE "python3"
#endif
#ifndef BAREOSPY_LIBPYTHON
#define BAREOSPY_LIBPYTHON ""
#endif

/* Whether this library started the interpreter of the process (or joined
 * one another bareospy library started). */
static int python_started_here = 0;

/* sys attribute set by the bareospy library that started Python. */
#define BAREOSPY_STARTED_MARK "_bareospy_started_python"

/* A message from the glue itself, before Python can report anything. */
static void complain(const BareospyGlue* glue, BareospyJobMessage job_message, const char* text)
{
  if (job_message)
    job_message(NULL, __FILE__, __LINE__, M_ERROR, 0, "%s: %s\n", glue->plugin_name, text);
  else
    fprintf(stderr, "%s: %s\n", glue->plugin_name, text);
}

/* Make libpython's symbols global, for extension modules imported later,
 * even if the daemon dlopen()ed us without RTLD_GLOBAL. */
static void promote_libpython(void)
{
  if (BAREOSPY_LIBPYTHON[0] == '\0') return;
  void* handle = dlopen(BAREOSPY_LIBPYTHON, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
  if (handle) dlclose(handle);
}

/* Cut the last `levels` path components off `path` (in place); 0 if it has
 * fewer.  Returns the name of the (new) last component, or NULL. */
static const char* strip_components(char* path, int levels)
{
  for (int i = 0; i < levels; i++) {
    char* slash = strrchr(path, '/');
    if (!slash || slash == path) return NULL;
    *slash = '\0';
  }
  return strrchr(path, '/') + 1;
}

/* Whether `directory`/`name` is an executable file; if so, written to `out`. */
static int find_program(const char* directory, const char* name, char* out, size_t size)
{
  int length = snprintf(out, size, "%s/bin/%s", directory, name);
  return length > 0 && (size_t)length < size && access(out, X_OK) == 0;
}

/* The interpreter the plugin starts, found at run time from where this
 * library is installed, so that an installed wheel works wherever pip put
 * it: <prefix>/lib/pythonX.Y/site-packages/bareospy/plugins/python3-*.so.
 * A <prefix>/pyvenv.cfg marks a venv: its bin/python makes Python pick up
 * the venv's site-packages (and its base installation from pyvenv.cfg).
 * Otherwise <prefix> is a base installation.  A library that does not sit
 * in a site-packages/dist-packages directory (an in-place build) or whose
 * prefix has no such program falls back to the interpreter it was built
 * with.  python -m bareospy --info applies the same rule. */
static void locate_interpreter(char* program, size_t size)
{
  snprintf(program, size, "%s", BAREOSPY_PYTHON_EXECUTABLE);
  Dl_info info;
  char path[PATH_MAX];
  if (!dladdr((void*)locate_interpreter, &info) || !info.dli_fname) return;
  if (!realpath(info.dli_fname, path)) return;
  const char* packages = strip_components(path, 3); /* file, plugins, bareospy */
  if (!packages) return;
  if (strcmp(packages, "site-packages") != 0 && strcmp(packages, "dist-packages") != 0) return;
  if (!strip_components(path, 3)) return; /* site-packages, pythonX.Y, lib */
  char marker[PATH_MAX + 16];
  snprintf(marker, sizeof marker, "%s/pyvenv.cfg", path);
  int venv = access(marker, F_OK) == 0;
  char versioned[32];
  snprintf(versioned, sizeof versioned, "python%d.%d", PY_MAJOR_VERSION, PY_MINOR_VERSION);
  char found[PATH_MAX + 32];
  if (find_program(path, versioned, found, sizeof found) ||
      find_program(path, "python3", found, sizeof found) ||
      (venv && find_program(path, "python", found, sizeof found)))
    snprintf(program, size, "%s", found);
}

#if PY_MAJOR_VERSION < 3
/* CPython 2.7 (the legacy flavour's 2.7 build): no PyConfig.  Its program
 * name must outlive the interpreter; no signal handlers (the daemon's), and
 * the GIL is created here (3.7+ always has it). */
static bRC start_python(const BareospyGlue* glue, BareospyJobMessage job_message)
{
  (void)glue;
  (void)job_message;
  static char program[PATH_MAX + 32];
  locate_interpreter(program, sizeof program);
  Py_SetProgramName(program);
  Py_InitializeEx(0);
  PyEval_InitThreads();
  return bRC_OK;
}
#else
static bRC start_python(const BareospyGlue* glue, BareospyJobMessage job_message)
{
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.install_signal_handlers = 0; /* the daemon owns the signals */
  config.parse_argv = 0;
  char program[PATH_MAX + 32];
  locate_interpreter(program, sizeof program);
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, program);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    char text[512];
    snprintf(text, sizeof text, "cannot start Python: %s",
             status.err_msg ? status.err_msg : "unknown error");
    complain(glue, job_message, text);
    return bRC_Error;
  }
  return bRC_OK;
}
#endif

static bRC start_interpreter(const BareospyGlue* glue, BareospyJobMessage job_message)
{
  if (PyImport_AppendInittab((char*)glue->module_name, glue->init_module) != 0) {
    char text[256];
    snprintf(text, sizeof text, "cannot register the %s module", glue->module_name);
    complain(glue, job_message, text);
    return bRC_Error;
  }
  if (start_python(glue, job_message) != bRC_OK) return bRC_Error;
  python_started_here = 1;
  /* The mark another bareospy library in this process looks for. */
  PySys_SetObject(BAREOSPY_STARTED_MARK, Py_True);
  return bRC_OK;
}

/* Whether another bareospy library of this process started the running
 * Python (GIL held): then this one adds its module and shares it. */
static int started_by_bareospy(void)
{
  return PySys_GetObject(BAREOSPY_STARTED_MARK) == Py_True;
}

/* Put the compiled-in module into sys.modules when Python was started by
 * another bareospy library, too late for PyImport_AppendInittab (GIL
 * held).  Cython modules use multi-phase initialisation: PyInit_ gives a
 * definition, made into a module with a spec. */
static int add_module(const BareospyGlue* glue)
{
#if PY_MAJOR_VERSION < 3
  /* 2.7 (the legacy build) runs alone: nothing else of ours starts a 2.7 */
  (void)glue;
  PyErr_SetString(PyExc_RuntimeError, "a shared interpreter needs Python 3");
  return -1;
#else
  PyObject* modules = PyImport_GetModuleDict();
  if (PyDict_GetItemString(modules, glue->module_name)) return 0;
  PyObject* made = glue->init_module();
  if (made && PyObject_TypeCheck(made, &PyModuleDef_Type)) {
    PyModuleDef* definition = (PyModuleDef*)made;
    PyObject* machinery = PyImport_ImportModule("importlib.machinery");
    PyObject* spec = machinery ? PyObject_CallMethod(machinery, "ModuleSpec", "sO",
                                                     glue->module_name, Py_None)
                               : NULL;
    made = spec ? PyModule_FromDefAndSpec(definition, spec) : NULL;
    if (made && PyModule_ExecDef(made, definition) < 0) Py_CLEAR(made);
    Py_XDECREF(spec);
    Py_XDECREF(machinery);
  }
  if (!made) return -1;
  int rc = PyDict_SetItemString(modules, glue->module_name, made);
  Py_DECREF(made);
  return rc;
#endif
}

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

PyThreadState* bareospy_glue_new_thread_state(void)
{
  pthread_once(&thread_state_once, make_thread_state_key);
  PyThreadState* tstate = PyThreadState_New(PyInterpreterState_Main());
  pthread_setspecific(thread_state_key, tstate);
  return tstate;
}

/* Import the compiled-in module (GIL held); its code is unusable before. */
static bRC import_module(const BareospyGlue* glue, BareospyJobMessage job_message)
{
  PyObject* module = PyImport_ImportModule(glue->module_name);
  if (module) {
    Py_DECREF(module);
    return bRC_OK;
  }
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyObject* text = value ? PyObject_Str(value) : NULL;
  const char* utf8 = text ? PyUnicode_AsUTF8(text) : NULL;
  char message[1024];
  snprintf(message, sizeof message, "cannot import the %s module: %s", glue->module_name,
           utf8 ? utf8 : "unknown error");
  complain(glue, job_message, message);
  PyErr_Clear();
  Py_XDECREF(text);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  return bRC_Error;
}

/* Once the interpreter runs: import the module and hand it the core (GIL held). */
static bRC setup_module(const BareospyGlue* glue, void* core_functions,
                        BareospyJobMessage job_message)
{
  if (import_module(glue, job_message) != bRC_OK) return bRC_Error;
  return glue->setup(core_functions);
}

bRC bareospy_glue_load(const BareospyGlue* glue, void* core_functions,
                       BareospyJobMessage job_message)
{
  promote_libpython();
  bRC rc;
  if (!Py_IsInitialized()) {
    if (start_interpreter(glue, job_message) != bRC_OK) return bRC_Error;
    rc = setup_module(glue, core_functions, job_message);
    PyEval_SaveThread(); /* the daemon's threads take the GIL per call */
  } else if (!python_started_here) {
    PyThreadState* tstate = bareospy_glue_enter();
    int shared = started_by_bareospy() && add_module(glue) == 0;
    if (!shared) PyErr_Clear();
    rc = shared ? setup_module(glue, core_functions, job_message) : bRC_Error;
    bareospy_glue_leave(tstate);
    if (!shared) {
      complain(glue, job_message,
               "Python is already running in this process and was not started by "
               "this plugin; refusing to load");
      return bRC_Error;
    }
    python_started_here = 1;
  } else { /* loaded again after an unload */
    PyThreadState* tstate = bareospy_glue_enter();
    rc = setup_module(glue, core_functions, job_message);
    bareospy_glue_leave(tstate);
  }
  return rc;
}

/* The interpreter stays alive after unloadPlugin: extension modules cannot be
 * re-initialised in a new interpreter, and this library stays mapped
 * (-z nodelete) so a later loadPlugin finds it running. */
void bareospy_glue_unload(const BareospyGlue* glue)
{
  if (!Py_IsInitialized()) return;
  PyThreadState* tstate = bareospy_glue_enter();
  glue->teardown();
  bareospy_glue_leave(tstate);
}
