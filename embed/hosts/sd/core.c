/* core.c -- what bareospy-sd offers plugins (SdCoreFunctions, spec §1.7),
 * plugin instances per job (§1.8), event dispatch (§1.5, §7.14), job
 * messages and the job report. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sd.h"
#include "scripting.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;

/* Running jobs, for getInstanceCount.  A job's instance list changes only
 * in its own thread, under jobs_lock; other threads read it under the lock. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t last_job_id = 0;
static Job** running_jobs = NULL;
static int n_running_jobs = 0;

static const char* const EVENT_NAMES[SD_NR_EVENTS + 1] = {
    "?",           "JobStart",       "JobEnd",        "DeviceInit",
    "DeviceMount", "VolumeLoad",     "DeviceReserve", "DeviceOpen",
    "LabelRead",   "LabelVerified",  "LabelWrite",    "DeviceClose",
    "VolumeUnload", "DeviceUnmount", "ReadError",     "WriteError",
    "DriveStatus", "VolumeStatus",   "SetupRecordTranslation",
    "ReadRecordTranslation", "WriteRecordTranslation", "DeviceRelease",
    "NewPluginOptions", "ChangerLock", "ChangerUnlock"};

const char* event_name(int event)
{
  return event >= 1 && event <= SD_NR_EVENTS ? EVENT_NAMES[event] : "?";
}

void sd_debug(int level, const char* format, ...)
{
  if (level > sd.debug_level) return;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  pthread_mutex_lock(&output_lock);
  fprintf(stderr, SD_NAME ": debug: %s%s", text,
          text[0] && text[strlen(text) - 1] == '\n' ? "" : "\n");
  fflush(stderr);
  pthread_mutex_unlock(&output_lock);
  free(text);
}

static void add_message(Job* job, int type, char* text)
{
  message_trim(text);
  if (!job) {
    message_print_jobless(&output_lock, SD_NAME, type, text);
    return;
  }
  pthread_mutex_lock(&job->lock);
  buffer_printf(&job->log, "  %s: %s\n", message_type_name(type), text);
  if (type == M_FATAL || type == M_ABORT || type == M_ERROR_TERM) {
    job->fatal = true;
    job->errors++;
    if (!job->failure) job->failure = xstrdup(text);
  } else if (type == M_ERROR) {
    job->errors++;
  }
  pthread_mutex_unlock(&job->lock);
  sd_debug(10, "job %s: %s: %s", job->name, message_type_name(type), text);
  free(text);
}

void job_message(Job* job, int type, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  add_message(job, type, text);
}

/* -- the core functions ------------------------------------------------------- */

static Instance* instance_of(PluginContext* ctx)
{
  return ctx ? (Instance*)ctx->core_private_context : NULL;
}

static void reject_event(void* owner, unsigned event)
{
  Instance* instance = owner;
  job_message(instance->job, M_FATAL, "plugin %s: event %u is not a storage daemon event",
              instance->plugin->plugin.file, event);
}

static void note_event(void* owner, unsigned event, bool on)
{
  Instance* instance = owner;
  sd_debug(200, "plugin %s instance %u: %sregistered event %s", instance->plugin->plugin.file,
           instance->ctx.instance, on ? "" : "un", event_name((int)event));
}

static bRC change_events(PluginContext* ctx, bool on, int count, va_list args)
{
  Instance* instance = instance_of(ctx);
  if (!instance) return bRC_Error;
  EventRules rules = {SD_NR_EVENTS, reject_event, note_event, instance};
  return events_change(&instance->events, on, count, args, &rules) ? bRC_OK : bRC_Error;
}

EVENTS_DEFINE_REGISTRATION(core_register_events, core_unregister_events, change_events)

/* The instances of the caller's plugin in all running jobs. */
static bRC core_instance_count(PluginContext* ctx, int* ret)
{
  Instance* caller = instance_of(ctx);
  if (!caller || !ret) return bRC_Error;
  int count = 0;
  pthread_mutex_lock(&jobs_lock);
  for (int j = 0; j < n_running_jobs; j++)
    for (int i = 0; i < running_jobs[j]->n_instances; i++)
      if (running_jobs[j]->instances[i]->plugin == caller->plugin) count++;
  pthread_mutex_unlock(&jobs_lock);
  *ret = count;
  return bRC_OK;
}

