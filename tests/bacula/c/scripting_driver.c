/*
 * scripting_driver.c -- a small C daemon that embeds libbareospy-bacula.so
 * through include/bareospy/bacula.h only (dlopen + one dlsym), the test
 * oracle of the embedding ABI.  Every callback the library makes is printed
 * as one line on stdout:
 *
 *   message <jobid|-> <info|warning|error|debug> <text, newlines as \n>
 *   set <jobid> <attribute number> <value>
 *   run <jobid> <command>        cancel <jobid> <target>      exists <jobid> <name>
 *
 * Usage: scripting_driver LIBRARY dir|fd|sd SCRIPTS_DIR SCENARIO
 * Scenarios: backup (JobStart, JobInit [job.run() -> a second job, created
 * synchronously inside the callback], JobRun, NewVolume x2, VolumePurged,
 * JobEnd, Exit), threads (two jobs in two threads at once), restart (a job
 * in flight across bareospy_bacula_restart()).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bareospy/bacula.h"

typedef struct DriverJob {
  long long id;
  char level, type, status;
  int priority;
  int num_vols;
  char name[64];
  char volume[128];
} DriverJob;

static const BaculaScriptingEntryPoints* api;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static long long next_job_id = 100;

static const BaculaCatalogResource catalog = {"bacula", NULL, "bacula-user", "secret", NULL,
                                              0, "SQLite3"};

static void print_line(const char* format, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void print_line(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  pthread_mutex_lock(&print_lock);
  vprintf(format, args);
  fflush(stdout);
  pthread_mutex_unlock(&print_lock);
  va_end(args);
}

static int get_value(void* handle, BaculaAttribute attribute, BaculaValue* value)
{
  DriverJob* job = handle;
  switch (attribute) {
    case BaculaAttrJobId: value->kind = BaculaValueInteger; value->integer = job->id; return 0;
    case BaculaAttrJob: value->kind = BaculaValueString; value->string = job->name; return 0;
    case BaculaAttrJobName: value->kind = BaculaValueString; value->string = job->name; return 0;
    case BaculaAttrLevel: value->kind = BaculaValueInteger; value->integer = job->level; return 0;
    case BaculaAttrType: value->kind = BaculaValueInteger; value->integer = job->type; return 0;
    case BaculaAttrJobStatus: value->kind = BaculaValueInteger; value->integer = job->status; return 0;
    case BaculaAttrPriority: value->kind = BaculaValueInteger; value->integer = job->priority; return 0;
    case BaculaAttrNumVols: value->kind = BaculaValueInteger; value->integer = job->num_vols; return 0;
    case BaculaAttrVolumeName: value->kind = BaculaValueString; value->string = job->volume; return 0;
    case BaculaAttrCatalogRes: value->kind = BaculaValueCatalog; value->catalog = &catalog; return 0;
    case BaculaAttrClient: case BaculaAttrFDName: case BaculaAttrSDName:
      value->kind = BaculaValueString; value->string = "driver-client"; return 0;
    case BaculaAttrPool:
      value->string = "Pool record not found."; return 1;
    default:
      value->kind = BaculaValueNone; return 0;
  }
}

static int set_value(void* handle, BaculaAttribute attribute, const BaculaValue* value)
{
  DriverJob* job = handle;
  if (value->kind == BaculaValueString) {
    print_line("set %lld %d %s\n", job->id, (int)attribute, value->string);
    if (attribute == BaculaAttrVolumeName) snprintf(job->volume, sizeof job->volume, "%s", value->string);
  } else {
    print_line("set %lld %d %lld\n", job->id, (int)attribute, (long long)value->integer);
    if (attribute == BaculaAttrPriority) job->priority = (int)value->integer;
    if (attribute == BaculaAttrJobLevel) job->level = (char)value->integer;
  }
  return 0;
}

static void run_one_job(DriverJob* job, int nested);

static int64_t run_job(void* handle, const char* command)
{
  DriverJob* caller = handle;
  print_line("run %lld %s\n", caller->id, command);
  DriverJob* job = calloc(1, sizeof *job);
  job->id = __atomic_add_fetch(&next_job_id, 1, __ATOMIC_SEQ_CST);
  snprintf(job->name, sizeof job->name, "second");
  job->level = 'F';
  job->type = 'B';
  job->status = 'C';
  run_one_job(job, 1); /* its JobStart and JobInit happen now, on this thread */
  return job->id;
}

static int cancel_job(void* handle, int64_t target)
{
  print_line("cancel %lld %lld\n", ((DriverJob*)handle)->id, (long long)target);
  return target == 42 ? 0 : 1;
}

