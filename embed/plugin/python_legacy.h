/* The legacy flavour of the daemon plugins (python-fd.so, python-sd.so,
 * python-dir.so): installing the Python side of the API before Bareos 20
 * (bareospy/legacy/).
 */
#ifndef BAREOSPY_PYTHON_LEGACY_H
#define BAREOSPY_PYTHON_LEGACY_H

#include "python3_common.h"

/* With the GIL held: make the package this plugin was installed with
 * importable (an in-place build is not on sys.path), then call
 * bareospy.legacy.<daemon>.install().  ``symbol`` is any function of the
 * plugin library (to find where it lies).  Reports its own errors on stderr
 * of the Python side; returns bRC_Error on failure. */
bRC bareospy_legacy_install(const char* daemon, void* symbol);

/* The plugin_usage text of the legacy plugins. */
extern const char bareospy_legacy_usage[];

#endif
