/* core.c -- what bareospy-fd offers plugins (the CoreFunctions table,
 * spec §1.6.1 and §1.6.3), the job and instance state behind it, event
 * dispatch (§1.5) and job messages. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "core.h"
#include "trace.h"
#include "scripting.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;

/* Running jobs, for getInstanceCount and cancellation. */
typedef struct RunningJob {
  Job* job;
  int pins; /* a canceling thread is using the job */
  struct RunningJob* next;
} RunningJob;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t registry_changed = PTHREAD_COND_INITIALIZER;
static RunningJob* running_jobs = NULL;
static uint32_t last_job_id = 0;

/* The job of the calling thread, for messages that come without a ctx. */
static pthread_key_t current_job_key;
static pthread_once_t current_job_once = PTHREAD_ONCE_INIT;
static void make_current_job_key(void) { pthread_key_create(&current_job_key, NULL); }

static Job* current_job(void)
{
  pthread_once(&current_job_once, make_current_job_key);
  return pthread_getspecific(current_job_key);
}

static Instance* instance_of(PluginContext* ctx)
{
  return ctx ? (Instance*)ctx->core_private_context : NULL;
}

static Job* job_of(PluginContext* ctx)
{
  Instance* instance = instance_of(ctx);
  return instance ? instance->job : NULL;
}

/* -- messages ------------------------------------------------------------------- */

static void add_message(Job* job, int type, char* text)
{
  message_trim(text);
  if (!job) {
    message_print_jobless(&output_lock, HOST_NAME, type, text);
    return;
  }
  JobMessage* message = xmalloc(sizeof *message);
  message->type = type;
  message->text = text;
  message->next = NULL;
  pthread_mutex_lock(&job->lock);
  if (job->last_message)
    job->last_message->next = message;
  else
    job->messages = message;
  job->last_message = message;
  switch (type) {
    case M_ABORT:
    case M_FATAL:
    case M_ERROR_TERM:
      job->fatal = true;
      job->status = JS_FatalError;
      break;
    case M_ERROR: job->errors++; break;
    case M_WARNING: job->warnings++; break;
    default: break;
  }
  pthread_mutex_unlock(&job->lock);
  if (host.debug_level >= 1) {
    pthread_mutex_lock(&output_lock);
    progress_clear();
    fprintf(stderr, "%s: %s: %s\n", job->name, message_type_name(type), text);
    pthread_mutex_unlock(&output_lock);
  }
}

void job_message(Job* job, int type, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  add_message(job ? job : current_job(), type, text);
}

void host_debug(int level, const char* format, ...)
{
  if (level > host.debug_level) return;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  pthread_mutex_lock(&output_lock);
  progress_clear();
  fprintf(stderr, HOST_NAME ": %s", text);
  if (!*text || text[strlen(text) - 1] != '\n') fputc('\n', stderr);
  pthread_mutex_unlock(&output_lock);
  free(text);
}

/* -- the CoreFunctions table --------------------------------------------------------- */

static void ignore_event(void* owner, unsigned event)
{
  host_debug(150, "%s: ignoring event %u (out of range)\n", ((Instance*)owner)->plugin->plugin.file, event);
}

static void note_event(void* owner, unsigned event, bool on)
{
  char number[24];
  host_debug(150, "%s: %sregistered event %s\n", ((Instance*)owner)->plugin->plugin.file, on ? "" : "un",
             trace_event_name((int)event, number));
}

/* An event number out of range is ignored (a debug message), not an error. */
static bRC set_events(PluginContext* ctx, bool on, int count, va_list args)
{
  Instance* instance = instance_of(ctx);
  if (!instance) return bRC_Error;
  EventRules rules = {EVENT_MASK_MAX, ignore_event, note_event, instance};
  events_change(&instance->events, on, count, args, &rules);
  return bRC_OK;
}

EVENTS_DEFINE_REGISTRATION(registerBareosEvents, unregisterBareosEvents, set_events)

static bRC getInstanceCount(PluginContext* ctx, int* ret)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !ret) return bRC_Error;
  int count = 0;
  pthread_mutex_lock(&registry_lock);
  for (RunningJob* running = running_jobs; running; running = running->next)
    for (int i = 0; i < running->job->n_instances; i++)
      if (running->job->instances[i].plugin == instance->plugin &&
          !running->job->instances[i].disabled)
        count++;
  pthread_mutex_unlock(&registry_lock);
  *ret = count;
  return bRC_OK;
}

