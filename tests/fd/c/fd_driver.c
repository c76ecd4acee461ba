/*
 * fd_driver.c -- a stand-in Bareos file daemon core for testing a file
 * daemon plugin (python3-fd.so) the way a daemon drives it.
 *
 * It loads the plugin exactly like a daemon (contract §1.1-§1.3: dlopen
 * with RTLD_LAZY|RTLD_GLOBAL, dlsym loadPlugin/unloadPlugin, loadPlugin with
 * a PluginApiDefinition {8, 10} and its own FdCoreFunctions, then the
 * magic/version/licence/size checks), gives the plugin a core that records
 * every callback, and runs the call sequences of contract §7.
 *
 * Usage: fd_driver [options] PLUGIN_SO SCENARIO 'PLUGIN_DEFINITION'
 *
 * Scenarios: backup, restore, estimate, events, concurrent, cancel, reload,
 * or a list of jobs such as "backup,restore" run by one loaded plugin (see
 * usage() below for the options).
 *
 * Output: one JSON object per line on stdout, nothing else:
 *   {"core":"JobMessage","ctx":0,"thread":0,"type":3,"text":"..."}  a callback
 *   {"call":"pluginIO","func":2,"rc":0,"status":5,...}              an entry point
 *   {"job":"message","type":3,"text":"..."}     a message of the driver's core
 *   {"data":"/x","bytes":5,"sha256":"..."}       data read at backup
 *   {"restored":"/w/x","bytes":5,"sha256":"..."} data written at restore
 *   {"job":"end","status":"OK",...}              end of a job
 *   {"driver":"done"}                            the driver finished normally
 * Strings are JSON strings; bytes that are not UTF-8 (and control bytes)
 * appear as \u00XX.
 *
 * Exit status: 0 when the scenario ran (whatever the plugin answered),
 * non-zero only for the driver's own failures (bad arguments, dlopen,
 * the compatibility check), which print {"error":...}.
 *
 * Only the headers in include/bareospy, libc, libdl and pthreads: C99, -Wall -Wextra
 * -Werror clean.
 */
#define _XOPEN_SOURCE 700

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "sha256.h"
#include "bareospy/fd.h"

#define IO_BUFFER_SIZE 65536
#define MAX_LIST 256

/* ======================================================================
 * Small utilities: out of memory, growing byte buffers, formatting
 * ==================================================================== */

static void out_of_memory(void)
{
  fputs("{\"error\":\"driver: out of memory\"}\n", stdout);
  fflush(stdout);
  exit(70);
}

static void* xmalloc(size_t size)
{
  void* p = malloc(size ? size : 1);
  if (!p) out_of_memory();
  return p;
}

static void* xrealloc(void* old, size_t size)
{
  void* p = realloc(old, size ? size : 1);
  if (!p) out_of_memory();
  return p;
}

static char* xstrdup(const char* s)
{
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char* copy = xmalloc(n);
  memcpy(copy, s, n);
  return copy;
}

typedef struct {
  unsigned char* p;
  size_t len, cap;
} Bytes;

static void bytes_add(Bytes* b, const void* data, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = 0;
}

