/* See testcore.h. */
#include "testcore.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static testcore_hooks hooks;

void testcore_set_hooks(const testcore_hooks* new_hooks) { hooks = *new_hooks; }

/* printf into a malloc'd string; NULL if out of memory. */
static char* format_text(const char* fmt, va_list args)
{
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (length < 0) return NULL;
  char* text = malloc((size_t)length + 1);
  if (text) vsnprintf(text, (size_t)length + 1, fmt, args);
  return text;
}

/* Collect `count` variadic event numbers and pass them to the events hook. */
static bRC forward_events(PluginContext* ctx, int unregister, int count, va_list args)
{
  if (count < 0) return bRC_Error;
  unsigned int* events = malloc(sizeof(unsigned int) * (size_t)(count ? count : 1));
  if (!events) return bRC_Error;
  for (int i = 0; i < count; i++) events[i] = va_arg(args, unsigned int);
  bRC rc = hooks.events ? hooks.events(ctx, unregister, count, events) : bRC_Error;
  free(events);
  return rc;
}

static bRC register_events(PluginContext* ctx, int count, ...)
{
  va_list args;
  va_start(args, count);
  bRC rc = forward_events(ctx, 0, count, args);
  va_end(args);
  return rc;
}

static bRC unregister_events(PluginContext* ctx, int count, ...)
{
  va_list args;
  va_start(args, count);
  bRC rc = forward_events(ctx, 1, count, args);
  va_end(args);
  return rc;
}

static bRC get_instance_count(PluginContext* ctx, int* count)
{
  return hooks.instance_count ? hooks.instance_count(ctx, count) : bRC_Error;
}

static bRC get_value(PluginContext* ctx, int var, void* value)
{
  if (!value) return bRC_Error;
  return hooks.get_value ? hooks.get_value(ctx, var, value) : bRC_Error;
}

static bRC set_value(PluginContext* ctx, int var, const void* value)
{
  if (!value) return bRC_Error;
  return hooks.set_value ? hooks.set_value(ctx, var, value) : bRC_Error;
}

/* getBareosValue and setBareosValue with a daemon's variable types. */
#define VALUE_ADAPTERS(daemon, ReadVariable, WriteVariable, WrittenValue)   \
  static bRC daemon##_get_value(PluginContext* ctx, ReadVariable var, void* value)  \
  {                                                                         \
    return get_value(ctx, (int)var, value);                                 \
  }                                                                         \
  static bRC daemon##_set_value(PluginContext* ctx, WriteVariable var, WrittenValue value) \
  {                                                                         \
    return set_value(ctx, (int)var, value);                                 \
  }

VALUE_ADAPTERS(fd, bVariable, bVariable, const void*)
VALUE_ADAPTERS(sd, bsdrVariable, bsdwVariable, void*)
VALUE_ADAPTERS(dir, brDirVariable, bwDirVariable, void*)

/* The members every daemon's table starts with. */
#define COMMON_MEMBERS(Table, interface_version, get, set)                            \
  .size = sizeof(Table), .version = (interface_version),                              \
  .registerBareosEvents = register_events, .unregisterBareosEvents = unregister_events, \
  .getInstanceCount = get_instance_count, .getBareosValue = (get),                    \
  .setBareosValue = (set), .JobMessage = job_message, .DebugMessage = debug_message

static bRC job_message(PluginContext* ctx, const char* file, int line, int type,
                       utime_t mtime, const char* fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  char* text = format_text(fmt, args);
  va_end(args);
  if (!text) return bRC_Error;
  bRC rc = hooks.job_message ? hooks.job_message(ctx, file, line, type, mtime, text) : bRC_Error;
  free(text);
  return rc;
}

static bRC debug_message(PluginContext* ctx, const char* file, int line, int level,
                         const char* fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  char* text = format_text(fmt, args);
  va_end(args);
  if (!text) return bRC_Error;
  bRC rc = hooks.debug_message ? hooks.debug_message(ctx, file, line, level, text) : bRC_Error;
  free(text);
  return rc;
}