static const char* working_dir_of(Job* job)
{
  if (job && job->working_dir) return job->working_dir;
  if (host.working_dir) return host.working_dir;
  const char* tmp = getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

static bRC getBareosValue(PluginContext* ctx, bVariable var, void* value)
{
  static const char version[] = HOST_VERSION " (" HOST_VERSION_DATE ")";
  if (!value) return bRC_Error;
  Job* job = job_of(ctx);
  Instance* instance = instance_of(ctx);
  switch (var) {
    case bVarFDName: *(const char**)value = HOST_NAME; return bRC_OK;
    case bVarWorkingDir: *(const char**)value = working_dir_of(job); return bRC_OK;
    case bVarExePath: *(const char**)value = host.exe_dir; return bRC_OK;
    case bVarVersion: *(const char**)value = version; return bRC_OK;
    case bVarUsedConfig: *(const char**)value = "/dev/null"; return bRC_OK;
    case bVarPluginPath: *(const char**)value = host.plugin_dir; return bRC_OK;
    case bVarDistName: return bRC_Error;
    default: break;
  }
  if (!job) return bRC_Error;
  switch (var) {
    case bVarJobId: *(int*)value = (int)job->id; return bRC_OK;
    case bVarLevel: *(int*)value = job->level; return bRC_OK;
    case bVarType: *(int*)value = job->type; return bRC_OK;
    case bVarClient:
      *(const char**)value = job->options->client ? job->options->client : host.client;
      return bRC_OK;
    case bVarJobName: *(const char**)value = job->name; return bRC_OK;
    case bVarJobStatus: *(int*)value = job->status; return bRC_OK;
    case bVarSinceTime: *(int*)value = (int)job->since; return bRC_OK;
    case bVarAccurate: *(int*)value = job->accurate ? 1 : 0; return bRC_OK;
    case bVarFileSeen: return bRC_OK;
    case bVarVssClient: return bRC_Error;
    case bVarWhere: *(const char**)value = job->where; return bRC_OK;
    case bVarRegexWhere: *(const char**)value = job->regexwhere; return bRC_OK;
    case bVarPrevJobName: *(const char**)value = job->previous_job_name; return bRC_OK;
    case bVarPrefixLinks: *(int*)value = job->prefix_links ? 1 : 0; return bRC_OK;
    case bVarCheckChanges: *(bool*)value = instance->check_changes; return bRC_OK;
    case bVarAccurateOptions:
      if (job->kind == JOB_RESTORE) return bRC_Error; /* no find packet in a restore */
      *(uint64_t*)value = job->accurate_options;
      return bRC_OK;
    default: return bRC_OK; /* unknown: nothing written */
  }
}

static bRC setBareosValue(PluginContext* ctx, bVariable var, const void* value)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !value) return bRC_Error;
  switch (var) {
    case bVarCheckChanges:
      instance->check_changes = *(const bool*)value;
      return bRC_OK;
    case bVarFileSeen:
      return job_mark_seen(instance->job, (const char*)value) ? bRC_OK : bRC_Error;
    default:
      job_message(instance->job, M_ERROR, "Warning: bareosSetValue not implemented for var %d.",
                  (int)var);
      return bRC_OK;
  }
}

static bRC JobMessageFunction(PluginContext* ctx, const char* file, int line, int type,
                              utime_t mtime, const char* format, ...)
{
  (void)file, (void)line, (void)mtime;
  if (!format) return bRC_Error;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  Job* job = ctx ? job_of(ctx) : current_job();
  add_message(job, type, text);
  return bRC_OK;
}

static bRC DebugMessageFunction(PluginContext* ctx, const char* file, int line, int level,
                                const char* format, ...)
{
  (void)file, (void)line;
  if (level > host.debug_level || !format) return bRC_OK;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  Instance* instance = instance_of(ctx);
  const char* prefix = instance ? instance->plugin->plugin.file : "<unknown plugin>";
  pthread_mutex_lock(&output_lock);
  progress_clear();
  if (instance) fprintf(stderr, "[%u] ", instance->job->id);
  fprintf(stderr, "%s: %s", prefix, text);
  if (!*text || text[strlen(text) - 1] != '\n') fputc('\n', stderr);
  pthread_mutex_unlock(&output_lock);
  free(text);
  return bRC_OK;
}

