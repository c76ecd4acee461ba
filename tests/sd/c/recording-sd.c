/* recording-sd.c -- a storage daemon plugin for the tests of bareospy-sd.
 *
 * It registers every SD event and appends one JSON line per event it gets
 * to a file, with what GetValue answers at that moment.  Its options
 * (SD plugin options "recording:key=value:..."):
 *
 *   out=PATH          the JSON lines file (appended to; required to record)
 *   refuse=A,B        return bRC_Error for these events (names as "DeviceOpen")
 *   volumes=V1,V2     SetValue(bsdwVarVolumeName) with V1 at DeviceReserve, the
 *                     next name at each VolumeUnload
 *   message=TEXT      a JobMessage M_INFO at JobStart
 *
 * Written against include/ only, as any SD plugin.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bareospy/sd.h"

static SdCoreFunctions* core;

static PluginInformation information = {
    sizeof(PluginInformation), SD_PLUGIN_INTERFACE_VERSION, SD_PLUGIN_MAGIC, BAREOS_PLUGIN_LICENSE,
    "bareospy tests", "December 2026", "1.0", "records every storage daemon event", "recording:out=PATH"};

static const char* const NAMES[SD_NR_EVENTS + 1] = {
    "?", "JobStart", "JobEnd", "DeviceInit", "DeviceMount", "VolumeLoad", "DeviceReserve",
    "DeviceOpen", "LabelRead", "LabelVerified", "LabelWrite", "DeviceClose", "VolumeUnload",
    "DeviceUnmount", "ReadError", "WriteError", "DriveStatus", "VolumeStatus",
    "SetupRecordTranslation", "ReadRecordTranslation", "WriteRecordTranslation", "DeviceRelease",
    "NewPluginOptions", "ChangerLock", "ChangerUnlock"};

typedef struct State {
  char* out;
  char* refuse;  /* ",A,B," */
  char* volumes; /* "V1,V2" */
  char* next_volume;
  char* message;
} State;

/* The value of key in "name:k=v:k=v" (malloc'ed), or NULL. */
static char* option(const char* options, const char* key)
{
  size_t length = strlen(key);
  for (const char* p = strchr(options, ':'); p; p = strchr(p, ':')) {
    p++;
    if (strncmp(p, key, length) == 0 && p[length] == '=') {
      const char* value = p + length + 1;
      const char* end = strchr(value, ':');
      size_t n = end ? (size_t)(end - value) : strlen(value);
      char* copy = malloc(n + 1);
      memcpy(copy, value, n);
      copy[n] = '\0';
      return copy;
    }
  }
  return NULL;
}

