/* plugins.c -- DIR plugins in bareospy-dir: loading through the kit's loader
 * (DAEMON_DIR), the core function table (spec §1.8), instances per job and
 * the event dispatch of §1.5 (SD/DIR rules). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "director.h"
#include "kit/events.h"
#include "kit/loader.h"
#include "kit/util.h"
#include "scripting.h"

static Job* job_of(PluginContext* ctx)
{
  return ctx && ctx->core_private_context ? ((Instance*)ctx->core_private_context)->job : NULL;
}

static void reject_event(void* owner, unsigned event)
{
  Instance* instance = owner;
  job_message(instance->job, M_FATAL, "%s: event %u is not a director event (1..%d)",
              instance->ctx.plugin->file, event, DIR_NR_EVENTS);
}

static bRC set_events(PluginContext* ctx, bool on, int count, va_list args)
{
  Instance* instance = ctx ? ctx->core_private_context : NULL;
  if (!instance)
    return bRC_Error;
  EventRules rules = {DIR_NR_EVENTS, reject_event, NULL, instance};
  EventMask mask = instance->events; /* the director's events fit 32 bits */
  bool taken = events_change(&mask, on, count, args, &rules);
  instance->events = (uint32_t)mask;
  return taken ? bRC_OK : bRC_Error;
}

EVENTS_DEFINE_REGISTRATION(register_events, unregister_events, set_events)

static bRC get_instance_count(PluginContext* ctx, int* ret)
{
  Job* job = job_of(ctx);
  if (!job || !ret)
    return bRC_Error;
  int count = 0;
  for (int i = 0; i < job->instance_count; i++)
    if (job->instances[i]->ctx.plugin == ctx->plugin)
      count++;
  *ret = count;
  return bRC_OK;
}

static bRC put_string(void* value, const char* text)
{
  if (!text)
    return bRC_Error;
  *(const char**)value = text;
  return bRC_OK;
}

static bRC get_value(PluginContext* ctx, brDirVariable var, void* value)
{
  if (!value)
    return bRC_Error;
  if (var == bDirVarPluginDir)
    return put_string(value, director.plugin_dir);
  Job* job = job_of(ctx);
  if (!job)
    return bRC_Error;
  const JobRes* res = job->res;
  switch (var) {
    case bDirVarJob: return put_string(value, res ? res->name : NULL);
    case bDirVarLevel: *(int*)value = job->level; return bRC_OK;
    case bDirVarType: *(int*)value = job->type; return bRC_OK;
    case bDirVarJobId: *(int*)value = (int)job->jobid; return bRC_OK;
    case bDirVarClient: return put_string(value, res ? res->client : NULL);
    case bDirVarNumVols: {
      int count = job->pool ? catalog_num_vols(director.catalog, job->pool) : -1;
      if (count < 0)
        return bRC_Error;
      *(int*)value = count;
      return bRC_OK;
    }
    case bDirVarPool: return put_string(value, job->pool);
    case bDirVarStorage:
    case bDirVarWriteStorage:
      return put_string(value, res && job->type == JT_BACKUP ? res->storage : NULL);
    case bDirVarReadStorage:
      return put_string(value, res && job->type == JT_RESTORE ? res->storage : NULL);
    case bDirVarCatalog: return put_string(value, director.catalog_name);
    case bDirVarMediaType: {
      StorageRes* storage = res && res->storage ? config_storage(director.config, res->storage)
                                                : NULL;
      return put_string(value, storage ? storage->media_type : NULL);
    }
    case bDirVarJobName: return put_string(value, job->job_name);
    case bDirVarJobStatus: *(int*)value = job->status; return bRC_OK;
    case bDirVarPriority: *(int*)value = job->priority; return bRC_OK;
    case bDirVarVolumeName: return put_string(value, job->volume_name);
    case bDirVarCatalogRes: return bRC_Error;
    case bDirVarJobErrors: *(int*)value = (int)job->errors; return bRC_OK;
    case bDirVarJobFiles: *(int*)value = (int)job->job_files; return bRC_OK;
    case bDirVarSDJobFiles: *(int*)value = (int)job->job_files; return bRC_OK;
    case bDirVarSDErrors: *(int*)value = 0; return bRC_OK;
    case bDirVarFDJobStatus: *(int*)value = job->fd_job_status; return bRC_OK;
    case bDirVarSDJobStatus: *(int*)value = job->sd_job_status; return bRC_OK;
    case bDirVarLastRate: *(int*)value = 0; return bRC_OK;
    case bDirVarJobBytes: *(uint64_t*)value = (uint64_t)job->job_bytes; return bRC_OK;
    case bDirVarReadBytes: *(uint64_t*)value = (uint64_t)job->read_bytes; return bRC_OK;
    default: return bRC_Error;
  }
}