/* FileSet calls: recorded in the job report; AddExclude is also applied by
 * AcceptFile.  The host has no FileSet of its own. */
static bRC record_fileset(PluginContext* ctx, const char* call, const char* argument, int type)
{
  Job* job = job_of(ctx);
  if (!job) return bRC_Error;
  pthread_mutex_lock(&job->lock);
  buffer_printf(&job->fileset_log, "  %s(", call);
  if (argument) {
    Buffer escaped;
    buffer_init(&escaped);
    escape_name(&escaped, argument);
    buffer_printf(&job->fileset_log, "\"%s\"", escaped.data ? escaped.data : "");
    buffer_free(&escaped);
  }
  if (type >= 0) buffer_printf(&job->fileset_log, ", '%c'", type ? type : ' ');
  buffer_printf(&job->fileset_log, ") from %s\n", instance_of(ctx)->plugin->plugin.file);
  pthread_mutex_unlock(&job->lock);
  host_debug(150, "FileSet call %s(%s)\n", call, argument ? argument : "");
  return bRC_OK;
}

static bRC AddExclude(PluginContext* ctx, const char* file)
{
  if (!file || !job_of(ctx)) return bRC_Error;
  Job* job = job_of(ctx);
  pthread_mutex_lock(&job->lock);
  job->excludes = xrealloc(job->excludes, sizeof(char*) * (size_t)(job->n_excludes + 1));
  job->excludes[job->n_excludes++] = xstrdup(file);
  pthread_mutex_unlock(&job->lock);
  return record_fileset(ctx, "AddExclude", file, -1);
}

static bRC AddInclude(PluginContext* ctx, const char* file)
{
  if (!file) return bRC_Error;
  return record_fileset(ctx, "AddInclude", file, -1);
}

static bRC AddOptions(PluginContext* ctx, const char* opts)
{
  if (!opts) return bRC_Error;
  return record_fileset(ctx, "AddOptions", opts, -1);
}

static bRC AddRegex(PluginContext* ctx, const char* item, int type)
{
  if (!item) return bRC_Error;
  return record_fileset(ctx, "AddRegex", item, type);
}

static bRC AddWild(PluginContext* ctx, const char* item, int type)
{
  if (!item) return bRC_Error;
  return record_fileset(ctx, "AddWild", item, type);
}

static bRC NewOptions(PluginContext* ctx) { return record_fileset(ctx, "NewOptions", NULL, -1); }
static bRC NewInclude(PluginContext* ctx) { return record_fileset(ctx, "NewInclude", NULL, -1); }
static bRC NewPreInclude(PluginContext* ctx)
{
  return record_fileset(ctx, "NewPreInclude", NULL, -1);
}

static bool flag_set(const char flags[FOPTS_BYTES], int bit)
{
  return (flags[bit >> 3] & (1 << (bit & 7))) != 0;
}

/* Why st differs from the known file under the accurate options (the
 * first difference, for --trace), or NULL if it does not. */
static const char* accurate_changed(const Job* job, const KnownFile* known, const struct stat* st)
{
  uint64_t options = job->accurate_options;
  const struct stat* old = &known->st;
  if (options & bAccurateOptionAlways) return "accurate option A (always)";
  if ((options & bAccurateOptionInode) && old->st_ino != st->st_ino) return "inode differs (accurate option i)";
  if ((options & bAccurateOptionPermissions) && old->st_mode != st->st_mode) return "mode differs (accurate option p)";
  if ((options & bAccurateOptionNlink) && old->st_nlink != st->st_nlink) return "nlink differs (accurate option n)";
  if ((options & bAccurateOptionUid) && old->st_uid != st->st_uid) return "uid differs (accurate option u)";
  if ((options & bAccurateOptionGid) && old->st_gid != st->st_gid) return "gid differs (accurate option g)";
  if ((options & bAccurateOptionSize) && old->st_size != st->st_size) return "size differs (accurate option s)";
  if ((options & bAccurateOptionAtime) && old->st_atime != st->st_atime) return "atime differs (accurate option a)";
  if ((options & bAccurateOptionMtime) && old->st_mtime != st->st_mtime) return "mtime differs (accurate option m)";
  if ((options & bAccurateOptionCtime) && old->st_ctime != st->st_ctime) return "ctime differs (accurate option c)";
  if ((options & bAccurateOptionSizeDecrease) && st->st_size < old->st_size) return "size decreased (accurate option d)";
  /* A file whose type changed is always changed. */
  if ((old->st_mode & S_IFMT) != (st->st_mode & S_IFMT)) return "file type differs";
  return NULL;
}