static void json_string(FILE* f, const char* text)
{
  if (!text) {
    fputs("null", f);
    return;
  }
  fputc('"', f);
  for (const unsigned char* p = (const unsigned char*)text; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

static void get_string(PluginContext* ctx, FILE* f, const char* key, bsdrVariable var)
{
  const char* value = NULL;
  fprintf(f, ",\"%s\":", key);
  if (core->getBareosValue(ctx, var, &value) != bRC_OK) fputs("\"<error>\"", f);
  else json_string(f, value);
}

static void get_int(PluginContext* ctx, FILE* f, const char* key, bsdrVariable var)
{
  int value = 0;
  if (core->getBareosValue(ctx, var, &value) == bRC_OK) fprintf(f, ",\"%s\":%d", key, value);
}

static void record(PluginContext* ctx, State* state, int event)
{
  if (!state->out) return;
  char* line = NULL;
  size_t size = 0;
  FILE* f = open_memstream(&line, &size);
  if (!f) return;
  fprintf(f, "{\"instance\":%u,\"event\":\"%s\"", ctx->instance, NAMES[event]);
  get_string(ctx, f, "job", bsdVarJobName);
  get_string(ctx, f, "volume", bsdVarVolumeName);
  get_string(ctx, f, "pool", bsdVarPool);
  get_string(ctx, f, "media_type", bsdVarMediaType);
  get_string(ctx, f, "storage", bsdVarStorage);
  get_string(ctx, f, "client", bsdVarClient);
  get_int(ctx, f, "jobid", bsdVarJobId);
  get_int(ctx, f, "type", bsdVarType);
  get_int(ctx, f, "level", bsdVarLevel);
  get_int(ctx, f, "status", bsdVarJobStatus);
  get_int(ctx, f, "files", bsdVarJobFiles);
  get_int(ctx, f, "errors", bsdVarJobErrors);
  int instances = 0;
  if (core->getInstanceCount(ctx, &instances) == bRC_OK) fprintf(f, ",\"instances\":%d", instances);
  uint64_t bytes = 0;
  if (core->getBareosValue(ctx, bsdVarJobBytes, &bytes) == bRC_OK)
    fprintf(f, ",\"bytes\":%llu", (unsigned long long)bytes);
  fputs("}\n", f);
  fclose(f);
  FILE* out = fopen(state->out, "a");
  if (out) {
    fwrite(line, 1, size, out); /* one write: lines of concurrent jobs do not mix */
    fclose(out);
  }
  free(line);
}

/* Take the next name of the volumes list and hand it to the core. */
static void set_next_volume(PluginContext* ctx, State* state)
{
  if (!state->next_volume || !*state->next_volume) return;
  char* comma = strchr(state->next_volume, ',');
  if (comma) *comma = '\0';
  core->setBareosValue(ctx, bsdwVarVolumeName, state->next_volume);
  state->next_volume = comma ? comma + 1 : NULL;
}

static bool refused(const State* state, int event)
{
  if (!state->refuse) return false;
  char pattern[64];
  snprintf(pattern, sizeof pattern, ",%s,", NAMES[event]);
  return strstr(state->refuse, pattern) != NULL;
}

static bRC new_plugin(PluginContext* ctx)
{
  ctx->plugin_private_context = calloc(1, sizeof(State));
  for (int event = 1; event <= SD_NR_EVENTS; event++) core->registerBareosEvents(ctx, 1, event);
  return bRC_OK;
}

static bRC free_plugin(PluginContext* ctx)
{
  State* state = ctx->plugin_private_context;
  if (!state) return bRC_OK;
  free(state->out);
  free(state->refuse);
  free(state->volumes);
  free(state->message);
  free(state);
  ctx->plugin_private_context = NULL;
  return bRC_OK;
}

static bRC get_plugin_value(PluginContext* ctx, pVariable var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_Error;
}

static bRC set_plugin_value(PluginContext* ctx, pVariable var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_Error;
}

static void take_options(State* state, const char* options)
{
  free(state->out);
  free(state->volumes);
  free(state->message);
  state->out = option(options, "out");
  state->volumes = option(options, "volumes");
  state->next_volume = state->volumes;
  state->message = option(options, "message");
  char* refuse = option(options, "refuse");
  free(state->refuse);
  state->refuse = NULL;
  if (refuse) {
    state->refuse = malloc(strlen(refuse) + 3);
    sprintf(state->refuse, ",%s,", refuse);
    free(refuse);
  }
}

static bRC handle_event(PluginContext* ctx, bSdEvent* event, void* value)
{
  State* state = ctx->plugin_private_context;
  int type = (int)event->eventType;
  if (type < 1 || type > SD_NR_EVENTS || !state) return bRC_Error;
  if (type == bSdEventNewPluginOptions && value) take_options(state, (const char*)value);
  record(ctx, state, type);
  if (type == bSdEventJobStart && state->message)
    core->JobMessage(ctx, __FILE__, __LINE__, M_INFO, 0, "recording: %s", state->message);
  if (type == bSdEventDeviceReserve || type == bSdEventVolumeUnload) set_next_volume(ctx, state);
  return refused(state, type) ? bRC_Error : bRC_OK;
}

static SdPluginFunctions functions = {sizeof(SdPluginFunctions), SD_PLUGIN_INTERFACE_VERSION,
                                      new_plugin, free_plugin, get_plugin_value, set_plugin_value,
                                      handle_event};

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions, PluginInformation** plugin_info,
               void** plugin_functions)
{
  (void)core_info;
  core = core_functions;
  *plugin_info = &information;
  *plugin_functions = &functions;
  return bRC_OK;
}

bRC unloadPlugin(void)
{
  return bRC_OK;
}
