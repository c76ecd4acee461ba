/* kit/scripting.h -- what the reference daemons share to embed Bacula-style
 * Python scripting (include/bareospy/bacula.h): finding and loading
 * libbareospy-bacula.so, starting it, and the pieces their callbacks have in
 * common.  Each daemon keeps its own callbacks (the Job attributes it
 * answers) in its own scripting.c.
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

/* Load the library and start scripting for `daemon`.  NULL if the library
 * cannot be loaded (reported on stderr as "<name>: ERROR: ... Python
 * disabled.") or its start fails fatally. */
const BaculaScriptingEntryPoints* kit_scripting_start(const char* name,
                                                      const BaculaScriptingDaemon* daemon,
                                                      const BaculaScriptingCallbacks* callbacks);

/* A job's start and end with `api` (NULL: scripting is off): the handle
 * job_start gives is attached to `job`, and job_end is given it (forgotten). */
void kit_scripting_job_start(const BaculaScriptingEntryPoints* api, void* job);
void kit_scripting_job_end(const BaculaScriptingEntryPoints* api, void* job);

/* get_value answers: a string or an integer (return 0, as get_value does). */
int kit_scripting_text(BaculaValue* value, const char* string);
int kit_scripting_number(BaculaValue* value, int64_t integer);

/* A set_value for daemons whose Job attributes are all read-only: refuses
 * every one (returns 1). */
int kit_scripting_read_only(void* job, BaculaAttribute attribute, const BaculaValue* value);

/* The job message type (M_ERROR, M_WARNING, M_INFO) of a script's message
 * that is not a debug message. */
int kit_scripting_message_type(BaculaMessageType type);

#endif
