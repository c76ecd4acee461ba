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

static int get_value(void* pointer, BaculaAttribute attribute, BaculaValue* value)
{
  Job* job = pointer;
  switch (attribute) {
    case BaculaAttrFDName: return kit_scripting_text(value, host.client);
    case BaculaAttrLevel:
      return kit_scripting_number(value, job->type == JT_RESTORE ? ' ' : job->level);
    case BaculaAttrType: return kit_scripting_number(value, job->type);
    case BaculaAttrJobId: return kit_scripting_number(value, job->id);
    case BaculaAttrClient: return kit_scripting_text(value, host.client);
    case BaculaAttrJobName: return kit_scripting_text(value, job->name);
    case BaculaAttrJobStatus: return kit_scripting_number(value, job->status);
    default: return value->string = "not a file daemon attribute", 1;
  }
}

static void message(void* pointer, BaculaMessageType type, const char* text_in)
{
  char* line = kit_scripting_line(text_in);
  if (type == BaculaMessageDebug) {
    if (host.debug_level >= 100) fprintf(stderr, HOST_NAME ": %s\n", line);
  } else if (pointer) {
    job_message(pointer, kit_scripting_message_type(type), "%s", line);
  } else {
    fprintf(stderr, HOST_NAME ": %s%s\n", type == BaculaMessageError ? "ERROR: " : "", line);
  }
  free(line);
}

static const BaculaScriptingCallbacks callbacks = {
    .size = sizeof(BaculaScriptingCallbacks), .version = BACULA_SCRIPTING_VERSION,
    .get_value = get_value, .set_value = kit_scripting_read_only, .message = message,
};

void fd_scripting_start(void)
{
  if (!scripts_directory) return;
  BaculaScriptingDaemon daemon = {
      .size = sizeof daemon, .version = BACULA_SCRIPTING_VERSION, .kind = BaculaDaemonFile,
      .name = host.client, .daemon_version = HOST_VERSION " " HOST_VERSION_DATE,
      .config_file = "", .working_dir = host.working_dir ? host.working_dir : "",
      .scripts_dir = scripts_directory};
  api = kit_scripting_start(HOST_NAME, &daemon, &callbacks);
}

void fd_scripting_job_start(Job* job)
{
  kit_scripting_job_start(api, job);
}

void fd_scripting_job_end(Job* job)
{
  kit_scripting_job_end(api, job);
}

void fd_scripting_exit(void)
{
  if (api) api->exit();
}
