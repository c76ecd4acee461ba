/* bacula/bareospy-scripting-dir.so and bareospy-scripting-sd.so: Bacula's
 * old Python scripting (DirStartUp.py, SDStartUp.py) inside the plugin
 * interfaces of Bacula 9.6's director and storage daemon.
 *
 * One source, compiled once per daemon (BAREOSPY_BACULA_SD selects the
 * storage daemon).  The daemon dlopen()s this file from its Plugin
 * Directory; loadPlugin() dlopen()s the scripting library
 * (../libbareospy-bacula.so, include/bareospy/bacula.h; or the file named by
 * $BAREOSPY_BACULA_LIBRARY), describes the daemon to it (name and working
 * directory parsed from the configuration file given with -c) and starts
 * it with the scripts directory $BAREOSPY_BACULA_SCRIPTS_DIR, else the
 * "scripts" directory beside the configuration file.  Then each daemon
 * event becomes a scripting event:
 *
 *   JobStart -> job_start (the script's JobStart), JobInit, JobRun,
 *   NewVolume, VolumePurged -> job_event, JobEnd -> job_end;
 *   freePlugin of a job that got no JobEnd (cancelled: 9.6 sends no event
 *   after a cancel) -> job_end; unloadPlugin -> exit.
 *
 * Attributes are read with getBaculaValue.  9.6 ignores every write: the
 * one that matters, the name of a new volume, is made by writing into the
 * buffer whose address the VolumeName variable gives during NewVolume.
 * Priority and JobLevel cannot be changed (refused: the script gets an
 * error); job.run and job.cancel are not available through the interface
 * (refused); DoesVolumeExist asks an SQLite catalog directly.
 */
#define _GNU_SOURCE /* dladdr, RTLD_DEFAULT */
#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "bareospy/bacula.h"
#include "bareospy/bacula_events.h"
#include "bareospy/consts.h"

#ifdef BAREOSPY_BACULA_SD
#define DAEMON_KIND BaculaDaemonStorage
#define INTERFACE_VERSION BACULA_SD_INTERFACE_VERSION
#define PLUGIN_MAGIC BACULA_SD_PLUGIN_MAGIC
#define DAEMON_RESOURCE "storage"
#define DEFAULT_CONFIG "/etc/bacula/bacula-sd.conf"
#define FUNCTIONS_SIZE sizeof(BaculaEventPluginFunctions)
#else
#define DAEMON_KIND BaculaDaemonDirector
#define INTERFACE_VERSION BACULA_DIR_INTERFACE_VERSION
#define PLUGIN_MAGIC BACULA_DIR_PLUGIN_MAGIC
#define DAEMON_RESOURCE "director"
#define DEFAULT_CONFIG "/etc/bacula/bacula-dir.conf"
#define FUNCTIONS_SIZE offsetof(BaculaEventPluginFunctions, handleGlobalPluginEvent)
#endif

#define LIBRARY_BESIDE "../libbareospy-bacula.so"
#define VALUE_SIZE 512

/* One job: what the scripting library hands back to the callbacks. */
typedef struct Job {
  BaculaContext* ctx;
  BaculaScriptJob* script; /* NULL: no Job object (no JobStart handler, Python off) */
  int started;             /* job_start was called */
  int ended;               /* job_end was called */
  int in_new_volume;       /* threads inside the NewVolume event (9.6 may send it from two) */
} Job;

/* What the daemon description points at (bacula.Name, ...). */
typedef struct Configuration {
  char file[PATH_MAX];
  char name[VALUE_SIZE];
  char working_dir[PATH_MAX];
  char db_name[VALUE_SIZE];
  char db_driver[VALUE_SIZE];
  char scripts_dir[PATH_MAX];
} Configuration;

static BaculaDirCoreFunctions* bacula = NULL;
static const BaculaScriptingEntryPoints* scripting = NULL;
static Configuration configuration;

static Job* job_of(BaculaContext* ctx) { return ctx ? (Job*)ctx->plugin_private : NULL; }

static void say(BaculaContext* ctx, int type, const char* text)
{
  if (bacula) bacula->JobMessage(ctx, __FILE__, __LINE__, type, 0, "%s", text);
}

/* ------------------------------------------------------------------------
 * The daemon's configuration: the -c file, and the few values we need
 * ---------------------------------------------------------------------- */

