/* plugins.h -- finding, loading and unloading file daemon plugins
 * (spec §1.1-§1.3), and matching plugin definitions to them (§4.7). */
#ifndef BAREOSPY_HOST_PLUGINS_H
#define BAREOSPY_HOST_PLUGINS_H

#include <stdbool.h>

#include "bareospy/fd.h"
#include "kit/loader.h"

/* One loaded shared object.  `plugin` is what PluginContext.plugin points
 * to (filled by the kit's loader_load): file, file_len, unloadPlugin,
 * information, functions, dlopen handle. */
typedef struct LoadedPlugin {
  Plugin plugin;
  char* path;
  PluginInformation* information;
  FdPluginFunctions* functions;
} LoadedPlugin;

typedef struct PluginSet {
  LoadedPlugin** items;
  int count;
} PluginSet;

/* Load every "*-fd.so" of directory (in name order), or only
 * "<directory>/<name>-fd.so" for each of names (n_names > 0).  Problems are
 * printed to stderr; returns the number of plugins that failed to load. */
int plugins_load(PluginSet* set, const char* directory, char** names, int n_names,
                 FdCoreFunctions* core);
/* unloadPlugin + dlclose for every plugin, in reverse load order. */
void plugins_unload(PluginSet* set);

/* The plugin name of a definition: the text before the first ':' (the whole
 * string if there is none).  NULL if the definition is malformed (no ':'
 * and a space in it).  Malloc'ed. */
char* plugin_name_of(const char* definition);
/* Whether a definition names this plugin (§4.7: exact name, the name one
 * shorter as a prefix, or the broadcast names "*all*" and "job"). */
bool plugin_matches(const LoadedPlugin* plugin, const char* definition);

#endif
