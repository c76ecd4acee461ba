/*
 * bareospy/dir.h -- the director side of the Bareos plugin ABI (ABI
 * contract, section 1.8): variables, events and the two function tables.
 */
#ifndef BAREOSPY_DIR_H
#define BAREOSPY_DIR_H

#include <stdint.h>

#include "bareospy/consts.h"
#include "bareospy/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * brDirVariable: what a plugin may read with getBareosValue() in the
 * director.  The core fills the value; the comment gives the C type.
 */
typedef enum {
  bDirVarJob = 1,           /* char*, Job resource name */
  bDirVarLevel = 2,         /* int, JobLevel code */
  bDirVarType = 3,          /* int, JobType code */
  bDirVarJobId = 4,         /* int */
  bDirVarClient = 5,        /* char* */
  bDirVarNumVols = 6,       /* int */
  bDirVarPool = 7,          /* char* */
  bDirVarStorage = 8,       /* char* */
  bDirVarWriteStorage = 9,  /* char* */
  bDirVarReadStorage = 10,  /* char* */
  bDirVarCatalog = 11,      /* char* */
  bDirVarMediaType = 12,    /* char* */
  bDirVarJobName = 13,      /* char*, unique job name */
  bDirVarJobStatus = 14,    /* int, JobStatus code */
  bDirVarPriority = 15,     /* int */
  bDirVarVolumeName = 16,   /* char* */
  bDirVarCatalogRes = 17,   /* not provided by the core */
  bDirVarJobErrors = 18,    /* int */
  bDirVarJobFiles = 19,     /* int */
  bDirVarSDJobFiles = 20,   /* int */
  bDirVarSDErrors = 21,     /* int */
  bDirVarFDJobStatus = 22,  /* int, JobStatus code */
  bDirVarSDJobStatus = 23,  /* int, JobStatus code */
  bDirVarPluginDir = 24,    /* char* */
  bDirVarLastRate = 25,     /* int */
  bDirVarJobBytes = 26,     /* uint64_t */
  bDirVarReadBytes = 27     /* uint64_t */
} brDirVariable;

/* bwDirVariable: what a plugin may write with setBareosValue() (DIR). */
typedef enum {
  bwDirVarJobReport = 1,  /* ignored */
  bwDirVarVolumeName = 2, /* char* */
  bwDirVarPriority = 3,   /* int* */
  bwDirVarJobLevel = 4    /* int*, JobLevel code */
} bwDirVariable;

/*
 * bDirEventType: events the director core sends to handlePluginEvent(),
 * for those a plugin registered.  Value 9 keeps the historic spelling.
 */
typedef enum {
  bDirEventJobStart = 1,
  bDirEventJobEnd = 2,
  bDirEventJobInit = 3,
  bDirEventJobRun = 4,
  bDirEventVolumePurged = 5,
  bDirEventNewVolume = 6,
  bDirEventNeedVolume = 7,
  bDirEventVolumeFull = 8,
  bDirEventRecyle = 9,
  bDirEventGetScratch = 10,
  bDirEventNewPluginOptions = 11
} bDirEventType;

/* Highest director event number (events are 1 .. DIR_NR_EVENTS). */
#define DIR_NR_EVENTS 11

/* bDirEvent: the event descriptor the core passes to handlePluginEvent(). */
typedef struct bDirEvent {
  uint32_t eventType; /* a bDirEventType */
} bDirEvent;

/*
 * DirCoreFunctions: what a plugin may call in the director.  The core
 * owns the table and passes it to loadPlugin() (size = sizeof, version =
 * DIR_PLUGIN_INTERFACE_VERSION).  64 bytes on x86-64.
 */
typedef struct DirCoreFunctions {
  uint32_t size;
  uint32_t version;
  /* varargs: nr_events uint32_t event numbers */
  bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events, ...);
  bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events, ...);
  bRC (*getInstanceCount)(PluginContext* ctx, int* ret);
  bRC (*getBareosValue)(PluginContext* ctx, brDirVariable var, void* value);
  bRC (*setBareosValue)(PluginContext* ctx, bwDirVariable var, void* value);
  /* printf-style; type is a MessageType */
  bRC (*JobMessage)(PluginContext* ctx, const char* file, int line, int type,
                    utime_t mtime, const char* fmt, ...);
  /* printf-style; shown when the daemon debug level is >= level */
  bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line,
                      int level, const char* fmt, ...);
} DirCoreFunctions;

/*
 * DirPluginFunctions: the entry points the director calls in a plugin.
 * The plugin owns the table and returns it from loadPlugin().  48 bytes on
 * x86-64.
 */
typedef struct DirPluginFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*newPlugin)(PluginContext* ctx);
  bRC (*freePlugin)(PluginContext* ctx);
  bRC (*getPluginValue)(PluginContext* ctx, pVariable var, void* value);
  bRC (*setPluginValue)(PluginContext* ctx, pVariable var, void* value);
  bRC (*handlePluginEvent)(PluginContext* ctx, bDirEvent* event,
                           void* value);
} DirPluginFunctions;

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_DIR_H */
