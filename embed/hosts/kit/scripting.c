/* kit/scripting.c -- loading libbareospy-bacula.so: see scripting.h. */
#define _POSIX_C_SOURCE 200809L /* readlink, strndup under strict C99 */
#include "kit/scripting.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
