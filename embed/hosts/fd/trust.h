/* trust.h -- which plugin code a restore may load.
 *
 * Every archive entry carries the plugin definition it was saved with, and
 * python3-fd imports the script named by its module_name from the directory
 * named by its module_path.  At restore that definition comes from the
 * archive, so an archive could choose the code that runs.  A restore loads
 * code only from places the operator named: the plugin directory, or a
 * module_path given with --plugin-options (python3-fd keeps a module_path
 * stored by bEventNewPluginOptions over one in a later definition); an
 * archive naming another module_path is refused unless the operator gave
 * --trust-archive-plugin-paths.
 */
#ifndef BAREOSPY_HOST_TRUST_H
#define BAREOSPY_HOST_TRUST_H

#include "host.h"

/* The value of the module_path key of definition (parsed as python3-fd
 * parses it: keys case-insensitive, a value ends at a ':' not preceded by a
 * backslash, backslashes escape), malloc'ed; NULL if it has none. */
char* definition_module_path(const char* definition);

/* NULL if a restore may hand definition (from the archive) to a plugin;
 * otherwise why not (malloc'ed). */
char* archive_definition_refusal(const JobOptions* options, const char* definition);

#endif
