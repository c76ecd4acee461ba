/* scripting.c -- Bacula-style Python scripting in bareospy-fd: see
 * scripting.h.  The Job object reads the FD's job record. */
#include "scripting.h"

#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "host.h"
#include "kit/scripting.h"
#include "kit/util.h"

static char* scripts_directory;
static const BaculaScriptingEntryPoints* api;

void fd_scripting_configure(const char* scripts_dir)
{
  free(scripts_directory);
  scripts_directory = xstrdup(scripts_dir);
}

static int text(BaculaValue* value, const char* string)
{
  value->kind = BaculaValueString;
  value->string = string;
  return 0;
}

static int number(BaculaValue* value, int64_t integer)
{
  value->kind = BaculaValueInteger;
  value->integer = integer;
  return 0;
}

static int get_value(void* pointer, BaculaAttribute attribute, BaculaValue* value)
{
  Job* job = pointer;
  switch (attribute) {
    case BaculaAttrFDName: return text(value, host.client);
    case BaculaAttrLevel: return number(value, job->type == JT_RESTORE ? ' ' : job->level);
    case BaculaAttrType: return number(value, job->type);
    case BaculaAttrJobId: return number(value, job->id);
    case BaculaAttrClient: return text(value, host.client);
    case BaculaAttrJobName: return text(value, job->name);
    case BaculaAttrJobStatus: return number(value, job->status);
    default: return value->string = "not a file daemon attribute", 1;
  }
}

static int set_value(void* pointer, BaculaAttribute attribute, const BaculaValue* value)
{
  (void)pointer, (void)attribute, (void)value;
  return 1;
}

static void message(void* pointer, BaculaMessageType type, const char* text_in)
{
  char* line = kit_scripting_line(text_in);
  if (type == BaculaMessageDebug) {
    if (host.debug_level >= 100) fprintf(stderr, HOST_NAME ": %s\n", line);
  } else if (pointer) {
    job_message(pointer, type == BaculaMessageError ? M_ERROR
                         : type == BaculaMessageWarning ? M_WARNING : M_INFO, "%s", line);
  } else {
    fprintf(stderr, HOST_NAME ": %s%s\n", type == BaculaMessageError ? "ERROR: " : "", line);
  }
  free(line);
}

static const BaculaScriptingCallbacks callbacks = {
    .size = sizeof(BaculaScriptingCallbacks), .version = BACULA_SCRIPTING_VERSION,
    .get_value = get_value, .set_value = set_value, .message = message,
};

void fd_scripting_start(void)
{
  if (!scripts_directory) return;
  char* error = NULL;
  api = kit_scripting_load(&error);
  if (!api) {
    fprintf(stderr, HOST_NAME ": ERROR: %s. Python disabled.\n", error);
    free(error);
    return;
  }
  BaculaScriptingDaemon daemon = {
      .size = sizeof daemon, .version = BACULA_SCRIPTING_VERSION, .kind = BaculaDaemonFile,
      .name = host.client, .daemon_version = HOST_VERSION " " HOST_VERSION_DATE,
      .config_file = "", .working_dir = host.working_dir ? host.working_dir : "",
      .scripts_dir = scripts_directory};
  if (api->start(&daemon, &callbacks) == BaculaScriptingFatal) api = NULL;
}

void fd_scripting_job_start(Job* job)
{
  if (!api) return;
  BaculaScriptJob* handle = api->job_start(job);
  if (handle) kit_scripting_attach(job, handle);
}

void fd_scripting_job_end(Job* job)
{
  if (api) api->job_end(kit_scripting_handle(job, 1));
}

void fd_scripting_exit(void)
{
  if (api) api->exit();
}
