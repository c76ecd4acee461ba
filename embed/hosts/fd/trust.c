/* trust.c -- see trust.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "trust.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit/util.h"

/* The first ':' at or after p not preceded by a backslash (or the end). */
static const char* value_end(const char* start, const char* p)
{
  for (;;) {
    const char* colon = strchr(p, ':');
    if (!colon) return p + strlen(p);
    if (colon == start || colon[-1] != '\\') return colon;
    p = colon + 1;
  }
}

static char* unescape(const char* value, size_t length)
{
  char* out = xmalloc(length + 1);
  size_t n = 0;
  bool escaped = false;
  for (size_t i = 0; i < length; i++) {
    if (escaped || value[i] != '\\') {
      out[n++] = value[i];
      escaped = false;
    } else {
      escaped = true;
    }
  }
  out[n] = '\0';
  return out;
}

char* definition_module_path(const char* definition)
{
  const char* colon = strchr(definition, ':');
  if (!colon) return NULL;
  char* found = NULL;
  const char* p = colon + 1;
  while (*p) {
    const char* equals = strchr(p, '=');
    if (!equals) break;
    const char* end = value_end(definition, equals + 1);
    static const char key[] = "module_path";
    if ((size_t)(equals - p) == sizeof key - 1 && strncasecmp(p, key, sizeof key - 1) == 0) {
      free(found); /* the last one wins */
      found = unescape(equals + 1, (size_t)(end - equals - 1));
    }
    if (!*end) break;
    p = end + 1;
  }
  return found;
}

/* Whether two directory names are the same directory (after realpath). */
static bool same_directory(const char* a, const char* b)
{
  char resolved_a[PATH_MAX], resolved_b[PATH_MAX];
  if (realpath(a, resolved_a) && realpath(b, resolved_b)) return strcmp(resolved_a, resolved_b) == 0;
  return strcmp(a, b) == 0;
}

char* archive_definition_refusal(const JobOptions* options, const char* definition)
{
  if (!definition || options->trust_archive_plugin_paths) return NULL;
  char* path = definition_module_path(definition);
  if (path && !*path) { /* an empty module_path names no directory */
    free(path);
    return NULL;
  }
  bool mentioned = path || strcasestr(definition, "module_path");
  if (!mentioned) return NULL;
  /* The operator's module_path (--plugin-options) is the one python3-fd uses. */
  char* operator_path = options->plugin_options ? definition_module_path(options->plugin_options) : NULL;
  bool allowed = (operator_path && *operator_path) || (path && *path && host.plugin_dir &&
                                                       same_directory(path, host.plugin_dir));
  free(operator_path);
  char* reason = NULL;
  if (!allowed) {
    reason = xasprintf("the archive names plugin code in module_path=%s, a directory the operator "
                       "did not name; a restore loads plugin code only from the plugin directory "
                       "(%s) or a module_path given with --plugin-options (give one, or "
                       "--trust-archive-plugin-paths to trust the archive)",
                       path ? path : "(unparsable)", host.plugin_dir ? host.plugin_dir : "none");
  }
  free(path);
  return reason;
}