static void find_config_file(char* out, size_t size)
{
  snprintf(out, size, "%s", DEFAULT_CONFIG);
  FILE* cmdline = fopen("/proc/self/cmdline", "r");
  if (!cmdline) return;
  char arguments[8192];
  size_t length = fread(arguments, 1, sizeof arguments - 1, cmdline);
  fclose(cmdline);
  arguments[length] = '\0';
  for (size_t at = 0; at < length; at += strlen(arguments + at) + 1) {
    const char* path = NULL;
    if (strcmp(arguments + at, "-c") == 0 && at + 3 < length)
      path = arguments + at + 3;
    else if (strncmp(arguments + at, "-c", 2) == 0 && arguments[at + 2] != '\0')
      path = arguments + at + 2;
    if (!path) continue;
    if (!realpath(path, out)) snprintf(out, size, "%s", path);
    return;
  }
}

/* A directive name as Bacula compares them: lower case, without spaces. */
static void normalise(char* key)
{
  char* out = key;
  for (char* in = key; *in; in++)
    if (!isspace((unsigned char)*in)) *out++ = (char)tolower((unsigned char)*in);
  *out = '\0';
}

static void trim_value(char* value)
{
  char* start = value;
  while (isspace((unsigned char)*start)) start++;
  size_t length = strlen(start);
  while (length && isspace((unsigned char)start[length - 1])) length--;
  if (length >= 2 && start[0] == '"' && start[length - 1] == '"') start++, length -= 2;
  memmove(value, start, length);
  value[length] = '\0';
}

/* One "key = value" of resource `resource` (depth 1). */
static void take_directive(const char* resource, char* directive)
{
  char* equals = strchr(directive, '=');
  if (!equals) return;
  *equals = '\0';
  char* value = equals + 1;
  normalise(directive);
  trim_value(value);
  if (strcmp(resource, DAEMON_RESOURCE) == 0) {
    if (strcmp(directive, "name") == 0 && !configuration.name[0])
      snprintf(configuration.name, sizeof configuration.name, "%s", value);
    else if (strcmp(directive, "workingdirectory") == 0 && !configuration.working_dir[0])
      snprintf(configuration.working_dir, sizeof configuration.working_dir, "%s", value);
  } else if (strcmp(resource, "catalog") == 0) {
    if (strcmp(directive, "dbname") == 0 && !configuration.db_name[0])
      snprintf(configuration.db_name, sizeof configuration.db_name, "%s", value);
    else if (strcmp(directive, "dbdriver") == 0 && !configuration.db_driver[0])
      snprintf(configuration.db_driver, sizeof configuration.db_driver, "%s", value);
  }
}

/* A small reader of Bacula's resource syntax, enough for the daemon's own
 * resource and the first Catalog: Type { key = value; key = value ... }
 * with # comments and quoted strings.  @includes are not followed. */
static void read_configuration(void)
{
  FILE* file = fopen(configuration.file, "r");
  if (!file) return;
  char resource[VALUE_SIZE] = "", word[VALUE_SIZE] = "", directive[VALUE_SIZE] = "";
  size_t word_length = 0, directive_length = 0;
  int depth = 0, quoted = 0, comment = 0, c;
  while ((c = fgetc(file)) != EOF) {
    if (comment) {
      comment = c != '\n';
      if (comment) continue;
    }
    if (!quoted && c == '#') {
      comment = 1;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '{') {
      if (depth++ == 0) {
        word[word_length] = '\0';
        snprintf(resource, sizeof resource, "%s", word);
        normalise(resource);
      }
      word_length = directive_length = 0;
      continue;
    }
    if (!quoted && (c == '}' || c == ';' || c == '\n')) {
      directive[directive_length] = '\0';
      if (depth == 1) take_directive(resource, directive);
      directive_length = 0;
      if (c == '}' && depth > 0) depth--;
      if (c != ';') word_length = 0;
      continue;
    }
    if (depth == 0 && word_length + 1 < sizeof word) word[word_length++] = (char)c;
    if (depth >= 1 && directive_length + 1 < sizeof directive)
      directive[directive_length++] = (char)c;
  }
  fclose(file);
}