/* A device variable: error without a device, else the string (may be NULL). */
static bRC device_string(const Job* job, const char* text, void* value)
{
  if (!job->device.reserved) return bRC_Error;
  *(const char**)value = text;
  return bRC_OK;
}

static bRC core_get_value(PluginContext* ctx, bsdrVariable var, void* value)
{
  if (!value) return bRC_Error;
  if (var == bsdVarPluginDir) {
    *(const char**)value = sd.plugin_dir;
    return bRC_OK;
  }
  Instance* instance = instance_of(ctx);
  if (!instance) return bRC_Error;
  Job* job = instance->job;
  switch (var) {
    case bsdVarJob:
    case bsdVarJobName: *(const char**)value = job->name; return bRC_OK;
    case bsdVarLevel: *(int*)value = job->level; return bRC_OK;
    case bsdVarType: *(int*)value = job->type; return bRC_OK;
    case bsdVarJobId: *(int*)value = (int)job->id; return bRC_OK;
    case bsdVarClient: *(const char**)value = job->client; return bRC_OK;
    case bsdVarPool: return device_string(job, job->pool, value);
    case bsdVarPoolType: return device_string(job, "Backup", value);
    case bsdVarStorage: return device_string(job, sd.storage_name, value);
    case bsdVarMediaType: return device_string(job, sd.media_type, value);
    case bsdVarVolumeName: return device_string(job, job->device.volume_name, value);
    case bsdVarJobStatus: *(int*)value = job->status; return bRC_OK;
    case bsdVarJobErrors: *(int*)value = job->errors; return bRC_OK;
    case bsdVarJobFiles: *(int*)value = (int)job->records; return bRC_OK;
    case bsdVarJobBytes: *(uint64_t*)value = job->bytes; return bRC_OK;
    default: return bRC_Error;
  }
}

static bRC core_set_value(PluginContext* ctx, bsdwVariable var, void* value)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !value) return bRC_Error;
  Job* job = instance->job;
  switch (var) {
    case bsdwVarVolumeName:
      free(job->next_volume_name);
      job->next_volume_name = xstrdup((const char*)value);
      sd_debug(50, "job %s: plugin %s names the next volume %s", job->name,
               instance->plugin->plugin.file, job->next_volume_name);
      break;
    case bsdwVarPriority: job->priority = *(int*)value; break;
    case bsdwVarJobLevel: job->level = (char)*(int*)value; break;
    default: break;
  }
  return bRC_OK;
}

static bRC core_job_message(PluginContext* ctx, const char* file, int line, int type,
                            utime_t mtime, const char* format, ...)
{
  (void)file, (void)line, (void)mtime;
  Instance* instance = instance_of(ctx);
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  add_message(instance ? instance->job : NULL, type, text);
  return bRC_OK;
}

static bRC core_debug_message(PluginContext* ctx, const char* file, int line, int level,
                              const char* format, ...)
{
  (void)ctx;
  if (level > sd.debug_level) return bRC_OK;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  sd_debug(level, "%s:%d: %s", file ? file : "?", line, text);
  free(text);
  return bRC_OK;
}

/* Members for native storage plugins; this daemon has no such objects. */
static char* core_edit_device_codes(struct DeviceControlRecord* dcr, POOLMEM** omsg,
                                    const char* imsg, const char* cmd)
{
  (void)dcr, (void)cmd;
  if (!omsg) return NULL;
  *omsg = (POOLMEM*)imsg;
  return *omsg;
}
static char* core_lookup_crypto_key(const char* volume) { (void)volume; return NULL; }
static bool core_update_volume_info(struct DeviceControlRecord* dcr) { (void)dcr; return false; }
static void core_update_tape_alert(struct DeviceControlRecord* dcr, uint64_t flags) { (void)dcr, (void)flags; }
static struct DeviceRecord* core_new_record(bool with_data) { (void)with_data; return NULL; }
static void core_copy_record_state(struct DeviceRecord* d, struct DeviceRecord* s) { (void)d, (void)s; }
static void core_free_record(struct DeviceRecord* record) { (void)record; }

SdCoreFunctions core_functions = {
    sizeof(SdCoreFunctions), SD_PLUGIN_INTERFACE_VERSION,
    core_register_events, core_unregister_events, core_instance_count,
    core_get_value, core_set_value, core_job_message, core_debug_message,
    core_edit_device_codes, core_lookup_crypto_key, core_update_volume_info,
    core_update_tape_alert, core_new_record, core_copy_record_state, core_free_record};

