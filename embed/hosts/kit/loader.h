/* loader.h -- loading plugin shared objects the way a Bareos daemon does
 * (spec §1.1-§1.3), for any daemon: what differs between the file daemon,
 * the storage daemon and the director is one DaemonSpec.
 *
 * One call for a host:
 *
 *   Plugin plugin;                 // the ABI record PluginContext.plugin points to
 *   char* message;
 *   LoadReason reason = loader_load(&DAEMON_FD, path, &core_functions, &plugin, &message);
 *   if (reason != LOAD_OK) { fprintf(stderr, "prog: %s\n", message); free(message); }
 *   ...
 *   loader_close(&plugin);         // unloadPlugin + dlclose
 *
 * Or step by step, for a program that reports what loadPlugin returned
 * before judging it (the test driver):
 *
 *   loader_open(spec, path, &plugin, &message)        dlopen + dlsym
 *   rc = loader_call_load(spec, &plugin, core)        loadPlugin
 *   reason = loader_check(spec, &plugin, rc)          the §1.3 checks
 *   if (reason != LOAD_OK) { report loader_stage(reason), loader_problem(reason);
 *                            loader_close(&plugin); }
 *
 * Every failure has a LoadReason (machine-readable), a stage and a short
 * problem string (the test driver's JSON `problem`), and a sentence for
 * people (loader_explain; the *message of loader_open/loader_load).
 */
#ifndef BAREOSPY_KIT_LOADER_H
#define BAREOSPY_KIT_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "bareospy/plugin.h"

/* What a daemon requires of its plugins.  The §1.3 checks differ between
 * daemons only in these values, so they are data here rather than one
 * compatibility callback per daemon. */
typedef struct DaemonSpec {
  const char* name;           /* for messages: "file daemon" */
  const char* magic;          /* PluginInformation.plugin_magic, e.g. FD_PLUGIN_MAGIC */
  uint32_t interface_version; /* PluginApiDefinition.version and PluginInformation.version */
  const char* file_suffix;    /* of plugin file names, e.g. "-fd.so" */
} DaemonSpec;

extern const DaemonSpec DAEMON_FD;
extern const DaemonSpec DAEMON_SD;
extern const DaemonSpec DAEMON_DIR;

/* Why a plugin was not loaded, in the order the checks run. */
typedef enum LoadReason {
  LOAD_OK = 0,
  LOAD_DLOPEN_FAILED,   /* stage "dlopen": the file cannot be loaded */
  LOAD_NO_ENTRY_POINT,  /* stage "dlsym": no loadPlugin or no unloadPlugin */
  LOAD_RC_NOT_OK,       /* stage "compat" (this and below): loadPlugin did not return bRC_OK */
  LOAD_NO_INFORMATION,  /* no PluginInformation */
  LOAD_WRONG_MAGIC,     /* plugin_magic is not the daemon's */
  LOAD_WRONG_VERSION,   /* interface version is not the daemon's */
  LOAD_BAD_LICENSE,     /* licence is not BAREOS_PLUGIN_LICENSE(_SHORT) (case ignored) */
  LOAD_WRONG_INFO_SIZE, /* PluginInformation.size is not sizeof(PluginInformation) */
  LOAD_NO_FUNCTIONS     /* no PluginFunctions table */
} LoadReason;

/* dlopen(path) and find loadPlugin/unloadPlugin.  On success fills
 * plugin->file (malloc'ed base name), file_len (the name without the
 * daemon's suffix), unloadPlugin and plugin_handle, and zeroes the rest.
 * On failure nothing stays open and *message (if message is not NULL) is a
 * malloc'ed sentence. */
LoadReason loader_open(const DaemonSpec* spec, const char* path, Plugin* plugin, char** message);
/* Call the plugin's loadPlugin with the daemon's PluginApiDefinition and
 * core function table; stores what it returned in plugin_information and
 * plugin_functions.  Returns loadPlugin's result. */
bRC loader_call_load(const DaemonSpec* spec, Plugin* plugin, void* core_functions);
/* The §1.3 checks of what loadPlugin returned (load_rc is its result). */
LoadReason loader_check(const DaemonSpec* spec, const Plugin* plugin, bRC load_rc);
/* open + call_load + check.  On failure the object is unloaded and closed
 * again, *plugin is zeroed and *message (if not NULL) says why. */
LoadReason loader_load(const DaemonSpec* spec, const char* path, void* core_functions,
                       Plugin* plugin, char** message);
/* unloadPlugin, dlclose, free the name, zero the record.  Returns what
 * unloadPlugin returned (bRC_OK if the record was empty). */
bRC loader_close(Plugin* plugin);

/* "dlopen", "dlsym" or "compat" (NULL for LOAD_OK). */
const char* loader_stage(LoadReason reason);
/* A fixed short text per reason, e.g. "wrong plugin_magic" (NULL for LOAD_OK). */
const char* loader_problem(LoadReason reason);
/* A sentence for people about a failed check (malloc'ed), naming the
 * values found and the ones expected, e.g. "interface version 9, this file
 * daemon speaks version 10". */
char* loader_explain(const DaemonSpec* spec, const Plugin* plugin, LoadReason reason, bRC load_rc);

/* bareosMalloc and bareosFree of a daemon's core function table, the same
 * for every daemon: malloc and free (the file and line are not used). */
void* loader_core_malloc(PluginContext* ctx, const char* file, int line, size_t size);
void loader_core_free(PluginContext* ctx, const char* file, int line, void* memory);

/* The plugin files of a directory: regular files named "<name><suffix>"
 * (name not empty), base names in strcmp order.  Returns their number and
 * *files (malloc'ed array of malloc'ed names; free with loader_free_list),
 * or -1 with *message set if the directory cannot be read. */
int loader_list(const DaemonSpec* spec, const char* directory, char*** files, char** message);
void loader_free_list(char** files, int count);

#endif
