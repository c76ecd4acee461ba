/* loader.c -- loading and unloading the plugin like a file daemon (contract
 * §1.1-§1.3) with the kit's loader (kit/loader.h), one step at a time so that
 * the driver can print what loadPlugin returned before the checks judge it:
 *
 *   {"load": FILE, "rc": N, "size": ..., "magic": ..., ...}  what loadPlugin gave
 *   {"error": PROBLEM, "stage": "dlopen"|"dlsym"|"compat"}    the plugin was refused
 *   {"unload": FILE, "rc": N}                                 unloadPlugin at the end
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

FdPluginFunctions* fns; /* the loaded plugin's entry points */
Plugin plugin_record;   /* the core's record of it (PluginContext.plugin) */

/* What dlopen said.  loader_open's message is "cannot load plugin PATH: "
 * followed by dlerror()'s text; the driver reports the text alone. */
static const char* dlopen_text(const char* message, const char* path)
{
  static const char lead[] = "cannot load plugin ";
  size_t lead_len = strlen(lead), path_len = strlen(path);
  if (strncmp(message, lead, lead_len) == 0 && strncmp(message + lead_len, path, path_len) == 0 &&
      strncmp(message + lead_len + path_len, ": ", 2) == 0)
    return message + lead_len + path_len + 2;
  return message;
}

static void print_load(bRC rc)
{
  const PluginInformation* info = plugin_record.plugin_information;
  Json j;
  j_begin(&j);
  j_str(&j, "load", plugin_record.file);
  j_int(&j, "rc", rc);
  if (info) {
    j_uint(&j, "size", info->size);
    j_uint(&j, "version", info->version);
    j_str(&j, "magic", info->plugin_magic);
    j_str(&j, "license", info->plugin_license);
    j_str(&j, "description", info->plugin_description);
  }
  j_end(&j);
}

bool load_plugin(const char* path, FdCoreFunctions* core)
{
  fns = NULL;
  char* message = NULL;
  LoadReason reason = loader_open(&DAEMON_FD, path, &plugin_record, &message);
  if (reason != LOAD_OK) {
    print_error(loader_stage(reason),
                reason == LOAD_DLOPEN_FAILED ? dlopen_text(message, path) : loader_problem(reason));
    free(message);
    return false;
  }
  bRC rc = loader_call_load(&DAEMON_FD, &plugin_record, core);
  print_load(rc);
  reason = loader_check(&DAEMON_FD, &plugin_record, rc);
  if (reason != LOAD_OK) {
    print_error(loader_stage(reason), loader_problem(reason));
    loader_close(&plugin_record);
    return false;
  }
  fns = plugin_record.plugin_functions;
  return true;
}

void unload_plugin(void)
{
  char* file = xstrdup(plugin_record.file);
  bRC rc = loader_close(&plugin_record);
  fns = NULL;
  Json j;
  j_begin(&j);
  j_str(&j, "unload", file);
  j_int(&j, "rc", rc);
  j_end(&j);
  free(file);
}