static void describe_daemon(void)
{
  memset(&configuration, 0, sizeof configuration);
  find_config_file(configuration.file, sizeof configuration.file);
  read_configuration();
  const char* scripts = getenv("BAREOSPY_BACULA_SCRIPTS_DIR");
  if (scripts && *scripts) {
    snprintf(configuration.scripts_dir, sizeof configuration.scripts_dir, "%s", scripts);
  } else {
    char folder[PATH_MAX];
    snprintf(folder, sizeof folder, "%s", configuration.file);
    char* slash = strrchr(folder, '/');
    if (slash) *slash = '\0';
    snprintf(configuration.scripts_dir, sizeof configuration.scripts_dir, "%.*s/scripts",
             PATH_MAX - 16, slash ? folder : ".");
  }
}

/* ------------------------------------------------------------------------
 * Callbacks of the scripting library
 * ---------------------------------------------------------------------- */

/* Bacula's director variable for an attribute, and whether it is a string. */
static int director_variable(BaculaAttribute attribute, int* is_string)
{
  static const struct { int attribute, variable, string; } table[] = {
      {BaculaAttrJob, bcDirVarJob, 1},           {BaculaAttrJobName, bcDirVarJobName, 1},
      {BaculaAttrJobId, bcDirVarJobId, 0},       {BaculaAttrLevel, bcDirVarLevel, 0},
      {BaculaAttrType, bcDirVarType, 0},         {BaculaAttrJobStatus, bcDirVarJobStatus, 0},
      {BaculaAttrClient, bcDirVarClient, 1},     {BaculaAttrPool, bcDirVarPool, 1},
      {BaculaAttrNumVols, bcDirVarNumVols, 0},   {BaculaAttrStorage, bcDirVarStorage, 1},
      {BaculaAttrMediaType, bcDirVarMediaType, 1}, {BaculaAttrCatalog, bcDirVarCatalog, 1},
      {BaculaAttrPriority, bcDirVarPriority, 0}, {BaculaAttrVolumeName, bcDirVarVolumeName, 1},
      {BaculaAttrJobErrors, bcDirVarJobErrors, 0}, {BaculaAttrJobFiles, bcDirVarJobFiles, 0},
      {BaculaAttrSDJobFiles, bcDirVarSDJobFiles, 0}, {BaculaAttrSDErrors, bcDirVarSDErrors, 0},
      {BaculaAttrFDJobStatus, bcDirVarFDJobStatus, 0},
      {BaculaAttrSDJobStatus, bcDirVarSDJobStatus, 0},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].attribute == (int)attribute) {
      *is_string = table[i].string;
      return table[i].variable;
    }
  return 0;
}

static int storage_variable(BaculaAttribute attribute, int* is_string)
{
  *is_string = attribute == BaculaAttrJobName;
  if (attribute == BaculaAttrJobId) return bcSdVarJobId;
  if (attribute == BaculaAttrJobName) return bcSdVarJobName;
  return 0;
}

static int get_value(void* handle, BaculaAttribute attribute, BaculaValue* value)
{
  Job* job = handle;
  if (!job) return 1;
  if (attribute == BaculaAttrCatalogRes) {
    value->string = "CatalogRes is not available from Bacula 9.6's plugin interface";
    return 1;
  }
  int is_string = 0;
  int variable = DAEMON_KIND == BaculaDaemonStorage ? storage_variable(attribute, &is_string)
                                                     : director_variable(attribute, &is_string);
  if (!variable) return 1;
  if (is_string) {
    char* text = NULL;
    if (bacula->getBaculaValue(job->ctx, variable, &text) != bRC_OK || !text) return 1;
    value->kind = BaculaValueString;
    value->string = text;
  } else {
    int32_t number = 0;
    if (bacula->getBaculaValue(job->ctx, variable, &number) != bRC_OK) return 1;
    value->kind = BaculaValueInteger;
    value->integer = number;
  }
  return 0;
}

/* Only a new volume's name can be set, by writing into the job's buffer. */
static int set_value(void* handle, BaculaAttribute attribute, const BaculaValue* value)
{
  Job* job = handle;
  if (!job || attribute != BaculaAttrVolumeName || !value->string ||
      !__atomic_load_n(&job->in_new_volume, __ATOMIC_SEQ_CST))
    return 1;
  if (strlen(value->string) > BACULA_MAX_VOLUME_NAME) return 1;
  char* buffer = NULL;
  if (bacula->getBaculaValue(job->ctx, bcDirVarVolumeName, &buffer) != bRC_OK || !buffer)
    return 1;
  memcpy(buffer, value->string, strlen(value->string) + 1);
  return 0;
}