static bRC checkChanges(PluginContext* ctx, save_pkt* sp)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !sp) return bRC_Error;
  Job* job = instance->job;
  if (!sp->fname) {
    job_message(job, M_FATAL, "Command plugin: no fname in bareosCheckChanges packet.");
    return bRC_Error;
  }
  time_t save_time = sp->save_time ? sp->save_time : job->since;
  sp->accurate_found = false;
  sp->delta_seq = 0;
  if (!instance->check_changes) return bRC_OK;
  if (job->accurate) {
    const char* name = (sp->type == FT_DIREND && sp->link) ? sp->link : sp->fname;
    char* key = known_file_key(name);
    KnownFile* known = job->have_previous_files ? hash_get(&job->previous_files, key) : NULL;
    free(key);
    if (!known) {
      trace_line(job, "check_changes %s: changed: not in the previous backup (accurate)", sp->fname);
      return bRC_OK;
    }
    sp->accurate_found = true;
    known->seen = true;
    const char* why = accurate_changed(job, known, &sp->statp);
    trace_line(job, "check_changes %s: %s%s", sp->fname, why ? "changed: " : "unchanged (accurate)",
               why ? why : "");
    return why ? bRC_OK : bRC_Seen;
  }
  if (save_time == 0) return bRC_OK;
  bool mtime_only = flag_set(sp->flags, FO_MTIMEONLY);
  if (sp->statp.st_mtime < save_time && (mtime_only || sp->statp.st_ctime < save_time)) {
    trace_line(job, "check_changes %s: unchanged: mtime %lld%s before since %lld", sp->fname,
               (long long)sp->statp.st_mtime, mtime_only ? " (mtime only)" : " and ctime", (long long)save_time);
    return bRC_Seen;
  }
  trace_line(job, "check_changes %s: changed: %s %lld >= since %lld", sp->fname,
             sp->statp.st_mtime >= save_time ? "mtime" : "ctime",
             (long long)(sp->statp.st_mtime >= save_time ? sp->statp.st_mtime : sp->statp.st_ctime),
             (long long)save_time);
  return bRC_OK;
}

static bRC AcceptFile(PluginContext* ctx, save_pkt* sp)
{
  Job* job = job_of(ctx);
  if (!job || !sp || !sp->fname) return bRC_Error;
  for (int i = 0; i < job->n_excludes; i++) {
    size_t length = strlen(job->excludes[i]);
    while (length > 1 && job->excludes[i][length - 1] == '/') length--;
    if (strncmp(sp->fname, job->excludes[i], length) == 0 &&
        (sp->fname[length] == '\0' || sp->fname[length] == '/'))
      return bRC_Skip;
  }
  return bRC_OK;
}

static void set_seen(const char* key, void* value, void* data)
{
  (void)key;
  ((KnownFile*)value)->seen = *(bool*)data;
}

static bRC change_seen(PluginContext* ctx, bool all, char* fname, bool seen)
{
  Job* job = job_of(ctx);
  if (!job || !job->accurate || (all && fname)) return bRC_Error;
  if (all) {
    if (job->have_previous_files) hash_each(&job->previous_files, set_seen, &seen);
    return bRC_OK;
  }
  if (!fname || !job->have_previous_files) return bRC_Error;
  char* key = known_file_key(fname);
  KnownFile* known = hash_get(&job->previous_files, key);
  free(key);
  if (!known) return bRC_Error;
  known->seen = seen;
  return bRC_OK;
}

static bRC SetSeenBitmap(PluginContext* ctx, bool all, char* fname)
{
  return change_seen(ctx, all, fname, true);
}

static bRC ClearSeenBitmap(PluginContext* ctx, bool all, char* fname)
{
  return change_seen(ctx, all, fname, false);
}

FdCoreFunctions core_functions;

