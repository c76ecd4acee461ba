/* events_driver: loads python3-sd.so or python3-dir.so as a storage daemon
 * or a director does, runs the commands given on the command line, and
 * writes every call and every core callback as a JSON line (the test
 * oracle of tests/sd and tests/dir; only the kit's neutral parts are shared
 * with the reference hosts).
 *
 *   events_driver sd|dir PLUGIN COMMAND...
 *
 * Commands, in order:
 *   options TEXT     the core's DispatchNewPluginOptions (spec §1.8): the
 *                    instance=N of TEXT picks (or creates) the instance, which
 *                    gets NewPluginOptions with the complete TEXT
 *   event N          event N to every instance that registered it, in load
 *                    order; bRC_Error, bRC_Stop and bRC_Skip stop it (§1.5)
 *   value VAR=TEXT   what getBareosValue answers for VAR, written with the C
 *                    type the daemon's core writes (§1.7, §1.8)
 *   novalue VAR      getBareosValue answers bRC_Error for VAR
 *   concurrent N     event N sent 100 times to every instance, each instance
 *                    on its own thread, all at once (a daemon's concurrent jobs)
 * Before the commands instance 0 is created; after them the job ends:
 * JobEnd to the registered instances, then freePlugin of each, unloadPlugin.
 *
 * Lines: {"call": "loadPlugin"|"newPlugin"|"handlePluginEvent"|..., "rc": n},
 * {"core": "JobMessage"|"DebugMessage"|"registerBareosEvents"|...}, and at the
 * end {"driver": "done"}.  Exit status 2: the plugin did not load.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bareospy/dir.h"
#include "bareospy/sd.h"
#include "kit/jsonl.h"
#include "kit/loader.h"
#include "kit/util.h"

#define MAX_INSTANCES 128
#define MAX_VARIABLES 32

/* How the daemon's core writes a variable. */
enum { VALUE_NONE, VALUE_STRING, VALUE_INT, VALUE_U64 };

typedef struct Daemon {
  const char* name;
  const DaemonSpec* spec;
  void* core_functions;
  unsigned int new_options_event;
  unsigned int job_end_event;
  const unsigned char* kinds; /* VALUE_* by variable number */
  int variables;              /* highest variable number */
} Daemon;

typedef struct Instance {
  PluginContext ctx;
  unsigned long long events; /* registered events, bit n = event n */
} Instance;

static const Daemon* daemon_;
static Plugin plugin;
static Instance* instances[MAX_INSTANCES]; /* in load order */
static int instance_count;
static char* values[MAX_VARIABLES + 1];    /* NULL: the core has no value */

/* -- the recording core ------------------------------------------------------------- */

static void core_line(const char* name, PluginContext* ctx, Json* j)
{
  j_begin(j);
  j_str(j, "core", name);
  if (ctx) j_int(j, "instance", ctx->instance);
}

static bRC change_events(PluginContext* ctx, const char* name, int count, va_list args)
{
  Instance* instance = (Instance*)ctx;
  for (int i = 0; i < count; i++) {
    unsigned int event = va_arg(args, unsigned int);
    Json j;
    core_line(name, ctx, &j);
    j_int(&j, "event", event);
    j_end(&j);
    if (event >= 64) continue;
    if (name[0] == 'r')
      instance->events |= 1ull << event;
    else
      instance->events &= ~(1ull << event);
  }
  return bRC_OK;
}

/* registerBareosEvents and unregisterBareosEvents (variadic: one each). */
#define EVENTS_FUNCTION(function, name)                        \
  static bRC function(PluginContext* ctx, int count, ...)      \
  {                                                            \
    va_list args;                                              \
    va_start(args, count);                                     \
    bRC rc = change_events(ctx, name, count, args);            \
    va_end(args);                                              \
    return rc;                                                 \
  }

EVENTS_FUNCTION(register_events, "registerBareosEvents")
EVENTS_FUNCTION(unregister_events, "unregisterBareosEvents")

static bRC get_instance_count(PluginContext* ctx, int* count)
{
  (void)ctx;
  *count = instance_count;
  return bRC_OK;
}

