/* The legacy flavour's one step in C: see python_legacy.h. */
#include "python_legacy.h"

#include <dlfcn.h>
#include <stdio.h>

const char bareospy_legacy_usage[] =
    "python:module_name=<python-module-to-load>:module_path=<path-to-python-modules>"
    ":<key>=<value>:...\n"
    "  Runs plugin scripts written for the API before Bareos 20: every script\n"
    "  function and core callback takes `context`, constants come from\n"
    "  bareos_<daemon>_consts (python -m bareospy.port ports a script).\n";

/* The plugin lies in <package>/plugins/: that package is imported as
 * `bareospy` unless one is imported already (installed, it is the same). */
static const char bootstrap_source[] =
    "def bootstrap(plugin_file, daemon):\n"
    "    import importlib, os, sys\n"
    "    if 'bareospy' not in sys.modules:\n"
    "        package = os.path.dirname(os.path.dirname(os.path.realpath(plugin_file)))\n"
    "        if sys.version_info[0] < 3:\n"
    "            import imp\n"
    "            imp.load_module('bareospy', None, package, ('', '', imp.PKG_DIRECTORY))\n"
    "            return importlib.import_module('bareospy.legacy.' + daemon).install()\n"
    "        import importlib.util\n"
    "        spec = importlib.util.spec_from_file_location(\n"
    "            'bareospy', os.path.join(package, '__init__.py'),\n"
    "            submodule_search_locations=[package])\n"
    "        module = importlib.util.module_from_spec(spec)\n"
    "        sys.modules['bareospy'] = module\n"
    "        spec.loader.exec_module(module)\n"
    "    importlib.import_module('bareospy.legacy.' + daemon).install()\n";

bRC bareospy_legacy_install(const char* daemon, void* symbol)
{
  Dl_info info;
  if (!dladdr(symbol, &info) || !info.dli_fname) return bRC_Error;
  PyObject* globals = PyDict_New();
  if (!globals) goto error;
  if (PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) != 0) goto error;
  PyObject* ran = PyRun_String(bootstrap_source, Py_file_input, globals, globals);
  if (!ran) goto error;
  Py_DECREF(ran);
  PyObject* bootstrap = PyDict_GetItemString(globals, "bootstrap"); /* borrowed */
  PyObject* result = bootstrap ? PyObject_CallFunction(bootstrap, "ss", info.dli_fname, daemon)
                               : NULL;
  if (!result) goto error;
  Py_DECREF(result);
  Py_DECREF(globals);
  return bRC_OK;
error:
  if (PyErr_Occurred()) PyErr_Print();
  Py_XDECREF(globals);
  return bRC_Error;
}
