/* report.c -- the end-of-job report (stdout) and the progress line (stderr,
 * only on a terminal). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "kit/jsonl.h"

static const char* type_label(const Job* job)
{
  switch (job->kind) {
    case JOB_BACKUP: return "Backup";
    case JOB_RESTORE: return "Restore";
    case JOB_ESTIMATE: return "Estimate";
  }
  return "?";
}

static const char* message_label(int type)
{
  switch (type) {
    case M_ABORT: return "abort";
    case M_DEBUG: return "debug";
    case M_FATAL: return "fatal";
    case M_ERROR: return "error";
    case M_WARNING: return "warning";
    case M_INFO: return "info";
    case M_SAVED: return "saved";
    case M_NOTSAVED: return "not saved";
    case M_SKIPPED: return "skipped";
    case M_MOUNT: return "mount";
    case M_ERROR_TERM: return "error, terminate";
    case M_TERM: return "terminate";
    case M_RESTORED: return "restored";
    case M_SECURITY: return "security";
    case M_ALERT: return "alert";
    case M_VOLMGMT: return "volume management";
    case M_AUDIT: return "audit";
    case M_CONFIG_ERROR: return "config error";
    default: return "?";
  }
}

static void print_bytes(FILE* out, uint64_t bytes)
{
  fprintf(out, "%llu", (unsigned long long)bytes);
  if (bytes >= 1000000) fprintf(out, " (%.1f MB)", (double)bytes / 1e6);
  else if (bytes >= 1000) fprintf(out, " (%.1f kB)", (double)bytes / 1e3);
}

/* The report as one JSON object on one line, with the fields of the text
 * report (--report json).  With job->lock held. */
static void json_report(Job* job, double elapsed, const char* start, const char* end, Buffer* out)
{
  Json j;
  j_begin(&j);
  j_str(&j, "job", job->name);
  j_uint(&j, "job_id", job->id);
  j_str(&j, "type", type_label(job));
  j_str(&j, "level", job->kind == JOB_RESTORE ? "-" : job_level_name(job->level));
  if (job->kind == JOB_RESTORE || (job->kind == JOB_BACKUP && job->options->archive))
    j_str(&j, "archive", job->options->archive);
  if (job->kind == JOB_RESTORE) j_str(&j, "where", job->where ? job->where : "");
  if (job->previous_job_name)
    j_str(&j, job->kind == JOB_RESTORE ? "backup_job" : "previous_job", job->previous_job_name);
  if (job->since) {
    char since[32];
    format_time(job->since, since);
    j_str(&j, "since", since);
  }
  j_bool(&j, "accurate", job->accurate);
  j_str(&j, "start_time", start);
  j_str(&j, "end_time", end);
  j_double(&j, "elapsed_seconds", elapsed);
  j_uint(&j, "files", job->files);
  j_uint(&j, "bytes", job->bytes);
  j_double(&j, "rate_mb_per_second", elapsed > 0 ? (double)job->bytes / 1e6 / elapsed : 0.0);
  if (job->kind == JOB_BACKUP || job->kind == JOB_ESTIMATE) j_uint(&j, "unchanged", job->unchanged);
  if (job->kind == JOB_BACKUP) {
    j_uint(&j, "deleted", job->deleted);
    j_uint(&j, "restore_objects", job->objects);
  }
  j_uint(&j, "errors", job->errors);
  j_uint(&j, "warnings", job->warnings);
  j_str(&j, "status", job_status_text(job));
  if (job->fileset_log.length) j_str(&j, "fileset_calls", job->fileset_log.data);
  j_key(&j, "messages");
  j_rawz(&j, "[");
  for (JobMessage* message = job->messages; message; message = message->next) {
    j_rawz(&j, message == job->messages ? "{\"type\":" : ",{\"type\":");
    const char* label = message_label(message->type);
    j_string(&j, label, strlen(label));
    j_rawz(&j, ",\"text\":");
    j_string(&j, message->text, strlen(message->text));
    j_rawz(&j, "}");
  }
  j_rawz(&j, "]}\n");
  buffer_append(out, j.text.data, j.text.length);
  j_discard(&j);
}

/* Write a composed report to stdout or --report-file (appended). */
static void emit_report(const char* text, size_t size)
{
  pthread_mutex_lock(&output_lock);
  progress_clear();
  FILE* out = stdout;
  if (host.report_file && !(out = fopen(host.report_file, "a"))) {
    fprintf(stderr, HOST_NAME ": cannot open --report-file %s: %s\n", host.report_file, strerror(errno));
    out = stdout;
  }
  fwrite(text, 1, size, out);
  if (out != stdout) fclose(out);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
}

