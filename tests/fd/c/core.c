/* core.c -- the recording core: the FdCoreFunctions the plugin calls back.
 * Each callback prints one {"core": NAME, "ctx": N, "thread": N, ...} line
 * with what it was asked and what it answered.  This is the test oracle: it
 * follows the contract, not the reference host, and shares no code with it. */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    *ret = live_instances_count();
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
  char* text = fmt ? xvasprintf(fmt, ap) : xstrdup("");
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

FdCoreFunctions core_functions = {
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
