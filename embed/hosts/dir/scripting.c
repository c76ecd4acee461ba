/* scripting.c -- Bacula-style Python scripting in bareospy-dir: see
 * scripting.h and docs/bacula-scripting.md.
 *
 * The director answers the scripts' Job objects from its Job records and
 * catalog.  Where the events come (contract section 2.6):
 *   JobStart, JobInit  in jobs_submit(), the creating thread (console,
 *                      job.run()), before the job is queued: Priority and
 *                      JobLevel set there decide the queueing and the run;
 *   JobRun             in the job thread, status R;
 *   NewVolume          in next_volume(), before the Label Format: a name
 *                      the script sets is the volume created and used;
 *   VolumePurged       when a volume is purged for the job;
 *   JobEnd             after the job's end in the catalog.
 */
#include "scripting.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "director.h"
#include "kit/scripting.h"
#include "kit/util.h"

#ifndef BAREOSPY_DIR_VERSION
#define BAREOSPY_DIR_VERSION "1.0 06 December 2026"
#endif

static const BaculaScriptingEntryPoints* api; /* NULL: no scripting */

/* ---- the callbacks ---------------------------------------------------- */

static BaculaCatalogResource catalog_resource;

static int string_value(BaculaValue* value, const char* text)
{
  value->kind = BaculaValueString;
  value->string = text;
  return 0;
}

static int integer_value(BaculaValue* value, int64_t number)
{
  value->kind = BaculaValueInteger;
  value->integer = number;
  return 0;
}

static int get_value(void* pointer, BaculaAttribute attribute, BaculaValue* value)
{
  Job* job = pointer;
  const StorageRes* storage = config_storage(director.config, job->res->storage);
  switch (attribute) {
    case BaculaAttrJob: return string_value(value, job->res->name);
    case BaculaAttrJobName: return string_value(value, job->job_name);
    case BaculaAttrJobId: return integer_value(value, job->jobid);
    case BaculaAttrLevel: return integer_value(value, job->level);
    case BaculaAttrType: return integer_value(value, job->type);
    case BaculaAttrJobStatus: return integer_value(value, job->status);
    case BaculaAttrClient: return string_value(value, job->res->client);
    case BaculaAttrPool: return string_value(value, job->pool);
    case BaculaAttrNumVols: {
      int count = catalog_num_vols(director.catalog, job->pool);
      if (count < 0) return value->string = "Pool record not found.", 1;
      return integer_value(value, count);
    }
    case BaculaAttrStorage: return string_value(value, job->res->storage);
    case BaculaAttrMediaType: return string_value(value, storage ? storage->media_type : NULL);
    case BaculaAttrCatalog: return string_value(value, director.catalog_name);
    case BaculaAttrCatalogRes:
      value->kind = BaculaValueCatalog;
      value->catalog = &catalog_resource;
      return 0;
    case BaculaAttrPriority: return integer_value(value, job->priority);
    case BaculaAttrVolumeName: return string_value(value, job->volume_name);
    case BaculaAttrJobErrors: return integer_value(value, job->errors);
    case BaculaAttrJobFiles: return integer_value(value, job->job_files);
    case BaculaAttrSDJobFiles: return integer_value(value, job->job_files);
    case BaculaAttrSDErrors: return integer_value(value, 0);
    case BaculaAttrFDJobStatus:
      return integer_value(value, job->fd_job_status == JS_Created ? 0 : job->fd_job_status);
    case BaculaAttrSDJobStatus:
      return integer_value(value, job->sd_job_status == JS_Created ? 0 : job->sd_job_status);
    default: return value->string = "not a director attribute", 1;
  }
}

static int set_value(void* pointer, BaculaAttribute attribute, const BaculaValue* value)
{
  Job* job = pointer;
  switch (attribute) {
    case BaculaAttrPriority: job->priority = (int)value->integer; return 0;
    case BaculaAttrJobLevel: job->level = (int)value->integer; return 0;
    case BaculaAttrVolumeName:
      snprintf(job->volume_name, sizeof job->volume_name, "%s", value->string);
      return 0;
    default: return 1;
  }
}

/* "run job=NAME level=L priority=N yes" or "run NAME": the first word is
 * ignored, a bare word is the job name. */