static int64_t run_job(void* handle, const char* command)
{
  Job* job = handle;
  char text[VALUE_SIZE + 128];
  snprintf(text, sizeof text,
           "job.run(\"%.400s\"): not available in Bacula 9.6 (no plugin call starts a job); "
           "use bconsole\n", command);
  say(job ? job->ctx : NULL, M_WARNING, text);
  return 0;
}

static int cancel_job(void* handle, int64_t job_id)
{
  (void)handle, (void)job_id;
  return 1;
}

/* DoesVolumeExist: a query on the SQLite catalog <WorkingDirectory>/<dbname>.db;
 * negative (a catalog error) for any other catalog. */
static int volume_exists(void* handle, const char* name)
{
  (void)handle;
  if (!configuration.working_dir[0] || !configuration.db_name[0]) return -1;
  if (configuration.db_driver[0] && strcasecmp(configuration.db_driver, "sqlite3") != 0)
    return -1;
  char path[PATH_MAX + VALUE_SIZE + 16];
  snprintf(path, sizeof path, "%s/%s.db", configuration.working_dir, configuration.db_name);
  sqlite3* db = NULL;
  sqlite3_stmt* query = NULL;
  int found = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT 1 FROM Media WHERE VolumeName = ?", -1, &query, NULL) ==
          SQLITE_OK &&
      sqlite3_bind_text(query, 1, name, -1, SQLITE_TRANSIENT) == SQLITE_OK) {
    int step = sqlite3_step(query);
    found = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
  }
  sqlite3_finalize(query);
  sqlite3_close(db);
  return found;
}

static void message(void* handle, BaculaMessageType type, const char* text)
{
  Job* job = handle;
  int bacula_type = type == BaculaMessageWarning ? M_WARNING
                    : type == BaculaMessageError ? M_ERROR
                                                 : M_INFO;
  if (type == BaculaMessageDebug) {
    if (bacula) bacula->DebugMessage(job ? job->ctx : NULL, __FILE__, __LINE__, 100, "%s", text);
    return;
  }
  say(job ? job->ctx : NULL, bacula_type, text);
}

static const BaculaScriptingCallbacks callbacks = {
    .size = sizeof(BaculaScriptingCallbacks),
    .version = BACULA_SCRIPTING_VERSION,
    .get_value = get_value,
    .set_value = set_value,
    .run_job = run_job,
    .cancel_job = cancel_job,
    .volume_exists = volume_exists,
    .message = message,
};

/* ------------------------------------------------------------------------
 * The daemon's entry points
 * ---------------------------------------------------------------------- */

static void end_job(Job* job)
{
  if (job->started && !job->ended) scripting->job_end(job->script);
  job->ended = 1;
}

static bRC new_plugin(BaculaContext* ctx)
{
  if (!ctx) return bRC_Error;
  Job* job = calloc(1, sizeof *job);
  if (!job) return bRC_Error;
  job->ctx = ctx;
  ctx->plugin_private = job;
  return bRC_OK;
}

static bRC free_plugin(BaculaContext* ctx)
{
  Job* job = job_of(ctx);
  if (!job) return bRC_OK;
  end_job(job); /* a cancelled job gets no JobEnd event */
  ctx->plugin_private = NULL;
  free(job);
  return bRC_OK;
}

static bRC get_plugin_value(BaculaContext* ctx, int var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_Error;
}

static bRC set_plugin_value(BaculaContext* ctx, int var, void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_Error;
}

static void job_event(Job* job, BaculaJobEvent event)
{
  if (!job->started || job->ended) return;
  int new_volume = event == BaculaEventNewVolume;
  if (new_volume) __atomic_add_fetch(&job->in_new_volume, 1, __ATOMIC_SEQ_CST);
  scripting->job_event(job->script, event);
  if (new_volume) __atomic_sub_fetch(&job->in_new_volume, 1, __ATOMIC_SEQ_CST);
}

