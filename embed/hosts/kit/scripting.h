/* kit/scripting.h -- what the reference daemons share to embed Bacula-style
 * Python scripting (include/bareospy/bacula.h): finding and loading
 * libbareospy-bacula.so.  Each daemon keeps its own callbacks (the Job
 * attributes it answers) in its own scripting.c.
 */
#ifndef BAREOSPY_KIT_SCRIPTING_H
#define BAREOSPY_KIT_SCRIPTING_H

#include "bareospy/bacula.h"

/* The library's entry points, loaded once: $BAREOSPY_BACULA_LIBRARY, else
 * ../plugins/libbareospy-bacula.so next to the executable.  NULL with
 * *error (malloc'ed) if it cannot be loaded. */
const BaculaScriptingEntryPoints* kit_scripting_load(char** error);

/* A message text without its trailing newlines (the daemons' logs add
 * their own), malloc'ed. */
char* kit_scripting_line(const char* text);

/* The scripting handle of each job in flight, keyed by the daemon's job
 * pointer (thread-safe): remember one, find it, and (with `forget`) drop it. */
void kit_scripting_attach(const void* job, BaculaScriptJob* handle);
BaculaScriptJob* kit_scripting_handle(const void* job, int forget);

#endif