static void bytes_free(Bytes* b)
{
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

/* printf into a new malloc'd string. */
static char* vformat(const char* fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return xstrdup("(unformattable message)");
  char* text = xmalloc((size_t)n + 1);
  vsnprintf(text, (size_t)n + 1, fmt, ap);
  return text;
}

/* SHA-256 of the data that passes through: the reference host's own
 * implementation (embed/hosts/fd/sha256.c, compiled in by the test fixture). */

static void sha_hex(Sha256* s, char out[65])
{
  unsigned char digest[SHA256_DIGEST_SIZE];
  sha256_final(s, digest);
  sha256_hex(digest, out);
}

static void sha_of(const void* data, size_t n, char out[65])
{
  Sha256 s;
  sha256_init(&s);
  sha256_update(&s, data, n);
  sha_hex(&s, out);
}

/* ======================================================================
 * JSON lines
 * ==================================================================== */

static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t thread_label_key;

/* A small number naming the calling thread: 0 main, 1 cancel, 1..N workers. */
static int thread_label(void) { return (int)(intptr_t)pthread_getspecific(thread_label_key); }
static void set_thread_label(int label) { pthread_setspecific(thread_label_key, (void*)(intptr_t)label); }

typedef struct {
  Bytes b;
  bool comma;
} Json;

static void j_raw(Json* j, const char* s, size_t n) { bytes_add(&j->b, s, n); }
static void j_rawz(Json* j, const char* s) { j_raw(j, s, strlen(s)); }

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_sequence(const unsigned char* s, size_t n)
{
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else
    return 0;
  if (n < len) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return len;
}

static void j_string(Json* j, const char* s, size_t n)
{
  const unsigned char* u = (const unsigned char*)s;
  char esc[8];
  j_raw(j, "\"", 1);
  for (size_t i = 0; i < n;) {
    unsigned char c = u[i];
    if (c == '"') {
      j_raw(j, "\\\"", 2);
      i++;
    } else if (c == '\\') {
      j_raw(j, "\\\\", 2);
      i++;
    } else if (c == '\n') {
      j_raw(j, "\\n", 2);
      i++;
    } else if (c == '\t') {
      j_raw(j, "\\t", 2);
      i++;
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      j_raw(j, esc, 6);
      i++;
    } else if (c < 0x80) {
      j_raw(j, (const char*)u + i, 1);
      i++;
    } else {
      size_t len = utf8_sequence(u + i, n - i);
      if (len) {
        j_raw(j, (const char*)u + i, len);
        i += len;
      } else {
        snprintf(esc, sizeof esc, "\\u%04x", c);
        j_raw(j, esc, 6);
        i++;
      }
    }
  }
  j_raw(j, "\"", 1);
}

static void j_key(Json* j, const char* key)
{
  if (j->comma) j_raw(j, ",", 1);
  j_string(j, key, strlen(key));
  j_raw(j, ":", 1);
  j->comma = true;
}

static void j_begin(Json* j)
{
  memset(j, 0, sizeof *j);
  j_raw(j, "{", 1);
}

static void j_str(Json* j, const char* key, const char* value)
{
  j_key(j, key);
  if (value)
    j_string(j, value, strlen(value));
  else
    j_rawz(j, "null");
}

static void j_strn(Json* j, const char* key, const char* value, size_t n)
{
  j_key(j, key);
  if (value)
    j_string(j, value, n);
  else
    j_rawz(j, "null");
}

static void j_int(Json* j, const char* key, long long value)
{
  char text[32];
  snprintf(text, sizeof text, "%lld", value);
  j_key(j, key);
  j_rawz(j, text);
}

static void j_uint(Json* j, const char* key, unsigned long long value)
{
  char text[32];
  snprintf(text, sizeof text, "%llu", value);
  j_key(j, key);
  j_rawz(j, text);
}

static void j_bool(Json* j, const char* key, bool value)
{
  j_key(j, key);
  j_rawz(j, value ? "true" : "false");
}

static void j_null(Json* j, const char* key)
{
  j_key(j, key);
  j_rawz(j, "null");
}

/* Finish the object and write it as one line (atomically among threads). */
static void j_end(Json* j)
{
  j_raw(j, "}\n", 2);
  pthread_mutex_lock(&output_lock);
  fwrite(j->b.p, 1, j->b.len, stdout);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
  bytes_free(&j->b);
}

static void print_error(const char* stage, const char* text)
{
  Json j;
  j_begin(&j);
  j_str(&j, "error", text);
  j_str(&j, "stage", stage);
  j_end(&j);
}

/* ======================================================================
 * Options
 * ==================================================================== */

typedef struct {
  int number;
  const char* value; /* NULL: the event carries no value */
} EventOption;

static struct {
  const char* plugin_so;
  const char* scenario;
  const char* definition;
  char level;
  long long since;
  unsigned char flags[FOPTS_BYTES];
  const char* plugin_dir;
  const char* archive;
  const char* where;
  const char* options[MAX_LIST];
  int noptions;
  EventOption events[MAX_LIST];
  int nevents;
  const char* check_files[MAX_LIST];
  int ncheck_files;
  int threads;
  long calls;
  const char* call; /* concurrent: "event" or "io" */
  int jobid;
  int max_files;
  int replace;
  int rounds;
  bool accurate;
  bool no_command;
  unsigned long long accurate_options;
} opt;

static bool flag_set(const char flags[FOPTS_BYTES], int bit)
{
  return (flags[bit >> 3] & (1 << (bit & 7))) != 0;
}

static void set_flag(unsigned char flags[FOPTS_BYTES], int bit)
{
  flags[bit >> 3] = (unsigned char)(flags[bit >> 3] | (1 << (bit & 7)));
}

/* ======================================================================
 * The loaded plugin and its instances
 * ==================================================================== */

static void* plugin_handle;
static loadPlugin_t plugin_load;
static unloadPlugin_t plugin_unload;
static PluginInformation* plugin_info;
static FdPluginFunctions* fns;
static Plugin plugin_record;
static char* plugin_file_name;

/* One job: what the core knows and counts. */
typedef struct Job {
  pthread_mutex_t lock;
  char type;   /* JT_BACKUP, JT_RESTORE */
  char level;  /* L_FULL ... */
  long long since;
  int jobid;
  char status; /* JS_Running, JS_Canceled */
  bool canceled;
  int fatal, errors;
  long files;
  long long bytes;
  char** seen;
  size_t nseen, capseen;
} Job;

/* One plugin instance (PluginContext) and the core's bookkeeping for it. */
typedef struct Instance {
  PluginContext ctx;
  Job* job;
  uint64_t events; /* bit n: event n registered */
  bool check_changes;
  bool disabled;
  bool restore_started;
} Instance;

static pthread_mutex_t instances_lock = PTHREAD_MUTEX_INITIALIZER;
static int live_instances;

static void job_init(Job* job, char type, int jobid)
{
  memset(job, 0, sizeof *job);
  pthread_mutex_init(&job->lock, NULL);
  job->type = type;
  job->level = opt.level;
  job->since = opt.since;
  job->jobid = jobid;
  job->status = JS_Running;
}

static void job_free(Job* job)
{
  for (size_t i = 0; i < job->nseen; i++) free(job->seen[i]);
  free(job->seen);
  pthread_mutex_destroy(&job->lock);
}

static bool job_canceled(Job* job)
{
  pthread_mutex_lock(&job->lock);
  bool canceled = job->canceled;
  pthread_mutex_unlock(&job->lock);
  return canceled;
}

static void job_cancel(Job* job)
{
  pthread_mutex_lock(&job->lock);
  job->canceled = true;
  job->status = JS_Canceled;
  pthread_mutex_unlock(&job->lock);
}

/* What a message of this type does to the job's status. */
static void job_count_message(Job* job, int type)
{
  if (!job) return;
  pthread_mutex_lock(&job->lock);
  if (type == M_FATAL || type == M_ABORT || type == M_ERROR_TERM)
    job->fatal++;
  else if (type == M_ERROR || type == M_NOTSAVED)
    job->errors++;
  pthread_mutex_unlock(&job->lock);
}

static void job_mark_seen(Job* job, const char* fname)
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

static bool job_was_seen(Job* job, const char* fname)
{
  bool found = false;
  pthread_mutex_lock(&job->lock);
  for (size_t i = 0; i < job->nseen && !found; i++) found = strcmp(job->seen[i], fname) == 0;
  pthread_mutex_unlock(&job->lock);
  return found;
}

/* A message of the driver's own core (not a plugin callback). */
static void job_message(Job* job, int type, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char* text = vformat(fmt, ap);
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

static void print_job_end(Job* job, const char* what)
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

static Instance* instance_of(PluginContext* ctx)
{
  return ctx ? (Instance*)ctx->core_private_context : NULL;
}

static Job* job_of(PluginContext* ctx)
{
  Instance* inst = instance_of(ctx);
  return inst ? inst->job : NULL;
}

static bool is_registered(Instance* inst, uint32_t event)
{
  return event < 64 && (inst->events & ((uint64_t)1 << event)) != 0;
}

/* ======================================================================
 * The core functions (FdCoreFunctions): each records what it was asked
 * ==================================================================== */

static void core_begin(Json* j, const char* name, PluginContext* ctx)
{
  j_begin(j);
  j_str(j, "core", name);
  if (ctx)
    j_int(j, "ctx", ctx->instance);
  else
    j_null(j, "ctx");
  j_int(j, "thread", thread_label());
}

static bRC change_events(const char* name, PluginContext* ctx, int n, va_list ap, bool set)
{
  Instance* inst = instance_of(ctx);
  Json j;
  core_begin(&j, name, ctx);
  j_key(&j, "events");
  j_raw(&j, "[", 1);
  for (int i = 0; i < n; i++) {
    unsigned int event = va_arg(ap, unsigned int);
    char text[16];
    snprintf(text, sizeof text, "%s%u", i ? "," : "", event);
    j_rawz(&j, text);
    if (inst && event < 64) {
      if (set)
        inst->events |= (uint64_t)1 << event;
      else
        inst->events &= ~((uint64_t)1 << event);
    }
  }
  j_raw(&j, "]", 1);
  bRC rc = ctx ? bRC_OK : bRC_Error;
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_register_events(PluginContext* ctx, int n, ...)
{
  va_list ap;
  va_start(ap, n);
  bRC rc = change_events("registerBareosEvents", ctx, n, ap, true);
  va_end(ap);
  return rc;
}

static bRC core_unregister_events(PluginContext* ctx, int n, ...)
{
  va_list ap;
  va_start(ap, n);
  bRC rc = change_events("unregisterBareosEvents", ctx, n, ap, false);
  va_end(ap);
  return rc;
}

static bRC core_get_instance_count(PluginContext* ctx, int* ret)
{
  Json j;
  core_begin(&j, "getInstanceCount", ctx);
  bRC rc = bRC_Error;
  if (ctx && ret) {
    pthread_mutex_lock(&instances_lock);
    *ret = live_instances;
    pthread_mutex_unlock(&instances_lock);
    j_int(&j, "value", *ret);
    rc = bRC_OK;
  }
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static const char* const job_name = "DriverJob.2026-01-01_00.00.00_01";
static const char* const daemon_name = "bareospy-driver-fd";
static const char* const version_text = "26.0.0~pre (01 January 2026)";

static bRC core_get_value(PluginContext* ctx, bVariable var, void* value)
{
  Instance* inst = instance_of(ctx);
  Job* job = inst ? inst->job : NULL;
  bRC rc = bRC_OK;
  Json j;
  core_begin(&j, "getBareosValue", ctx);
  j_int(&j, "var", var);
  const char* text = NULL;
  bool is_text = false;
  if (!value) {
    rc = bRC_Error;
  } else {
    switch (var) {
      case bVarJobId:
      case bVarLevel:
      case bVarType:
      case bVarJobStatus:
      case bVarSinceTime:
      case bVarAccurate:
      case bVarPrefixLinks: {
        if (!job) {
          rc = bRC_Error;
          break;
        }
        int number = 0;
        if (var == bVarJobId) number = job->jobid;
        if (var == bVarLevel) number = job->level;
        if (var == bVarType) number = job->type;
        if (var == bVarJobStatus) {
          pthread_mutex_lock(&job->lock);
          number = job->status;
          pthread_mutex_unlock(&job->lock);
        }
        if (var == bVarSinceTime) number = (int)job->since;
        if (var == bVarAccurate) number = opt.accurate ? 1 : 0;
        *(int*)value = number;
        j_int(&j, "value", number);
        break;
      }
      case bVarFDName:
        text = daemon_name, is_text = true;
        break;
      case bVarWorkingDir:
        text = "/var/lib/bareos", is_text = true;
        break;
      case bVarExePath:
        text = "/usr/sbin", is_text = true;
        break;
      case bVarVersion:
        text = version_text, is_text = true;
        break;
      case bVarUsedConfig:
        text = "/etc/bareos/bareos-fd.d/*/*.conf", is_text = true;
        break;
      case bVarClient:
      case bVarJobName:
      case bVarWhere:
      case bVarRegexWhere:
      case bVarPrevJobName:
        if (!job) {
          rc = bRC_Error;
          break;
        }
        is_text = true;
        if (var == bVarClient) text = daemon_name;
        if (var == bVarJobName) text = job_name;
        if (var == bVarWhere) text = job->type == JT_RESTORE ? opt.where : NULL;
        break;
      case bVarPluginPath:
        if (opt.plugin_dir)
          text = opt.plugin_dir, is_text = true;
        else
          rc = bRC_Error;
        break;
      case bVarCheckChanges:
        if (!inst) {
          rc = bRC_Error;
          break;
        }
        *(bool*)value = inst->check_changes;
        j_bool(&j, "value", inst->check_changes);
        break;
      case bVarAccurateOptions:
        if (!job || job->type == JT_RESTORE) {
          rc = bRC_Error; /* no find packet */
          break;
        }
        *(uint64_t*)value = (uint64_t)opt.accurate_options;
        j_uint(&j, "value", opt.accurate_options);
        break;
      case bVarFileSeen:
        if (!job) rc = bRC_Error; /* write only: nothing to give */
        break;
      case bVarVssClient:
      case bVarDistName:
        rc = bRC_Error;
        break;
      default: /* unknown: OK, nothing written */
        break;
    }
  }
  if (is_text && rc == bRC_OK) {
    *(const char**)value = text;
    j_str(&j, "value", text);
  }
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_set_value(PluginContext* ctx, bVariable var, const void* value)
{
  Instance* inst = instance_of(ctx);
  bRC rc = bRC_OK;
  Json j;
  core_begin(&j, "setBareosValue", ctx);
  j_int(&j, "var", var);
  if (!inst || !value) {
    rc = bRC_Error;
  } else if (var == bVarCheckChanges) {
    inst->check_changes = *(const bool*)value;
    j_bool(&j, "value", inst->check_changes);
  } else if (var == bVarFileSeen) {
    j_str(&j, "value", (const char*)value);
    job_mark_seen(inst->job, (const char*)value);
  } else {
    job_message(inst->job, M_ERROR, "Warning: bareosSetValue not implemented for var %d.\n", (int)var);
  }
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

/* Record a Job/DebugMessage: one JSON line with the formatted text. */
static void record_message(PluginContext* ctx, const char* call, const char* key, int value,
                           const char* fmt, va_list ap)
{
  char* text = fmt ? vformat(fmt, ap) : xstrdup("");
  Json j;
  core_begin(&j, call, ctx);
  j_int(&j, key, value);
  j_str(&j, "text", text);
  j_end(&j);
  free(text);
}

static bRC core_job_message(PluginContext* ctx, const char* file, int line, int type, utime_t mtime,
                            const char* fmt, ...)
{
  (void)file, (void)line, (void)mtime;
  va_list ap;
  va_start(ap, fmt);
  record_message(ctx, "JobMessage", "type", type, fmt, ap);
  va_end(ap);
  job_count_message(job_of(ctx), type);
  return bRC_OK;
}

static bRC core_debug_message(PluginContext* ctx, const char* file, int line, int level,
                              const char* fmt, ...)
{
  (void)file, (void)line;
  va_list ap;
  va_start(ap, fmt);
  record_message(ctx, "DebugMessage", "level", level, fmt, ap);
  va_end(ap);
  return bRC_OK;
}

static void* core_malloc(PluginContext* ctx, const char* file, int line, size_t size)
{
  (void)file, (void)line;
  Json j;
  core_begin(&j, "bareosMalloc", ctx);
  j_uint(&j, "size", size);
  j_end(&j);
  return malloc(size);
}

static void core_free(PluginContext* ctx, const char* file, int line, void* mem)
{
  (void)file, (void)line;
  Json j;
  core_begin(&j, "bareosFree", ctx);
  j_bool(&j, "null", mem == NULL);
  j_end(&j);
  free(mem);
}

static bRC record_text(const char* name, PluginContext* ctx, const char* text)
{
  bRC rc = ctx && text ? bRC_OK : bRC_Error;
  Json j;
  core_begin(&j, name, ctx);
  j_str(&j, "value", text);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_add_exclude(PluginContext* ctx, const char* file) { return record_text("AddExclude", ctx, file); }
static bRC core_add_include(PluginContext* ctx, const char* file) { return record_text("AddInclude", ctx, file); }
static bRC core_add_options(PluginContext* ctx, const char* opts) { return record_text("AddOptions", ctx, opts); }

static bRC record_item(const char* name, PluginContext* ctx, const char* item, int type)
{
  bRC rc = ctx && item ? bRC_OK : bRC_Error;
  Json j;
  core_begin(&j, name, ctx);
  j_str(&j, "value", item);
  j_int(&j, "type", type);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_add_regex(PluginContext* ctx, const char* item, int type) { return record_item("AddRegex", ctx, item, type); }
static bRC core_add_wild(PluginContext* ctx, const char* item, int type) { return record_item("AddWild", ctx, item, type); }

static bRC record_plain(const char* name, PluginContext* ctx)
{
  bRC rc = ctx ? bRC_OK : bRC_Error;
  Json j;
  core_begin(&j, name, ctx);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_new_options(PluginContext* ctx) { return record_plain("NewOptions", ctx); }
static bRC core_new_include(PluginContext* ctx) { return record_plain("NewInclude", ctx); }
static bRC core_new_pre_include(PluginContext* ctx) { return record_plain("NewPreInclude", ctx); }

/* The non-accurate change check of contract §1.6.1 step 4. */
static bRC core_check_changes(PluginContext* ctx, save_pkt* sp)
{
  Instance* inst = instance_of(ctx);
  bRC rc = bRC_OK;
  Json j;
  core_begin(&j, "checkChanges", ctx);
  if (!inst || !sp) {
    rc = bRC_Error;
  } else if (!sp->fname) {
    job_message(inst->job, M_FATAL, "Command plugin: no fname in bareosCheckChanges packet.\n");
    rc = bRC_Error;
  } else {
    long long reference = sp->save_time ? (long long)sp->save_time : inst->job->since;
    j_str(&j, "fname", sp->fname);
    j_int(&j, "save_time", reference);
    j_int(&j, "st_mtime", (long long)sp->statp.st_mtime);
    j_int(&j, "st_ctime", (long long)sp->statp.st_ctime);
    j_bool(&j, "check_changes", inst->check_changes);
    if (inst->check_changes) {
      bool mtime_only = flag_set((const char*)opt.flags, FO_MTIMEONLY);
      bool unchanged = sp->statp.st_mtime < reference &&
                       (mtime_only || sp->statp.st_ctime < reference);
      rc = unchanged ? bRC_Seen : bRC_OK;
    }
    sp->delta_seq = 0;
    sp->accurate_found = false;
  }
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_accept_file(PluginContext* ctx, save_pkt* sp)
{
  bRC rc = ctx && sp && sp->fname ? bRC_OK : bRC_Error;
  Json j;
  core_begin(&j, "AcceptFile", ctx);
  j_str(&j, "fname", sp ? sp->fname : NULL);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC record_seen(const char* name, PluginContext* ctx, bool all, char* fname)
{
  bRC rc = (!ctx || (all && fname) || (!all && !fname)) ? bRC_Error : bRC_OK;
  Json j;
  core_begin(&j, name, ctx);
  j_bool(&j, "all", all);
  j_str(&j, "fname", fname);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC core_set_seen(PluginContext* ctx, bool all, char* fname) { return record_seen("SetSeenBitmap", ctx, all, fname); }
static bRC core_clear_seen(PluginContext* ctx, bool all, char* fname) { return record_seen("ClearSeenBitmap", ctx, all, fname); }

static FdCoreFunctions core_functions = {
    .size = sizeof(FdCoreFunctions),
    .version = FD_PLUGIN_INTERFACE_VERSION,
    .registerBareosEvents = core_register_events,
    .unregisterBareosEvents = core_unregister_events,
    .getInstanceCount = core_get_instance_count,
    .getBareosValue = core_get_value,
    .setBareosValue = core_set_value,
    .JobMessage = core_job_message,
    .DebugMessage = core_debug_message,
    .bareosMalloc = core_malloc,
    .bareosFree = core_free,
    .AddExclude = core_add_exclude,
    .AddInclude = core_add_include,
    .AddOptions = core_add_options,
    .AddRegex = core_add_regex,
    .AddWild = core_add_wild,
    .NewOptions = core_new_options,
    .NewInclude = core_new_include,
    .NewPreInclude = core_new_pre_include,
    .checkChanges = core_check_changes,
    .AcceptFile = core_accept_file,
    .SetSeenBitmap = core_set_seen,
    .ClearSeenBitmap = core_clear_seen,
};

/* ======================================================================
 * Loading and unloading (contract §1.1-§1.3)
 * ==================================================================== */

static bool load_plugin(const char* path)
{
  plugin_handle = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
  if (!plugin_handle) {
    const char* why = dlerror();
    print_error("dlopen", why ? why : "dlopen failed");
    return false;
  }
  void* load = dlsym(plugin_handle, "loadPlugin");
  void* unload = dlsym(plugin_handle, "unloadPlugin");
  if (!load || !unload) {
    print_error("dlsym", "loadPlugin or unloadPlugin is missing");
    dlclose(plugin_handle);
    return false;
  }
  memcpy(&plugin_load, &load, sizeof load);
  memcpy(&plugin_unload, &unload, sizeof unload);

  const char* base = strrchr(path, '/');
  base = base ? base + 1 : path;
  free(plugin_file_name);
  plugin_file_name = xstrdup(base);
  size_t len = strlen(plugin_file_name);
  const char* type = "-fd.so";
  size_t type_len = strlen(type);
  memset(&plugin_record, 0, sizeof plugin_record);
  plugin_record.file = plugin_file_name;
  plugin_record.file_len = (int32_t)(len > type_len && strcmp(plugin_file_name + len - type_len, type) == 0
                                         ? len - type_len
                                         : len);
  plugin_record.unloadPlugin = plugin_unload;
  plugin_record.plugin_handle = plugin_handle;

  PluginApiDefinition api = {sizeof(PluginApiDefinition), FD_PLUGIN_INTERFACE_VERSION};
  plugin_info = NULL;
  fns = NULL;
  void* functions = NULL;
  bRC rc = plugin_load(&api, &core_functions, &plugin_info, &functions);
  fns = functions;

  Json j;
  j_begin(&j);
  j_str(&j, "load", plugin_file_name);
  j_int(&j, "rc", rc);
  if (plugin_info) {
    j_uint(&j, "size", plugin_info->size);
    j_uint(&j, "version", plugin_info->version);
    j_str(&j, "magic", plugin_info->plugin_magic);
    j_str(&j, "license", plugin_info->plugin_license);
    j_str(&j, "description", plugin_info->plugin_description);
  }
  j_end(&j);

  const char* problem = NULL;
  if (rc != bRC_OK)
    problem = "loadPlugin did not return bRC_OK";
  else if (!plugin_info)
    problem = "plugin_information is NULL";
  else if (!plugin_info->plugin_magic || strcmp(plugin_info->plugin_magic, FD_PLUGIN_MAGIC) != 0)
    problem = "wrong plugin_magic";
  else if (plugin_info->version != FD_PLUGIN_INTERFACE_VERSION)
    problem = "wrong interface version";
  else if (!plugin_info->plugin_license ||
           (strcasecmp(plugin_info->plugin_license, BAREOS_PLUGIN_LICENSE) != 0 &&
            strcasecmp(plugin_info->plugin_license, BAREOS_PLUGIN_LICENSE_SHORT) != 0))
    problem = "unacceptable plugin_license";
  else if (plugin_info->size != sizeof(PluginInformation))
    problem = "wrong PluginInformation size";
  else if (!fns)
    problem = "no PluginFunctions table";
  if (problem) {
    print_error("compat", problem);
    plugin_unload();
    dlclose(plugin_handle);
    plugin_handle = NULL;
    return false;
  }
  plugin_record.plugin_information = plugin_info;
  plugin_record.plugin_functions = fns;
  return true;
}

static void unload_plugin(void)
{
  bRC rc = plugin_unload();
  Json j;
  j_begin(&j);
  j_str(&j, "unload", plugin_file_name);
  j_int(&j, "rc", rc);
  j_end(&j);
  dlclose(plugin_handle);
  plugin_handle = NULL;
  fns = NULL;
}

/* Does the plugin string's name (text before the first ':') name this
 * plugin (contract §4.7)? */
static bool plugin_matches(Job* job, const char* command)
{
  if (!command) return true;
  const char* colon = strchr(command, ':');
  size_t len = colon ? (size_t)(colon - command) : strlen(command);
  if (!colon && strchr(command, ' ')) {
    job_message(job, M_ERROR, "Malformed plugin command: %s\n", command);
    return false;
  }
  if ((len == 5 && strncmp(command, "*all*", 5) == 0) || (len == 3 && strncmp(command, "job", 3) == 0))
    return true;
  size_t file_len = (size_t)plugin_record.file_len;
  if (len == file_len && strncmp(command, plugin_record.file, len) == 0) return true;
  if (file_len > 0 && len == file_len - 1 && strncmp(command, plugin_record.file, len) == 0) return true;
  return false;
}

/* ======================================================================
 * Calling the plugin's entry points, printing each call
 * ==================================================================== */

static void call_begin(Json* j, const char* name)
{
  j_begin(j);
  j_str(j, "call", name);
  j_int(j, "thread", thread_label());
}

static void instance_init(Instance* inst, Job* job, uint32_t number)
{
  memset(inst, 0, sizeof *inst);
  inst->ctx.instance = number;
  inst->ctx.plugin = &plugin_record;
  inst->ctx.core_private_context = inst;
  inst->ctx.plugin_private_context = NULL;
  inst->job = job;
  inst->check_changes = true;
}

static bRC call_new_plugin(Instance* inst)
{
  pthread_mutex_lock(&instances_lock);
  live_instances++;
  pthread_mutex_unlock(&instances_lock);
  bRC rc = fns->newPlugin(&inst->ctx);
  Json j;
  call_begin(&j, "newPlugin");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "rc", rc);
  j_end(&j);
  if (rc != bRC_OK) inst->disabled = true;
  return rc;
}

static bRC call_free_plugin(Instance* inst)
{
  bRC rc = fns->freePlugin(&inst->ctx);
  pthread_mutex_lock(&instances_lock);
  live_instances--;
  pthread_mutex_unlock(&instances_lock);
  Json j;
  call_begin(&j, "freePlugin");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "rc", rc);
  j_bool(&j, "private_context_cleared", inst->ctx.plugin_private_context == NULL);
  j_end(&j);
  return rc;
}

/* handlePluginEvent, called directly (no registration check). */
static bRC deliver(Instance* inst, uint32_t type, void* value, const char* shown)
{
  bEvent event = {type};
  bRC rc = fns->handlePluginEvent(&inst->ctx, &event, value);
  Json j;
  call_begin(&j, "handlePluginEvent");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "event", type);
  if (shown) j_str(&j, "value", shown);
  j_bool(&j, "registered", is_registered(inst, type));
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static void not_delivered(Instance* inst, uint32_t type, const char* reason)
{
  Json j;
  call_begin(&j, "handlePluginEvent");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "event", type);
  j_bool(&j, "delivered", false);
  j_str(&j, "reason", reason);
  j_end(&j);
}

static bRC call_end_restore_file(Instance* inst);

/* GeneratePluginEvent for one instance (contract §1.5, FD rules). */
static bRC generate(Instance* inst, uint32_t type, void* value, const char* shown)
{
  if (inst->disabled) {
    not_delivered(inst, type, "disabled");
    return bRC_OK;
  }
  bool end_event = type == bEventEndBackupJob || type == bEventEndRestoreJob || type == bEventEndVerifyJob;
  if (job_canceled(inst->job) && !end_event && type != bEventCancelCommand) {
    not_delivered(inst, type, "canceled");
    return bRC_Cancel;
  }
  if (!is_registered(inst, type)) {
    not_delivered(inst, type, "not registered");
    return bRC_OK;
  }
  if (type == bEventEndRestoreJob && inst->restore_started) {
    call_end_restore_file(inst);
    inst->restore_started = false;
  }
  if (type == bEventStartRestoreJob) inst->restore_started = false;
  return deliver(inst, type, value, shown);
}

/* An event that carries a plugin string: only the matching plugin gets it. */
static bRC generate_named(Instance* inst, uint32_t type, const char* command)
{
  if (!plugin_matches(inst->job, command)) {
    not_delivered(inst, type, "other plugin");
    return bRC_OK;
  }
  char* copy = xstrdup(command);
  bRC rc = generate(inst, type, copy, command);
  free(copy);
  return rc;
}

static void j_stat(Json* j, const struct stat* st)
{
  j_uint(j, "st_dev", (unsigned long long)st->st_dev);
  j_uint(j, "st_ino", (unsigned long long)st->st_ino);
  j_uint(j, "st_mode", (unsigned long long)st->st_mode);
  j_uint(j, "st_nlink", (unsigned long long)st->st_nlink);
  j_uint(j, "st_uid", (unsigned long long)st->st_uid);
  j_uint(j, "st_gid", (unsigned long long)st->st_gid);
  j_uint(j, "st_rdev", (unsigned long long)st->st_rdev);
  j_int(j, "st_size", (long long)st->st_size);
  j_int(j, "st_atime", (long long)st->st_atime);
  j_int(j, "st_mtime", (long long)st->st_mtime);
  j_int(j, "st_ctime", (long long)st->st_ctime);
  j_int(j, "st_blksize", (long long)st->st_blksize);
  j_int(j, "st_blocks", (long long)st->st_blocks);
}

static void j_flags(Json* j, const char* key, const char flags[FOPTS_BYTES])
{
  char text[2 * FOPTS_BYTES + 1];
  for (int i = 0; i < FOPTS_BYTES; i++) snprintf(text + 2 * i, 3, "%02x", (unsigned char)flags[i]);
  j_str(j, key, text);
}

static bool is_object_type(int type)
{
  return type == FT_RESTORE_FIRST || type == FT_PLUGIN_CONFIG || type == FT_PLUGIN_CONFIG_FILLED;
}

static void print_save_pkt(const char* call, Instance* inst, bRC rc, const save_pkt* sp)
{
  Json j;
  call_begin(&j, call);
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "rc", rc);
  j_str(&j, "fname", sp->fname);
  j_str(&j, "link", sp->link);
  j_int(&j, "type", sp->type);
  j_bool(&j, "no_read", sp->no_read);
  j_bool(&j, "portable", sp->portable);
  j_bool(&j, "accurate_found", sp->accurate_found);
  j_flags(&j, "flags", sp->flags);
  j_int(&j, "save_time", (long long)sp->save_time);
  j_uint(&j, "delta_seq", sp->delta_seq);
  j_stat(&j, &sp->statp);
  j_str(&j, "object_name", sp->object_name);
  j_int(&j, "object_len", sp->object_len);
  j_int(&j, "index", sp->index);
  if (sp->object && sp->object_len > 0)
    j_strn(&j, "object", sp->object, (size_t)sp->object_len);
  else
    j_null(&j, "object");
  j_end(&j);
}

static void io_init(io_pkt* io, int func)
{
  memset(io, 0, sizeof *io);
  io->pkt_size = sizeof *io;
  io->pkt_end = sizeof *io;
  io->func = func;
}

static bRC call_plugin_io(Instance* inst, io_pkt* io)
{
  bRC rc = fns->pluginIO(&inst->ctx, io);
  Json j;
  call_begin(&j, "pluginIO");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "func", io->func);
  if (io->func == IO_OPEN) {
    j_str(&j, "fname", io->fname);
    j_int(&j, "flags", io->flags);
    j_int(&j, "mode", (long long)io->mode);
  }
  if (io->func == IO_READ || io->func == IO_WRITE) j_int(&j, "count", io->count);
  j_int(&j, "rc", rc);
  j_int(&j, "status", io->status);
  j_int(&j, "io_errno", io->io_errno);
  j_int(&j, "lerror", io->lerror);
  j_bool(&j, "win32", io->win32);
  j_int(&j, "filedes", io->filedes);
  j_end(&j);
  return rc;
}

/* What an IO_OPEN answer means (spec §6.1): a bRC_Error return or a negative
 * status fails; iostat_do_in_core with a descriptor hands the I/O to the core
 * (*core_mode), without one it fails; anything else: the plugin does the I/O. */
static bool open_outcome(bRC rc, const io_pkt* io, bool* core_mode)
{
  *core_mode = false;
  if (rc == bRC_Error) return false;
  if (io->status == iostat_do_in_core) {
    *core_mode = io->filedes != kInvalidFiledescriptor;
    return *core_mode;
  }
  return io->status >= 0;
}

static bRC call_end_restore_file(Instance* inst)
{
  bRC rc = fns->endRestoreFile(&inst->ctx);
  Json j;
  call_begin(&j, "endRestoreFile");
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

/* ======================================================================
 * The archive: what a backup saved, for a restore to replay
 *
 * "BAREOSPY-DRIVER-ARCHIVE-1\n", then records:
 *   'F' file:   cmd, fname, link, type, 13 stat fields, no_read, data?,
 *               acl?, xattr count, (name, value)*, delta_seq
 *   'O' object: cmd, object_name, object, type, index
 *   'E' end
 * strings/blobs: u32 length (0xFFFFFFFF = NULL) + bytes; numbers: i64.
 * ==================================================================== */

static const char archive_magic[] = "BAREOSPY-DRIVER-ARCHIVE-1\n";

typedef struct {
  Bytes name, value;
} Xattr;

typedef struct {
  char kind;
  char* cmd;
  char* fname;
  char* link;
  int type;
  long long st[13];
  bool no_read;
  bool has_data;
  Bytes data;
  bool has_acl;
  Bytes acl;
  Xattr* xattrs;
  size_t nxattrs;
  uint32_t delta_seq;
  char* object_name;
  Bytes object;
  int index;
} Entry;

typedef struct {
  Entry* entries;
  size_t n, cap;
} Archive;

static Entry* archive_add(Archive* ar, char kind)
{
  if (ar->n == ar->cap) {
    ar->cap = ar->cap ? 2 * ar->cap : 16;
    ar->entries = xrealloc(ar->entries, ar->cap * sizeof *ar->entries);
  }
  Entry* e = &ar->entries[ar->n++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  return e;
}

static void entry_free(Entry* e)
{
  free(e->cmd);
  free(e->fname);
  free(e->link);
  bytes_free(&e->data);
  bytes_free(&e->acl);
  for (size_t i = 0; i < e->nxattrs; i++) {
    bytes_free(&e->xattrs[i].name);
    bytes_free(&e->xattrs[i].value);
  }
  free(e->xattrs);
  free(e->object_name);
  bytes_free(&e->object);
}

static void archive_free(Archive* ar)
{
  for (size_t i = 0; i < ar->n; i++) entry_free(&ar->entries[i]);
  free(ar->entries);
  memset(ar, 0, sizeof *ar);
}

static void stat_to_fields(const struct stat* st, long long f[13])
{
  f[0] = (long long)st->st_dev;
  f[1] = (long long)st->st_ino;
  f[2] = (long long)st->st_mode;
  f[3] = (long long)st->st_nlink;
  f[4] = (long long)st->st_uid;
  f[5] = (long long)st->st_gid;
  f[6] = (long long)st->st_rdev;
  f[7] = (long long)st->st_size;
  f[8] = (long long)st->st_atime;
  f[9] = (long long)st->st_mtime;
  f[10] = (long long)st->st_ctime;
  f[11] = (long long)st->st_blksize;
  f[12] = (long long)st->st_blocks;
}

static void fields_to_stat(const long long f[13], struct stat* st)
{
  memset(st, 0, sizeof *st);
  st->st_dev = (dev_t)f[0];
  st->st_ino = (ino_t)f[1];
  st->st_mode = (mode_t)f[2];
  st->st_nlink = (nlink_t)f[3];
  st->st_uid = (uid_t)f[4];
  st->st_gid = (gid_t)f[5];
  st->st_rdev = (dev_t)f[6];
  st->st_size = (off_t)f[7];
  st->st_atime = (time_t)f[8];
  st->st_mtime = (time_t)f[9];
  st->st_ctime = (time_t)f[10];
  st->st_blksize = (blksize_t)f[11];
  st->st_blocks = (blkcnt_t)f[12];
}

static void w_u32(FILE* f, uint32_t v)
{
  unsigned char b[4];
  for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
  fwrite(b, 1, 4, f);
}

static void w_i64(FILE* f, long long v)
{
  unsigned char b[8];
  uint64_t u = (uint64_t)v;
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(u >> (8 * i));
  fwrite(b, 1, 8, f);
}

static void w_blob(FILE* f, const void* data, size_t n, bool present)
{
  if (!present) {
    w_u32(f, 0xFFFFFFFFu);
    return;
  }
  w_u32(f, (uint32_t)n);
  if (n) fwrite(data, 1, n, f);
}

static void w_str(FILE* f, const char* s) { w_blob(f, s, s ? strlen(s) : 0, s != NULL); }

static bool archive_write(const Archive* ar, const char* path)
{
  FILE* f = fopen(path, "wb");
  if (!f) return false;
  fwrite(archive_magic, 1, strlen(archive_magic), f);
  for (size_t i = 0; i < ar->n; i++) {
    const Entry* e = &ar->entries[i];
    fputc(e->kind, f);
    w_str(f, e->cmd);
    if (e->kind == 'F') {
      w_str(f, e->fname);
      w_str(f, e->link);
      w_i64(f, e->type);
      for (int k = 0; k < 13; k++) w_i64(f, e->st[k]);
      w_i64(f, e->no_read);
      w_blob(f, e->data.p, e->data.len, e->has_data);
      w_blob(f, e->acl.p, e->acl.len, e->has_acl);
      w_u32(f, (uint32_t)e->nxattrs);
      for (size_t k = 0; k < e->nxattrs; k++) {
        w_blob(f, e->xattrs[k].name.p, e->xattrs[k].name.len, true);
        w_blob(f, e->xattrs[k].value.p, e->xattrs[k].value.len, true);
      }
      w_i64(f, e->delta_seq);
    } else {
      w_str(f, e->object_name);
      w_blob(f, e->object.p, e->object.len, true);
      w_i64(f, e->type);
      w_i64(f, e->index);
    }
  }
  fputc('E', f);
  bool ok = !ferror(f);
  return fclose(f) == 0 && ok;
}

typedef struct {
  FILE* f;
  bool bad;
} Reader;

static uint32_t r_u32(Reader* r)
{
  unsigned char b[4];
  if (fread(b, 1, 4, r->f) != 4) {
    r->bad = true;
    return 0;
  }
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static long long r_i64(Reader* r)
{
  unsigned char b[8];
  if (fread(b, 1, 8, r->f) != 8) {
    r->bad = true;
    return 0;
  }
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u |= (uint64_t)b[i] << (8 * i);
  return (long long)u;
}

/* A blob into *out; returns whether it was present. */
static bool r_blob(Reader* r, Bytes* out)
{
  uint32_t n = r_u32(r);
  if (r->bad || n == 0xFFFFFFFFu) return false;
  unsigned char chunk[4096];
  bytes_add(out, "", 0);
  while (n > 0 && !r->bad) {
    size_t take = n < sizeof chunk ? n : sizeof chunk;
    if (fread(chunk, 1, take, r->f) != take) {
      r->bad = true;
      break;
    }
    bytes_add(out, chunk, take);
    n -= (uint32_t)take;
  }
  return true;
}

static char* r_str(Reader* r)
{
  Bytes b = {0};
  if (!r_blob(r, &b)) return NULL;
  return (char*)b.p;
}

static bool archive_read(Archive* ar, const char* path)
{
  Reader r = {fopen(path, "rb"), false};
  if (!r.f) return false;
  char magic[sizeof archive_magic];
  size_t n = strlen(archive_magic);
  if (fread(magic, 1, n, r.f) != n || memcmp(magic, archive_magic, n) != 0) {
    fclose(r.f);
    return false;
  }
  for (;;) {
    int kind = fgetc(r.f);
    if (kind == 'E') break;
    if (kind != 'F' && kind != 'O') {
      r.bad = true;
      break;
    }
    Entry* e = archive_add(ar, (char)kind);
    e->cmd = r_str(&r);
    if (kind == 'F') {
      e->fname = r_str(&r);
      e->link = r_str(&r);
      e->type = (int)r_i64(&r);
      for (int k = 0; k < 13; k++) e->st[k] = r_i64(&r);
      e->no_read = r_i64(&r) != 0;
      e->has_data = r_blob(&r, &e->data);
      e->has_acl = r_blob(&r, &e->acl);
      e->nxattrs = r_u32(&r);
      if (r.bad || e->nxattrs > 100000) {
        e->nxattrs = 0;
        r.bad = true;
        break;
      }
      e->xattrs = xmalloc((e->nxattrs ? e->nxattrs : 1) * sizeof *e->xattrs);
      memset(e->xattrs, 0, (e->nxattrs ? e->nxattrs : 1) * sizeof *e->xattrs);
      for (size_t k = 0; k < e->nxattrs; k++) {
        r_blob(&r, &e->xattrs[k].name);
        r_blob(&r, &e->xattrs[k].value);
      }
      e->delta_seq = (uint32_t)r_i64(&r);
    } else {
      e->object_name = r_str(&r);
      r_blob(&r, &e->object);
      e->type = (int)r_i64(&r);
      e->index = (int)r_i64(&r);
    }
    if (r.bad) break;
  }
  fclose(r.f);
  return !r.bad;
}

/* ======================================================================
 * Backup (contract §7.1-§7.3)
 * ==================================================================== */

/* The cancel scenario: the job thread tells the cancel thread when it is
 * inside the data loop. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool wanted;
  bool in_data;
  bool finished;
} cancel_sync = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false, false};

static void signal_in_data_loop(void)
{
  pthread_mutex_lock(&cancel_sync.lock);
  if (cancel_sync.wanted && !cancel_sync.in_data) {
    cancel_sync.in_data = true;
    pthread_cond_broadcast(&cancel_sync.cond);
  }
  pthread_mutex_unlock(&cancel_sync.lock);
}

/* IO_OPEN / reads / IO_CLOSE of one file (contract §6). */
static void backup_data(Instance* inst, save_pkt* sp, Entry* e)
{
  Job* job = inst->job;
  io_pkt io;
  io_init(&io, IO_OPEN);
  io.fname = sp->fname;
  io.flags = O_RDONLY;
  io.mode = 0;
  io.filedes = kInvalidFiledescriptor;
  bRC rc = call_plugin_io(inst, &io);
  bool core_mode, opened = open_outcome(rc, &io, &core_mode);
  int fd = core_mode ? io.filedes : -1;
  if (!opened) {
    job_message(job, M_NOTSAVED, "Cannot open \"%s\": ERR=%s.\n", sp->fname, strerror(io.io_errno));
    return;
  }

  char* buffer = xmalloc(IO_BUFFER_SIZE);
  Sha256 sha;
  sha256_init(&sha);
  e->has_data = true;
  bytes_add(&e->data, "", 0);
  int retries = 0;
  for (;;) {
    signal_in_data_loop(); /* cancel scenario: the job is in the data loop now */
    long got;
    if (core_mode) {
      ssize_t n = read(fd, buffer, IO_BUFFER_SIZE);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        job_message(job, M_ERROR, "Read error on file %s. ERR=%s\n", sp->fname, strerror(errno));
        break;
      }
      got = (long)n;
    } else {
      io_init(&io, IO_READ);
      io.count = IO_BUFFER_SIZE;
      io.buf = buffer;
      io.filedes = 0;
      call_plugin_io(inst, &io);
      if (io.status > IO_BUFFER_SIZE) {
        job_message(job, M_ERROR, "driver: IO_READ returned %d bytes for a read of %d on %s\n",
                    io.status, IO_BUFFER_SIZE, sp->fname);
        break;
      }
      if (io.status < 0) {
        if (io.io_errno == EINTR && retries++ < 3) continue;
        job_message(job, M_ERROR, "Read error on file %s. ERR=%s\n", sp->fname, strerror(io.io_errno));
        break;
      }
      got = io.status;
    }
    if (got == 0) break;
    sha256_update(&sha, buffer, (size_t)got);
    bytes_add(&e->data, buffer, (size_t)got);
    if (job_canceled(job)) break;
  }
  free(buffer);

  io_init(&io, IO_CLOSE);
  io.filedes = core_mode ? fd : 0;
  call_plugin_io(inst, &io);

  char hex[65];
  sha_hex(&sha, hex);
  Json j;
  j_begin(&j);
  j_str(&j, "data", sp->fname);
  j_uint(&j, "bytes", e->data.len);
  j_str(&j, "sha256", hex);
  j_str(&j, "mode", core_mode ? "core" : "plugin");
  j_end(&j);
  pthread_mutex_lock(&job->lock);
  job->bytes += (long long)e->data.len;
  pthread_mutex_unlock(&job->lock);
}

static void backup_acl(Instance* inst, save_pkt* sp, Entry* e)
{
  acl_pkt ap;
  memset(&ap, 0, sizeof ap);
  ap.pkt_size = ap.pkt_end = sizeof ap;
  ap.fname = sp->fname;
  bRC rc = fns->getAcl(&inst->ctx, &ap);
  Json j;
  call_begin(&j, "getAcl");
  j_str(&j, "fname", sp->fname);
  j_int(&j, "rc", rc);
  j_uint(&j, "content_length", ap.content_length);
  if (ap.content)
    j_strn(&j, "content", ap.content, ap.content_length);
  else
    j_null(&j, "content");
  j_end(&j);
  if (rc != bRC_OK) {
    job_message(inst->job, M_ERROR, "driver: getAcl failed for %s (rc %d)\n", sp->fname, rc);
  } else if (ap.content && ap.content_length > 0) {
    e->has_acl = true;
    bytes_add(&e->acl, ap.content, ap.content_length);
  }
  free(ap.content);
}

static void backup_xattrs(Instance* inst, save_pkt* sp, Entry* e)
{
  for (int n = 0; n < 100000; n++) {
    xattr_pkt xp;
    memset(&xp, 0, sizeof xp);
    xp.pkt_size = xp.pkt_end = sizeof xp;
    xp.fname = sp->fname;
    bRC rc = fns->getXattr(&inst->ctx, &xp);
    Json j;
    call_begin(&j, "getXattr");
    j_str(&j, "fname", sp->fname);
    j_int(&j, "rc", rc);
    if (xp.name)
      j_strn(&j, "name", xp.name, xp.name_length);
    else
      j_null(&j, "name");
    if (xp.value)
      j_strn(&j, "value", xp.value, xp.value_length);
    else
      j_null(&j, "value");
    j_end(&j);
    if ((rc == bRC_OK || rc == bRC_More) && xp.name && xp.name_length > 0) {
      e->xattrs = xrealloc(e->xattrs, (e->nxattrs + 1) * sizeof *e->xattrs);
      Xattr* x = &e->xattrs[e->nxattrs++];
      memset(x, 0, sizeof *x);
      bytes_add(&x->name, xp.name, xp.name_length);
      bytes_add(&x->value, xp.value ? xp.value : "", xp.value ? xp.value_length : 0);
    }
    free(xp.name);
    free(xp.value);
    if (rc == bRC_More) continue;
    if (rc != bRC_OK)
      job_message(inst->job, M_ERROR, "driver: getXattr failed for %s (rc %d)\n", sp->fname, rc);
    break;
  }
}

/* SaveFile for a plugin file (contract §7.3). */
static void save_file(Instance* inst, save_pkt* sp, const char* cmd, Archive* ar)
{
  Job* job = inst->job;
  switch (sp->type) {
    case FT_NOCHG:
    case FT_DIRNOCHG:
      job_message(job, M_SKIPPED, "     Unchanged file skipped: %s\n", sp->fname);
      return;
    case FT_DIRBEGIN:
      return;
    case FT_NOACCESS:
    case FT_NOFOLLOW:
    case FT_NOSTAT:
    case FT_NOOPEN:
      job_message(job, M_NOTSAVED, "     Could not access \"%s\" (type %d)\n", sp->fname, sp->type);
      return;
    case FT_RESTORE_FIRST:
    case FT_PLUGIN_CONFIG: {
      Entry* e = archive_add(ar, 'O');
      e->cmd = xstrdup(cmd);
      e->object_name = xstrdup(sp->object_name);
      bytes_add(&e->object, sp->object ? sp->object : "", sp->object ? (size_t)sp->object_len : 0);
      e->type = sp->type;
      e->index = sp->index;
      char hex[65];
      sha_of(e->object.p, e->object.len, hex);
      Json j;
      j_begin(&j);
      j_str(&j, "object", sp->object_name);
      j_int(&j, "type", sp->type);
      j_int(&j, "index", sp->index);
      j_int(&j, "len", sp->object_len);
      j_strn(&j, "data", (const char*)e->object.p, e->object.len);
      j_str(&j, "sha256", hex);
      j_end(&j);
      return;
    }
    case FT_LNKSAVED:
    case FT_REGE:
    case FT_REG:
    case FT_LNK:
    case FT_DIREND:
    case FT_SPEC:
    case FT_RAW:
    case FT_FIFO:
      break;
    default:
      job_message(job, M_NOTSAVED, "     Unknown file type %d: %s\n", sp->type, sp->fname);
      return;
  }

  Entry* e = archive_add(ar, 'F');
  e->cmd = xstrdup(cmd);
  e->fname = xstrdup(sp->fname);
  e->link = xstrdup(sp->link);
  e->type = sp->type;
  stat_to_fields(&sp->statp, e->st);
  e->no_read = sp->no_read;
  e->delta_seq = sp->delta_seq;
  Json j;
  j_begin(&j);
  j_str(&j, "saved", sp->type == FT_DIREND && sp->link ? sp->link : sp->fname);
  j_int(&j, "type", sp->type);
  j_str(&j, "link", sp->link);
  j_end(&j);
  pthread_mutex_lock(&job->lock);
  job->files++;
  pthread_mutex_unlock(&job->lock);

  if (!sp->no_read) backup_data(inst, sp, e);
  if (flag_set((const char*)opt.flags, FO_ACL) && sp->type != FT_LNK && fns->getAcl) backup_acl(inst, sp, e);
  if (flag_set((const char*)opt.flags, FO_XATTR) && fns->getXattr) backup_xattrs(inst, sp, e);
}

static void save_pkt_init(save_pkt* sp, char* cmd)
{
  memset(sp, 0, sizeof *sp);
  sp->pkt_size = sizeof *sp;
  sp->pkt_end = sizeof *sp;
  sp->portable = true;
  sp->no_read = false;
  memcpy(sp->flags, opt.flags, FOPTS_BYTES);
  sp->cmd = cmd;
}

/* The PluginSave loop for one Plugin = entry (contract §7.2). */
static bool plugin_save(Instance* inst, Archive* ar)
{
  Job* job = inst->job;
  const char* cmd = opt.definition;
  if (!plugin_matches(job, cmd)) {
    job_message(job, M_FATAL, "Command plugin \"%s\" not found.\n", cmd);
    return false;
  }
  if (inst->disabled) return false;
  char* command = xstrdup(cmd);
  bool ok = true;
  if (deliver(inst, bEventBackupCommand, command, cmd) != bRC_OK) {
    job_message(job, M_FATAL, "Command plugin \"%s\": bEventBackupCommand failed.\n", cmd);
    free(command);
    return false;
  }
  int calls = 0;
  while (!job_canceled(job)) {
    if (++calls > opt.max_files) {
      job_message(job, M_FATAL, "driver: more than %d startBackupFile calls\n", opt.max_files);
      ok = false;
      break;
    }
    save_pkt sp;
    save_pkt_init(&sp, command);
    bRC rc = fns->startBackupFile(&inst->ctx, &sp);
    print_save_pkt("startBackupFile", inst, rc, &sp);
    if (rc == bRC_Stop) break;
    if (rc == bRC_Skip) continue;
    if (rc == bRC_Error) {
      job_message(job, M_FATAL, "Command plugin \"%s\": startBackupFile failed.\n", cmd);
      ok = false;
      break;
    }
    if (rc != bRC_OK) {
      job_message(job, M_ERROR, "Command plugin \"%s\": unhandled returncode from startBackupFile: %d\n",
                  cmd, rc);
      break;
    }
    if (sp.type == 0) {
      job_message(job, M_FATAL, "Command plugin \"%s\": no type in startBackupFile packet.\n", cmd);
      ok = false;
      break;
    }
    if (is_object_type(sp.type)) {
      if (!sp.object_name) {
        job_message(job, M_FATAL, "Command plugin \"%s\": no object_name in startBackupFile packet.\n", cmd);
        ok = false;
        break;
      }
    } else if (!sp.fname) {
      job_message(job, M_FATAL, "Command plugin \"%s\": no fname in startBackupFile packet.\n", cmd);
      ok = false;
      break;
    }
    save_file(inst, &sp, cmd, ar);
    char* fname = xstrdup(sp.fname);
    rc = fns->endBackupFile(&inst->ctx);
    Json j;
    call_begin(&j, "endBackupFile");
    j_int(&j, "rc", rc);
    j_end(&j);
    if ((rc == bRC_OK || rc == bRC_More) && fname) job_mark_seen(job, fname);
    free(fname);
    if (rc != bRC_More) break;
  }
  free(command);
  return ok;
}

static void call_check_file(Instance* inst, const char* name)
{
  char* copy = xstrdup(name);
  bRC rc = fns->checkFile(&inst->ctx, copy);
  Json j;
  call_begin(&j, "checkFile");
  j_str(&j, "fname", name);
  j_int(&j, "rc", rc);
  j_end(&j);
  free(copy);
}

/* The job steps before the file walk (contract §7.1 steps 1-4). */
static void job_start_events(Instance* inst)
{
  generate(inst, bEventJobStart, (void*)"", NULL);
  if ((opt.level == L_INCREMENTAL || opt.level == L_DIFFERENTIAL) && opt.since) {
    char shown[32];
    snprintf(shown, sizeof shown, "%lld", opt.since);
    generate(inst, bEventSince, (void*)(intptr_t)opt.since, shown);
  }
  char level[2] = {opt.level, 0};
  generate(inst, bEventLevel, (void*)(intptr_t)opt.level, level);
}

static void plugin_options_events(Instance* inst)
{
  for (int i = 0; i < opt.noptions; i++) {
    const char* value = opt.options[i];
    if (strchr(value, ':'))
      generate_named(inst, bEventNewPluginOptions, value);
    else {
      char* copy = xstrdup(value);
      generate(inst, bEventNewPluginOptions, copy, value);
      free(copy);
    }
  }
}

static void run_backup_job(Instance* inst, Archive* ar)
{
  Job* job = inst->job;
  job_start_events(inst);
  generate_named(inst, bEventPluginCommand, opt.definition);
  generate(inst, bEventEndFileSet, NULL, NULL);
  plugin_options_events(inst);
  generate(inst, bEventStartBackupJob, NULL, NULL);
  if (!plugin_save(inst, ar)) job_message(job, M_FATAL, "driver: the plugin entry failed\n");
  /* The accurate "deleted files" list (§7.1 step 9). */
  for (int i = 0; i < opt.ncheck_files; i++) {
    if (job_was_seen(job, opt.check_files[i])) {
      Json j;
      j_begin(&j);
      j_str(&j, "not_checked", opt.check_files[i]);
      j_str(&j, "reason", "seen");
      j_end(&j);
      continue;
    }
    call_check_file(inst, opt.check_files[i]);
  }
  generate(inst, bEventEndBackupJob, NULL, NULL);
  generate(inst, bEventJobEnd, NULL, NULL);
}

static int scenario_backup(void)
{
  Job job;
  job_init(&job, JT_BACKUP, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  Archive ar = {0};
  call_new_plugin(&inst);
  run_backup_job(&inst, &ar);
  call_free_plugin(&inst);
  print_job_end(&job, "backup");
  int rc = 0;
  if (opt.archive && !archive_write(&ar, opt.archive)) {
    print_error("archive", "cannot write the archive");
    rc = 1;
  }
  archive_free(&ar);
  job_free(&job);
  return rc;
}

/* ======================================================================
 * Estimate (contract §7.6)
 * ==================================================================== */

static int scenario_estimate(void)
{
  Job job;
  job_init(&job, JT_BACKUP, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  call_new_plugin(&inst);
  job_start_events(&inst);
  generate_named(&inst, bEventPluginCommand, opt.definition);
  generate(&inst, bEventEndFileSet, NULL, NULL);
  long files = 0;
  long long bytes = 0;
  char* command = xstrdup(opt.definition);
  if (!inst.disabled && deliver(&inst, bEventEstimateCommand, command, opt.definition) == bRC_OK) {
    for (int calls = 0; calls < opt.max_files; calls++) {
      save_pkt sp;
      save_pkt_init(&sp, command);
      bRC rc = fns->startBackupFile(&inst.ctx, &sp);
      print_save_pkt("startBackupFile", &inst, rc, &sp);
      if (rc != bRC_OK) break;
      if (sp.type == 0) {
        job_message(&job, M_FATAL, "Command plugin \"%s\": no type in startBackupFile packet.\n", command);
        break;
      }
      if (!is_object_type(sp.type) && !sp.fname) {
        job_message(&job, M_FATAL, "Command plugin \"%s\": no fname in startBackupFile packet.\n", command);
        break;
      }
      switch (sp.type) {
        case FT_REGE:
        case FT_REG:
        case FT_LNK:
        case FT_DIREND:
        case FT_SPEC:
        case FT_RAW:
        case FT_FIFO:
        case FT_LNKSAVED: {
          files++;
          if (sp.type == FT_REG || sp.type == FT_REGE) bytes += (long long)sp.statp.st_size;
          Json j;
          j_begin(&j);
          j_str(&j, "listing", sp.fname);
          j_int(&j, "type", sp.type);
          j_int(&j, "st_size", (long long)sp.statp.st_size);
          j_end(&j);
          break;
        }
        default:
          break;
      }
      char* fname = xstrdup(sp.fname);
      rc = fns->endBackupFile(&inst.ctx);
      Json j;
      call_begin(&j, "endBackupFile");
      j_int(&j, "rc", rc);
      j_end(&j);
      if ((rc == bRC_OK || rc == bRC_More) && fname) job_mark_seen(&job, fname);
      free(fname);
      if (rc != bRC_More) break;
    }
  }
  free(command);
  Json j;
  j_begin(&j);
  j_str(&j, "estimate", "end");
  j_int(&j, "files", files);
  j_int(&j, "bytes", bytes);
  j_end(&j);
  generate(&inst, bEventJobEnd, NULL, NULL);
  call_free_plugin(&inst);
  print_job_end(&job, "estimate");
  job_free(&job);
  return 0;
}

/* ======================================================================
 * Restore (contract §7.7-§7.10)
 * ==================================================================== */

static char* output_name(const char* name)
{
  const char* where = opt.where ? opt.where : "";
  size_t wl = strlen(where);
  while (wl > 0 && where[wl - 1] == '/' && name[0] == '/') wl--;
  char* out = xmalloc(wl + strlen(name) + 1);
  memcpy(out, where, wl);
  strcpy(out + wl, name);
  return out;
}

static void make_parent_dirs(const char* path)
{
  char* copy = xstrdup(path);
  size_t len = strlen(copy);
  while (len > 1 && copy[len - 1] == '/') copy[--len] = 0; /* a directory's own trailing '/' */
  for (char* p = copy + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(copy, 0700);
    *p = '/';
  }
  free(copy);
}

static void restore_acl_xattrs(Instance* inst, const Entry* e, const char* ofname)
{
  if (e->has_acl) {
    acl_pkt ap;
    memset(&ap, 0, sizeof ap);
    ap.pkt_size = ap.pkt_end = sizeof ap;
    ap.fname = ofname;
    ap.content = xmalloc(e->acl.len);
    memcpy(ap.content, e->acl.p, e->acl.len);
    ap.content_length = (uint32_t)e->acl.len;
    bRC rc = fns->setAcl(&inst->ctx, &ap);
    Json j;
    call_begin(&j, "setAcl");
    j_str(&j, "fname", ofname);
    j_strn(&j, "content", (const char*)e->acl.p, e->acl.len);
    j_int(&j, "rc", rc);
    j_end(&j);
    free(ap.content);
    if (rc != bRC_OK) job_message(inst->job, M_WARNING, "driver: setAcl failed for %s (rc %d)\n", ofname, rc);
  }
  for (size_t i = 0; i < e->nxattrs; i++) {
    xattr_pkt xp;
    memset(&xp, 0, sizeof xp);
    xp.pkt_size = xp.pkt_end = sizeof xp;
    xp.fname = ofname;
    xp.name = xmalloc(e->xattrs[i].name.len);
    memcpy(xp.name, e->xattrs[i].name.p, e->xattrs[i].name.len);
    xp.name_length = (uint32_t)e->xattrs[i].name.len;
    xp.value = xmalloc(e->xattrs[i].value.len);
    memcpy(xp.value, e->xattrs[i].value.p, e->xattrs[i].value.len);
    xp.value_length = (uint32_t)e->xattrs[i].value.len;
    bRC rc = fns->setXattr(&inst->ctx, &xp);
    Json j;
    call_begin(&j, "setXattr");
    j_str(&j, "fname", ofname);
    j_strn(&j, "name", (const char*)e->xattrs[i].name.p, e->xattrs[i].name.len);
    j_strn(&j, "value", (const char*)e->xattrs[i].value.p, e->xattrs[i].value.len);
    j_int(&j, "rc", rc);
    j_end(&j);
    free(xp.name);
    free(xp.value);
    if (rc != bRC_OK) {
      job_message(inst->job, M_ERROR, "driver: setXattr failed for %s (rc %d)\n", ofname, rc);
      break;
    }
  }
}

static bRC call_set_file_attributes(Instance* inst, restore_pkt* rp)
{
  bRC rc = fns->setFileAttributes(&inst->ctx, rp);
  Json j;
  call_begin(&j, "setFileAttributes");
  j_str(&j, "ofname", rp->ofname);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

/* Open through the plugin, write the data, close (contract §6, §7.8). */
static void extract(Instance* inst, const Entry* e, restore_pkt* rp, int flags, mode_t mode)
{
  Job* job = inst->job;
  io_pkt io;
  io_init(&io, IO_OPEN);
  io.fname = rp->ofname;
  io.flags = flags;
  io.mode = mode;
  io.filedes = kInvalidFiledescriptor;
  bRC rc = call_plugin_io(inst, &io);
  bool core_mode, opened = open_outcome(rc, &io, &core_mode);
  int fd = core_mode ? io.filedes : -1;
  if (!opened) {
    job_message(job, M_ERROR, "Could not create %s: ERR=%s\n", rp->ofname, strerror(io.io_errno));
    return;
  }

  Sha256 sha;
  sha256_init(&sha);
  size_t written = 0;
  size_t total = e->has_data ? e->data.len : 0;
  while (written < total) {
    size_t chunk = total - written;
    if (chunk > IO_BUFFER_SIZE) chunk = IO_BUFFER_SIZE;
    const unsigned char* data = e->data.p + written;
    if (core_mode) {
      size_t done = 0;
      while (done < chunk) {
        ssize_t n = write(fd, data + done, chunk - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += (size_t)n;
      }
      if (done != chunk) {
        job_message(job, M_ERROR, "Write error on %s: ERR=%s\n", rp->ofname, strerror(errno));
        break;
      }
    } else {
      io_init(&io, IO_WRITE);
      io.count = (int32_t)chunk;
      io.buf = xmalloc(chunk);
      memcpy(io.buf, data, chunk);
      io.filedes = 0;
      call_plugin_io(inst, &io);
      free(io.buf);
      if (io.status != (int32_t)chunk) {
        job_message(job, M_ERROR, "Write error on %s: ERR=%s\n", rp->ofname,
                    io.io_errno ? strerror(io.io_errno) : "short write");
        break;
      }
    }
    sha256_update(&sha, data, chunk);
    written += chunk;
  }

  call_set_file_attributes(inst, rp);
  io_init(&io, IO_CLOSE);
  io.filedes = core_mode ? fd : 0;
  call_plugin_io(inst, &io);

  char hex[65];
  sha_hex(&sha, hex);
  Json j;
  j_begin(&j);
  j_str(&j, "restored", rp->ofname);
  j_uint(&j, "bytes", written);
  j_str(&j, "sha256", hex);
  j_str(&j, "mode", core_mode ? "core" : "plugin");
  j_end(&j);
  pthread_mutex_lock(&job->lock);
  job->bytes += (long long)written;
  pthread_mutex_unlock(&job->lock);
  restore_acl_xattrs(inst, e, rp->ofname);
}

/* CF_CORE: the core creates the file itself (regular files, directories
 * and symbolic links). */
static void core_create(Instance* inst, const Entry* e, restore_pkt* rp)
{
  Job* job = inst->job;
  make_parent_dirs(rp->ofname);
  int result = 0;
  switch (e->type) {
    case FT_REG:
    case FT_REGE:
      extract(inst, e, rp, O_WRONLY | O_CREAT | O_TRUNC, 0);
      return;
    case FT_DIREND:
      result = mkdir(rp->ofname, 0700);
      if (result != 0 && errno == EEXIST) result = 0;
      if (result == 0) result = chmod(rp->ofname, (mode_t)(e->st[2] & 07777));
      break;
    case FT_LNK: {
      struct stat st;
      if (lstat(rp->ofname, &st) == 0) unlink(rp->ofname);
      result = symlink(e->link ? e->link : "", rp->ofname);
      break;
    }
    default:
      job_message(job, M_ERROR, "driver: cannot create file type %d: %s\n", e->type, rp->ofname);
      return;
  }
  Json j;
  j_begin(&j);
  j_str(&j, "core_created", rp->ofname);
  j_int(&j, "type", e->type);
  j_bool(&j, "ok", result == 0);
  j_end(&j);
  if (result != 0) {
    job_message(job, M_ERROR, "driver: could not create %s: ERR=%s\n", rp->ofname, strerror(errno));
    return;
  }
  if (e->type == FT_DIREND) restore_acl_xattrs(inst, e, rp->ofname);
}

/* One plugin file of the restore stream (contract §7.8); false: abort. */
static bool restore_file(Instance* inst, const Entry* e, int file_index)
{
  Job* job = inst->job;
  const char* cmd = strcmp(opt.definition, "-") == 0 ? e->cmd : opt.definition;
  if (!plugin_matches(job, cmd)) {
    job_message(job, M_WARNING, "Plugin=%s not found.\n", cmd);
    return true;
  }
  /* 1. The plugin-name start record. */
  char* command = xstrdup(cmd);
  if (!inst->disabled && deliver(inst, bEventRestoreCommand, command, cmd) == bRC_OK) {
    if (inst->restore_started) {
      job_message(job, M_FATAL, "Second call to startRestoreFile. plugin=%s cmd=%s\n", plugin_record.file, cmd);
    } else {
      bRC rc = fns->startRestoreFile(&inst->ctx, command);
      Json j;
      call_begin(&j, "startRestoreFile");
      j_str(&j, "cmd", cmd);
      j_int(&j, "rc", rc);
      j_end(&j);
      if (rc == bRC_OK) inst->restore_started = true;
    }
  }
  free(command);

  /* 2. The attributes record. */
  const char* name = e->type == FT_DIREND && e->link && e->link[0] ? e->link : e->fname;
  char* ofname = output_name(name ? name : "");
  /* The output link name: the target of a symlink, the where-prefixed first
   * name of a hard link, "" for everything else. */
  char* olname;
  if (e->type == FT_LNK && e->link)
    olname = xstrdup(e->link);
  else if (e->type == FT_LNKSAVED && e->link)
    olname = output_name(e->link);
  else
    olname = xstrdup("");
  restore_pkt rp;
  memset(&rp, 0, sizeof rp);
  rp.pkt_size = rp.pkt_end = sizeof rp;
  rp.stream = 1;
  rp.data_stream = e->has_data ? 2 : 0;
  rp.type = e->type;
  rp.file_index = file_index;
  rp.LinkFI = 0;
  rp.uid = (uid_t)e->st[4];
  fields_to_stat(e->st, &rp.statp);
  rp.attrEx = "";
  rp.ofname = ofname;
  rp.olname = olname;
  rp.where = opt.where ? opt.where : "";
  rp.RegexWhere = NULL;
  rp.replace = opt.replace;
  rp.create_status = CF_ERROR;
  rp.delta_seq = e->delta_seq;
  rp.filedes = kInvalidFiledescriptor;
  rp.original_file_name = name;
  rp.original_link_name = e->link;

  int status = CF_ERROR;
  bool create_ok = false;
  if (!inst->restore_started) {
    job_message(job, M_FATAL, "Unbalanced call to createFile=%s\n", ofname);
  } else {
    bRC rc = fns->createFile(&inst->ctx, &rp);
    Json j;
    call_begin(&j, "createFile");
    j_str(&j, "ofname", ofname);
    j_int(&j, "type", e->type);
    j_int(&j, "rc", rc);
    j_int(&j, "create_status", rp.create_status);
    j_int(&j, "filedes", rp.filedes);
    j_end(&j);
    if (rc != bRC_OK)
      job_message(job, M_ERROR, "Plugin createFile call failed. Stat=%d file=%s\n", rc, ofname);
    else {
      status = rp.create_status;
      create_ok = true;
    }
  }
  switch (status) {
    case CF_ERROR:
      if (create_ok)
        job_message(job, M_ERROR, "Plugin createFile call failed. Returned CF_ERROR file=%s\n", ofname);
      break;
    case CF_SKIP:
      break;
    case CF_CREATED:
      pthread_mutex_lock(&job->lock);
      job->files++;
      pthread_mutex_unlock(&job->lock);
      call_set_file_attributes(inst, &rp);
      if (rp.filedes >= 0) {
        io_pkt io;
        io_init(&io, IO_CLOSE);
        io.filedes = rp.filedes;
        call_plugin_io(inst, &io);
      }
      if (e->type == FT_DIREND) restore_acl_xattrs(inst, e, ofname);
      break;
    case CF_CORE:
      pthread_mutex_lock(&job->lock);
      job->files++;
      pthread_mutex_unlock(&job->lock);
      core_create(inst, e, &rp);
      break;
    default: /* CF_EXTRACT, or any other value */
      pthread_mutex_lock(&job->lock);
      job->files++;
      pthread_mutex_unlock(&job->lock);
      extract(inst, e, &rp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      break;
  }
  free(ofname);
  free(olname);

  /* 5. The plugin-name end record. */
  bool go_on = true;
  if (inst->restore_started) {
    bRC rc = call_end_restore_file(inst);
    if ((int)rc == -1) {
      job_message(job, M_FATAL, "Return value of endRestoreFile invalid: %d, plugin=%s\n", (int)rc,
                  plugin_record.file);
      go_on = false;
    }
    inst->restore_started = false;
  }
  return go_on;
}

static void deliver_restore_objects(Instance* inst, const Archive* ar)
{
  for (size_t i = 0; i < ar->n; i++) {
    const Entry* e = &ar->entries[i];
    if (e->kind != 'O') continue;
    restore_object_pkt rop;
    memset(&rop, 0, sizeof rop);
    rop.pkt_size = rop.pkt_end = sizeof rop;
    rop.object_name = e->object_name;
    rop.object = (char*)e->object.p;
    rop.plugin_name = e->cmd ? e->cmd : "";
    rop.object_type = e->type;
    rop.object_len = (int32_t)e->object.len;
    rop.object_full_len = (int32_t)e->object.len;
    rop.object_index = e->index;
    rop.object_compression = 0;
    rop.stream = 0;
    rop.JobId = (uint32_t)opt.jobid;
    if (rop.plugin_name[0] && !plugin_matches(inst->job, rop.plugin_name)) {
      not_delivered(inst, bEventRestoreObject, "other plugin");
      continue;
    }
    generate(inst, bEventRestoreObject, &rop, e->object_name);
  }
  generate(inst, bEventRestoreObject, NULL, NULL);
}

static int scenario_restore(void)
{
  Archive ar = {0};
  if (!opt.archive || !archive_read(&ar, opt.archive)) {
    print_error("archive", "restore needs a readable --archive written by a backup");
    archive_free(&ar);
    return 2;
  }
  Job job;
  job_init(&job, JT_RESTORE, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  call_new_plugin(&inst);
  generate(&inst, bEventJobStart, (void*)"", NULL);
  plugin_options_events(&inst);
  deliver_restore_objects(&inst, &ar);
  generate(&inst, bEventStartRestoreJob, NULL, NULL);
  int file_index = 0;
  for (size_t i = 0; i < ar.n; i++) {
    if (ar.entries[i].kind != 'F') continue;
    if (job_canceled(&job)) break;
    if (!restore_file(&inst, &ar.entries[i], ++file_index)) break;
  }
  generate(&inst, bEventEndRestoreJob, NULL, NULL);
  generate(&inst, bEventJobEnd, NULL, NULL);
  call_free_plugin(&inst);
  print_job_end(&job, "restore");
  job_free(&job);
  archive_free(&ar);
  return 0;
}

/* ======================================================================
 * events: newPlugin, PluginCommand(def), the --event list, freePlugin
 * ==================================================================== */

static void deliver_option_event(Instance* inst, const EventOption* ev)
{
  const char* value = ev->value;
  switch (ev->number) {
    case bEventLevel:
      deliver(inst, bEventLevel, (void*)(intptr_t)(value ? value[0] : 0), value);
      return;
    case bEventSince:
      deliver(inst, bEventSince, (void*)(intptr_t)(value ? strtoll(value, NULL, 10) : 0), value);
      return;
    case bEventRestoreObject: {
      if (!value) {
        deliver(inst, bEventRestoreObject, NULL, NULL);
        return;
      }
      static char object_name[] = "driver-object";
      static char object[] = "driver object payload";
      char* plugin_name = xstrdup(value);
      restore_object_pkt rop;
      memset(&rop, 0, sizeof rop);
      rop.pkt_size = rop.pkt_end = sizeof rop;
      rop.object_name = object_name;
      rop.object = object;
      rop.plugin_name = plugin_name;
      rop.object_type = FT_RESTORE_FIRST;
      rop.object_len = rop.object_full_len = (int32_t)strlen(object);
      rop.object_index = 1;
      rop.JobId = (uint32_t)opt.jobid;
      deliver(inst, bEventRestoreObject, &rop, value);
      free(plugin_name);
      return;
    }
    case bEventHandleBackupFile: {
      save_pkt sp;
      char* command = xstrdup(opt.definition);
      char* fname = xstrdup(value ? value : "/");
      save_pkt_init(&sp, command);
      sp.fname = fname;
      struct stat st;
      if (lstat(fname, &st) == 0) {
        sp.statp = st;
        sp.type = S_ISDIR(st.st_mode) ? FT_DIREND : S_ISLNK(st.st_mode) ? FT_LNK : st.st_size ? FT_REG : FT_REGE;
      } else {
        sp.type = FT_NOSTAT;
      }
      bRC rc = deliver(inst, bEventHandleBackupFile, &sp, value);
      print_save_pkt("handleBackupFile", inst, rc, &sp);
      free(command);
      free(fname);
      return;
    }
    default:
      if (value) {
        char* copy = xstrdup(value);
        deliver(inst, (uint32_t)ev->number, copy, value);
        free(copy);
      } else {
        deliver(inst, (uint32_t)ev->number, NULL, NULL);
      }
  }
}

static int scenario_events(void)
{
  Job job;
  job_init(&job, JT_BACKUP, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  call_new_plugin(&inst);
  if (!opt.no_command) {
    char* command = xstrdup(opt.definition);
    deliver(&inst, bEventPluginCommand, command, opt.definition);
    free(command);
  }
  for (int i = 0; i < opt.nevents; i++) deliver_option_event(&inst, &opt.events[i]);
  for (int i = 0; i < opt.ncheck_files; i++) call_check_file(&inst, opt.check_files[i]);
  call_free_plugin(&inst);
  print_job_end(&job, "events");
  job_free(&job);
  return 0;
}

/* ======================================================================
 * concurrent: N threads, each with its own instance, many calls each
 * ==================================================================== */

#define HISTOGRAM 16

typedef struct {
  int index;
  pthread_t thread;
  pthread_barrier_t* barrier;
  Job job;
  Instance inst;
  int values[HISTOGRAM];
  long counts[HISTOGRAM];
  int distinct;
  long other;
  long long bytes;
  char sha[65];
} Worker;

static void count_value(Worker* w, int value)
{
  for (int i = 0; i < w->distinct; i++)
    if (w->values[i] == value) {
      w->counts[i]++;
      return;
    }
  if (w->distinct < HISTOGRAM) {
    w->values[w->distinct] = value;
    w->counts[w->distinct++] = 1;
  } else {
    w->other++;
  }
}

/* The definition with every "%t" replaced by the worker's index. */
static char* worker_definition(int index)
{
  Bytes b = {0};
  char number[16];
  snprintf(number, sizeof number, "%d", index);
  for (const char* p = opt.definition; *p; p++) {
    if (p[0] == '%' && p[1] == 't') {
      bytes_add(&b, number, strlen(number));
      p++;
    } else {
      bytes_add(&b, p, 1);
    }
  }
  bytes_add(&b, "", 0);
  return (char*)b.p;
}

static void* worker_main(void* arg)
{
  Worker* w = arg;
  set_thread_label(w->index + 1);
  call_new_plugin(&w->inst);
  char* definition = worker_definition(w->index);
  deliver(&w->inst, bEventPluginCommand, definition, definition);
  bool io = opt.call && strcmp(opt.call, "io") == 0;
  char* buffer = xmalloc(IO_BUFFER_SIZE);
  char fname[64];
  snprintf(fname, sizeof fname, "/concurrent/%d", w->index);
  Sha256 sha;
  sha256_init(&sha);
  if (io) {
    io_pkt open;
    io_init(&open, IO_OPEN);
    open.fname = fname;
    open.flags = O_RDONLY;
    open.filedes = kInvalidFiledescriptor;
    call_plugin_io(&w->inst, &open);
  }
  pthread_barrier_wait(w->barrier);
  for (long i = 0; i < opt.calls; i++) {
    if (io) {
      io_pkt rd;
      io_init(&rd, IO_READ);
      rd.count = 64;
      rd.buf = buffer;
      rd.filedes = 0;
      fns->pluginIO(&w->inst.ctx, &rd);
      count_value(w, rd.status);
      if (rd.status > 0 && rd.status <= 64) {
        sha256_update(&sha, buffer, (size_t)rd.status);
        w->bytes += rd.status;
      }
    } else {
      bEvent event = {bEventStartBackupJob};
      count_value(w, (int)fns->handlePluginEvent(&w->inst.ctx, &event, NULL));
    }
  }
  pthread_barrier_wait(w->barrier);
  if (io) {
    io_pkt close;
    io_init(&close, IO_CLOSE);
    close.filedes = 0;
    call_plugin_io(&w->inst, &close);
  }
  sha_hex(&sha, w->sha);
  deliver(&w->inst, bEventEndBackupJob, NULL, NULL);
  call_free_plugin(&w->inst);
  free(buffer);
  free(definition);
  return NULL;
}

static int scenario_concurrent(void)
{
  int n = opt.threads > 0 ? opt.threads : 2;
  Worker* workers = xmalloc((size_t)n * sizeof *workers);
  memset(workers, 0, (size_t)n * sizeof *workers);
  pthread_barrier_t barrier;
  pthread_barrier_init(&barrier, NULL, (unsigned)n);
  for (int i = 0; i < n; i++) {
    Worker* w = &workers[i];
    w->index = i;
    w->barrier = &barrier;
    job_init(&w->job, JT_BACKUP, opt.jobid + i);
    instance_init(&w->inst, &w->job, (uint32_t)i);
  }
  struct timeval start, end;
  gettimeofday(&start, NULL);
  for (int i = 0; i < n; i++) {
    if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
      print_error("thread", "pthread_create failed");
      exit(2);
    }
  }
  for (int i = 0; i < n; i++) pthread_join(workers[i].thread, NULL);
  gettimeofday(&end, NULL);
  for (int i = 0; i < n; i++) {
    Worker* w = &workers[i];
    Json j;
    j_begin(&j);
    j_int(&j, "worker", i);
    j_int(&j, "ctx", w->inst.ctx.instance);
    j_int(&j, "calls", opt.calls);
    j_key(&j, "results");
    j_raw(&j, "{", 1);
    for (int k = 0; k < w->distinct; k++) {
      char text[48];
      snprintf(text, sizeof text, "%s\"%d\":%ld", k ? "," : "", w->values[k], w->counts[k]);
      j_rawz(&j, text);
    }
    j_raw(&j, "}", 1);
    j_int(&j, "other", w->other);
    j_int(&j, "bytes", w->bytes);
    j_str(&j, "sha256", w->sha);
    j_end(&j);
    print_job_end(&w->job, "concurrent");
    job_free(&w->job);
  }
  Json j;
  j_begin(&j);
  j_str(&j, "concurrent", "end");
  j_int(&j, "threads", n);
  j_int(&j, "elapsed_ms", (end.tv_sec - start.tv_sec) * 1000LL + (end.tv_usec - start.tv_usec) / 1000);
  j_end(&j);
  pthread_barrier_destroy(&barrier);
  free(workers);
  return 0;
}

/* ======================================================================
 * cancel: a backup; another thread cancels it while it reads data
 * ==================================================================== */

static void* cancel_main(void* arg)
{
  Instance* inst = arg;
  set_thread_label(1);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  pthread_mutex_lock(&cancel_sync.lock);
  while (!cancel_sync.in_data && !cancel_sync.finished) {
    if (pthread_cond_timedwait(&cancel_sync.cond, &cancel_sync.lock, &deadline) == ETIMEDOUT) break;
  }
  bool go = cancel_sync.in_data;
  pthread_mutex_unlock(&cancel_sync.lock);
  Json j;
  j_begin(&j);
  j_str(&j, "cancel", go ? "sending" : "never in the data loop");
  j_int(&j, "thread", thread_label());
  j_end(&j);
  if (!go) return NULL;
  job_cancel(inst->job);
  generate(inst, bEventCancelCommand, NULL, NULL);
  return NULL;
}

static int scenario_cancel(void)
{
  Job job;
  job_init(&job, JT_BACKUP, opt.jobid);
  Instance inst;
  instance_init(&inst, &job, 0);
  Archive ar = {0};
  pthread_mutex_lock(&cancel_sync.lock);
  cancel_sync.wanted = true;
  pthread_mutex_unlock(&cancel_sync.lock);
  pthread_t canceler;
  if (pthread_create(&canceler, NULL, cancel_main, &inst) != 0) {
    print_error("thread", "pthread_create failed");
    return 2;
  }
  call_new_plugin(&inst);
  run_backup_job(&inst, &ar);
  pthread_mutex_lock(&cancel_sync.lock);
  cancel_sync.finished = true;
  pthread_cond_broadcast(&cancel_sync.cond);
  pthread_mutex_unlock(&cancel_sync.lock);
  pthread_join(canceler, NULL);
  call_free_plugin(&inst);
  print_job_end(&job, "backup");
  archive_free(&ar);
  job_free(&job);
  return 0;
}

/* ======================================================================
 * reload: load, a backup, unload, dlclose -- twice in one process
 * ==================================================================== */

static int scenario_reload(void)
{
  for (int round = 1; round <= opt.rounds; round++) {
    if (round > 1 && !load_plugin(opt.plugin_so)) return 3;
    Json j;
    j_begin(&j);
    j_int(&j, "round", round);
    j_end(&j);
    Job job;
    job_init(&job, JT_BACKUP, opt.jobid + round - 1);
    Instance inst;
    instance_init(&inst, &job, 0);
    Archive ar = {0};
    call_new_plugin(&inst);
    run_backup_job(&inst, &ar);
    call_free_plugin(&inst);
    print_job_end(&job, "backup");
    archive_free(&ar);
    job_free(&job);
    if (round < opt.rounds) unload_plugin();
  }
  return 0;
}

/* ======================================================================
 * main
 * ==================================================================== */

static void usage(void)
{
  fputs(
      "usage: fd_driver [options] PLUGIN_SO SCENARIO 'PLUGIN_DEFINITION'\n"
      "scenarios: backup restore estimate events concurrent cancel reload, or a\n"
      "  comma-separated list of the jobs backup, restore, estimate and events,\n"
      "  run one after the other by the same loaded plugin (e.g. backup,restore)\n"
      "options:\n"
      "  --level F|I|D        job level (default F)\n"
      "  --since T            since time (seconds) for I/D: bEventSince\n"
      "  --flags B,B,...      FileSet option bit numbers for save_pkt.flags\n"
      "  --acl, --xattr       set FO_ACL / FO_XATTR\n"
      "  --accurate           bVarAccurate = 1\n"
      "  --accurate-options N bVarAccurateOptions bits\n"
      "  --plugin-dir DIR     bVarPluginPath (else bRC_Error)\n"
      "  --archive FILE       backup: write what was saved; restore: replay it\n"
      "  --where DIR          restore: prefix of every output name\n"
      "  --replace C          restore: replace policy char (default a)\n"
      "  --options STR        bEventNewPluginOptions (repeatable)\n"
      "  --event N[=VALUE]    events: send event N (repeatable)\n"
      "  --no-command         events: no bEventPluginCommand first\n"
      "  --check-file NAME    checkFile(NAME) (backup: unless seen) (repeatable)\n"
      "  --threads N          concurrent: threads (default 2)\n"
      "  --calls N            concurrent: calls per thread (default 10000)\n"
      "  --call event|io      concurrent: handlePluginEvent or pluginIO IO_READ\n"
      "  --jobid N            job id (default 1)\n"
      "  --max-files N        startBackupFile calls allowed (default 100000)\n"
      "  --rounds N           reload: load/unload rounds (default 2)\n"
      "A definition of '-' at restore uses the one recorded in the archive.\n",
      stderr);
}

static bool parse_flags(const char* text)
{
  char* copy = xstrdup(text);
  bool ok = true;
  for (char* item = strtok(copy, ","); item; item = strtok(NULL, ",")) {
    char* end;
    long bit = strtol(item, &end, 10);
    if (*end || bit < 0 || bit > FO_MAX) {
      ok = false;
      break;
    }
    set_flag(opt.flags, (int)bit);
  }
  free(copy);
  return ok;
}

static bool parse_args(int argc, char** argv)
{
  opt.level = L_FULL;
  opt.threads = 2;
  opt.calls = 10000;
  opt.call = "event";
  opt.jobid = 1;
  opt.max_files = 100000;
  opt.replace = 'a';
  opt.rounds = 2;
  opt.accurate_options = ACCURATE_DEFAULT_OPTIONS;
  const char* positional[3];
  int npositional = 0;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDS_VALUE              \
  do {                           \
    if (!v) return false;        \
    i++;                         \
  } while (0)
    if (strncmp(a, "--", 2) != 0) {
      if (npositional == 3) return false;
      positional[npositional++] = a;
    } else if (strcmp(a, "--level") == 0) {
      NEEDS_VALUE;
      opt.level = v[0];
    } else if (strcmp(a, "--since") == 0) {
      NEEDS_VALUE;
      opt.since = strtoll(v, NULL, 10);
    } else if (strcmp(a, "--flags") == 0) {
      NEEDS_VALUE;
      if (!parse_flags(v)) return false;
    } else if (strcmp(a, "--acl") == 0) {
      set_flag(opt.flags, FO_ACL);
    } else if (strcmp(a, "--xattr") == 0) {
      set_flag(opt.flags, FO_XATTR);
    } else if (strcmp(a, "--accurate") == 0) {
      opt.accurate = true;
    } else if (strcmp(a, "--accurate-options") == 0) {
      NEEDS_VALUE;
      opt.accurate_options = strtoull(v, NULL, 0);
    } else if (strcmp(a, "--plugin-dir") == 0) {
      NEEDS_VALUE;
      opt.plugin_dir = v;
    } else if (strcmp(a, "--archive") == 0) {
      NEEDS_VALUE;
      opt.archive = v;
    } else if (strcmp(a, "--where") == 0) {
      NEEDS_VALUE;
      opt.where = v;
    } else if (strcmp(a, "--replace") == 0) {
      NEEDS_VALUE;
      opt.replace = v[0];
    } else if (strcmp(a, "--options") == 0) {
      NEEDS_VALUE;
      if (opt.noptions == MAX_LIST) return false;
      opt.options[opt.noptions++] = v;
    } else if (strcmp(a, "--event") == 0) {
      NEEDS_VALUE;
      if (opt.nevents == MAX_LIST) return false;
      char* end;
      long number = strtol(v, &end, 10);
      if (end == v || (*end && *end != '=')) return false;
      opt.events[opt.nevents].number = (int)number;
      opt.events[opt.nevents].value = *end == '=' ? end + 1 : NULL;
      opt.nevents++;
    } else if (strcmp(a, "--no-command") == 0) {
      opt.no_command = true;
    } else if (strcmp(a, "--check-file") == 0) {
      NEEDS_VALUE;
      if (opt.ncheck_files == MAX_LIST) return false;
      opt.check_files[opt.ncheck_files++] = v;
    } else if (strcmp(a, "--threads") == 0) {
      NEEDS_VALUE;
      opt.threads = atoi(v);
    } else if (strcmp(a, "--calls") == 0) {
      NEEDS_VALUE;
      opt.calls = atol(v);
    } else if (strcmp(a, "--call") == 0) {
      NEEDS_VALUE;
      opt.call = v;
    } else if (strcmp(a, "--jobid") == 0) {
      NEEDS_VALUE;
      opt.jobid = atoi(v);
    } else if (strcmp(a, "--max-files") == 0) {
      NEEDS_VALUE;
      opt.max_files = atoi(v);
    } else if (strcmp(a, "--rounds") == 0) {
      NEEDS_VALUE;
      opt.rounds = atoi(v);
    } else {
      return false;
    }
#undef NEEDS_VALUE
  }
  if (npositional != 3) return false;
  opt.plugin_so = positional[0];
  opt.scenario = positional[1];
  opt.definition = positional[2];
  return opt.threads > 0 && opt.threads <= 64 && opt.calls >= 0 && opt.rounds > 0 && opt.max_files > 0;
}

int main(int argc, char** argv)
{
  pthread_key_create(&thread_label_key, NULL);
  set_thread_label(0);
  if (!parse_args(argc, argv)) {
    usage();
    print_error("arguments", "bad command line (see usage on stderr)");
    return 2;
  }
  /* SCENARIO: one of the scenarios, or a comma-separated list of jobs
   * (backup, restore, estimate, events) run one after the other by the same
   * loaded plugin, as a daemon runs job after job. */
  static const char* const jobs[] = {"backup", "restore", "estimate", "events"};
  static const char* const alone[] = {"concurrent", "cancel", "reload"};
  char* list = xstrdup(opt.scenario);
  int njobs = 0;
  bool known = true, single = false;
  for (char* item = strtok(list, ","); item; item = strtok(NULL, ",")) {
    bool is_job = false, is_alone = false;
    for (size_t i = 0; i < sizeof jobs / sizeof *jobs; i++) is_job = is_job || strcmp(item, jobs[i]) == 0;
    for (size_t i = 0; i < sizeof alone / sizeof *alone; i++) is_alone = is_alone || strcmp(item, alone[i]) == 0;
    known = known && (is_job || is_alone);
    single = single || is_alone;
    njobs++;
  }
  free(list);
  if (!known || njobs == 0 || (single && njobs > 1)) {
    usage();
    print_error("arguments", "unknown scenario");
    return 2;
  }
  if (!load_plugin(opt.plugin_so)) return 3;

  int rc = 0;
  list = xstrdup(opt.scenario);
  for (char* item = strtok(list, ","); item && rc == 0; item = strtok(NULL, ",")) {
    if (strcmp(item, "backup") == 0)
      rc = scenario_backup();
    else if (strcmp(item, "restore") == 0)
      rc = scenario_restore();
    else if (strcmp(item, "estimate") == 0)
      rc = scenario_estimate();
    else if (strcmp(item, "events") == 0)
      rc = scenario_events();
    else if (strcmp(item, "concurrent") == 0)
      rc = scenario_concurrent();
    else if (strcmp(item, "cancel") == 0)
      rc = scenario_cancel();
    else
      rc = scenario_reload();
  }
  free(list);
  if (rc == 3) return rc;

  unload_plugin();
  free(plugin_file_name);
  Json j;
  j_begin(&j);
  j_str(&j, "driver", "done");
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}