static bRC set_value(PluginContext* ctx, bwDirVariable var, void* value)
{
  Job* job = job_of(ctx);
  if (!job || !value)
    return bRC_Error;
  switch (var) {
    case bwDirVarJobReport:
      return bRC_OK;
    case bwDirVarVolumeName:
      snprintf(job->volume_name, sizeof job->volume_name, "%s", (const char*)value);
      return bRC_OK;
    case bwDirVarPriority: {
      int priority = *(int*)value;
      if (priority < 1)
        return bRC_Error;
      pthread_mutex_lock(&director.lock);
      job->priority = priority; /* the queue is ordered when a slot frees */
      pthread_mutex_unlock(&director.lock);
      return bRC_OK;
    }
    case bwDirVarJobLevel: {
      int level = *(int*)value;
      if (strcmp(config_level_name(level), "?") == 0)
        return bRC_Error;
      job->level = level;
      return bRC_OK;
    }
    default:
      return bRC_Error;
  }
}

static bRC job_message_entry(PluginContext* ctx, const char* file, int line, int type,
                             utime_t mtime, const char* format, ...)
{
  (void)file;
  (void)line;
  (void)mtime;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  size_t length = strlen(text);
  while (length && text[length - 1] == '\n')
    text[--length] = '\0';
  job_message(job_of(ctx), type, "%s", text);
  free(text);
  return bRC_OK;
}

static bRC debug_message_entry(PluginContext* ctx, const char* file, int line, int level,
                               const char* format, ...)
{
  (void)ctx;
  if (level > director.debug_level)
    return bRC_OK;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  fprintf(stderr, "bareospy-dir: debug %s:%d: %s%s", file ? file : "?", line, text,
          *text && text[strlen(text) - 1] == '\n' ? "" : "\n");
  free(text);
  return bRC_OK;
}

static DirCoreFunctions core_functions = {
    sizeof(DirCoreFunctions), DIR_PLUGIN_INTERFACE_VERSION, register_events, unregister_events,
    get_instance_count, get_value, set_value, job_message_entry, debug_message_entry};

/* Whether a plugin file is one the Director's Plugin Names select (all if none). */
static bool selected(const Director* d, const char* file)
{
  const StrList* names = &d->config->director->plugin_names;
  if (names->count == 0)
    return true;
  size_t length = strlen(file) - strlen(DAEMON_DIR.file_suffix);
  for (int i = 0; i < names->count; i++)
    if (strlen(names->items[i]) == length && strncasecmp(names->items[i], file, length) == 0)
      return true;
  return false;
}

int plugins_load(Director* d, char** error)
{
  if (!d->plugin_dir)
    return 0;
  char** files;
  int count = loader_list(&DAEMON_DIR, d->plugin_dir, &files, error);
  if (count < 0)
    return -1;
  d->plugins.plugins = xcalloc((size_t)count + 1, sizeof(Plugin));
  for (int i = 0; i < count; i++) {
    if (!selected(d, files[i]))
      continue;
    char* path = xasprintf("%s/%s", d->plugin_dir, files[i]);
    char* message = NULL;
    Plugin* plugin = &d->plugins.plugins[d->plugins.count];
    if (loader_load(&DAEMON_DIR, path, &core_functions, plugin, &message) == LOAD_OK)
      d->plugins.count++;
    else {
      fprintf(stderr, "bareospy-dir: plugin %s not loaded: %s\n", path, message);
      free(message);
    }
    free(path);
  }
  loader_free_list(files, count);
  return 0;
}

void plugins_unload(Director* d)
{
  for (int i = 0; i < d->plugins.count; i++)
    loader_close(&d->plugins.plugins[i]);
  free(d->plugins.plugins);
  d->plugins.plugins = NULL;
  d->plugins.count = 0;
}

static DirPluginFunctions* functions(const Instance* instance)
{
  return instance->ctx.plugin->plugin_functions;
}

static Instance* new_instance(Job* job, Plugin* plugin, uint32_t number)
{
  Instance* instance = xcalloc(1, sizeof *instance);
  instance->ctx.instance = number;
  instance->ctx.plugin = plugin;
  instance->ctx.core_private_context = instance;
  instance->job = job;
  job->instances = xrealloc(job->instances, sizeof(Instance*) * (size_t)(job->instance_count + 1));
  job->instances[job->instance_count++] = instance;
  if (functions(instance)->newPlugin(&instance->ctx) != bRC_OK)
    instance->disabled = true;
  return instance;
}

