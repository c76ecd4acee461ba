/* plugins.c -- loading file daemon plugins the way a daemon does. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core.h"
#include "util.h"

#define PLUGIN_SUFFIX "-fd.so"

static int compare_names(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

/* The §1.3 checks; NULL if the plugin is acceptable, else why not (static text
 * or malloc'ed into *reason). */
static char* incompatibility(const PluginInformation* info)
{
  if (!info) return xstrdup("loadPlugin returned no PluginInformation");
  if (!info->plugin_magic || strcmp(info->plugin_magic, FD_PLUGIN_MAGIC) != 0)
    return xasprintf("plugin_magic is \"%s\", a file daemon plugin has \"%s\"",
                     info->plugin_magic ? info->plugin_magic : "(null)", FD_PLUGIN_MAGIC);
  if (info->version != FD_PLUGIN_INTERFACE_VERSION)
    return xasprintf("interface version %u, this daemon speaks version %d", info->version,
                     FD_PLUGIN_INTERFACE_VERSION);
  if (!info->plugin_license || (strcasecmp(info->plugin_license, BAREOS_PLUGIN_LICENSE) != 0 &&
                                strcasecmp(info->plugin_license, BAREOS_PLUGIN_LICENSE_SHORT) != 0))
    return xasprintf("licence \"%s\" is not \"%s\" or \"%s\"",
                     info->plugin_license ? info->plugin_license : "(null)",
                     BAREOS_PLUGIN_LICENSE, BAREOS_PLUGIN_LICENSE_SHORT);
  if (info->size != sizeof(PluginInformation))
    return xasprintf("PluginInformation.size is %u, expected %zu", info->size,
                     sizeof(PluginInformation));
  return NULL;
}

/* Load one file; 0 on success (appended to set), -1 after printing why not. */
static int load_one(PluginSet* set, const char* directory, const char* file, FdCoreFunctions* core)
{
  char* path = xasprintf("%s/%s", directory, file);
  host_debug(50, "loading plugin %s\n", path);
  void* handle = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
  if (!handle) {
    fprintf(stderr, "bareospy-fd: cannot load plugin %s: %s\n", path, dlerror());
    free(path);
    return -1;
  }
  loadPlugin_t load = (loadPlugin_t)(uintptr_t)dlsym(handle, "loadPlugin");
  unloadPlugin_t unload = (unloadPlugin_t)(uintptr_t)dlsym(handle, "unloadPlugin");
  if (!load || !unload) {
    fprintf(stderr, "bareospy-fd: plugin %s rejected: it does not export %s\n", path,
            !load ? "loadPlugin" : "unloadPlugin");
    dlclose(handle);
    free(path);
    return -1;
  }
  PluginApiDefinition api = {sizeof(PluginApiDefinition), FD_PLUGIN_INTERFACE_VERSION};
  PluginInformation* info = NULL;
  void* functions = NULL;
  bRC rc = load(&api, core, &info, &functions);
  if (rc != bRC_OK) {
    fprintf(stderr, "bareospy-fd: plugin %s rejected: loadPlugin returned %d\n", path, rc);
    unload();
    dlclose(handle);
    free(path);
    return -1;
  }
  char* reason = incompatibility(info);
  if (!reason && !functions) reason = xstrdup("loadPlugin returned no PluginFunctions table");
  if (reason) {
    fprintf(stderr, "bareospy-fd: plugin %s rejected: %s\n", path, reason);
    free(reason);
    unload();
    dlclose(handle);
    free(path);
    return -1;
  }
  LoadedPlugin* plugin = xcalloc(1, sizeof *plugin);
  plugin->path = path;
  plugin->plugin.file = xstrdup(file);
  plugin->plugin.file_len = (int32_t)(strlen(file) - strlen(PLUGIN_SUFFIX));
  plugin->plugin.unloadPlugin = unload;
  plugin->plugin.plugin_information = info;
  plugin->plugin.plugin_functions = functions;
  plugin->plugin.plugin_handle = handle;
  plugin->information = info;
  plugin->functions = functions;
  set->items = xrealloc(set->items, sizeof(LoadedPlugin*) * (size_t)(set->count + 1));
  set->items[set->count++] = plugin;
  host_debug(50, "loaded plugin %s: %s, version %s, %s\n", file,
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
      char* file = xasprintf("%s%s", names[i], PLUGIN_SUFFIX);
      if (load_one(set, directory, file, core) != 0) failures++;
      free(file);
    }
    return failures;
  }
  DIR* dir = opendir(directory);
  if (!dir) {
    fprintf(stderr, "bareospy-fd: cannot read the plugin directory %s: %s\n", directory,
            strerror(errno));
    return 1;
  }
  char** files = NULL;
  int count = 0;
  struct dirent* item;
  while ((item = readdir(dir)) != NULL) {
    if (!ends_with(item->d_name, PLUGIN_SUFFIX) || strlen(item->d_name) == strlen(PLUGIN_SUFFIX))
      continue;
    char* path = xasprintf("%s/%s", directory, item->d_name);
    struct stat st;
    bool regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    if (!regular) continue;
    files = xrealloc(files, sizeof(char*) * (size_t)(count + 1));
    files[count++] = xstrdup(item->d_name);
  }
  closedir(dir);
  qsort(files, (size_t)count, sizeof(char*), compare_names);
  for (int i = 0; i < count; i++) {
    if (load_one(set, directory, files[i], core) != 0) failures++;
    free(files[i]);
  }
  free(files);
  return failures;
}

void plugins_unload(PluginSet* set)
{
  for (int i = set->count - 1; i >= 0; i--) {
    LoadedPlugin* plugin = set->items[i];
    host_debug(50, "unloading plugin %s\n", plugin->plugin.file);
    plugin->plugin.unloadPlugin();
    dlclose(plugin->plugin.plugin_handle);
    free(plugin->plugin.file);
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
