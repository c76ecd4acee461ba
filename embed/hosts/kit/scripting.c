/* kit/scripting.c -- loading libbareospy-bacula.so: see scripting.h. */
#define _POSIX_C_SOURCE 200809L /* readlink, strndup under strict C99 */
#include "kit/scripting.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bareospy/consts.h"

#include "kit/util.h"

/* ../plugins/libbareospy-bacula.so relative to the running executable. */
static char* default_library(void)
{
  char path[4096];
  ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) return xstrdup("libbareospy-bacula.so");
  path[length] = '\0';
  char* slash = strrchr(path, '/');
  if (slash) *slash = '\0';
  return xasprintf("%s/../plugins/libbareospy-bacula.so", path);
}

const BaculaScriptingEntryPoints* kit_scripting_load(char** error)
{
  static const BaculaScriptingEntryPoints* loaded;
  if (loaded) return loaded;
  const char* configured = getenv("BAREOSPY_BACULA_LIBRARY");
  char* library = configured && *configured ? xstrdup(configured) : default_library();
  void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    *error = xasprintf("cannot load %s: %s", library, dlerror());
    free(library);
    return NULL;
  }
  const BaculaScriptingEntryPoints* (*entry)(void) =
      (const BaculaScriptingEntryPoints* (*)(void))dlsym(handle, "bareospy_bacula_entry_points");
  const BaculaScriptingEntryPoints* api = entry ? entry() : NULL;
  if (!api || api->version != BACULA_SCRIPTING_VERSION) {
    *error = xasprintf("%s: no bareospy_bacula_entry_points of version %d", library,
                       BACULA_SCRIPTING_VERSION);
    free(library);
    return NULL;
  }
  free(library);
  loaded = api;
  return api;
}

char* kit_scripting_line(const char* text)
{
  size_t length = strlen(text);
  while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) length--;
  return xstrndup(text, length);
}

/* Job -> its scripting handle: a short list, the jobs in flight. */
typedef struct Attached {
  const void* job;
  BaculaScriptJob* handle;
  struct Attached* next;
} Attached;

static Attached* attached;
static pthread_mutex_t attached_lock = PTHREAD_MUTEX_INITIALIZER;

void kit_scripting_attach(const void* job, BaculaScriptJob* handle)
{
  Attached* entry = xcalloc(1, sizeof *entry);
  entry->job = job;
  entry->handle = handle;
  pthread_mutex_lock(&attached_lock);
  entry->next = attached;
  attached = entry;
  pthread_mutex_unlock(&attached_lock);
}

BaculaScriptJob* kit_scripting_handle(const void* job, int forget)
{
  BaculaScriptJob* handle = NULL;
  pthread_mutex_lock(&attached_lock);
  for (Attached** link = &attached; *link; link = &(*link)->next)
    if ((*link)->job == job) {
      Attached* entry = *link;
      handle = entry->handle;
      if (forget) {
        *link = entry->next;
        free(entry);
      }
      break;
    }
  pthread_mutex_unlock(&attached_lock);
  return handle;
}

const BaculaScriptingEntryPoints* kit_scripting_start(const char* name,
                                                      const BaculaScriptingDaemon* daemon,
                                                      const BaculaScriptingCallbacks* callbacks)
{
  char* error = NULL;
  const BaculaScriptingEntryPoints* api = kit_scripting_load(&error);
  if (!api) {
    fprintf(stderr, "%s: ERROR: %s. Python disabled.\n", name, error);
    free(error);
    return NULL;
  }
  return api->start(daemon, callbacks) == BaculaScriptingFatal ? NULL : api;
}

void kit_scripting_job_start(const BaculaScriptingEntryPoints* api, void* job)
{
  if (!api) return;
  BaculaScriptJob* handle = api->job_start(job);
  if (handle) kit_scripting_attach(job, handle);
}

void kit_scripting_job_end(const BaculaScriptingEntryPoints* api, void* job)
{
  if (api) api->job_end(kit_scripting_handle(job, 1));
}

int kit_scripting_text(BaculaValue* value, const char* string)
{
  value->kind = BaculaValueString;
  value->string = string;
  return 0;
}

int kit_scripting_number(BaculaValue* value, int64_t integer)
{
  value->kind = BaculaValueInteger;
  value->integer = integer;
  return 0;
}

int kit_scripting_read_only(void* job, BaculaAttribute attribute, const BaculaValue* value)
{
  (void)job, (void)attribute, (void)value;
  return 1;
}

int kit_scripting_message_type(BaculaMessageType type)
{
  return type == BaculaMessageError ? M_ERROR : type == BaculaMessageWarning ? M_WARNING : M_INFO;
}
