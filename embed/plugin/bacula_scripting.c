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
 * Attributes are read with getBaculaValue (CatalogRes from the
 * configuration file; the SD fills only JobId and JobName, its other
 * attributes read as None).  9.6 ignores every write: the one that
 * matters, the name of a new volume, is made by writing into the buffer
 * whose address the VolumeName variable gives during NewVolume.  Priority
 * and JobLevel cannot be changed: the assignment is ignored with a job
 * warning (as the contract recommends for Priority: no exception).
 * job.run starts bconsole detached (asynchronous: answered 0, no JobId);
 * job.cancel is refused (a bconsole waited for could deadlock);
 * DoesVolumeExist asks an SQLite catalog directly.
 */
#define _GNU_SOURCE /* dladdr, RTLD_DEFAULT */
#include <ctype.h>
#include <errno.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

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
#define DEFAULT_BCONSOLE "/usr/sbin/bconsole"
#define BCONSOLE_CONFIG_BESIDE "bconsole.conf"
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
  char catalog[VALUE_SIZE]; /* the first Catalog resource: */
  char db_name[VALUE_SIZE];
  char db_driver[VALUE_SIZE];
  char db_address[VALUE_SIZE];
  char db_user[VALUE_SIZE];
  char db_password[VALUE_SIZE];
  char db_socket[PATH_MAX];
  char db_port[32];
  char scripts_dir[PATH_MAX];
  char bconsole[PATH_MAX];        /* job.run: bconsole and its configuration */
  char bconsole_config[PATH_MAX];
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

/* Copy `value` into `field` unless the first Catalog already set it. */
#define KEEP_FIRST(field, value) \
  do { \
    if (!configuration.field[0]) \
      snprintf(configuration.field, sizeof configuration.field, "%s", value); \
  } while (0)

/* One directive of a Catalog resource; only the first Catalog counts (the
 * one read for DoesVolumeExist and CatalogRes). */
static int catalogs_seen; /* Catalog resources opened so far by the reader */

