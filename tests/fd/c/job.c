/* job.c -- jobs and plugin instances: what the driver's core knows about a
 * job (type, level, status, counts, the files seen) and about each instance
 * (registered events, the check-changes flag). */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

static pthread_mutex_t instances_lock = PTHREAD_MUTEX_INITIALIZER;
static int live_instances;

/* newPlugin adds an instance, freePlugin removes it (getInstanceCount). */
void live_instances_add(int delta)
{
  pthread_mutex_lock(&instances_lock);
  live_instances += delta;
  pthread_mutex_unlock(&instances_lock);
}

int live_instances_count(void)
{
  pthread_mutex_lock(&instances_lock);
  int count = live_instances;
  pthread_mutex_unlock(&instances_lock);
  return count;
}

void job_init(Job* job, char type, int jobid)
{
  memset(job, 0, sizeof *job);
  pthread_mutex_init(&job->lock, NULL);
  job->type = type;
  job->level = opt.level;
  job->since = opt.since;
  job->jobid = jobid;
  job->status = JS_Running;
}

void job_free(Job* job)
{
  for (size_t i = 0; i < job->nseen; i++) free(job->seen[i]);
  free(job->seen);
  pthread_mutex_destroy(&job->lock);
}

bool job_canceled(Job* job)
{
  pthread_mutex_lock(&job->lock);
  bool canceled = job->canceled;
  pthread_mutex_unlock(&job->lock);
  return canceled;
}

void job_cancel(Job* job)
{
  pthread_mutex_lock(&job->lock);
  job->canceled = true;
  job->status = JS_Canceled;
  pthread_mutex_unlock(&job->lock);
}

/* What a message of this type does to the job's status. */
void job_count_message(Job* job, int type)
{
  if (!job) return;
  pthread_mutex_lock(&job->lock);
  if (type == M_FATAL || type == M_ABORT || type == M_ERROR_TERM)
    job->fatal++;
  else if (type == M_ERROR || type == M_NOTSAVED)
    job->errors++;
  pthread_mutex_unlock(&job->lock);
}

void job_mark_seen(Job* job, const char* fname)
{
  if (!job || !fname) return;
  pthread_mutex_lock(&job->lock);
  if (job->nseen == job->capseen) {
    job->capseen = job->capseen ? 2 * job->capseen : 16;
    job->seen = xrealloc(job->seen, job->capseen * sizeof *job->seen);
  }
  job->seen[job->nseen++] = xstrdup(fname);
  pthread_mutex_unlock(&job->lock);
}

bool job_was_seen(Job* job, const char* fname)
{
  bool found = false;
  pthread_mutex_lock(&job->lock);
  for (size_t i = 0; i < job->nseen && !found; i++) found = strcmp(job->seen[i], fname) == 0;
  pthread_mutex_unlock(&job->lock);
  return found;
}

/* A message of the driver's own core (not a plugin callback). */
void job_message(Job* job, int type, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char* text = xvasprintf(fmt, ap);
  va_end(ap);
  Json j;
  j_begin(&j);
  j_str(&j, "job", "message");
  j_int(&j, "type", type);
  j_str(&j, "text", text);
  j_int(&j, "thread", thread_label());
  j_end(&j);
  free(text);
  job_count_message(job, type);
}

static const char* job_status_text(Job* job)
{
  if (job->canceled) return "Canceled";
  if (job->fatal) return "Fatal";
  if (job->errors) return "Error";
  return "OK";
}

void print_job_end(Job* job, const char* what)
{
  Json j;
  j_begin(&j);
  j_str(&j, "job", "end");
  j_str(&j, "kind", what);
  j_str(&j, "status", job_status_text(job));
  j_int(&j, "fatal", job->fatal);
  j_int(&j, "errors", job->errors);
  j_int(&j, "files", job->files);
  j_int(&j, "bytes", job->bytes);
  j_end(&j);
}

void instance_init(Instance* inst, Job* job, uint32_t number)
{
  memset(inst, 0, sizeof *inst);
  inst->ctx.instance = number;
  inst->ctx.plugin = &plugin_record;
  inst->ctx.core_private_context = inst;
  inst->ctx.plugin_private_context = NULL;
  inst->job = job;
  inst->check_changes = true;
}

Instance* instance_of(PluginContext* ctx)
{
  return ctx ? (Instance*)ctx->core_private_context : NULL;
}

Job* job_of(PluginContext* ctx)
{
  Instance* inst = instance_of(ctx);
  return inst ? inst->job : NULL;
}

bool is_registered(Instance* inst, uint32_t event)
{
  return event < 64 && (inst->events & ((uint64_t)1 << event)) != 0;
}

/* Files and bytes the job has moved. */
void job_add(Job* job, long files, long long bytes)
{
  pthread_mutex_lock(&job->lock);
  job->files += files;
  job->bytes += bytes;
  pthread_mutex_unlock(&job->lock);
}

/* A job and its one instance (number 0): newPlugin. */
void job_open(Job* job, Instance* inst, char type, int jobid)
{
  job_init(job, type, jobid);
  instance_init(inst, job, 0);
  call_new_plugin(inst);
}

/* freePlugin, the job's end line, and the job's memory freed. */
void job_close(Job* job, Instance* inst, const char* kind)
{
  call_free_plugin(inst);
  print_job_end(job, kind);
  job_free(job);
}