static void* core_malloc(PluginContext* ctx, const char* file, int line, size_t size)
{
  (void)ctx, (void)file, (void)line;
  return malloc(size);
}

static void core_free(PluginContext* ctx, const char* file, int line, void* memory)
{
  (void)ctx, (void)file, (void)line;
  free(memory);
}

static bRC fileset(PluginContext* ctx, int op, const char* item, int type)
{
  return hooks.fileset ? hooks.fileset(ctx, op, item, type) : bRC_Error;
}

static bRC add_exclude(PluginContext* ctx, const char* file)
{
  return fileset(ctx, TESTCORE_ADD_EXCLUDE, file, 0);
}
static bRC add_include(PluginContext* ctx, const char* file)
{
  return fileset(ctx, TESTCORE_ADD_INCLUDE, file, 0);
}
static bRC add_options(PluginContext* ctx, const char* opts)
{
  return fileset(ctx, TESTCORE_ADD_OPTIONS, opts, 0);
}
static bRC add_regex(PluginContext* ctx, const char* item, int type)
{
  return fileset(ctx, TESTCORE_ADD_REGEX, item, type);
}
static bRC add_wild(PluginContext* ctx, const char* item, int type)
{
  return fileset(ctx, TESTCORE_ADD_WILD, item, type);
}
static bRC new_options(PluginContext* ctx) { return fileset(ctx, TESTCORE_NEW_OPTIONS, NULL, 0); }
static bRC new_include(PluginContext* ctx) { return fileset(ctx, TESTCORE_NEW_INCLUDE, NULL, 0); }
static bRC new_pre_include(PluginContext* ctx)
{
  return fileset(ctx, TESTCORE_NEW_PRE_INCLUDE, NULL, 0);
}

static bRC check_changes(PluginContext* ctx, save_pkt* sp)
{
  return hooks.query ? hooks.query(ctx, TESTCORE_CHECK_CHANGES, sp) : bRC_Error;
}
static bRC accept_file(PluginContext* ctx, save_pkt* sp)
{
  return hooks.query ? hooks.query(ctx, TESTCORE_ACCEPT_FILE, sp) : bRC_Error;
}

static bRC set_seen(PluginContext* ctx, bool all, char* fname)
{
  return hooks.seen ? hooks.seen(ctx, 0, all, fname) : bRC_Error;
}
static bRC clear_seen(PluginContext* ctx, bool all, char* fname)
{
  return hooks.seen ? hooks.seen(ctx, 1, all, fname) : bRC_Error;
}

static FdCoreFunctions table = {
    COMMON_MEMBERS(FdCoreFunctions, FD_PLUGIN_INTERFACE_VERSION, fd_get_value, fd_set_value),
    .bareosMalloc = core_malloc,
    .bareosFree = core_free,
    .AddExclude = add_exclude,
    .AddInclude = add_include,
    .AddOptions = add_options,
    .AddRegex = add_regex,
    .AddWild = add_wild,
    .NewOptions = new_options,
    .NewInclude = new_include,
    .NewPreInclude = new_pre_include,
    .checkChanges = check_changes,
    .AcceptFile = accept_file,
    .SetSeenBitmap = set_seen,
    .ClearSeenBitmap = clear_seen,
};

FdCoreFunctions* testcore_functions(void) { return &table; }

/* The storage daemon's and the director's: the common members only. */
static SdCoreFunctions sd_table = {
    COMMON_MEMBERS(SdCoreFunctions, SD_PLUGIN_INTERFACE_VERSION, sd_get_value, sd_set_value),
};
static DirCoreFunctions dir_table = {
    COMMON_MEMBERS(DirCoreFunctions, DIR_PLUGIN_INTERFACE_VERSION, dir_get_value, dir_set_value),
};

SdCoreFunctions* testcore_sd_functions(void) { return &sd_table; }
DirCoreFunctions* testcore_dir_functions(void) { return &dir_table; }