void job_report(Job* job)
{
  double elapsed = monotonic_seconds() - job->start_clock;
  char start[32], end[32];
  format_time(job->start_time, start);
  format_time(job->end_time ? job->end_time : time(NULL), end);
  if (host.report_json) {
    Buffer json;
    buffer_init(&json);
    pthread_mutex_lock(&job->lock);
    json_report(job, elapsed, start, end, &json);
    pthread_mutex_unlock(&job->lock);
    emit_report(json.data, json.length);
    buffer_free(&json);
    return;
  }
  /* The report is composed in memory and written whole: stdout may be
   * unbuffered (the embedded interpreter makes it so), and a message of
   * megabytes must not cost one write() per byte. */
  char* text = NULL;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  if (!out) out = stdout;
  pthread_mutex_lock(&job->lock); /* a stuck job may still add messages (report_stuck_jobs) */
  fprintf(out, "Job %s\n", job->name);
  fprintf(out, "  Job id:          %u\n", job->id);
  fprintf(out, "  Type:            %s\n", type_label(job));
  fprintf(out, "  Level:           %s\n", job->kind == JOB_RESTORE ? "-" : job_level_name(job->level));
  if (job->kind == JOB_BACKUP && job->options->archive)
    fprintf(out, "  Archive:         %s\n", job->options->archive);
  if (job->kind == JOB_RESTORE) {
    fprintf(out, "  Archive:         %s\n", job->options->archive);
    fprintf(out, "  Where:           %s\n", job->where ? job->where : "");
  }
  if (job->previous_job_name)
    fprintf(out, "  %s %s\n", job->kind == JOB_RESTORE ? "Backup job:     " : "Previous job:   ",
            job->previous_job_name);
  if (job->since) {
    char since[32];
    format_time(job->since, since);
    fprintf(out, "  Since:           %s\n", since);
  }
  fprintf(out, "  Accurate:        %s\n", job->accurate ? "yes" : "no");
  fprintf(out, "  Start time:      %s\n", start);
  fprintf(out, "  End time:        %s\n", end);
  fprintf(out, "  Elapsed:         %.3f s\n", elapsed);
  fprintf(out, "  Files:           %llu\n", (unsigned long long)job->files);
  fprintf(out, "  Bytes:           ");
  print_bytes(out, job->bytes);
  fputc('\n', out);
  fprintf(out, "  Rate:            %.1f MB/s\n", elapsed > 0 ? (double)job->bytes / 1e6 / elapsed : 0.0);
  if (job->kind == JOB_BACKUP || job->kind == JOB_ESTIMATE)
    fprintf(out, "  Unchanged:       %llu\n", (unsigned long long)job->unchanged);
  if (job->kind == JOB_BACKUP) {
    fprintf(out, "  Deleted:         %llu\n", (unsigned long long)job->deleted);
    fprintf(out, "  Restore objects: %llu\n", (unsigned long long)job->objects);
  }
  fprintf(out, "  Errors:          %llu\n", (unsigned long long)job->errors);
  fprintf(out, "  Warnings:        %llu\n", (unsigned long long)job->warnings);
  fprintf(out, "  Status:          %s\n", job_status_text(job));
  if (job->fileset_log.length) {
    fprintf(out, "  FileSet calls (recorded; only AddExclude is applied, by AcceptFile):\n");
    fputs(job->fileset_log.data, out);
  }
  int count = 0;
  for (JobMessage* message = job->messages; message; message = message->next) count++;
  fprintf(out, "  Messages:        %d\n", count);
  for (JobMessage* message = job->messages; message; message = message->next) {
    fprintf(out, "    [%s] ", message_label(message->type));
    /* Multi-line messages (tracebacks) keep their lines, indented. */
    const char* p = message->text;
    for (;;) {
      const char* newline = strchr(p, '\n');
      size_t length = newline ? (size_t)(newline - p + 1) : strlen(p);
      fwrite(p, 1, length, out);
      if (!newline) break;
      fputs("      ", out);
      p = newline + 1;
    }
    fputc('\n', out);
  }
  pthread_mutex_unlock(&job->lock);
  if (out != stdout) {
    fclose(out);
    emit_report(text, size);
    free(text);
  } else {
    fflush(stdout);
  }
}

/* -- progress ------------------------------------------------------------------------ */

static double last_progress_print = 0;
static bool progress_shown = false;

/* With output_lock held. */
void progress_clear(void)
{
  if (!progress_shown) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  progress_shown = false;
}

void job_progress(Job* job, bool force)
{
  if (!host.progress) return;
  double now = monotonic_seconds();
  if (!force && now - last_progress_print < 0.5) return;
  pthread_mutex_lock(&output_lock);
  if (force || now - last_progress_print >= 0.5) {
    last_progress_print = now;
    double elapsed = now - job->start_clock;
    char line[200];
    int length = snprintf(line, sizeof line, "%s: %llu files, %.1f MB, %.1f MB/s", job->name,
                          (unsigned long long)job->files, (double)job->bytes / 1e6,
                          elapsed > 0 ? (double)job->bytes / 1e6 / elapsed : 0.0);
    if (job->current_file && length > 0 && (size_t)length < sizeof line - 8) {
      Buffer name;
      buffer_init(&name);
      escape_name(&name, job->current_file);
      size_t room = sizeof line - (size_t)length - 4;
      const char* shown = name.data ? name.data : "";
      size_t shown_length = strlen(shown);
      if (shown_length > room) shown += shown_length - room;
      snprintf(line + length, sizeof line - (size_t)length, " %s", shown);
      buffer_free(&name);
    }
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    progress_shown = true;
  }
  pthread_mutex_unlock(&output_lock);
}
