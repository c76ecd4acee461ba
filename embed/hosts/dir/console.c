/* console.c -- the console commands of bareospy-dir (docs/dir-config.md,
 * "Console"): one line, "command word key=value ...". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datapath.h"
#include "director.h"
#include "kit/util.h"
#include "scripting.h"

#define MAX_WORDS 32

typedef struct Words {
  char* word[MAX_WORDS]; /* "key" or "key=value", split into key and value */
  char* value[MAX_WORDS];
  int count;
  char* storage;
} Words;

static void split(const char* line, Words* w)
{
  w->storage = xstrdup(line);
  w->count = 0;
  char* s = w->storage;
  while (*s && w->count < MAX_WORDS) {
    while (isspace((unsigned char)*s))
      s++;
    if (!*s)
      break;
    char* start = s;
    while (*s && !isspace((unsigned char)*s))
      s++;
    if (*s)
      *s++ = '\0';
    char* equals = strchr(start, '=');
    if (equals)
      *equals = '\0';
    w->word[w->count] = start;
    w->value[w->count++] = equals ? equals + 1 : NULL;
  }
}

static const char* option(const Words* w, const char* key)
{
  for (int i = 1; i < w->count; i++)
    if (strcasecmp(w->word[i], key) == 0)
      return w->value[i] ? w->value[i] : "";
  return NULL;
}

static int number_option(const Words* w, const char* key, int64_t* out, FILE* out_file)
{
  const char* text = option(w, key);
  if (!text)
    return 0;
  char* end;
  long long value = strtoll(text, &end, 10);
  if (!*text || *end || value < 0) {
    fprintf(out_file, "%s: %s= needs a number, not \"%s\"\n", w->word[0], key, text);
    return -1;
  }
  *out = value;
  return 0;
}

static int command_run(const Words* w, FILE* out, bool interactive)
{
  const char* name = option(w, "job");
  if (!name || !*name) {
    fprintf(out, "run: job=NAME is required\n");
    return 1;
  }
  int level = 0;
  const char* level_name = option(w, "level");
  if (level_name && (level = config_level_code(level_name)) < 0) {
    fprintf(out, "run: unknown level \"%s\"\n", level_name);
    return 1;
  }
  int64_t priority = 0;
  Simulation simulation = {0, 0, 0};
  if (number_option(w, "priority", &priority, out) < 0 ||
      number_option(w, "bytes", &simulation.bytes, out) < 0 ||
      number_option(w, "files", &simulation.files, out) < 0 ||
      number_option(w, "delay", &simulation.delay_ms, out) < 0)
    return 1;
  Job* job = jobs_submit(name, level, (int)priority, &simulation);
  if (!job)
    return 1;
  if (interactive && !option(w, "wait")) {
    jobs_dispatch();
    return 0;
  }
  jobs_wait(job);
  return job->status == JS_Terminated || job->status == JS_Warnings ? 0 : 1;
}

/* restore [job=NAME] [jobid=N] where=DIR: the latest OK backup (of that Job,
 * or that jobid) through the FD, from the SD. */
static int command_restore(const Words* w, FILE* out)
{
  const char* where = option(w, "where");
  int64_t jobid = 0;
  if (!where || !*where) {
    fprintf(out, "restore: where=DIR is required\n");
    return 1;
  }
  if (number_option(w, "jobid", &jobid, out) < 0)
    return 1;
  return datapath_restore(option(w, "job"), jobid, where, out);
}

static int command_list(const Words* w, FILE* out)
{
  Catalog* c = director.catalog;
  const char* what = w->count > 1 ? w->word[1] : "";
  int rc;
  if (strcasecmp(what, "jobs") == 0)
    rc = catalog_list_jobs(c, out);
  else if (strcasecmp(what, "volumes") == 0 || strcasecmp(what, "media") == 0)
    rc = catalog_list_volumes(c, out);
  else if (strcasecmp(what, "files") == 0) {
    int64_t jobid = -1;
    if (number_option(w, "jobid", &jobid, out) < 0)
      return 1;
    if (jobid < 0) {
      fprintf(out, "list files: jobid=N is required\n");
      return 1;
    }
    rc = catalog_list_files(c, jobid, out);
  } else {
    fprintf(out, "list: jobs, volumes or files jobid=N\n");
    return 1;
  }
  if (rc < 0)
    fprintf(out, "list: catalog: %s\n", catalog_error(c));
  return rc < 0;
}