/* -- jobs and instances --------------------------------------------------------- */

Job* job_new(char type, const char* name)
{
  Job* job = xcalloc(1, sizeof *job);
  pthread_mutex_lock(&jobs_lock);
  job->id = ++last_job_id;
  running_jobs = xrealloc(running_jobs, sizeof(Job*) * (size_t)(n_running_jobs + 1));
  running_jobs[n_running_jobs++] = job;
  pthread_mutex_unlock(&jobs_lock);
  job->type = type;
  job->name = xstrdup(name);
  job->level = L_FULL;
  job->status = JS_Running;
  job->start_time = time(NULL);
  job->device.fd = -1;
  job->client_fd = -1;
  pthread_mutex_init(&job->lock, NULL);
  buffer_init(&job->log);
  return job;
}

void job_free(Job* job)
{
  pthread_mutex_lock(&jobs_lock);
  for (int i = 0; i < n_running_jobs; i++)
    if (running_jobs[i] == job) {
      running_jobs[i] = running_jobs[--n_running_jobs];
      break;
    }
  if (n_running_jobs == 0) {
    free(running_jobs);
    running_jobs = NULL;
  }
  pthread_mutex_unlock(&jobs_lock);
  free(job->name);
  free(job->client);
  free(job->pool);
  free(job->device.volume_name);
  free(job->device.volume_path);
  free(job->next_volume_name);
  for (int i = 0; i < job->n_volumes; i++) free(job->volumes[i]);
  free(job->volumes);
  free(job->volume_bytes);
  free(job->instances);
  free(job->failure);
  buffer_free(&job->log);
  pthread_mutex_destroy(&job->lock);
  free(job);
}

static Instance* instance_new(Job* job, LoadedPlugin* plugin, uint32_t number)
{
  Instance* instance = xcalloc(1, sizeof *instance);
  instance->ctx.instance = number;
  instance->ctx.plugin = &plugin->plugin;
  instance->ctx.core_private_context = instance;
  instance->plugin = plugin;
  instance->job = job;
  pthread_mutex_lock(&jobs_lock);
  job->instances = xrealloc(job->instances, sizeof(Instance*) * (size_t)(job->n_instances + 1));
  job->instances[job->n_instances++] = instance;
  pthread_mutex_unlock(&jobs_lock);
  bRC rc = plugin->functions->newPlugin(&instance->ctx);
  sd_debug(100, "job %s: newPlugin %s instance %u: %d", job->name, plugin->plugin.file, number, rc);
  if (rc != bRC_OK) {
    instance->disabled = true;
    job_message(job, M_ERROR, "plugin %s instance %u: newPlugin failed (%d)", plugin->plugin.file,
                number, rc);
  }
  return instance;
}

/* The plugin an options string names (case-insensitive, exact file_len). */
static LoadedPlugin* plugin_named(const char* name, size_t length)
{
  for (int i = 0; i < sd.n_plugins; i++) {
    LoadedPlugin* plugin = sd.plugins[i];
    if ((size_t)plugin->plugin.file_len == length && strncasecmp(plugin->plugin.file, name, length) == 0)
      return plugin;
  }
  return NULL;
}

/* "instance=N" in an options string, ended by ':' or the end: N, 0 if
 * absent, -1 if not a number in 0..127. */
static int instance_number(const char* options)
{
  for (const char* p = options; (p = strchr(p, ':')) != NULL;) {
    p++;
    if (strncasecmp(p, "instance=", 9) != 0) continue;
    char* end;
    long n = strtol(p + 9, &end, 10);
    if (end == p + 9 || (*end && *end != ':') || n < LOWEST_PLUGIN_INSTANCE || n > HIGHEST_PLUGIN_INSTANCE)
      return -1;
    return (int)n;
  }
  return 0;
}

/* DispatchNewPluginOptions (spec §1.8): find or create the instance an
 * options string names, send it the whole string. */
