/* loader.c -- dlopen, loadPlugin and the §1.3 compatibility checks, for
 * any daemon. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util.h"

const DaemonSpec DAEMON_FD = {"file daemon", FD_PLUGIN_MAGIC, FD_PLUGIN_INTERFACE_VERSION, "-fd.so"};
const DaemonSpec DAEMON_SD = {"storage daemon", SD_PLUGIN_MAGIC, SD_PLUGIN_INTERFACE_VERSION,
                              "-sd.so"};
const DaemonSpec DAEMON_DIR = {"director", DIR_PLUGIN_MAGIC, DIR_PLUGIN_INTERFACE_VERSION,
                               "-dir.so"};

static void set_message(char** message, char* text)
{
  if (message)
    *message = text;
  else
    free(text);
}

LoadReason loader_open(const DaemonSpec* spec, const char* path, Plugin* plugin, char** message)
{
  memset(plugin, 0, sizeof *plugin);
  void* handle = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
  if (!handle) {
    const char* why = dlerror();
    set_message(message, xasprintf("cannot load plugin %s: %s", path, why ? why : "dlopen failed"));
    return LOAD_DLOPEN_FAILED;
  }
  void* load = dlsym(handle, "loadPlugin");
  void* unload = dlsym(handle, "unloadPlugin");
  if (!load || !unload) {
    set_message(message, xasprintf("plugin %s rejected: it does not export %s", path,
                                   !load ? "loadPlugin" : "unloadPlugin"));
    dlclose(handle);
    return LOAD_NO_ENTRY_POINT;
  }
  const char* base = strrchr(path, '/');
  plugin->file = xstrdup(base ? base + 1 : path);
  size_t length = strlen(plugin->file);
  plugin->file_len = (int32_t)(ends_with(plugin->file, spec->file_suffix) && length > strlen(spec->file_suffix)
                                   ? length - strlen(spec->file_suffix)
                                   : length);
  /* memcpy: C99 has no conversion from an object to a function pointer. */
  memcpy(&plugin->unloadPlugin, &unload, sizeof unload);
  plugin->plugin_handle = handle;
  return LOAD_OK;
}

bRC loader_call_load(const DaemonSpec* spec, Plugin* plugin, void* core_functions)
{
  void* symbol = dlsym(plugin->plugin_handle, "loadPlugin");
  loadPlugin_t load;
  memcpy(&load, &symbol, sizeof load);
  PluginApiDefinition api = {sizeof(PluginApiDefinition), spec->interface_version};
  PluginInformation* information = NULL;
  void* functions = NULL;
  bRC rc = load(&api, core_functions, &information, &functions);
  plugin->plugin_information = information;
  plugin->plugin_functions = functions;
  return rc;
}

static bool acceptable_license(const char* license)
{
  return license && (strcasecmp(license, BAREOS_PLUGIN_LICENSE) == 0 ||
                     strcasecmp(license, BAREOS_PLUGIN_LICENSE_SHORT) == 0);
}

LoadReason loader_check(const DaemonSpec* spec, const Plugin* plugin, bRC load_rc)
{
  const PluginInformation* info = plugin->plugin_information;
  if (load_rc != bRC_OK) return LOAD_RC_NOT_OK;
  if (!info) return LOAD_NO_INFORMATION;
  if (!info->plugin_magic || strcmp(info->plugin_magic, spec->magic) != 0) return LOAD_WRONG_MAGIC;
  if (info->version != spec->interface_version) return LOAD_WRONG_VERSION;
  if (!acceptable_license(info->plugin_license)) return LOAD_BAD_LICENSE;
  if (info->size != sizeof(PluginInformation)) return LOAD_WRONG_INFO_SIZE;
  if (!plugin->plugin_functions) return LOAD_NO_FUNCTIONS;
  return LOAD_OK;
}

LoadReason loader_load(const DaemonSpec* spec, const char* path, void* core_functions,
                       Plugin* plugin, char** message)
{
  LoadReason reason = loader_open(spec, path, plugin, message);
  if (reason != LOAD_OK) return reason;
  bRC rc = loader_call_load(spec, plugin, core_functions);
  reason = loader_check(spec, plugin, rc);
  if (reason != LOAD_OK) {
    char* why = loader_explain(spec, plugin, reason, rc);
    set_message(message, xasprintf("plugin %s rejected: %s", path, why));
    free(why);
    loader_close(plugin);
  }
  return reason;
}

