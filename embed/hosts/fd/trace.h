/* trace.h -- --trace: one line on stderr per call into a plugin, with the
 * key fields of its arguments and its result, and the change-check
 * decisions of the core. */
#ifndef BAREOSPY_HOST_TRACE_H
#define BAREOSPY_HOST_TRACE_H

#include <stdbool.h>

#include "bareospy/fd.h"

struct Job;
struct Instance;

/* "<name>" of a constant, or "<number>" when it has no name (a static or
 * the caller's buffer, which needs 24 bytes). */
const char* trace_event_name(int event, char buffer[24]);
const char* trace_type_name(int type, char buffer[24]);
const char* trace_rc_name(int rc, char buffer[24]);

/* "trace [job id] <text>" on stderr when --trace is on. */
void trace_line(const struct Job* job, const char* format, ...) __attribute__((format(printf, 2, 3)));

/* The plugin calls (no-ops unless --trace). */
void trace_event(const struct Instance* instance, int event, bRC rc);
void trace_start_backup_file(const struct Job* job, const save_pkt* sp, bRC rc);
void trace_io(const struct Job* job, const io_pkt* io, bRC rc);
void trace_simple(const struct Job* job, const char* function, const char* argument, bRC rc);
void trace_create_file(const struct Job* job, const restore_pkt* rp, bRC rc);

#endif
