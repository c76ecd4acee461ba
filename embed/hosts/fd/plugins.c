/* plugins.c -- loading file daemon plugins the way a daemon does. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "plugins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "kit/loader.h"
#include "kit/util.h"

/* Load one file; 0 on success (appended to set), -1 after printing why not. */
static int load_one(PluginSet* set, const char* directory, const char* file, FdCoreFunctions* core)
{
  char* path = xasprintf("%s/%s", directory, file);
  host_debug(50, "loading plugin %s\n", path);
  Plugin record;
  char* message = NULL;
  if (loader_load(&DAEMON_FD, path, core, &record, &message) != LOAD_OK) {
    fprintf(stderr, "bareospy-fd: %s\n", message);
    free(message);
    free(path);
    return -1;
  }
  LoadedPlugin* plugin = xcalloc(1, sizeof *plugin);
  plugin->path = path;
  plugin->plugin = record;
  plugin->information = record.plugin_information;
  plugin->functions = record.plugin_functions;
  set->items = xrealloc(set->items, sizeof(LoadedPlugin*) * (size_t)(set->count + 1));
  set->items[set->count++] = plugin;
  const PluginInformation* info = plugin->information;
  host_debug(50, "loaded plugin %s: %s, version %s, %s\n", record.file,
             info->plugin_description ? info->plugin_description : "?",
             info->plugin_version ? info->plugin_version : "?",
             info->plugin_author ? info->plugin_author : "?");
  return 0;
}

int plugins_load(PluginSet* set, const char* directory, char** names, int n_names,
                 FdCoreFunctions* core)
{
  int failures = 0;
  if (n_names > 0) {
    for (int i = 0; i < n_names; i++) {
      char* file = xasprintf("%s%s", names[i], DAEMON_FD.file_suffix);
      if (load_one(set, directory, file, core) != 0) failures++;
      free(file);
    }
    return failures;
  }
  char** files;
  char* message = NULL;
  int count = loader_list(&DAEMON_FD, directory, &files, &message);
  if (count < 0) {
    fprintf(stderr, "bareospy-fd: %s\n", message);
    free(message);
    return 1;
  }
  for (int i = 0; i < count; i++)
    if (load_one(set, directory, files[i], core) != 0) failures++;
  loader_free_list(files, count);
  return failures;
}

void plugins_unload(PluginSet* set)
{
  for (int i = set->count - 1; i >= 0; i--) {
    LoadedPlugin* plugin = set->items[i];
    host_debug(50, "unloading plugin %s\n", plugin->plugin.file);
    loader_close(&plugin->plugin);
    free(plugin->path);
    free(plugin);
  }
  free(set->items);
  set->items = NULL;
  set->count = 0;
}

char* plugin_name_of(const char* definition)
{
  const char* colon = strchr(definition, ':');
  if (colon) return xstrndup(definition, (size_t)(colon - definition));
  if (strchr(definition, ' ')) return NULL;
  return xstrdup(definition);
}

bool plugin_matches(const LoadedPlugin* plugin, const char* definition)
{
  if (!definition) return true;
  char* name = plugin_name_of(definition);
  if (!name) return false;
  bool match = false;
  size_t length = strlen(name);
  size_t file_len = (size_t)plugin->plugin.file_len;
  if (strcmp(name, "*all*") == 0 || strcmp(name, "job") == 0)
    match = true;
  else if (length == file_len && strncmp(name, plugin->plugin.file, length) == 0)
    match = true;
  else if (length + 1 == file_len && strncmp(name, plugin->plugin.file, length) == 0)
    match = true;
  free(name);
  return match;
}