static bRC get_value(PluginContext* ctx, int var, void* out)
{
  Json j;
  core_line("getBareosValue", ctx, &j);
  j_int(&j, "var", var);
  int kind = var > 0 && var <= daemon_->variables ? daemon_->kinds[var] : VALUE_NONE;
  const char* value = var > 0 && var <= MAX_VARIABLES ? values[var] : NULL;
  bRC rc = bRC_Error;
  if (kind != VALUE_NONE && value && out) {
    if (kind == VALUE_STRING)
      *(const char**)out = value;
    else if (kind == VALUE_INT)
      *(int*)out = atoi(value);
    else
      *(uint64_t*)out = strtoull(value, NULL, 10);
    rc = bRC_OK;
  }
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

static bRC set_value(PluginContext* ctx, int var, void* value)
{
  Json j;
  core_line("setBareosValue", ctx, &j);
  j_int(&j, "var", var);
  if (value && var == 2) /* the volume name, a char*, in both daemons */
    j_str(&j, "value", value);
  else if (value && (var == 3 || var == 4)) /* priority, job level: int* */
    j_int(&j, "value", *(int*)value);
  j_end(&j);
  return ctx && value ? bRC_OK : bRC_Error;
}

/* A JobMessage ("type", with file and line) or DebugMessage ("level") line. */
static void record_message(PluginContext* ctx, const char* name, const char* key, int number,
                           const char* file, int line, const char* fmt, va_list args)
{
  char* text = xvasprintf(fmt, args);
  Json j;
  core_line(name, ctx, &j);
  j_int(&j, key, number);
  j_str(&j, "text", text);
  if (file) {
    j_str(&j, "file", file);
    j_int(&j, "line", line);
  }
  j_end(&j);
  free(text);
}

static bRC job_message(PluginContext* ctx, const char* file, int line, int type, utime_t mtime,
                       const char* fmt, ...)
{
  (void)mtime;
  va_list args;
  va_start(args, fmt);
  record_message(ctx, "JobMessage", "type", type, file ? file : "", line, fmt, args);
  va_end(args);
  return bRC_OK;
}

static bRC debug_message(PluginContext* ctx, const char* file, int line, int level,
                         const char* fmt, ...)
{
  (void)file, (void)line;
  va_list args;
  va_start(args, fmt);
  record_message(ctx, "DebugMessage", "level", level, NULL, 0, fmt, args);
  va_end(args);
  return bRC_OK;
}

static bRC sd_get_value(PluginContext* ctx, bsdrVariable var, void* out) { return get_value(ctx, var, out); }
static bRC sd_set_value(PluginContext* ctx, bsdwVariable var, void* in) { return set_value(ctx, var, in); }
static bRC dir_get_value(PluginContext* ctx, brDirVariable var, void* out) { return get_value(ctx, var, out); }
static bRC dir_set_value(PluginContext* ctx, bwDirVariable var, void* in) { return set_value(ctx, var, in); }

static SdCoreFunctions sd_core = {
    .size = sizeof(SdCoreFunctions), .version = SD_PLUGIN_INTERFACE_VERSION,
    .registerBareosEvents = register_events, .unregisterBareosEvents = unregister_events,
    .getInstanceCount = get_instance_count, .getBareosValue = sd_get_value,
    .setBareosValue = sd_set_value, .JobMessage = job_message, .DebugMessage = debug_message,
};
static DirCoreFunctions dir_core = {
    .size = sizeof(DirCoreFunctions), .version = DIR_PLUGIN_INTERFACE_VERSION,
    .registerBareosEvents = register_events, .unregisterBareosEvents = unregister_events,
    .getInstanceCount = get_instance_count, .getBareosValue = dir_get_value,
    .setBareosValue = dir_set_value, .JobMessage = job_message, .DebugMessage = debug_message,
};

/* The C types of §1.7 and §1.8, by variable number. */
static const unsigned char sd_kinds[] = {
    VALUE_NONE,   VALUE_STRING, VALUE_INT,    VALUE_INT,    VALUE_INT,    VALUE_STRING,
    VALUE_STRING, VALUE_STRING, VALUE_STRING, VALUE_STRING, VALUE_STRING, VALUE_INT,
    VALUE_STRING, VALUE_INT,    VALUE_INT,    VALUE_U64,    VALUE_STRING};
static const unsigned char dir_kinds[] = {
    VALUE_NONE,   VALUE_STRING, VALUE_INT,    VALUE_INT, VALUE_INT,    VALUE_STRING,
    VALUE_INT,    VALUE_STRING, VALUE_STRING, VALUE_STRING, VALUE_STRING, VALUE_STRING,
    VALUE_STRING, VALUE_STRING, VALUE_INT,    VALUE_INT, VALUE_STRING, VALUE_NONE,
    VALUE_INT,    VALUE_INT,    VALUE_INT,    VALUE_INT, VALUE_INT,    VALUE_INT,
    VALUE_STRING, VALUE_INT,    VALUE_U64,    VALUE_U64};

static const Daemon daemons[] = {
    {"sd", &DAEMON_SD, &sd_core, bSdEventNewPluginOptions, bSdEventJobEnd, sd_kinds, 16},
    {"dir", &DAEMON_DIR, &dir_core, bDirEventNewPluginOptions, bDirEventJobEnd, dir_kinds, 27},
};

/* -- the daemon's side ----------------------------------------------------------------- */

static void call_line(const char* name, const Instance* instance, Json* j)
{
  j_begin(j);
  j_str(j, "call", name);
  if (instance) j_int(j, "instance", instance->ctx.instance);
}

static Instance* new_instance(unsigned int number)
{
  if (instance_count == MAX_INSTANCES) return NULL;
  Instance* instance = xcalloc(1, sizeof *instance);
  instance->ctx.instance = number;
  instance->ctx.plugin = &plugin;
  instances[instance_count++] = instance;
  Json j;
  call_line("newPlugin", instance, &j);
  const SdPluginFunctions* functions = plugin.plugin_functions;
  j_int(&j, "rc", functions->newPlugin(&instance->ctx));
  j_end(&j);
  return instance;
}

static bRC send_event(Instance* instance, unsigned int number, void* value)
{
  /* bSdEvent and bDirEvent are both {uint32_t eventType}. */
  bSdEvent event = {.eventType = number};
  const SdPluginFunctions* functions = plugin.plugin_functions;
  bRC rc = functions->handlePluginEvent(&instance->ctx, &event, value);
  Json j;
  call_line("handlePluginEvent", instance, &j);
  j_int(&j, "event", number);
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

/* §1.5, §7.14: to every instance that registered the event, in load order. */
static void dispatch(unsigned int number)
{
  for (int i = 0; i < instance_count; i++) {
    if (number >= 64 || !(instances[i]->events & (1ull << number))) continue;
    bRC rc = send_event(instances[i], number, NULL);
    if (rc == bRC_Error || rc == bRC_Stop || rc == bRC_Skip) {
      Json j;
      j_begin(&j);
      j_str(&j, "driver", "stopped");
      j_int(&j, "event", number);
      j_end(&j);
      return;
    }
  }
}

/* "concurrent": one thread per instance, each sending its instance an event. */
#define BURST 100

typedef struct Burst {
  Instance* instance;
  unsigned int event;
} Burst;

static void* send_burst(void* data)
{
  const Burst* burst = data;
  for (int i = 0; i < BURST; i++) send_event(burst->instance, burst->event, NULL);
  return NULL;
}

static void concurrent(unsigned int event)
{
  pthread_t threads[MAX_INSTANCES];
  Burst bursts[MAX_INSTANCES];
  int started = 0;
  for (int i = 0; i < instance_count; i++) {
    bursts[i] = (Burst){instances[i], event};
    if (pthread_create(&threads[started], NULL, send_burst, &bursts[i]) == 0) started++;
  }
  for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
}

static void core_message(const char* text)
{
  Json j;
  j_begin(&j);
  j_str(&j, "job", "message");
  j_str(&j, "text", text);
  j_end(&j);
}

/* The instance=N of an option string: -1 if none, -2 if invalid (> 127). */
static int option_instance(const char* options)
{
  for (const char* p = strchr(options, ':'); p; p = strchr(p + 1, ':')) {
    if (strncasecmp(p + 1, "instance=", 9) != 0) continue;
    char* end;
    long number = strtol(p + 10, &end, 10);
    if (end == p + 10 || (*end != ':' && *end != '\0')) continue;
    return number >= 0 && number < MAX_INSTANCES ? (int)number : -2;
  }
  return -1;
}

/* §1.8 DispatchNewPluginOptions for one option string. */
static void dispatch_options(char* options)
{
  if (!strchr(options, ':')) {
    core_message("illegal plugin options: no ':'");
    return;
  }
  int number = option_instance(options);
  if (number == -2) {
    core_message("illegal plugin instance");
    return;
  }
  if (number < 0) number = 0;
  Instance* instance = NULL;
  for (int i = 0; i < instance_count && !instance; i++)
    if ((int)instances[i]->ctx.instance == number) instance = instances[i];
  if (!instance) instance = new_instance((unsigned int)number);
  if (instance) send_event(instance, daemon_->new_options_event, options);
}

static void set_core_value(const char* assignment)
{
  int var = atoi(assignment);
  const char* equals = strchr(assignment, '=');
  if (var <= 0 || var > MAX_VARIABLES) return;
  free(values[var]);
  values[var] = equals ? xstrdup(equals + 1) : NULL;
}

static void end_job(void)
{
  dispatch(daemon_->job_end_event);
  const SdPluginFunctions* functions = plugin.plugin_functions;
  for (int i = 0; i < instance_count; i++) {
    Json j;
    call_line("freePlugin", instances[i], &j);
    j_int(&j, "rc", functions->freePlugin(&instances[i]->ctx));
    j_end(&j);
    free(instances[i]);
  }
  instance_count = 0;
}

static int load(const char* path)
{
  char* message = NULL;
  LoadReason reason = loader_open(daemon_->spec, path, &plugin, &message);
  if (reason == LOAD_OK) {
    bRC rc = loader_call_load(daemon_->spec, &plugin, daemon_->core_functions);
    Json j;
    call_line("loadPlugin", NULL, &j);
    j_int(&j, "rc", rc);
    j_end(&j);
    reason = loader_check(daemon_->spec, &plugin, rc);
    if (reason != LOAD_OK) message = loader_explain(daemon_->spec, &plugin, reason, rc);
  }
  if (reason == LOAD_OK) {
    const PluginInformation* info = plugin.plugin_information;
    Json j;
    j_begin(&j);
    j_str(&j, "loaded", info->plugin_description);
    j_str(&j, "magic", info->plugin_magic);
    j_int(&j, "version", info->version);
    j_str(&j, "license", info->plugin_license);
    j_str(&j, "usage", info->plugin_usage);
    j_end(&j);
    return 0;
  }
  Json j;
  j_begin(&j);
  j_str(&j, "refused", loader_problem(reason));
  j_str(&j, "stage", loader_stage(reason));
  j_str(&j, "message", message ? message : "");
  j_end(&j);
  free(message);
  if (reason > LOAD_NO_ENTRY_POINT) loader_close(&plugin);
  return 2;
}

int main(int argc, char** argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: events_driver sd|dir PLUGIN COMMAND...\n");
    return 64;
  }
  for (size_t i = 0; i < sizeof daemons / sizeof daemons[0]; i++)
    if (strcmp(argv[1], daemons[i].name) == 0) daemon_ = &daemons[i];
  if (!daemon_) {
    fprintf(stderr, "events_driver: unknown daemon %s\n", argv[1]);
    return 64;
  }
  if (load(argv[2]) != 0) return 2;
  new_instance(0); /* §7.14: instance 0 of every plugin at job start */
  for (int i = 3; i < argc; i++) {
    const char* command = argv[i];
    const char* operand = i + 1 < argc ? argv[++i] : "";
    if (strcmp(command, "options") == 0) {
      char* options = xstrdup(operand);
      dispatch_options(options);
      free(options);
    } else if (strcmp(command, "event") == 0) {
      dispatch((unsigned int)atoi(operand));
    } else if (strcmp(command, "concurrent") == 0) {
      concurrent((unsigned int)atoi(operand));
    } else if (strcmp(command, "value") == 0) {
      set_core_value(operand);
    } else if (strcmp(command, "novalue") == 0) {
      set_core_value(operand);
    } else {
      fprintf(stderr, "events_driver: unknown command %s\n", command);
      return 64;
    }
  }
  end_job();
  loader_close(&plugin);
  for (int i = 0; i <= MAX_VARIABLES; i++) free(values[i]);
  Json j;
  j_begin(&j);
  j_str(&j, "driver", "done");
  j_end(&j);
  return 0;
}