static bRC handle_plugin_event(BaculaContext* ctx, BaculaEvent* event, void* value)
{
  (void)value;
  Job* job = job_of(ctx);
  if (!job || !event) return bRC_OK;
  switch (event->eventType) {
    case bcDirEventJobStart: /* = bcSdEventJobStart */
      if (!job->started) job->script = scripting->job_start(job);
      job->started = 1;
      break;
    case bcDirEventJobEnd: /* = bcSdEventJobEnd */
      end_job(job);
      break;
    default:
      if (DAEMON_KIND != BaculaDaemonDirector) break;
      if (event->eventType == bcDirEventJobInit) job_event(job, BaculaEventJobInit);
      if (event->eventType == bcDirEventJobRun) job_event(job, BaculaEventJobRun);
      if (event->eventType == bcDirEventNewVolume) job_event(job, BaculaEventNewVolume);
      if (event->eventType == bcDirEventVolumePurged) job_event(job, BaculaEventVolumePurged);
      break;
  }
  return bRC_OK; /* never stop the delivery to other plugins */
}

static BaculaEventPluginFunctions functions = {
    .size = FUNCTIONS_SIZE,
    .version = INTERFACE_VERSION,
    .newPlugin = new_plugin,
    .freePlugin = free_plugin,
    .getPluginValue = get_plugin_value,
    .setPluginValue = set_plugin_value,
    .handlePluginEvent = handle_plugin_event,
    .handleGlobalPluginEvent = NULL,
};

static BaculaPluginInfo information = {
    .size = sizeof(BaculaPluginInfo),
    .version = INTERFACE_VERSION,
    .magic = PLUGIN_MAGIC,
    .license = BACULA_PLUGIN_LICENSE,
    .author = "the bareospy developers",
    .date = "December 2026",
    .version_string = "1",
    .description = "Bacula Python scripting (bareospy)",
};

/* The scripting library: $BAREOSPY_BACULA_LIBRARY, else beside this plugin's
 * directory. */
static void* open_library(char* path, size_t size)
{
  const char* chosen = getenv("BAREOSPY_BACULA_LIBRARY");
  if (chosen && *chosen) {
    snprintf(path, size, "%s", chosen);
  } else {
    Dl_info info;
    char self[PATH_MAX];
    if (!dladdr((void*)open_library, &info) || !info.dli_fname ||
        !realpath(info.dli_fname, self))
      return NULL;
    char* slash = strrchr(self, '/');
    if (slash) *slash = '\0';
    snprintf(path, size, "%s/%s", self, LIBRARY_BESIDE);
  }
  return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

static bRC start_scripting(void)
{
  char path[PATH_MAX + 32];
  void* library = open_library(path, sizeof path);
  const BaculaScriptingEntryPoints* (*entry_points)(void) =
      library ? (const BaculaScriptingEntryPoints* (*)(void))dlsym(
                    library, "bareospy_bacula_entry_points")
              : NULL;
  if (!entry_points || !(scripting = entry_points()) ||
      scripting->version != BACULA_SCRIPTING_VERSION) {
    char text[PATH_MAX + 256];
    snprintf(text, sizeof text, "bareospy scripting: cannot use %s: %s\n", path,
             library ? "not a bareospy scripting library of this version" : dlerror());
    say(NULL, M_ERROR, text);
    scripting = NULL;
    return bRC_Error;
  }
  describe_daemon();
  BaculaScriptingDaemon daemon = {
      .size = sizeof daemon,
      .version = BACULA_SCRIPTING_VERSION,
      .kind = DAEMON_KIND,
      .name = configuration.name,
      .daemon_version = "9.6 (Bacula plugin interface)",
      .config_file = configuration.file,
      .working_dir = configuration.working_dir,
      .scripts_dir = configuration.scripts_dir,
  };
  if (scripting->start(&daemon, &callbacks) == BaculaScriptingFatal) {
    scripting = NULL;
    return bRC_Error;
  }
  return bRC_OK;
}

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions);
bRC unloadPlugin(void);

/* The entry points keep plugin.h's prototypes: the daemon reads the info
 * block through the pointer as a BaculaPluginInfo. */
bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  (void)core_info;
  if (!core_functions || !plugin_info || !plugin_functions) return bRC_Error;
  bacula = core_functions;
  if (!scripting && start_scripting() != bRC_OK) return bRC_Error;
  *plugin_info = (PluginInformation*)(void*)&information;
  *plugin_functions = &functions;
  return bRC_OK;
}

bRC unloadPlugin(void)
{
  if (scripting) scripting->exit();
  scripting = NULL;
  return bRC_OK;
}