bRC loader_close(Plugin* plugin)
{
  bRC rc = bRC_OK;
  if (plugin->unloadPlugin) rc = plugin->unloadPlugin();
  if (plugin->plugin_handle) dlclose(plugin->plugin_handle);
  free(plugin->file);
  memset(plugin, 0, sizeof *plugin);
  return rc;
}

const char* loader_stage(LoadReason reason)
{
  switch (reason) {
    case LOAD_OK: return NULL;
    case LOAD_DLOPEN_FAILED: return "dlopen";
    case LOAD_NO_ENTRY_POINT: return "dlsym";
    default: return "compat";
  }
}

const char* loader_problem(LoadReason reason)
{
  switch (reason) {
    case LOAD_OK: return NULL;
    case LOAD_DLOPEN_FAILED: return "dlopen failed";
    case LOAD_NO_ENTRY_POINT: return "loadPlugin or unloadPlugin is missing";
    case LOAD_RC_NOT_OK: return "loadPlugin did not return bRC_OK";
    case LOAD_NO_INFORMATION: return "plugin_information is NULL";
    case LOAD_WRONG_MAGIC: return "wrong plugin_magic";
    case LOAD_WRONG_VERSION: return "wrong interface version";
    case LOAD_BAD_LICENSE: return "unacceptable plugin_license";
    case LOAD_WRONG_INFO_SIZE: return "wrong PluginInformation size";
    case LOAD_NO_FUNCTIONS: return "no PluginFunctions table";
  }
  return "unknown problem";
}

static const char* or_null(const char* text) { return text ? text : "(null)"; }

char* loader_explain(const DaemonSpec* spec, const Plugin* plugin, LoadReason reason, bRC load_rc)
{
  const PluginInformation* info = plugin->plugin_information;
  switch (reason) {
    case LOAD_RC_NOT_OK:
      return xasprintf("loadPlugin returned %d", load_rc);
    case LOAD_NO_INFORMATION:
      return xstrdup("loadPlugin returned no PluginInformation");
    case LOAD_WRONG_MAGIC:
      return xasprintf("plugin_magic is \"%s\", a %s plugin has \"%s\"", or_null(info->plugin_magic),
                       spec->name, spec->magic);
    case LOAD_WRONG_VERSION:
      return xasprintf("interface version %u, this %s speaks version %u", info->version, spec->name,
                       spec->interface_version);
    case LOAD_BAD_LICENSE:
      return xasprintf("licence \"%s\" is not \"%s\" or \"%s\"", or_null(info->plugin_license),
                       BAREOS_PLUGIN_LICENSE, BAREOS_PLUGIN_LICENSE_SHORT);
    case LOAD_WRONG_INFO_SIZE:
      return xasprintf("PluginInformation.size is %u, expected %zu", info->size,
                       sizeof(PluginInformation));
    case LOAD_NO_FUNCTIONS:
      return xstrdup("loadPlugin returned no PluginFunctions table");
    default:
      return xstrdup(loader_problem(reason) ? loader_problem(reason) : "loaded");
  }
}

void* loader_core_malloc(PluginContext* ctx, const char* file, int line, size_t size)
{
  (void)ctx, (void)file, (void)line;
  return malloc(size);
}

void loader_core_free(PluginContext* ctx, const char* file, int line, void* memory)
{
  (void)ctx, (void)file, (void)line;
  free(memory);
}

static int compare_names(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static bool is_plugin_file(const DaemonSpec* spec, const char* directory, const char* name)
{
  if (!ends_with(name, spec->file_suffix) || strlen(name) == strlen(spec->file_suffix)) return false;
  char* path = xasprintf("%s/%s", directory, name);
  struct stat st;
  bool regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
  free(path);
  return regular;
}

int loader_list(const DaemonSpec* spec, const char* directory, char*** files, char** message)
{
  *files = NULL;
  DIR* dir = opendir(directory);
  if (!dir) {
    set_message(message, xasprintf("cannot read the plugin directory %s: %s", directory,
                                   strerror(errno)));
    return -1;
  }
  int count = 0;
  struct dirent* item;
  while ((item = readdir(dir)) != NULL) {
    if (!is_plugin_file(spec, directory, item->d_name)) continue;
    *files = xrealloc(*files, sizeof(char*) * (size_t)(count + 1));
    (*files)[count++] = xstrdup(item->d_name);
  }
  closedir(dir);
  if (count > 1) qsort(*files, (size_t)count, sizeof(char*), compare_names);
  return count;
}

void loader_free_list(char** files, int count)
{
  for (int i = 0; i < count; i++) free(files[i]);
  free(files);
}
