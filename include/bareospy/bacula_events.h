/*
 * bareospy/bacula_events.h -- the director and storage daemon plugin
 * interfaces of Bacula 9.6 (director interface version 1, storage daemon
 * version 12: what Debian's bacula-dir and bacula-sd 9.6.7 speak), written
 * from the facts of section 6 of the Bacula scripting specification: names,
 * numbers and layouts only.  Both daemons' plugins only get events.
 *
 * Everything carries a Bacula prefix; the context and the information
 * block are those of bareospy/bacula_fd.h (same layouts).  Sizes and
 * offsets are for x86-64 Linux (LP64), pinned by the _Static_asserts at
 * the end.
 */
#ifndef BAREOSPY_BACULA_EVENTS_H
#define BAREOSPY_BACULA_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "bareospy/bacula_fd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the daemons check after loadPlugin (magic, version, licence as for
 * the file daemon, size 56). */
#define BACULA_DIR_INTERFACE_VERSION 1
#define BACULA_DIR_PLUGIN_MAGIC "*DirPluginData*"
#define BACULA_SD_INTERFACE_VERSION 12
#define BACULA_SD_PLUGIN_MAGIC "*BaculaSDPluginData*"

/* Director events.  7-10 (NeedVolume, VolumeFull, Recycle, GetScratch) are
 * defined by the daemon but never sent.  value is NULL for all of them. */
typedef enum {
  bcDirEventJobStart = 1,
  bcDirEventJobEnd = 2,
  bcDirEventJobInit = 3,
  bcDirEventJobRun = 4,
  bcDirEventVolumePurged = 5,
  bcDirEventNewVolume = 6
} BaculaDirEventType;

/* Storage daemon events. */
typedef enum {
  bcSdEventJobStart = 1,
  bcSdEventJobEnd = 2,
  bcSdEventDeviceInit = 3,
  bcSdEventDeviceOpen = 4,
  bcSdEventDeviceTryOpen = 5,
  bcSdEventDeviceClose = 6
} BaculaSdEventType;

/*
 * Director variables for getBaculaValue().  Strings are written as a char*
 * into the daemon, the rest as a 4-byte int (char codes too).  CatalogRes
 * always fails in 9.6; NumVols is read from the catalog at each call;
 * during NewVolume, VolumeName is the address of the job's own volume-name
 * buffer (at least 256 bytes), which is how a plugin names the new volume.
 */
typedef enum {
  bcDirVarJob = 1,
  bcDirVarLevel = 2,
  bcDirVarType = 3,
  bcDirVarJobId = 4,
  bcDirVarClient = 5,
  bcDirVarNumVols = 6,
  bcDirVarPool = 7,
  bcDirVarStorage = 8,
  bcDirVarWriteStorage = 9,
  bcDirVarReadStorage = 10,
  bcDirVarCatalog = 11,
  bcDirVarMediaType = 12,
  bcDirVarJobName = 13,
  bcDirVarJobStatus = 14,
  bcDirVarPriority = 15,
  bcDirVarVolumeName = 16,
  bcDirVarCatalogRes = 17,
  bcDirVarJobErrors = 18,
  bcDirVarJobFiles = 19,
  bcDirVarSDJobFiles = 20,
  bcDirVarSDErrors = 21,
  bcDirVarFDJobStatus = 22,
  bcDirVarSDJobStatus = 23
} BaculaDirVariable;

/* The storage daemon fills only these two of its variables 1-21. */
#define bcSdVarJobId 4
#define bcSdVarJobName 11

/* The longest volume name the director accepts (legal characters only:
 * letters, digits and ":.-_"). */
#define BACULA_MAX_VOLUME_NAME 127

/*
 * The director's callback table (48 bytes).  registerBaculaEvents only
 * logs (every plugin gets every event); setBaculaValue is a no-op for all
 * four of its variables (JobReport, VolumeName, Priority, JobLevel).
 */
typedef struct BaculaDirCoreFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*registerBaculaEvents)(BaculaContext* ctx, ...);
  bRC (*getBaculaValue)(BaculaContext* ctx, int var, void* value);
  bRC (*setBaculaValue)(BaculaContext* ctx, int var, void* value);
  bRC (*JobMessage)(BaculaContext* ctx, const char* file, int line, int type, utime_t mtime,
                    const char* fmt, ...);
  bRC (*DebugMessage)(BaculaContext* ctx, const char* file, int line, int level,
                      const char* fmt, ...);
} BaculaDirCoreFunctions;

/* The storage daemon's: the same five, then EditDeviceCodes (56 bytes). */
typedef struct BaculaSdCoreFunctions {
  BaculaDirCoreFunctions common;
  char* (*EditDeviceCodes)(void* dcr, char* omsg, const char* imsg, const char* cmd);
} BaculaSdCoreFunctions;

/*
 * The plugin's entry points (director 48 bytes; the storage daemon appends
 * handleGlobalPluginEvent, which may be NULL).  A non-zero answer from
 * newPlugin disables the instance for the job (freePlugin still comes);
 * setPluginValue is never called.
 */
typedef struct BaculaEventPluginFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*newPlugin)(BaculaContext* ctx);
  bRC (*freePlugin)(BaculaContext* ctx);
  bRC (*getPluginValue)(BaculaContext* ctx, int var, void* value);
  bRC (*setPluginValue)(BaculaContext* ctx, int var, void* value);
  bRC (*handlePluginEvent)(BaculaContext* ctx, BaculaEvent* event, void* value);
  bRC (*handleGlobalPluginEvent)(BaculaEvent* event, void* value); /* SD only */
} BaculaEventPluginFunctions;

#if defined(__x86_64__) && defined(__linux__)
_Static_assert(sizeof(BaculaDirCoreFunctions) == 48, "director callback table: 48 bytes");
_Static_assert(sizeof(BaculaSdCoreFunctions) == 56, "SD callback table: 56 bytes");
_Static_assert(offsetof(BaculaDirCoreFunctions, getBaculaValue) == 16, "getBaculaValue at +16");
_Static_assert(offsetof(BaculaDirCoreFunctions, JobMessage) == 32, "JobMessage at +32");
_Static_assert(offsetof(BaculaEventPluginFunctions, handlePluginEvent) == 40,
               "handlePluginEvent at +40");
_Static_assert(offsetof(BaculaEventPluginFunctions, handleGlobalPluginEvent) == 48,
               "handleGlobalPluginEvent at +48");
#endif

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_BACULA_EVENTS_H */