static void dispatch_options(Job* job, const char* options)
{
  const char* colon = strchr(options, ':');
  if (!colon) {
    job_message(job, M_ERROR, "plugin options '%s' have no ':' after the plugin name", options);
    return;
  }
  LoadedPlugin* plugin = plugin_named(options, (size_t)(colon - options));
  if (!plugin) {
    job_message(job, M_ERROR, "plugin options '%s': no plugin %.*s is loaded", options,
                (int)(colon - options), options);
    return;
  }
  int number = instance_number(options);
  if (number < 0) {
    job_message(job, M_ERROR, "plugin options '%s': bad instance number (0..127)", options);
    return;
  }
  Instance* instance = NULL;
  for (int i = 0; i < job->n_instances && !instance; i++)
    if (job->instances[i]->plugin == plugin && job->instances[i]->ctx.instance == (uint32_t)number)
      instance = job->instances[i];
  if (!instance) instance = instance_new(job, plugin, (uint32_t)number);
  if (instance->disabled) return;
  bSdEvent event = {bSdEventNewPluginOptions};
  bRC rc = plugin->functions->handlePluginEvent(&instance->ctx, &event, (void*)options);
  sd_debug(100, "job %s: NewPluginOptions to %s instance %d: %d", job->name, plugin->plugin.file,
           number, rc);
}

void job_start(Job* job, char** options, int n_options)
{
  for (int i = 0; i < sd.n_plugins; i++) instance_new(job, sd.plugins[i], 0);
  for (int i = 0; i < n_options; i++) dispatch_options(job, options[i]);
  job_event(job, bSdEventJobStart, NULL);
  sd_scripting_job_start(job);
}

void job_finish(Job* job)
{
  job_event(job, bSdEventJobEnd, NULL);
  sd_scripting_job_end(job);
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = job->instances[i];
    instance->plugin->functions->freePlugin(&instance->ctx);
  }
  pthread_mutex_lock(&jobs_lock);
  for (int i = 0; i < job->n_instances; i++) free(job->instances[i]);
  job->n_instances = 0;
  pthread_mutex_unlock(&jobs_lock);
  if (job->status == JS_Running) {
    if (job->fatal)
      job->status = server_stopping() ? JS_Canceled : JS_ErrorTerminated;
    else
      job->status = job->errors ? JS_Warnings : JS_Terminated;
  }
}

bRC job_event(Job* job, int event, void* value)
{
  bSdEvent descriptor = {(uint32_t)event};
  bRC result = bRC_OK;
  sd_debug(150, "job %s: event %s", job->name, event_name(event));
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = job->instances[i];
    if (instance->disabled || !events_has(instance->events, (unsigned)event)) continue;
    bRC rc = instance->plugin->functions->handlePluginEvent(&instance->ctx, &descriptor, value);
    if (rc == bRC_Term) {
      instance->disabled = true;
      continue;
    }
    result = rc;
    if (rc == bRC_Stop || rc == bRC_Error || rc == bRC_Skip) break;
  }
  return result;
}

static const char* status_text(char status)
{
  switch (status) {
    case JS_Terminated: return "OK";
    case JS_Warnings: return "OK -- with warnings";
    case JS_Canceled: return "Canceled";
    case JS_Running: return "Running";
    default: return "Error";
  }
}

void job_report(Job* job)
{
  char started[32], ended[32];
  format_time(job->start_time, started);
  format_time(time(NULL), ended);
  Buffer volumes;
  buffer_init(&volumes);
  for (int i = 0; i < job->n_volumes; i++) {
    if (i) buffer_append_str(&volumes, ", ");
    buffer_append_str(&volumes, job->volumes[i]);
  }
  pthread_mutex_lock(&output_lock);
  printf("%s job report: %s\n", job->type == JT_BACKUP ? "Backup" : "Restore", job->name);
  printf("  JobId:            %u\n", job->id);
  printf("  Client:           %s\n", job->client ? job->client : "-");
  printf("  Pool:             %s\n", job->pool ? job->pool : "-");
  printf("  Storage:          %s (%s)\n", sd.storage_name, sd.media_type);
  printf("  Volumes:          %s\n", volumes.length ? volumes.data : "-");
  printf("  Records:          %llu\n", (unsigned long long)job->records);
  printf("  Bytes:            %llu\n", (unsigned long long)job->bytes);
  printf("  Errors:           %d\n", job->errors);
  printf("  Start time:       %s\n", started);
  printf("  End time:         %s\n", ended);
  printf("  Termination:      %s\n", status_text(job->status));
  if (job->log.length) printf("  Messages:\n%s", job->log.data);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
  buffer_free(&volumes);
}
