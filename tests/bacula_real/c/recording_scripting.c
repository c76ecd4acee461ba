/* A recording stand-in for the scripting library libbareospy-bacula.so
 * (include/bareospy/bacula.h), for tests/bacula_real/test_bacula_scripting.py:
 * it lets the test drive bareospy-scripting-{dir,sd}.so inside the real
 * daemons before (and independently of) the Python scripting library.
 *
 * Every entry point call is appended to $RECORDING_LOG as one JSON line with
 * what the callbacks answered.  It behaves as the shape of DirStartUp.py the
 * spec describes: at NewVolume it names the volume "TestA-<NumVols + 1>"
 * after asking DoesVolumeExist, and it writes a job message at JobStart and
 * JobEnd.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bareospy/bacula.h"

struct BaculaScriptJob {
  void* job;
  long long id;
};

static const BaculaScriptingCallbacks* daemon_callbacks;
static int daemon_kind;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void record(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void record(const char* format, ...)
{
  const char* path = getenv("RECORDING_LOG");
  if (!path) return;
  pthread_mutex_lock(&lock);
  FILE* log = fopen(path, "a");
  if (log) {
    va_list args;
    va_start(args, format);
    vfprintf(log, format, args);
    va_end(args);
    fputc('\n', log);
    fclose(log);
  }
  pthread_mutex_unlock(&lock);
}

/* An attribute as JSON: a string, a number, or null when refused. */
static void attribute(void* job, BaculaAttribute which, char* out, size_t size)
{
  BaculaValue value;
  memset(&value, 0, sizeof value);
  if (daemon_callbacks->get_value(job, which, &value) != 0)
    snprintf(out, size, "null");
  else if (value.kind == BaculaValueString && value.string)
    snprintf(out, size, "\"%s\"", value.string);
  else if (value.kind == BaculaValueInteger)
    snprintf(out, size, "%lld", (long long)value.integer);
  else
    snprintf(out, size, "null");
}

static BaculaScriptingState start(const BaculaScriptingDaemon* daemon,
                                  const BaculaScriptingCallbacks* callbacks)
{
  daemon_callbacks = callbacks;
  daemon_kind = daemon->kind;
  record("{\"call\": \"start\", \"kind\": %d, \"name\": \"%s\", \"config\": \"%s\", "
         "\"working_dir\": \"%s\", \"scripts_dir\": \"%s\"}",
         daemon->kind, daemon->name, daemon->config_file, daemon->working_dir,
         daemon->scripts_dir);
  return BaculaScriptingEnabled;
}

static BaculaScriptJob* job_start(void* job)
{
  char id[64], status[64], name[512], level[64];
  attribute(job, BaculaAttrJobId, id, sizeof id);
  attribute(job, BaculaAttrJobStatus, status, sizeof status);
  attribute(job, BaculaAttrJobName, name, sizeof name);
  attribute(job, BaculaAttrLevel, level, sizeof level);
  record("{\"call\": \"job_start\", \"kind\": %d, \"JobId\": %s, \"JobStatus\": %s, "
         "\"JobName\": %s, \"Level\": %s}", daemon_kind, id, status, name, level);
  BaculaScriptJob* script_job = calloc(1, sizeof *script_job);
  script_job->job = job;
  script_job->id = atoll(id);
  char text[128];
  snprintf(text, sizeof text, "recording JobStart %lld\n", script_job->id);
  daemon_callbacks->message(job, BaculaMessageInfo, text);
  return script_job;
}

static void new_volume(BaculaScriptJob* script_job)
{
  char count[64];
  attribute(script_job->job, BaculaAttrNumVols, count, sizeof count);
  char name[64];
  snprintf(name, sizeof name, "TestA-%lld", atoll(count) + 1);
  int exists = daemon_callbacks->volume_exists(script_job->job, name);
  BaculaValue value;
  memset(&value, 0, sizeof value);
  value.kind = BaculaValueString;
  value.string = name;
  int refused = daemon_callbacks->set_value(script_job->job, BaculaAttrVolumeName, &value);
  BaculaValue priority;
  memset(&priority, 0, sizeof priority);
  priority.kind = BaculaValueInteger;
  priority.integer = 20;
  int priority_refused = daemon_callbacks->set_value(script_job->job, BaculaAttrPriority,
                                                     &priority);
  record("{\"call\": \"NewVolume\", \"JobId\": %lld, \"NumVols\": %s, \"name\": \"%s\", "
         "\"exists\": %d, \"set\": %d, \"priority_set\": %d}",
         script_job->id, count, name, exists, refused, priority_refused);
}

static void job_event(BaculaScriptJob* script_job, BaculaJobEvent event)
{
  if (!script_job) return;
  char status[64];
  attribute(script_job->job, BaculaAttrJobStatus, status, sizeof status);
  record("{\"call\": \"job_event\", \"JobId\": %lld, \"event\": %d, \"JobStatus\": %s}",
         script_job->id, (int)event, status);
  if (event == BaculaEventNewVolume) new_volume(script_job);
  if (event == BaculaEventJobInit) {
    long long started = daemon_callbacks->run_job(script_job->job, "run job=other yes");
    record("{\"call\": \"run\", \"JobId\": %lld, \"returned\": %lld}", script_job->id, started);
  }
}

static void job_end(BaculaScriptJob* script_job)
{
  if (!script_job) return;
  char status[64];
  attribute(script_job->job, BaculaAttrJobStatus, status, sizeof status);
  record("{\"call\": \"job_end\", \"kind\": %d, \"JobId\": %lld, \"JobStatus\": %s}",
         daemon_kind, script_job->id, status);
  char text[128];
  snprintf(text, sizeof text, "recording JobEnd %lld\n", script_job->id);
  daemon_callbacks->message(script_job->job, BaculaMessageInfo, text);
  free(script_job);
}

static void stop(void) { record("{\"call\": \"exit\", \"kind\": %d}", daemon_kind); }

static BaculaScriptingState restart(void) { return BaculaScriptingDisabled; }

static const BaculaScriptingEntryPoints entry_points = {
    .size = sizeof entry_points,
    .version = BACULA_SCRIPTING_VERSION,
    .start = start,
    .job_start = job_start,
    .job_event = job_event,
    .job_end = job_end,
    .exit = stop,
    .restart = restart,
};

const BaculaScriptingEntryPoints* bareospy_bacula_entry_points(void) { return &entry_points; }