static int volume_exists(void* handle, const char* name)
{
  print_line("exists %lld %s\n", ((DriverJob*)handle)->id, name);
  return strcmp(name, "TestA-1") == 0;
}

static void message(void* handle, BaculaMessageType type, const char* text)
{
  static const char* names[] = {"?", "info", "warning", "error", "debug"};
  char escaped[4096];
  size_t out = 0;
  for (const char* p = text; *p && out + 3 < sizeof escaped; p++) {
    if (*p == '\n') {
      escaped[out++] = '\\';
      escaped[out++] = 'n';
    } else {
      escaped[out++] = *p;
    }
  }
  escaped[out] = '\0';
  if (handle)
    print_line("message %lld %s %s\n", ((DriverJob*)handle)->id, names[type], escaped);
  else
    print_line("message - %s %s\n", names[type], escaped);
}

static const BaculaScriptingCallbacks callbacks = {
    .size = sizeof(BaculaScriptingCallbacks), .version = BACULA_SCRIPTING_VERSION,
    .get_value = get_value, .set_value = set_value, .run_job = run_job,
    .cancel_job = cancel_job, .volume_exists = volume_exists, .message = message,
};

/* Nested jobs (started by job.run()) stop after JobInit and end later. */
static DriverJob* nested_jobs[8];
static BaculaScriptJob* nested_handles[8];
static int nested_count;

static void run_one_job(DriverJob* job, int nested)
{
  BaculaScriptJob* handle = api->job_start(job);
  api->job_event(handle, BaculaEventJobInit);
  if (nested) {
    nested_jobs[nested_count] = job;
    nested_handles[nested_count++] = handle;
    return;
  }
  job->status = 'R';
  api->job_event(handle, BaculaEventJobRun);
  job->num_vols = 0;
  api->job_event(handle, BaculaEventNewVolume);
  job->num_vols = 1;
  job->volume[0] = '\0';
  api->job_event(handle, BaculaEventNewVolume);
  api->job_event(handle, BaculaEventVolumePurged);
  job->status = 'T';
  api->job_end(handle);
}

static DriverJob* new_job(long long id)
{
  DriverJob* job = calloc(1, sizeof *job);
  job->id = id;
  snprintf(job->name, sizeof job->name, "job%lld", id);
  job->level = 'F';
  job->type = 'B';
  job->status = 'C';
  job->priority = 10;
  return job;
}

static void* thread_main(void* argument)
{
  DriverJob* job = argument;
  BaculaScriptJob* handle = api->job_start(job);
  for (int i = 0; i < 200; i++) api->job_event(handle, BaculaEventJobRun);
  api->job_end(handle);
  return NULL;
}

int main(int argc, char** argv)
{
  if (argc != 5) {
    fprintf(stderr, "usage: %s LIBRARY dir|fd|sd SCRIPTS_DIR SCENARIO\n", argv[0]);
    return 2;
  }
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 2;
  }
  const BaculaScriptingEntryPoints* (*entry)(void) =
      (const BaculaScriptingEntryPoints* (*)(void))dlsym(library, "bareospy_bacula_entry_points");
  if (!entry) return 2;
  api = entry();
  int kind = strcmp(argv[2], "fd") == 0 ? BaculaDaemonFile
             : strcmp(argv[2], "sd") == 0 ? BaculaDaemonStorage : BaculaDaemonDirector;
  BaculaScriptingDaemon daemon = {
      .size = sizeof daemon, .version = BACULA_SCRIPTING_VERSION, .kind = kind,
      .name = "driver-dir", .daemon_version = "1.0 06 December 2026",
      .config_file = "/etc/driver.conf", .working_dir = "/tmp", .scripts_dir = argv[3],
  };
  print_line("start %d\n", (int)api->start(&daemon, &callbacks));
  const char* scenario = argv[4];
  if (strcmp(scenario, "backup") == 0) {
    DriverJob* job = new_job(1);
    run_one_job(job, 0);
    for (int i = 0; i < nested_count; i++) {
      api->job_end(nested_handles[i]);
      free(nested_jobs[i]);
    }
    free(job);
  } else if (strcmp(scenario, "threads") == 0) {
    DriverJob* jobs[2] = {new_job(11), new_job(12)};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, thread_main, jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    free(jobs[0]);
    free(jobs[1]);
  } else if (strcmp(scenario, "restart") == 0) {
    DriverJob* job = new_job(5);
    BaculaScriptJob* handle = api->job_start(job);
    print_line("restart %d\n", (int)api->restart());
    api->job_event(handle, BaculaEventJobRun);
    api->job_end(handle);
    DriverJob* after = new_job(6);
    api->job_end(api->job_start(after));
    free(job);
    free(after);
  }
  api->exit();
  print_line("done\n");
  return 0;
}