static int command_cancel(const Words* w, FILE* out)
{
  int64_t jobid = -1;
  if (number_option(w, "jobid", &jobid, out) < 0)
    return 1;
  if (jobid < 0) {
    fprintf(out, "cancel: jobid=N is required\n");
    return 1;
  }
  if (jobs_cancel(jobid)) {
    fprintf(out, "JobId %lld: cancelling\n", (long long)jobid);
    return 0;
  }
  int status = 0;
  int found = catalog_request_cancel(director.catalog, jobid, &status);
  if (found <= 0) {
    fprintf(out, "cancel: no JobId %lld\n", (long long)jobid);
    return 1;
  }
  if (status != JS_Created && status != JS_Running) {
    fprintf(out, "cancel: JobId %lld has ended (status %c)\n", (long long)jobid, status);
    return 1;
  }
  fprintf(out, "JobId %lld: cancel requested\n", (long long)jobid);
  return 0;
}

static int command_purge(const Words* w, FILE* out)
{
  const char* name = option(w, "volume");
  if (!name || !*name) {
    fprintf(out, "purge: volume=NAME is required\n");
    return 1;
  }
  int rc = catalog_purge_volume(director.catalog, name);
  if (rc <= 0) {
    fprintf(out, "purge: %s\n", rc < 0 ? catalog_error(director.catalog) : "no such volume");
    return 1;
  }
  Job* job = jobs_console_job();
  snprintf(job->volume_name, sizeof job->volume_name, "%s", name);
  plugins_event(job, bDirEventVolumePurged, NULL);
  jobs_free_console(job);
  fprintf(out, "Volume \"%s\" purged\n", name);
  return 0;
}

static int command_label(const Words* w, FILE* out)
{
  const char* name = option(w, "volume");
  const char* pool = option(w, "pool");
  if (!name || !*name || !pool || !*pool) {
    fprintf(out, "label: volume=NAME pool=POOL are required\n");
    return 1;
  }
  if (!config_pool(director.config, pool)) {
    fprintf(out, "label: no Pool \"%s\"\n", pool);
    return 1;
  }
  if (catalog_create_volume(director.catalog, name, pool) < 0) {
    fprintf(out, "label: cannot create volume \"%s\": %s\n", name,
            catalog_error(director.catalog));
    return 1;
  }
  fprintf(out, "Volume \"%s\" labelled in pool \"%s\"\n", name, pool);
  return 0;
}

static const char HELP[] =
    "run job=NAME [level=LEVEL] [priority=N] [bytes=N files=N delay=MS] [wait]\n"
    "status | list jobs | list volumes | list files jobid=N | cancel jobid=N\n"
    "restore [job=NAME] [jobid=N] where=DIR | messages | purge volume=NAME | label volume=NAME pool=POOL | wait | help | quit\n";

int console_command(const char* line, FILE* out, bool interactive)
{
  Words w;
  split(line, &w);
  int rc = 0;
  const char* command = w.count ? w.word[0] : "";
  if (!w.count || command[0] == '#')
    rc = 0;
  else if (strcasecmp(command, "run") == 0)
    rc = command_run(&w, out, interactive);
  else if (strcasecmp(command, "restore") == 0)
    rc = command_restore(&w, out);
  else if (strcasecmp(command, "status") == 0) {
    jobs_status(out);
    rc = catalog_list_volumes(director.catalog, out) < 0;
  } else if (strcasecmp(command, "list") == 0)
    rc = command_list(&w, out);
  else if (strcasecmp(command, "cancel") == 0)
    rc = command_cancel(&w, out);
  else if (strcasecmp(command, "messages") == 0)
    rc = catalog_list_messages(director.catalog, out) < 0;
  else if (strcasecmp(command, "purge") == 0)
    rc = command_purge(&w, out);
  else if (strcasecmp(command, "label") == 0)
    rc = command_label(&w, out);
  else if (strcasecmp(command, "python") == 0)
    rc = scripting_console(w.count > 1 ? w.word[1] : NULL, out);
  else if (strcasecmp(command, "wait") == 0) {
    int64_t jobid = -1;
    Job* only = NULL;
    if (number_option(&w, "jobid", &jobid, out) < 0)
      rc = 1;
    for (Job* job = director.jobs; jobid >= 0 && job; job = job->next)
      if (job->jobid == jobid)
        only = job;
    if (!rc)
      jobs_wait(only);
  } else if (strcasecmp(command, "help") == 0)
    fputs(HELP, out);
  else {
    fprintf(out, "unknown command \"%s\" (help lists them)\n", command);
    rc = 1;
  }
  fflush(out);
  free(w.storage);
  return rc;
}
