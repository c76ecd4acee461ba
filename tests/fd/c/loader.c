/* loader.c -- loading and unloading the plugin like a daemon (contract
 * §1.1-§1.3): dlopen with RTLD_LAZY|RTLD_GLOBAL, dlsym loadPlugin and
 * unloadPlugin, loadPlugin with a PluginApiDefinition {8, 10} and the core's
 * FdCoreFunctions, then the magic/version/licence/size checks.  Self-contained:
 * it needs only the JSON lines and xstrdup. */
#include "driver.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void* plugin_handle;
static loadPlugin_t plugin_load;
static unloadPlugin_t plugin_unload;
static PluginInformation* plugin_info;
static char* plugin_file_name;
FdPluginFunctions* fns;       /* the loaded plugin's entry points */
Plugin plugin_record;         /* the core's record of it (PluginContext.plugin) */

bool load_plugin(const char* path, FdCoreFunctions* core)
{
  plugin_handle = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
  if (!plugin_handle) {
    const char* why = dlerror();
    print_error("dlopen", why ? why : "dlopen failed");
    return false;
  }
  void* load = dlsym(plugin_handle, "loadPlugin");
  void* unload = dlsym(plugin_handle, "unloadPlugin");
  if (!load || !unload) {
    print_error("dlsym", "loadPlugin or unloadPlugin is missing");
    dlclose(plugin_handle);
    return false;
  }
  memcpy(&plugin_load, &load, sizeof load);
  memcpy(&plugin_unload, &unload, sizeof unload);

  const char* base = strrchr(path, '/');
  base = base ? base + 1 : path;
  free(plugin_file_name);
  plugin_file_name = xstrdup(base);
  size_t len = strlen(plugin_file_name);
  const char* type = "-fd.so";
  size_t type_len = strlen(type);
  memset(&plugin_record, 0, sizeof plugin_record);
  plugin_record.file = plugin_file_name;
  plugin_record.file_len = (int32_t)(len > type_len && strcmp(plugin_file_name + len - type_len, type) == 0
                                         ? len - type_len
                                         : len);
  plugin_record.unloadPlugin = plugin_unload;
  plugin_record.plugin_handle = plugin_handle;

  PluginApiDefinition api = {sizeof(PluginApiDefinition), FD_PLUGIN_INTERFACE_VERSION};
  plugin_info = NULL;
  fns = NULL;
  void* functions = NULL;
  bRC rc = plugin_load(&api, core, &plugin_info, &functions);
  fns = functions;

  Json j;
  j_begin(&j);
  j_str(&j, "load", plugin_file_name);
  j_int(&j, "rc", rc);
  if (plugin_info) {
    j_uint(&j, "size", plugin_info->size);
    j_uint(&j, "version", plugin_info->version);
    j_str(&j, "magic", plugin_info->plugin_magic);
    j_str(&j, "license", plugin_info->plugin_license);
    j_str(&j, "description", plugin_info->plugin_description);
  }
  j_end(&j);

  const char* problem = NULL;
  if (rc != bRC_OK)
    problem = "loadPlugin did not return bRC_OK";
  else if (!plugin_info)
    problem = "plugin_information is NULL";
  else if (!plugin_info->plugin_magic || strcmp(plugin_info->plugin_magic, FD_PLUGIN_MAGIC) != 0)
    problem = "wrong plugin_magic";
  else if (plugin_info->version != FD_PLUGIN_INTERFACE_VERSION)
    problem = "wrong interface version";
  else if (!plugin_info->plugin_license ||
           (strcasecmp(plugin_info->plugin_license, BAREOS_PLUGIN_LICENSE) != 0 &&
            strcasecmp(plugin_info->plugin_license, BAREOS_PLUGIN_LICENSE_SHORT) != 0))
    problem = "unacceptable plugin_license";
  else if (plugin_info->size != sizeof(PluginInformation))
    problem = "wrong PluginInformation size";
  else if (!fns)
    problem = "no PluginFunctions table";
  if (problem) {
    print_error("compat", problem);
    plugin_unload();
    dlclose(plugin_handle);
    plugin_handle = NULL;
    return false;
  }
  plugin_record.plugin_information = plugin_info;
  plugin_record.plugin_functions = fns;
  return true;
}

void unload_plugin(void)
{
  bRC rc = plugin_unload();
  Json j;
  j_begin(&j);
  j_str(&j, "unload", plugin_file_name);
  j_int(&j, "rc", rc);
  j_end(&j);
  dlclose(plugin_handle);
  plugin_handle = NULL;
  fns = NULL;
  free(plugin_file_name);
  plugin_file_name = NULL;
}
