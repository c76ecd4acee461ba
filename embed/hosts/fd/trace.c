/* trace.c -- --trace output (see trace.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "trace.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>

#include "core.h"
#include "kit/names.h"

static const char* name_or_number(const char* name, int value, char buffer[24])
{
  if (name) return name;
  snprintf(buffer, 24, "%d", value);
  return buffer;
}

const char* trace_event_name(int event, char buffer[24])
{
  return name_or_number(fd_event_name(event), event, buffer);
}

const char* trace_type_name(int type, char buffer[24])
{
  return name_or_number(file_type_constant_name(type), type, buffer);
}

const char* trace_rc_name(int rc, char buffer[24])
{
  return name_or_number(return_code_name(rc), rc, buffer);
}

void trace_line(const Job* job, const char* format, ...)
{
  if (!host.trace) return;
  va_list args;
  va_start(args, format);
  pthread_mutex_lock(&output_lock);
  progress_clear();
  fprintf(stderr, "trace [%u] ", job ? job->id : 0u);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  fflush(stderr);
  pthread_mutex_unlock(&output_lock);
  va_end(args);
}

void trace_event(const Instance* instance, int event, bRC rc)
{
  if (!host.trace) return;
  char event_buffer[24], rc_buffer[24];
  trace_line(instance->job, "%s: handle_plugin_event(%s) -> %s", instance->plugin->plugin.file,
             trace_event_name(event, event_buffer), trace_rc_name(rc, rc_buffer));
}

void trace_start_backup_file(const Job* job, const save_pkt* sp, bRC rc)
{
  if (!host.trace) return;
  char rc_buffer[24], type_buffer[24];
  const char* rc_name = trace_rc_name(rc, rc_buffer);
  if (rc != bRC_OK) {
    trace_line(job, "start_backup_file -> %s", rc_name);
    return;
  }
  trace_line(job, "start_backup_file -> %s fname=%s type=%s%s%s", rc_name,
             sp->fname ? sp->fname : "(none)", trace_type_name(sp->type, type_buffer),
             sp->no_read ? " no_read" : "", sp->object_name ? " object" : "");
}

/* "O_RDONLY", "O_WRONLY|O_CREAT|O_TRUNC", ... */
static void open_flags_text(int flags, char* out, size_t size)
{
  int access = flags & O_ACCMODE;
  snprintf(out, size, "%s%s%s%s", access == O_RDONLY ? "O_RDONLY" : access == O_WRONLY ? "O_WRONLY" : "O_RDWR",
           flags & O_CREAT ? "|O_CREAT" : "", flags & O_TRUNC ? "|O_TRUNC" : "",
           flags & O_NOATIME ? "|O_NOATIME" : "");
}

void trace_io(const Job* job, const io_pkt* io, bRC rc)
{
  if (!host.trace) return;
  char rc_buffer[24], function_buffer[24];
  const char* function = name_or_number(io_function_name(io->func), io->func, function_buffer);
  const char* rc_name = trace_rc_name(rc, rc_buffer);
  if (io->func == IO_OPEN) {
    char flags[64];
    open_flags_text(io->flags, flags, sizeof flags);
    trace_line(job, "plugin_io(IO_OPEN, fname=%s, flags=%s) -> %s status %d%s%s",
               io->fname ? io->fname : "(none)", flags, rc_name, io->status,
               io->status == iostat_do_in_core ? " (do_in_core)" : "",
               rc == bRC_Error ? " (no plugin_io, or it failed)" : "");
  } else if (io->func == IO_READ || io->func == IO_WRITE) {
    trace_line(job, "plugin_io(%s, count=%d) -> %s status %d", function, io->count, rc_name, io->status);
  } else {
    trace_line(job, "plugin_io(%s) -> %s status %d", function, rc_name, io->status);
  }
}

void trace_simple(const Job* job, const char* function, const char* argument, bRC rc)
{
  if (!host.trace) return;
  char rc_buffer[24];
  trace_line(job, "%s(%s) -> %s", function, argument ? argument : "", trace_rc_name(rc, rc_buffer));
}

static const char* create_status_name(int status)
{
  switch (status) {
    case CF_SKIP: return "CF_SKIP";
    case CF_ERROR: return "CF_ERROR";
    case CF_EXTRACT: return "CF_EXTRACT";
    case CF_CREATED: return "CF_CREATED";
    case CF_CORE: return "CF_CORE";
    default: return "?";
  }
}

void trace_create_file(const Job* job, const restore_pkt* rp, bRC rc)
{
  if (!host.trace) return;
  char rc_buffer[24], type_buffer[24];
  trace_line(job, "create_file(ofname=%s, type=%s) -> %s create_status=%s", rp->ofname ? rp->ofname : "",
             trace_type_name(rp->type, type_buffer), trace_rc_name(rc, rc_buffer),
             create_status_name(rp->create_status));
}