void core_init(void)
{
  memset(&core_functions, 0, sizeof core_functions);
  core_functions.size = sizeof(FdCoreFunctions);
  core_functions.version = FD_PLUGIN_INTERFACE_VERSION;
  core_functions.registerBareosEvents = registerBareosEvents;
  core_functions.unregisterBareosEvents = unregisterBareosEvents;
  core_functions.getInstanceCount = getInstanceCount;
  core_functions.getBareosValue = getBareosValue;
  core_functions.setBareosValue = setBareosValue;
  core_functions.JobMessage = JobMessageFunction;
  core_functions.DebugMessage = DebugMessageFunction;
  core_functions.bareosMalloc = loader_core_malloc;
  core_functions.bareosFree = loader_core_free;
  core_functions.AddExclude = AddExclude;
  core_functions.AddInclude = AddInclude;
  core_functions.AddOptions = AddOptions;
  core_functions.AddRegex = AddRegex;
  core_functions.AddWild = AddWild;
  core_functions.NewOptions = NewOptions;
  core_functions.NewInclude = NewInclude;
  core_functions.NewPreInclude = NewPreInclude;
  core_functions.checkChanges = checkChanges;
  core_functions.AcceptFile = AcceptFile;
  core_functions.SetSeenBitmap = SetSeenBitmap;
  core_functions.ClearSeenBitmap = ClearSeenBitmap;
}

/* -- known files ---------------------------------------------------------------------- */

void job_record_current(Job* job, const char* name, const char* link, int type,
                        const struct stat* st)
{
  char* key = known_file_key(name);
  known_file_free(hash_put(&job->current_files, key, known_file_new(name, link, type, st)));
  free(key);
}

bool job_mark_seen(Job* job, const char* name)
{
  if (!job || !job->accurate || !job->have_previous_files || !name) return false;
  char* key = known_file_key(name);
  KnownFile* known = hash_get(&job->previous_files, key);
  free(key);
  if (!known) return false;
  known->seen = true;
  return true;
}

/* -- events ------------------------------------------------------------------------- */

bool instance_has_event(const Instance* instance, int event)
{
  return events_has(instance->events, event);
}

bool job_canceled(const Job* job)
{
  return job->cancelled || job->fatal;
}

bRC instance_event(Instance* instance, int event, void* value)
{
  if (instance->disabled || !instance_has_event(instance, event)) return bRC_OK;
  bEvent descriptor = {(uint32_t)event};
  char name[24];
  host_debug(150, "[%u] %s: event %s\n", instance->job->id, instance->plugin->plugin.file,
             trace_event_name(event, name));
  bRC rc = instance->plugin->functions->handlePluginEvent(&instance->ctx, &descriptor, value);
  trace_event(instance, event, rc);
  return rc;
}

/* The plugin name an event carries, if it is routed by name (§1.5). */
static bool routed_by_name(int event, void* value, const char** name)
{
  switch (event) {
    case bEventPluginCommand:
    case bEventOptionPlugin:
      *name = value;
      return true;
    case bEventNewPluginOptions:
      if (value && strchr((const char*)value, ':')) {
        *name = value;
        return true;
      }
      return false;
    case bEventRestoreObject: {
      restore_object_pkt* rop = value;
      if (rop && rop->plugin_name && rop->plugin_name[0]) {
        *name = rop->plugin_name;
        return true;
      }
      return false;
    }
    default: return false;
  }
}

bRC job_event(Job* job, int event, void* value)
{
  bool end_event = event == bEventEndBackupJob || event == bEventEndVerifyJob ||
                   event == bEventEndRestoreJob;
  if (job_canceled(job) && !end_event) return bRC_Cancel;
  const char* name = NULL;
  bool by_name = routed_by_name(event, value, &name);
  bRC rc = bRC_OK;
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = &job->instances[i];
    if (instance->disabled) continue;
    if (event == bEventStartRestoreJob) instance->restore_started = false;
    if (by_name && !plugin_matches(instance->plugin, name)) continue;
    if (!instance_has_event(instance, event)) {
      rc = bRC_OK;
      continue;
    }
    if (event == bEventEndRestoreJob) {
      if (instance->restore_started) instance->plugin->functions->endRestoreFile(&instance->ctx);
      instance->restore_started = false;
    }
    rc = instance_event(instance, event, value);
    if (job_canceled(job) && !end_event) return bRC_Cancel;
  }
  return rc;
}

Instance* job_instance_for(Job* job, const char* definition, int event)
{
  char* name = plugin_name_of(definition);
  if (!name) {
    job_message(job, M_ERROR, "Malformed plugin command: %s", definition);
    return NULL;
  }
  free(name);
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = &job->instances[i];
    if (instance->disabled || !instance_has_event(instance, event)) continue;
    if (plugin_matches(instance->plugin, definition)) return instance;
  }
  return NULL;
}

/* -- job life cycle --------------------------------------------------------------------- */