static void take_catalog_directive(const char* directive, const char* value)
{
  if (catalogs_seen != 1) return;
  if (strcmp(directive, "name") == 0) {
    KEEP_FIRST(catalog, value);
  } else if (strcmp(directive, "dbname") == 0) {
    KEEP_FIRST(db_name, value);
  } else if (strcmp(directive, "dbdriver") == 0) {
    KEEP_FIRST(db_driver, value);
  } else if (strcmp(directive, "dbaddress") == 0) {
    KEEP_FIRST(db_address, value);
  } else if (strcmp(directive, "dbuser") == 0 || strcmp(directive, "user") == 0) {
    KEEP_FIRST(db_user, value);
  } else if (strcmp(directive, "dbpassword") == 0 || strcmp(directive, "password") == 0) {
    KEEP_FIRST(db_password, value);
  } else if (strcmp(directive, "dbsocket") == 0) {
    KEEP_FIRST(db_socket, value);
  } else if (strcmp(directive, "dbport") == 0) {
    KEEP_FIRST(db_port, value);
  }
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
    take_catalog_directive(directive, value);
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
        if (strcmp(resource, "catalog") == 0) catalogs_seen++;
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

/* job.run's bconsole: $BAREOSPY_BACULA_BCONSOLE, else /usr/sbin/bconsole,
 * with $BAREOSPY_BACULA_BCONSOLE_CONFIG, else bconsole.conf beside the
 * daemon's configuration file. */
static void describe_console(void)
{
  const char* program = getenv("BAREOSPY_BACULA_BCONSOLE");
  snprintf(configuration.bconsole, sizeof configuration.bconsole, "%s",
           program && *program ? program : DEFAULT_BCONSOLE);
  const char* chosen = getenv("BAREOSPY_BACULA_BCONSOLE_CONFIG");
  if (chosen && *chosen) {
    snprintf(configuration.bconsole_config, sizeof configuration.bconsole_config, "%s", chosen);
    return;
  }
  const char* slash = strrchr(configuration.file, '/');
  int folder_length = slash ? (int)(slash - configuration.file) : 1;
  snprintf(configuration.bconsole_config, sizeof configuration.bconsole_config, "%.*s/%s",
           folder_length, slash ? configuration.file : ".", BCONSOLE_CONFIG_BESIDE);
}

static void describe_daemon(void)
{
  memset(&configuration, 0, sizeof configuration);
  catalogs_seen = 0;
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
  describe_console();
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

/* The backend name CatalogRes reports: from dbdriver, else SQLite3 when the
 * SQLite file DoesVolumeExist reads is there, else unknown (None). */
static const char* catalog_type(void)
{
  static const char* const names[] = {"SQLite3", "MySQL", "PostgreSQL"};
  static const char* const drivers[] = {"sqlite3", "mysql", "postgresql"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(configuration.db_driver, drivers[i]) == 0) return names[i];
  if (configuration.db_driver[0]) return configuration.db_driver;
  char path[PATH_MAX + VALUE_SIZE + 16];
  snprintf(path, sizeof path, "%s/%s.db", configuration.working_dir, configuration.db_name);
  return configuration.db_name[0] && access(path, F_OK) == 0 ? "SQLite3" : NULL;
}

static const char* or_null(const char* text) { return text[0] ? text : NULL; }

/* CatalogRes: 9.6 always fails the variable, so it is made from the first
 * Catalog resource of the configuration file, if it is the job's catalog. */
static int catalog_resource(Job* job, BaculaValue* value)
{
  static BaculaCatalogResource resource;
  char* name = NULL;
  if (!configuration.catalog[0] ||
      bacula->getBaculaValue(job->ctx, bcDirVarCatalog, &name) != bRC_OK || !name ||
      strcmp(name, configuration.catalog) != 0) {
    value->string = "CatalogRes: the job's catalog is not the configuration file's first one";
    return 1;
  }
  resource = (BaculaCatalogResource){
      .db_name = or_null(configuration.db_name),
      .db_address = or_null(configuration.db_address),
      .db_user = or_null(configuration.db_user),
      .db_password = or_null(configuration.db_password),
      .db_socket = or_null(configuration.db_socket),
      .db_port = atoll(configuration.db_port),
      .db_type = catalog_type(),
  };
  value->kind = BaculaValueCatalog;
  value->catalog = &resource; /* copied at once by the library, under its lock */
  return 0;
}

static int get_value(void* handle, BaculaAttribute attribute, BaculaValue* value)
{
  Job* job = handle;
  if (!job) return 1;
  if (attribute == BaculaAttrCatalogRes && DAEMON_KIND == BaculaDaemonDirector)
    return catalog_resource(job, value);
  int is_string = 0;
  int variable = DAEMON_KIND == BaculaDaemonStorage ? storage_variable(attribute, &is_string)
                                                     : director_variable(attribute, &is_string);
  /* The 9.6 SD fills only JobId and JobName: the rest read as None. */
  if (!variable) return DAEMON_KIND == BaculaDaemonStorage ? 0 : 1;
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

/* What 9.6 cannot change (Priority, JobLevel) is ignored with a job
 * warning, not refused: a seed script that sets it runs on.  Only a new
 * volume's name can be set, by writing into the job's buffer. */
static int set_value(void* handle, BaculaAttribute attribute, const BaculaValue* value)
{
  Job* job = handle;
  if (!job) return 1;
  if (attribute == BaculaAttrPriority || attribute == BaculaAttrJobLevel) {
    char text[256];
    if (attribute == BaculaAttrPriority)
      snprintf(text, sizeof text,
               "job.Priority = %lld ignored: Bacula 9.6's plugin interface cannot change it\n",
               (long long)value->integer);
    else
      snprintf(text, sizeof text,
               "job.JobLevel = '%c' ignored: Bacula 9.6's plugin interface cannot change it\n",
               (int)value->integer);
    say(job->ctx, M_WARNING, text);
    return 0;
  }
  if (attribute != BaculaAttrVolumeName || !value->string ||
      !__atomic_load_n(&job->in_new_volume, __ATOMIC_SEQ_CST))
    return 1;
  if (strlen(value->string) > BACULA_MAX_VOLUME_NAME) return 1;
  char* buffer = NULL;
  if (bacula->getBaculaValue(job->ctx, bcDirVarVolumeName, &buffer) != bRC_OK || !buffer)
    return 1;
  memcpy(buffer, value->string, strlen(value->string) + 1);
  return 0;
}

/* Start `printf '%s\nquit\n' COMMAND | bconsole -n -c CONFIG &` through
 * /bin/sh and wait only for that shell, which exits at once: bconsole runs
 * on, detached (adopted by init), its output discarded.  Between fork and
 * exec only async-signal-safe calls (a daemon thread may hold any lock).
 * 0 when the shell started bconsole. */
static int start_detached_console(const char* command)
{
  static const char script[] =
      "printf '%s\\nquit\\n' \"$1\" | \"$2\" -n -c \"$3\" >/dev/null 2>&1 &";
  char* const argv[] = {"sh", "-c", (char*)script, "sh", (char*)command,
                        configuration.bconsole, configuration.bconsole_config, NULL};
  pid_t shell = fork();
  if (shell < 0) return -1;
  if (shell == 0) {
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) dup2(null, 0), dup2(null, 1), dup2(null, 2);
    for (int fd = 3; fd < 1024; fd++) close(fd); /* the daemon's sockets */
    execv("/bin/sh", argv);
    _exit(127);
  }
  int status = 0;
  while (waitpid(shell, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* job.run: 9.6 has no plugin call that starts a job, and a bconsole waited
 * for would deadlock (the director runs the new job's JobStart and JobInit
 * on its console thread before answering, and they need the scripting lock
 * this thread holds).  So bconsole is started detached: the job starts
 * asynchronously, its events arrive later on another thread, and the
 * answer is 0 (no JobId known). */
static int64_t run_job(void* handle, const char* command)
{
  Job* job = handle;
  char text[VALUE_SIZE + PATH_MAX + 160];
  if (strpbrk(command, "\r\n")) {
    snprintf(text, sizeof text, "job.run(\"%.400s\"): one console command only, not run\n",
             command);
  } else if (access(configuration.bconsole, X_OK) != 0 ||
             access(configuration.bconsole_config, R_OK) != 0) {
    snprintf(text, sizeof text,
             "job.run(\"%.400s\"): not run: Bacula 9.6 has no plugin call that starts a "
             "job, and %.200s -c %.200s cannot be used\n",
             command, configuration.bconsole, configuration.bconsole_config);
  } else if (start_detached_console(command) != 0) {
    snprintf(text, sizeof text, "job.run(\"%.400s\"): bconsole could not be started\n",
             command);
  } else {
    snprintf(text, sizeof text,
             "job.run(\"%.400s\"): submitted through bconsole (asynchronous, no JobId)\n",
             command);
    say(job ? job->ctx : NULL, M_INFO, text);
    return 0;
  }
  say(job ? job->ctx : NULL, M_WARNING, text);
  return 0;
}

/* job.cancel: refused (non-zero: "not cancelled", include/bareospy/bacula.h),
 * saying why: 9.6 has no plugin call for it, and a bconsole waited for may
 * deadlock (cancelling a queued job can free it, and so call freePlugin and
 * the script's JobEnd, on the console thread, which needs the scripting lock
 * this thread holds); a detached one could not say whether it cancelled. */
static int cancel_job(void* handle, int64_t job_id)
{
  Job* job = handle;
  char text[200];
  snprintf(text, sizeof text,
           "job.cancel(%lld): not available in Bacula 9.6 (no plugin call cancels a job); "
           "use bconsole\n", (long long)job_id);
  say(job ? job->ctx : NULL, M_WARNING, text);
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
