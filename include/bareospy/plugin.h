/*
 * bareospy/plugin.h -- the part of the Bareos plugin ABI shared by all
 * three daemons (file daemon, storage daemon, director).
 *
 * Layouts and numbers follow the bareospy ABI contract, section 1.2-1.4.
 * Sizes quoted in comments are for x86-64 Linux (LP64); tests/abi/abi_test.c
 * pins them.
 */
#ifndef BAREOSPY_PLUGIN_H
#define BAREOSPY_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Return codes
 * ---------------------------------------------------------------------- */

/*
 * bRC: the status every ABI function returns, in both directions (core to
 * plugin and plugin to core).  An int-sized enum.
 */
typedef enum {
  bRC_OK = 0,     /* success */
  bRC_Stop = 1,   /* stop calling other plugins / no more files */
  bRC_Error = 2,  /* failure */
  bRC_More = 3,   /* more files to back up, or more xattrs */
  bRC_Term = 4,   /* asks the core to unload the plugin (never return it) */
  bRC_Seen = 5,   /* file unchanged (checkChanges / checkFile) */
  bRC_Core = 6,   /* let the core handle this file (option plugins) */
  bRC_Skip = 7,   /* skip this file */
  bRC_Cancel = 8, /* the job was cancelled */
  bRC_Max = 9999  /* upper bound, not a real status */
} bRC;

/*
 * Not a bRC member: the value the Python layer reports when a script
 * function returned something that is not an int.
 */
#define PYTHON_UNDEFINED_RETURN_VALUE (-1)

/* Range of PluginContext.instance numbers the core hands out. */
#define LOWEST_PLUGIN_INSTANCE 0
#define HIGHEST_PLUGIN_INSTANCE 127

/* ------------------------------------------------------------------------
 * Identification strings and interface versions
 * ---------------------------------------------------------------------- */

/* Licences the core accepts in PluginInformation.plugin_license
 * (compared case-insensitively). */
#define BAREOS_PLUGIN_LICENSE "Bareos AGPLv3"
#define BAREOS_PLUGIN_LICENSE_SHORT "AGPLv3"

/* PluginInformation.plugin_magic expected by each daemon (exact match). */
#define FD_PLUGIN_MAGIC "*FDPluginData*"
#define SD_PLUGIN_MAGIC "*SDPluginData*"
#define DIR_PLUGIN_MAGIC "*DirPluginData*"

/* PluginInformation.version expected by each daemon. */
#define FD_PLUGIN_INTERFACE_VERSION 10
#define SD_PLUGIN_INTERFACE_VERSION 4
#define DIR_PLUGIN_INTERFACE_VERSION 4

/* ------------------------------------------------------------------------
 * Scalar types
 * ---------------------------------------------------------------------- */

/* Seconds since the epoch, as the core passes them (JobMessage mtime). */
typedef int64_t utime_t;

/* A file offset (io_pkt.offset). */
typedef int64_t boffset_t;

/* ------------------------------------------------------------------------
 * Structures
 * ---------------------------------------------------------------------- */

/*
 * PluginApiDefinition: a small header the core passes to loadPlugin()
 * (first argument).  Filled by the core; 8 bytes.  Nobody validates it.
 */
typedef struct PluginApiDefinition {
  uint32_t size;
  uint32_t version;
} PluginApiDefinition;

/*
 * PluginInformation: the plugin's identity card.  The plugin owns it
 * (normally a static object) and returns its address from loadPlugin();
 * the core checks size, version, magic and licence.  64 bytes.
 */
typedef struct PluginInformation {
  uint32_t size;                  /* sizeof(PluginInformation) */
  uint32_t version;               /* *_PLUGIN_INTERFACE_VERSION */
  const char* plugin_magic;       /* *_PLUGIN_MAGIC */
  const char* plugin_license;     /* BAREOS_PLUGIN_LICENSE */
  const char* plugin_author;
  const char* plugin_date;
  const char* plugin_version;
  const char* plugin_description;
  const char* plugin_usage;       /* help text shown by "show plugins" */
} PluginInformation;

/*
 * Plugin: the core's record of one loaded shared object.  Filled and owned
 * by the core; plugins only read it (e.g. file for message prefixes).
 * 48 bytes.
 */
struct Plugin {
  char* file;                   /* base name, e.g. "python3-fd.so" */
  int32_t file_len;             /* length of the name part before "-fd.so" */
  bRC (*unloadPlugin)(void);    /* the object's unloadPlugin entry point */
  void* plugin_information;     /* PluginInformation* from loadPlugin */
  void* plugin_functions;       /* daemon-specific PluginFunctions* */
  void* plugin_handle;          /* dlopen() handle */
};
typedef struct Plugin Plugin;

/*
 * PluginContext: one plugin instance (normally one per job).  The core
 * creates it and fills the first three fields; plugin_private_context
 * starts as NULL and belongs to the plugin.  32 bytes.
 */
typedef struct PluginContext {
  uint32_t instance;            /* LOWEST_ .. HIGHEST_PLUGIN_INSTANCE */
  Plugin* plugin;               /* the shared object this instance runs */
  void* core_private_context;   /* the core's; never touch */
  void* plugin_private_context; /* the plugin's; NULL at creation */
} PluginContext;

/*
 * pVariable: what the core may ask for through a plugin's
 * getPluginValue()/setPluginValue() (all daemons).
 */
typedef enum {
  pVarName = 1,
  pVarDescription = 2
} pVariable;

/* ------------------------------------------------------------------------
 * Exported entry points
 * ---------------------------------------------------------------------- */

/*
 * Every plugin shared object exports these two symbols with C linkage; a
 * daemon dlsym()s them.  loadPlugin() is called once per process:
 *   core_info        in:  PluginApiDefinition filled by the core
 *   core_functions   in:  the daemon's CoreFunctions table
 *   plugin_info      out: address of the plugin's PluginInformation
 *   plugin_functions out: address of the plugin's PluginFunctions table
 * unloadPlugin() is called once before the object is dlclose()d.
 */
typedef bRC (*loadPlugin_t)(PluginApiDefinition* core_info,
                            void* core_functions,
                            PluginInformation** plugin_info,
                            void** plugin_functions);
typedef bRC (*unloadPlugin_t)(void);

bRC loadPlugin(PluginApiDefinition* core_info,
               void* core_functions,
               PluginInformation** plugin_info,
               void** plugin_functions);
bRC unloadPlugin(void);

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_PLUGIN_H */