static uint32_t next_job_id(void)
{
  pthread_mutex_lock(&registry_lock);
  uint32_t id = ++last_job_id;
  pthread_mutex_unlock(&registry_lock);
  return id;
}

const char* job_level_name(char level)
{
  switch (level) {
    case L_FULL: return "Full";
    case L_INCREMENTAL: return "Incremental";
    case L_DIFFERENTIAL: return "Differential";
    default: return "-";
  }
}

Job* job_new(const JobOptions* options, JobKind kind)
{
  Job* job = xcalloc(1, sizeof *job);
  job->options = options;
  job->kind = kind;
  job->id = next_job_id();
  job->type = kind == JOB_RESTORE ? JT_RESTORE : JT_BACKUP;
  job->level = kind == JOB_RESTORE ? L_FULL : (options->level ? options->level : L_FULL);
  job->status = JS_Created;
  job->start_time = time(NULL);
  job->full_start_time = job->start_time;
  job->start_clock = monotonic_seconds();
  job->accurate = options->accurate;
  job->accurate_options = options->accurate_options ? options->accurate_options
                                                    : ACCURATE_DEFAULT_OPTIONS;
  job->where = options->where;
  job->regexwhere = options->regexwhere;
  job->prefix_links = options->prefix_links;
  job->next_entry = 1;
  pthread_mutex_init(&job->lock, NULL);
  buffer_init(&job->fileset_log);
  hash_init(&job->previous_files);
  hash_init(&job->current_files);
  hash_init(&job->hardlinks);

  const char* base = options->job_name
                         ? options->job_name
                         : (kind == JOB_RESTORE ? "restore" : kind == JOB_ESTIMATE ? "estimate" : "backup");
  struct tm local;
  localtime_r(&job->start_time, &local);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y-%m-%d_%H.%M.%S", &local);
  job->name = xasprintf("%s.%s_%02u", base, stamp, job->id % 100);

  const char* working_dir = options->working_dir ? options->working_dir : host.working_dir;
  if (working_dir) {
    job->working_dir = xstrdup(working_dir);
  } else {
    const char* tmp = getenv("TMPDIR");
    char* template = xasprintf("%s/bareospy-fd.%u.XXXXXX", tmp && *tmp ? tmp : "/tmp", job->id);
    if (mkdtemp(template)) {
      job->working_dir = template;
      job->own_working_dir = true;
    } else {
      free(template);
      job->working_dir = xstrdup(tmp && *tmp ? tmp : "/tmp");
    }
  }

  pthread_once(&current_job_once, make_current_job_key);
  pthread_setspecific(current_job_key, job);

  return job;
}

void job_start(Job* job)
{
  RunningJob* running = xcalloc(1, sizeof *running);
  running->job = job;
  job->n_instances = host.plugins.count;
  job->instances = xcalloc((size_t)(job->n_instances ? job->n_instances : 1), sizeof(Instance));
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = &job->instances[i];
    instance->plugin = host.plugins.items[i];
    instance->job = job;
    instance->check_changes = true;
    instance->ctx.instance = 0;
    instance->ctx.plugin = &instance->plugin->plugin;
    instance->ctx.core_private_context = instance;
    instance->ctx.plugin_private_context = NULL;
  }
  pthread_mutex_lock(&registry_lock);
  running->next = running_jobs;
  running_jobs = running;
  pthread_mutex_unlock(&registry_lock);
  job->status = JS_Running;
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = &job->instances[i];
    bRC rc = instance->plugin->functions->newPlugin(&instance->ctx);
    if (rc != bRC_OK) {
      pthread_mutex_lock(&registry_lock);
      instance->disabled = true;
      pthread_mutex_unlock(&registry_lock);
      job_message(job, M_ERROR, "Plugin %s: newPlugin failed (%d); the plugin is disabled for this job",
                  instance->plugin->plugin.file, rc);
    }
  }
  char status_text[256] = "";
  job_event(job, bEventJobStart, status_text);
  fd_scripting_job_start(job);
}

void job_cancel(Job* job)
{
  job->cancelled = 1;
  job->status = JS_Canceled;
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = &job->instances[i];
    if (instance->plugin && !instance->disabled && instance_has_event(instance, bEventCancelCommand))
      instance_event(instance, bEventCancelCommand, NULL);
  }
}

