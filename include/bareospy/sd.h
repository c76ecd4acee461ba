/*
 * bareospy/sd.h -- the storage daemon side of the Bareos plugin ABI
 * (ABI contract, section 1.7): variables, events and the two function
 * tables.
 */
#ifndef BAREOSPY_SD_H
#define BAREOSPY_SD_H

#include <stdbool.h>
#include <stdint.h>

#include "bareospy/consts.h"
#include "bareospy/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The core's pool-managed string buffer; plain char memory in the ABI. */
typedef char POOLMEM;

/* Storage daemon objects; the plugin ABI only passes pointers to them. */
struct DeviceControlRecord;
struct DeviceRecord;

/*
 * bsdrVariable: what a plugin may read with getBareosValue() in the
 * storage daemon.  The core fills the value; the comment gives the C type.
 */
typedef enum {
  bsdVarJob = 1,         /* char*, Job resource name */
  bsdVarLevel = 2,       /* int, JobLevel code */
  bsdVarType = 3,        /* int, JobType code */
  bsdVarJobId = 4,       /* int */
  bsdVarClient = 5,      /* char* */
  bsdVarPool = 6,        /* char*, needs a device */
  bsdVarPoolType = 7,    /* char*, needs a device */
  bsdVarStorage = 8,     /* char*, device resource name */
  bsdVarMediaType = 9,   /* char*, needs a device */
  bsdVarJobName = 10,    /* char*, unique job name */
  bsdVarJobStatus = 11,  /* int, JobStatus code */
  bsdVarVolumeName = 12, /* char*, needs a device */
  bsdVarJobErrors = 13,  /* int */
  bsdVarJobFiles = 14,   /* int */
  bsdVarJobBytes = 15,   /* uint64_t */
  bsdVarPluginDir = 16   /* char* */
} bsdrVariable;

/* bsdwVariable: what a plugin may write with setBareosValue() (SD). */
typedef enum {
  bsdwVarJobReport = 1,  /* ignored */
  bsdwVarVolumeName = 2, /* char* */
  bsdwVarPriority = 3,   /* int* */
  bsdwVarJobLevel = 4    /* int*, JobLevel code */
} bsdwVariable;

/*
 * bSdEventType: events the storage daemon core sends to
 * handlePluginEvent(), for those a plugin registered.
 */
typedef enum {
  bSdEventJobStart = 1,
  bSdEventJobEnd = 2,
  bSdEventDeviceInit = 3,
  bSdEventDeviceMount = 4,
  bSdEventVolumeLoad = 5,
  bSdEventDeviceReserve = 6,
  bSdEventDeviceOpen = 7,
  bSdEventLabelRead = 8,
  bSdEventLabelVerified = 9,
  bSdEventLabelWrite = 10,
  bSdEventDeviceClose = 11,
  bSdEventVolumeUnload = 12,
  bSdEventDeviceUnmount = 13,
  bSdEventReadError = 14,
  bSdEventWriteError = 15,
  bSdEventDriveStatus = 16,
  bSdEventVolumeStatus = 17,
  bSdEventSetupRecordTranslation = 18,
  bSdEventReadRecordTranslation = 19,
  bSdEventWriteRecordTranslation = 20,
  bSdEventDeviceRelease = 21,
  bSdEventNewPluginOptions = 22,
  bSdEventChangerLock = 23,
  bSdEventChangerUnlock = 24
} bSdEventType;

/* Highest storage daemon event number (events are 1 .. SD_NR_EVENTS);
 * PLUGIN_EVENT_COUNT is the storage daemon's own name for it. */
#define SD_NR_EVENTS 24
#define PLUGIN_EVENT_COUNT SD_NR_EVENTS

/* bSdEvent: the event descriptor the core passes to handlePluginEvent(). */
typedef struct bSdEvent {
  uint32_t eventType; /* a bSdEventType */
} bSdEvent;

/*
 * SdCoreFunctions: what a plugin may call in the storage daemon.  The core
 * owns the table and passes it to loadPlugin() (size = sizeof, version =
 * SD_PLUGIN_INTERFACE_VERSION).  Members 8-14 are for native storage
 * plugins; omsg is a reference parameter in the core, i.e. a pointer.
 * 120 bytes on x86-64.
 */
typedef struct SdCoreFunctions {
  uint32_t size;
  uint32_t version;
  /* varargs: nr_events uint32_t event numbers */
  bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events, ...);
  bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events, ...);
  bRC (*getInstanceCount)(PluginContext* ctx, int* ret);
  bRC (*getBareosValue)(PluginContext* ctx, bsdrVariable var, void* value);
  bRC (*setBareosValue)(PluginContext* ctx, bsdwVariable var, void* value);
  /* printf-style; type is a MessageType */
  bRC (*JobMessage)(PluginContext* ctx, const char* file, int line, int type,
                    utime_t mtime, const char* fmt, ...);
  /* printf-style; shown when the daemon debug level is >= level */
  bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line,
                      int level, const char* fmt, ...);
  char* (*EditDeviceCodes)(struct DeviceControlRecord* dcr, POOLMEM** omsg,
                           const char* imsg, const char* cmd);
  char* (*LookupCryptoKey)(const char* VolumeName);
  bool (*UpdateVolumeInfo)(struct DeviceControlRecord* dcr);
  void (*UpdateTapeAlert)(struct DeviceControlRecord* dcr, uint64_t flags);
  struct DeviceRecord* (*new_record)(bool with_data);
  void (*CopyRecordState)(struct DeviceRecord* dst, struct DeviceRecord* src);
  void (*FreeRecord)(struct DeviceRecord* rec);
} SdCoreFunctions;

/*
 * SdPluginFunctions: the entry points the storage daemon calls in a
 * plugin.  The plugin owns the table and returns it from loadPlugin().
 * 48 bytes on x86-64.
 */
typedef struct SdPluginFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*newPlugin)(PluginContext* ctx);
  bRC (*freePlugin)(PluginContext* ctx);
  bRC (*getPluginValue)(PluginContext* ctx, pVariable var, void* value);
  bRC (*setPluginValue)(PluginContext* ctx, pVariable var, void* value);
  bRC (*handlePluginEvent)(PluginContext* ctx, bSdEvent* event, void* value);
} SdPluginFunctions;

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_SD_H */
