/* What the shared core and the plugin glue use of CPython's C API that
 * CPython 2.7 lacks: the legacy flavour's 2.7 build (docs/legacy.md).
 *
 * On Python 3 every helper here is the Python 3 call itself (inline, no
 * cost); the PY_MAJOR_VERSION < 3 branches give 2.7 the same behaviour.
 * Included by the Cython modules (fd/packets.pxi) and by the glue
 * (embed/plugin/python3_common.h), after Python.h.
 */
#ifndef BAREOSPY_PYCOMPAT_H
#define BAREOSPY_PYCOMPAT_H

#include <Python.h>

/* The object a memoryview's buffer was taken from: CPython 3's managed
 * buffer (shared by a view and the views made from it), CPython 2.7's base
 * object. */
static inline void* bareospy_view_owner(PyObject* view)
{
#if PY_MAJOR_VERSION >= 3
  return ((PyMemoryViewObject*)view)->mbuf;
#else
  return ((PyMemoryViewObject*)view)->base;
#endif
}

#if PY_MAJOR_VERSION < 3

/* Python 3.3's PyUnicode_AsUTF8AndSize: the UTF-8 form of a unicode object,
 * owned by the object.  2.7 keeps one encoded form per unicode object (its
 * `defenc`, freed with it); it is set here to UTF-8 when still unset.  Only
 * non-ASCII text differs from what 2.7 would cache there (ASCII), and only
 * for implicit unicode -> str conversions of that same object. */
static inline const char* PyUnicode_AsUTF8AndSize(PyObject* text, Py_ssize_t* size)
{
  if (!PyUnicode_Check(text)) {
    PyErr_Format(PyExc_TypeError, "expected unicode, got %.200s", Py_TYPE(text)->tp_name);
    return NULL;
  }
  PyUnicodeObject* unicode = (PyUnicodeObject*)text;
  if (!unicode->defenc) {
    unicode->defenc = PyUnicode_AsUTF8String(text);
    if (!unicode->defenc) return NULL;
  }
  if (size) *size = PyString_GET_SIZE(unicode->defenc);
  return PyString_AS_STRING(unicode->defenc);
}

/* ... and PyUnicode_AsUTF8, which on 2.7 also takes a str (PyObject_Str's
 * result there). */
static inline const char* PyUnicode_AsUTF8(PyObject* text)
{
  return PyString_Check(text) ? PyString_AS_STRING(text) : PyUnicode_AsUTF8AndSize(text, NULL);
}

/* Python 3.4's PyGILState_Check: whether this thread holds the GIL (for
 * the glue: Cython's generated C brings its own). */
#ifndef CYTHON_ABI
static inline int PyGILState_Check(void)
{
  PyThreadState* mine = PyGILState_GetThisThreadState();
  return mine && mine == _PyThreadState_Current;
}
#endif

/* The main interpreter (3.8's PyInterpreterState_Main): 2.7 has only one. */
static inline PyInterpreterState* PyInterpreterState_Main(void)
{
  return PyInterpreterState_Head();
}

#endif /* PY_MAJOR_VERSION < 3 */

#endif