/* Called from the signal-handling thread. */
void cancel_all_jobs(void);
void cancel_all_jobs(void)
{
  Job* jobs[256];
  int count = 0;
  pthread_mutex_lock(&registry_lock);
  for (RunningJob* running = running_jobs; running && count < 256; running = running->next) {
    running->pins++;
    jobs[count++] = running->job;
  }
  pthread_mutex_unlock(&registry_lock);
  for (int i = 0; i < count; i++) job_cancel(jobs[i]);
  pthread_mutex_lock(&registry_lock);
  for (RunningJob* running = running_jobs; running; running = running->next)
    for (int i = 0; i < count; i++)
      if (running->job == jobs[i]) running->pins--;
  pthread_cond_broadcast(&registry_changed);
  pthread_mutex_unlock(&registry_lock);
}

/* Called from the signal-handling thread when jobs have not ended in time
 * after a cancel: each job still running gets a fatal message saying so and
 * its report; the caller then ends the process.  Returns how many there were. */
int report_stuck_jobs(double waited);
int report_stuck_jobs(double waited)
{
  Job* jobs[256];
  int count = 0;
  pthread_mutex_lock(&registry_lock);
  for (RunningJob* running = running_jobs; running && count < 256; running = running->next) {
    running->pins++; /* job_finish waits: the job stays valid while it is reported */
    jobs[count++] = running->job;
  }
  pthread_mutex_unlock(&registry_lock);
  for (int i = 0; i < count; i++) {
    Job* job = jobs[i];
    const char* file = job->current_file;
    Buffer name;
    buffer_init(&name);
    if (file) escape_name(&name, file);
    job_message(job, M_FATAL,
                "the job did not end within %.0f s of the cancel request: a plugin or the core is "
                "stuck in a blocking call%s%s; the process exits without waiting for it",
                waited, file ? " while working on " : "", file ? name.data : "");
    buffer_free(&name);
    job_report(job);
  }
  return count; /* the pins are never released: the process ends */
}

void job_finish(Job* job)
{
  if (!job_canceled(job)) job_event(job, bEventJobEnd, NULL);
  fd_scripting_job_end(job);
  /* Leave the registry first (waiting for a canceling thread to let go). */
  pthread_mutex_lock(&registry_lock);
  RunningJob** link = &running_jobs;
  while (*link && (*link)->job != job) link = &(*link)->next;
  if (*link) {
    RunningJob* running = *link;
    while (running->pins > 0) pthread_cond_wait(&registry_changed, &registry_lock);
    link = &running_jobs;
    while (*link != running) link = &(*link)->next;
    *link = running->next;
    free(running);
  }
  pthread_mutex_unlock(&registry_lock);
  for (int i = 0; i < job->n_instances; i++) {
    Instance* instance = &job->instances[i];
    if (!instance->plugin) continue;
    instance->plugin->functions->freePlugin(&instance->ctx);
  }
  job->end_time = time(NULL);
  if (job->cancelled)
    job->status = JS_Canceled;
  else if (job->fatal)
    job->status = JS_FatalError;
  else if (job->errors)
    job->status = JS_ErrorTerminated;
  else if (job->warnings)
    job->status = JS_Warnings;
  else
    job->status = JS_Terminated;
  if (job->own_working_dir) remove_tree(job->working_dir);
}

void job_free(Job* job)
{
  for (JobMessage* message = job->messages; message;) {
    JobMessage* next = message->next;
    free(message->text);
    free(message);
    message = next;
  }
  for (int i = 0; i < job->n_excludes; i++) free(job->excludes[i]);
  free(job->excludes);
  buffer_free(&job->fileset_log);
  hash_free(&job->previous_files, known_file_free);
  hash_free(&job->current_files, known_file_free);
  hash_free(&job->hardlinks, free);
  free(job->instances);
  free(job->previous_job_name);
  free(job->working_dir);
  free(job->name);
  pthread_mutex_destroy(&job->lock);
  if (current_job() == job) pthread_setspecific(current_job_key, NULL);
  free(job);
}

const char* job_status_text(const Job* job)
{
  if (job->cancelled) return "Canceled";
  if (job->fatal) return "Fatal";
  if (job->errors) return "Error";
  if (job->warnings) return "OK with warnings";
  return "OK";
}

int job_exit_status(const Job* job)
{
  if (job->cancelled || job->fatal) return EXIT_JOB_FATAL;
  if (job->errors) return EXIT_JOB_ERRORS;
  return EXIT_OK;
}
