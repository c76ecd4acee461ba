/* recording-dir.c -- a DIR plugin for tests/dir/test_dir_host.py: it
 * registers every director event and appends one line per event it gets to
 * the file named by $RECORDING_DIR_LOG:
 *
 *   <JobId> <instance> <EventName> [key=value ...]
 *
 * with, per event, what the core answers to getBareosValue (read with the C
 * type the core writes).  Its options (Dir Plugin Options
 * "recording:volume=PREFIX:priority=N:level=L") make it act:
 *   volume=PREFIX  on NewVolume, SetValue(bwDirVarVolumeName, "PREFIX-<JobId>-<n>")
 *   priority=N     on JobStart, SetValue(bwDirVarPriority, N)
 *   level=L        on JobStart, SetValue(bwDirVarJobLevel, L)
 *   badevent=N     on NewPluginOptions, registerBareosEvents(ctx, 1, N) (recorded rc)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bareospy/dir.h"

static DirCoreFunctions* core;

typedef struct State {
  char volume_prefix[64];
  int priority;
  int level;
  int volumes;
  int bad_event;
} State;

static void record(PluginContext* ctx, const char* format, ...)
{
  const char* path = getenv("RECORDING_DIR_LOG");
  if (!path)
    return;
  FILE* f = fopen(path, "a");
  if (!f)
    return;
  int jobid = 0;
  core->getBareosValue(ctx, bDirVarJobId, &jobid);
  fprintf(f, "%d %u ", jobid, ctx->instance);
  va_list args;
  va_start(args, format);
  vfprintf(f, format, args);
  va_end(args);
  fputc('\n', f);
  fclose(f);
}

static const char* text_value(PluginContext* ctx, brDirVariable var)
{
  const char* text = NULL;
  if (core->getBareosValue(ctx, var, &text) != bRC_OK || !text)
    return "-";
  return text;
}

static int int_value(PluginContext* ctx, brDirVariable var)
{
  int value = -1;
  core->getBareosValue(ctx, var, &value);
  return value;
}

static unsigned long long u64_value(PluginContext* ctx, brDirVariable var)
{
  uint64_t value = 0;
  core->getBareosValue(ctx, var, &value);
  return (unsigned long long)value;
}

static void parse_options(State* state, const char* options)
{
  const char* s = options;
  while ((s = strchr(s, ':')) != NULL) {
    s++;
    if (strncmp(s, "volume=", 7) == 0)
      sscanf(s + 7, "%63[^:]", state->volume_prefix);
    else if (strncmp(s, "priority=", 9) == 0)
      state->priority = atoi(s + 9);
    else if (strncmp(s, "level=", 6) == 0)
      state->level = s[6];
    else if (strncmp(s, "badevent=", 9) == 0)
      state->bad_event = atoi(s + 9);
  }
}

static bRC newPlugin(PluginContext* ctx)
{
  ctx->plugin_private_context = calloc(1, sizeof(State));
  for (uint32_t event = 1; event <= DIR_NR_EVENTS; event++)
    core->registerBareosEvents(ctx, 1, event);
  return bRC_OK;
}

static bRC freePlugin(PluginContext* ctx)
{
  record(ctx, "freePlugin");
  free(ctx->plugin_private_context);
  return bRC_OK;
}

static bRC getPluginValue(PluginContext* ctx, pVariable var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_Error;
}

static bRC setPluginValue(PluginContext* ctx, pVariable var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_Error;
}

static bRC handlePluginEvent(PluginContext* ctx, bDirEvent* event, void* value)
{
  State* state = ctx->plugin_private_context;
  switch (event->eventType) {
    case bDirEventNewPluginOptions:
      parse_options(state, value);
      record(ctx, "NewPluginOptions options=%s", (const char*)value);
      if (state->bad_event)
        record(ctx, "registerBareosEvents event=%d rc=%d", state->bad_event,
               (int)core->registerBareosEvents(ctx, 1, (uint32_t)state->bad_event));
      break;
    case bDirEventJobStart:
      if (state->priority)
        core->setBareosValue(ctx, bwDirVarPriority, &state->priority);
      if (state->level)
        core->setBareosValue(ctx, bwDirVarJobLevel, &state->level);
      record(ctx, "JobStart job=%s name=%s type=%c level=%c priority=%d pool=%s client=%s "
             "storage=%s catalog=%s plugindir=%s",
             text_value(ctx, bDirVarJob), text_value(ctx, bDirVarJobName),
             int_value(ctx, bDirVarType), int_value(ctx, bDirVarLevel),
             int_value(ctx, bDirVarPriority), text_value(ctx, bDirVarPool),
             text_value(ctx, bDirVarClient), text_value(ctx, bDirVarStorage),
             text_value(ctx, bDirVarCatalog), text_value(NULL, bDirVarPluginDir));
      break;
    case bDirEventNewVolume:
      if (state->volume_prefix[0]) {
        char name[128];
        int jobid = int_value(ctx, bDirVarJobId);
        snprintf(name, sizeof name, "%s-%d-%d", state->volume_prefix, jobid, ++state->volumes);
        core->setBareosValue(ctx, bwDirVarVolumeName, name);
      }
      record(ctx, "NewVolume numvols=%d volume=%s", int_value(ctx, bDirVarNumVols),
             text_value(ctx, bDirVarVolumeName));
      break;
    case bDirEventJobEnd:
      record(ctx, "JobEnd status=%c files=%d bytes=%llu errors=%d numvols=%d volume=%s",
             int_value(ctx, bDirVarJobStatus), int_value(ctx, bDirVarJobFiles),
             u64_value(ctx, bDirVarJobBytes), int_value(ctx, bDirVarJobErrors),
             int_value(ctx, bDirVarNumVols), text_value(ctx, bDirVarVolumeName));
      break;
    case bDirEventJobRun:
      record(ctx, "JobRun priority=%d level=%c", int_value(ctx, bDirVarPriority),
             int_value(ctx, bDirVarLevel));
      break;
    default: {
      static const char* const names[] = {"?", "JobStart", "JobEnd", "JobInit", "JobRun",
                                          "VolumePurged", "NewVolume", "NeedVolume",
                                          "VolumeFull", "Recyle", "GetScratch",
                                          "NewPluginOptions"};
      record(ctx, "%s volume=%s", names[event->eventType <= DIR_NR_EVENTS ? event->eventType : 0],
             text_value(ctx, bDirVarVolumeName));
    }
  }
  return bRC_OK;
}

static PluginInformation information = {
    sizeof(PluginInformation), DIR_PLUGIN_INTERFACE_VERSION, DIR_PLUGIN_MAGIC,
    BAREOS_PLUGIN_LICENSE, "bareospy tests", "2026", "1", "records director events", ""};

static DirPluginFunctions functions = {
    sizeof(DirPluginFunctions), DIR_PLUGIN_INTERFACE_VERSION, newPlugin, freePlugin,
    getPluginValue, setPluginValue, handlePluginEvent};

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions, PluginInformation** info,
               void** plugin_functions)
{
  (void)core_info;
  core = core_functions;
  *info = &information;
  *plugin_functions = &functions;
  return bRC_OK;
}

bRC unloadPlugin(void) { return bRC_OK; }
