/* scripting.c -- Bacula-style Python scripting in bareospy-sd: see
 * scripting.h.  The Job object reads the SD's job record; Pool, MediaType,
 * VolumeName and Device are None until a volume is mounted for the job. */
#include "scripting.h"

#include <stdlib.h>
#include <string.h>

#include "kit/scripting.h"
#include "kit/util.h"
#include "sd.h"

static char* scripts_directory;
static const BaculaScriptingEntryPoints* api;

void sd_scripting_configure(const char* scripts_dir)
{
  free(scripts_directory);
  scripts_directory = xstrdup(scripts_dir);
}

/* The Job resource name: the unique name without its ".date_time" part. */
static const char* resource_name(Job* job, char* out, size_t size)
{
  snprintf(out, size, "%s", job->name ? job->name : "");
  char* dot = strchr(out, '.');
  if (dot) *dot = '\0';
  return out;
}

static int get_value(void* pointer, BaculaAttribute attribute, BaculaValue* value)
{
  Job* job = pointer;
  static __thread char name[256];
  bool device = job->device.volume_name != NULL;
  switch (attribute) {
    case BaculaAttrJob: return kit_scripting_text(value, resource_name(job, name, sizeof name));
    case BaculaAttrSDName: return kit_scripting_text(value, sd.storage_name);
    case BaculaAttrLevel: return kit_scripting_number(value, job->level);
    case BaculaAttrType: return kit_scripting_number(value, job->type);
    case BaculaAttrJobId: return kit_scripting_number(value, job->id);
    case BaculaAttrClient: return kit_scripting_text(value, job->client);
    case BaculaAttrJobName: return kit_scripting_text(value, job->name);
    case BaculaAttrJobStatus: return kit_scripting_number(value, job->status);
    case BaculaAttrPool: return kit_scripting_text(value, device ? job->pool : NULL);
    case BaculaAttrMediaType: return kit_scripting_text(value, device ? sd.media_type : NULL);
    case BaculaAttrVolumeName: return kit_scripting_text(value, job->device.volume_name);
    case BaculaAttrDevice: return kit_scripting_text(value, device ? sd.storage_name : NULL);
    default: return value->string = "not a storage daemon attribute", 1;
  }
}

static void message(void* pointer, BaculaMessageType type, const char* text_in)
{
  char* line = kit_scripting_line(text_in);
  if (type == BaculaMessageDebug)
    sd_debug(100, "%s", line);
  else if (pointer)
    job_message(pointer, kit_scripting_message_type(type), "%s", line);
  else
    fprintf(stderr, SD_NAME ": %s%s\n", type == BaculaMessageError ? "ERROR: " : "", line);
  free(line);
}

static const BaculaScriptingCallbacks callbacks = {
    .size = sizeof(BaculaScriptingCallbacks), .version = BACULA_SCRIPTING_VERSION,
    .get_value = get_value, .set_value = kit_scripting_read_only, .message = message,
};

void sd_scripting_start(void)
{
  if (!scripts_directory) return;
  BaculaScriptingDaemon daemon = {
      .size = sizeof daemon, .version = BACULA_SCRIPTING_VERSION, .kind = BaculaDaemonStorage,
      .name = sd.storage_name, .daemon_version = "1.0 06 December 2026", .config_file = "",
      .working_dir = sd.storage_dir, .scripts_dir = scripts_directory};
  api = kit_scripting_start(SD_NAME, &daemon, &callbacks);
}

void sd_scripting_job_start(Job* job)
{
  kit_scripting_job_start(api, job);
}

void sd_scripting_job_end(Job* job)
{
  kit_scripting_job_end(api, job);
}