static int64_t run_job(void* pointer, const char* command)
{
  Job* caller = pointer;
  char* copy = xstrdup(command);
  char *name = NULL, *level_name = NULL, *priority_text = NULL, *save = NULL;
  strtok_r(copy, " \t", &save);
  for (char* word; (word = strtok_r(NULL, " \t", &save));) {
    char* equals = strchr(word, '=');
    if (!equals) {
      if (strcasecmp(word, "yes") != 0 && !name) name = word;
      continue;
    }
    *equals = '\0';
    if (strcasecmp(word, "job") == 0) name = equals + 1;
    else if (strcasecmp(word, "level") == 0) level_name = equals + 1;
    else if (strcasecmp(word, "priority") == 0) priority_text = equals + 1;
  }
  int level = level_name ? config_level_code(level_name) : 0;
  int priority = priority_text ? atoi(priority_text) : 0;
  Job* job = NULL;
  if (!name || level < 0 || priority < 0)
    job_message(caller, M_INFO, "run \"%s\": Job not run.", command);
  else if (!(job = jobs_submit(name, level, priority, NULL)))
    job_message(caller, M_INFO, "run \"%s\": no such Job. Job not run.", command);
  else
    job_message(caller, M_INFO, "Job queued. JobId=%lld", (long long)job->jobid);
  free(copy);
  return job ? job->jobid : 0;
}

static int cancel_job(void* pointer, int64_t jobid)
{
  (void)pointer;
  return jobs_cancel(jobid) ? 0 : 1;
}

static int volume_exists(void* pointer, const char* name)
{
  (void)pointer;
  Volume volume;
  int found = catalog_get_volume(director.catalog, name, &volume);
  return found < 0 ? -1 : found == 1;
}

static void message(void* pointer, BaculaMessageType type, const char* text)
{
  char* line = kit_scripting_line(text);
  if (type == BaculaMessageDebug) {
    if (director.debug_level >= 100) fprintf(stderr, "bareospy-dir: %s\n", line);
  } else {
    int bareos_type = type == BaculaMessageError ? M_ERROR
                      : type == BaculaMessageWarning ? M_WARNING : M_INFO;
    job_message(pointer, bareos_type, "%s", line);
    if (!pointer && type == BaculaMessageError) fprintf(stderr, "bareospy-dir: ERROR: %s\n", line);
  }
  free(line);
}

static const BaculaScriptingCallbacks callbacks = {
    .size = sizeof(BaculaScriptingCallbacks), .version = BACULA_SCRIPTING_VERSION,
    .get_value = get_value, .set_value = set_value, .run_job = run_job,
    .cancel_job = cancel_job, .volume_exists = volume_exists, .message = message,
};

/* ---- the hooks -------------------------------------------------------- */

void scripting_start(void)
{
  const char* scripts = director.config->director->scripts_directory;
  if (!scripts || !*scripts) return;
  char* error = NULL;
  const BaculaScriptingEntryPoints* entry_points = kit_scripting_load(&error);
  if (!entry_points) {
    fprintf(stderr, "bareospy-dir: ERROR: %s. Python disabled.\n", error);
    free(error);
    return;
  }
  const CatalogRes* catalog = director.config->catalog_count ? director.config->catalogs[0] : NULL;
  catalog_resource = (BaculaCatalogResource){
      .db_name = catalog && catalog->db_name ? catalog->db_name : "bareospy-catalog.db",
      .db_type = "SQLite3"};
  BaculaScriptingDaemon daemon = {
      .size = sizeof daemon, .version = BACULA_SCRIPTING_VERSION, .kind = BaculaDaemonDirector,
      .name = director.config->director->name, .daemon_version = BAREOSPY_DIR_VERSION,
      .config_file = director.config_path,
      .working_dir = director.config->director->working_directory, .scripts_dir = scripts};
  api = entry_points;
  if (api->start(&daemon, &callbacks) == BaculaScriptingFatal) {
    fprintf(stderr, "bareospy-dir: ERROR: Python could not start. Python disabled.\n");
    api = NULL;
  }
}

void scripting_event(Job* job, int event)
{
  if (!api || !job->jobid) return; /* console contexts have no Job object */
  switch (event) {
    case bDirEventJobStart: {
      BaculaScriptJob* handle = api->job_start(job);
      if (!handle) return;
      kit_scripting_attach(job, handle);
      api->job_event(handle, BaculaEventJobInit);
      return;
    }
    case bDirEventJobRun: api->job_event(kit_scripting_handle(job, 0), BaculaEventJobRun); return;
    case bDirEventNewVolume: api->job_event(kit_scripting_handle(job, 0), BaculaEventNewVolume); return;
    case bDirEventVolumePurged:
      api->job_event(kit_scripting_handle(job, 0), BaculaEventVolumePurged);
      return;
    case bDirEventJobEnd: api->job_end(kit_scripting_handle(job, 1)); return;
    default: return;
  }
}

void scripting_exit(void)
{
  if (api) api->exit();
}

int scripting_console(const char* argument, FILE* out)
{
  if (!argument || strcasecmp(argument, "restart") != 0) {
    fprintf(out, "Nothing done.\n");
    return 1;
  }
  if (!api) {
    fprintf(out, "Python is not enabled (no Scripts Directory, or it could not load).\n");
    return 1;
  }
  api->restart();
  fprintf(out, "Python interpreter restarted.\n");
  return 0;
}