/* "name:...instance=N:..." -> the instance number (0 if none); -1 if N > 127 or bad. */
static int instance_number(const char* options)
{
  for (const char* s = options; *s; s++) {
    if ((s == options || s[-1] == ':') && strncasecmp(s, "instance=", 9) == 0) {
      char* end;
      long number = strtol(s + 9, &end, 10);
      if (end == s + 9 || (*end && *end != ':') || number < 0 || number > HIGHEST_PLUGIN_INSTANCE)
        return -1;
      return (int)number;
    }
  }
  return 0;
}

/* DispatchNewPluginOptions (§1.8) for one option string. */
static void dispatch_options(Job* job, const char* options)
{
  const char* colon = strchr(options, ':');
  if (!colon) {
    job_message(job, M_ERROR, "plugin options \"%s\" name no plugin (no ':')", options);
    return;
  }
  size_t name_length = (size_t)(colon - options);
  int number = instance_number(colon);
  if (number < 0) {
    job_message(job, M_ERROR, "plugin options \"%s\": instance must be 0..%d", options,
                HIGHEST_PLUGIN_INSTANCE);
    return;
  }
  Plugin* plugin = NULL;
  for (int i = 0; i < director.plugins.count; i++) {
    Plugin* candidate = &director.plugins.plugins[i];
    if ((size_t)candidate->file_len == name_length &&
        strncasecmp(candidate->file, options, name_length) == 0)
      plugin = candidate;
  }
  if (!plugin) {
    job_message(job, M_ERROR, "plugin options \"%s\": no plugin \"%.*s\" is loaded", options,
                (int)name_length, options);
    return;
  }
  Instance* instance = NULL;
  for (int i = 0; i < job->instance_count; i++)
    if (job->instances[i]->ctx.plugin == plugin &&
        job->instances[i]->ctx.instance == (uint32_t)number)
      instance = job->instances[i];
  if (!instance)
    instance = new_instance(job, plugin, (uint32_t)number);
  if (instance->disabled)
    return;
  bDirEvent event = {bDirEventNewPluginOptions};
  functions(instance)->handlePluginEvent(&instance->ctx, &event, (void*)options);
}

void plugins_new_job(Job* job)
{
  for (int i = 0; i < director.plugins.count; i++)
    new_instance(job, &director.plugins.plugins[i], 0);
  const StrList* lists[2] = {&director.config->director->dir_plugin_options,
                             job->res ? &job->res->dir_plugin_options : NULL};
  for (int l = 0; l < 2; l++)
    for (int i = 0; lists[l] && i < lists[l]->count; i++)
      dispatch_options(job, lists[l]->items[i]);
}

void plugins_free_job(Job* job)
{
  for (int i = 0; i < job->instance_count; i++) {
    Instance* instance = job->instances[i];
    functions(instance)->freePlugin(&instance->ctx);
    free(instance);
  }
  free(job->instances);
  job->instances = NULL;
  job->instance_count = 0;
}

bRC plugins_event(Job* job, bDirEventType type, void* value)
{
  bDirEvent event = {type};
  bRC rc = bRC_OK;
  if (director.debug_level >= 100)
    fprintf(stderr, "bareospy-dir: JobId %lld: event %s\n", (long long)job->jobid,
            plugins_event_name(type));
  for (int i = 0; i < job->instance_count; i++) {
    Instance* instance = job->instances[i];
    if (instance->disabled || !(instance->events & (1u << type)))
      continue;
    rc = functions(instance)->handlePluginEvent(&instance->ctx, &event, value);
    if (rc == bRC_Term) {
      instance->disabled = true;
      rc = bRC_OK;
    }
    if (rc == bRC_Stop || rc == bRC_Error || rc == bRC_Skip)
      break;
  }
  scripting_event(job, type); /* Bacula-style scripts, after the plugins */
  return job->jobid && jobs_is_cancelled(job) ? bRC_Cancel : rc;
}

const char* plugins_event_name(int event)
{
  static const char* const names[] = {
      "?", "JobStart", "JobEnd", "JobInit", "JobRun", "VolumePurged", "NewVolume",
      "NeedVolume", "VolumeFull", "Recyle", "GetScratch", "NewPluginOptions"};
  return event >= 1 && event <= DIR_NR_EVENTS ? names[event] : "?";
}
