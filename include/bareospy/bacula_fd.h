/*
 * bareospy/bacula_fd.h -- the file daemon plugin interface of Bacula 9.6
 * (interface version 14, the one Debian's bacula-fd 9.6.7 speaks), written
 * from the facts of section 5 of the Bacula scripting specification: names,
 * numbers and layouts only.
 *
 * Everything here carries a Bacula prefix (BaculaFd..., bacula_..., bcVar,
 * bcEvent) so that one file can include it together with bareospy/fd.h:
 * the Bacula adapter (embed/plugin/bacula_fd.c) translates between the two.
 * Where Bacula agrees with Bareos the shared types are reused: bRC (same
 * values), PluginApiDefinition (same 8-byte header), the FT_/CF_/M_/IO_
 * codes and struct stat.  Sizes and offsets are for x86-64 Linux (LP64)
 * and pinned by the _Static_asserts at the end.
 */
#ifndef BAREOSPY_BACULA_FD_H
#define BAREOSPY_BACULA_FD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "bareospy/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What bacula-fd 9.6 checks after loadPlugin (section 5.2 item 4). */
#define BACULA_FD_INTERFACE_VERSION 14
#define BACULA_FD_PLUGIN_MAGIC "*FDPluginData*"
/* One of the three licence strings the daemon accepts, compared exactly. */
#define BACULA_PLUGIN_LICENSE "AGPLv3"

/*
 * BaculaContext: one plugin instance (one per plugin per job; the daemon
 * allocates them as one array per job).  16 bytes.
 */
typedef struct BaculaContext {
  void* core_private;   /* the daemon's; never touch */
  void* plugin_private; /* the plugin's; NULL at creation */
} BaculaContext;

/* BaculaPluginInfo: the plugin's identity card (56 bytes; no usage text). */
typedef struct BaculaPluginInfo {
  uint32_t size;        /* must be sizeof(BaculaPluginInfo) */
  uint32_t version;     /* BACULA_FD_INTERFACE_VERSION */
  const char* magic;
  const char* license;
  const char* author;
  const char* date;
  const char* version_string;
  const char* description;
} BaculaPluginInfo;

/* Variables of getBaculaValue()/setBaculaValue() (section 5.2 item 9). */
typedef enum {
  bcVarJobId = 1,
  bcVarFDName = 2,
  bcVarLevel = 3,
  bcVarType = 4,
  bcVarClient = 5,
  bcVarJobName = 6,
  bcVarJobStatus = 7,
  bcVarSinceTime = 8,
  bcVarAccurate = 9,
  bcVarFileSeen = 10,
  bcVarVssObject = 11,
  bcVarVssDllHandle = 12,
  bcVarWorkingDir = 13,
  bcVarWhere = 14,
  bcVarRegexWhere = 15,
  bcVarExePath = 16,
  bcVarVersion = 17,
  bcVarDistName = 18,
  bcVarReserved = 19,
  bcVarPrevJobName = 20,
  bcVarPrefixLinks = 21,
  bcVarInteractiveSession = 22,
  bcVarFileIndex = 23,
  bcVarReplace = 24
} BaculaFdVariable;

/* Events (section 5.2 item 8); 1-14 are numbered as in Bareos. */
typedef enum {
  bcEventJobStart = 1,
  bcEventJobEnd = 2,
  bcEventStartBackupJob = 3,
  bcEventEndBackupJob = 4,
  bcEventStartRestoreJob = 5,
  bcEventEndRestoreJob = 6,
  bcEventStartVerifyJob = 7,
  bcEventEndVerifyJob = 8,
  bcEventBackupCommand = 9,
  bcEventRestoreCommand = 10,
  bcEventEstimateCommand = 11,
  bcEventLevel = 12,
  bcEventSince = 13,
  bcEventCancelCommand = 14,
  bcEventVssBackupAddComponents = 15,
  bcEventVssRestoreLoadComponentMetadata = 16,
  bcEventVssRestoreSetComponentsSelected = 17,
  bcEventRestoreObject = 18,
  bcEventEndFileSet = 19,
  bcEventPluginCommand = 20,
  bcEventVssBeforeCloseRestore = 21,
  bcEventVssPrepareSnapshot = 22,
  bcEventOptionPlugin = 23,
  bcEventHandleBackupFile = 24,
  bcEventComponentInfo = 25,
  bcEventFeatures = 26
} BaculaFdEventType;

/* The highest Bacula FD event number. */
#define BACULA_FD_NR_EVENTS 26

/* The event descriptor passed to handlePluginEvent(). */
typedef struct BaculaEvent {
  uint32_t eventType;
} BaculaEvent;

/*
 * bacula_save_pkt: one file to back up (startBackupFile, checkChanges,
 * AcceptFile, the HandleBackupFile event).  Unlike Bareos: the FileSet
 * options are a 64-bit mask (bit n = option n), there is no save_time, and
 * LinkFI follows index.  240 bytes.
 */
typedef struct bacula_save_pkt {
  int32_t pkt_size;
  char* fname;
  char* link;
  struct stat statp;
  int32_t type;
  uint64_t flags;
  bool no_read;
  bool portable;
  bool accurate_found;
  char* cmd;
  uint32_t delta_seq;
  char* object_name;
  char* object;
  int32_t object_len;
  int32_t index;
  int32_t LinkFI;
  int32_t pkt_end;
} bacula_save_pkt;

/*
 * bacula_restore_pkt: one file to restore (createFile, setFileAttributes).
 * The Bareos packet up to delta_seq; no filedes nor original names.  232
 * bytes.
 */
typedef struct bacula_restore_pkt {
  int32_t pkt_size;
  int32_t stream;
  int32_t data_stream;
  int32_t type;
  int32_t file_index;
  int32_t LinkFI;
  uid_t uid;
  struct stat statp;
  const char* attrEx;
  const char* ofname;
  const char* olname;
  const char* where;
  const char* RegexWhere;
  int replace;
  int create_status;
  uint32_t delta_seq;
  int32_t pkt_end;
} bacula_restore_pkt;

/*
 * bacula_io_pkt: one I/O request for pluginIO().  No filedes: the daemon
 * knows no "do the I/O in the core" answer, status is a byte count (or,
 * after IO_OPEN, >= 0 for success).  72 bytes.
 */
typedef struct bacula_io_pkt {
  int32_t pkt_size;
  int32_t func;
  int32_t count;
  int32_t flags;
  mode_t mode;
  char* buf;
  const char* fname;
  int32_t status;
  int32_t io_errno;
  int32_t lerror;
  int32_t whence;
  int64_t offset;
  bool win32;
  int32_t pkt_end;
} bacula_io_pkt;

/* handleXACLdata() operations (bacula_xacl_pkt.func). */
typedef enum {
  BACULA_ACL_BACKUP = 1,
  BACULA_ACL_RESTORE = 2,
  BACULA_XATTR_BACKUP = 3,
  BACULA_XATTR_RESTORE = 4
} BaculaXaclFunc;

/* bacula_xacl_pkt: one opaque ACL or xattr blob per stream.  32 bytes. */
typedef struct bacula_xacl_pkt {
  int32_t pkt_size;
  int32_t func;      /* BaculaXaclFunc */
  uint32_t count;    /* bytes in content */
  char* content;
  int32_t pkt_end;
} bacula_xacl_pkt;

/* checkStream()'s packet: only passed through, never read here. */
struct bacula_stream_pkt;

/*
 * BaculaFdCoreFunctions: what a plugin may call in bacula-fd (2 x u32 + 17
 * pointers = 144 bytes).  registerBaculaEvents takes a 0-terminated list of
 * event numbers and changes nothing: every plugin gets every event.
 */
typedef struct BaculaFdCoreFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*registerBaculaEvents)(BaculaContext* ctx, ...);
  bRC (*getBaculaValue)(BaculaContext* ctx, BaculaFdVariable var, void* value);
  bRC (*setBaculaValue)(BaculaContext* ctx, BaculaFdVariable var, void* value);
  bRC (*JobMessage)(BaculaContext* ctx, const char* file, int line, int type, utime_t mtime,
                    const char* fmt, ...);
  bRC (*DebugMessage)(BaculaContext* ctx, const char* file, int line, int level,
                      const char* fmt, ...);
  void* (*baculaMalloc)(BaculaContext* ctx, const char* file, int line, size_t size);
  void (*baculaFree)(BaculaContext* ctx, const char* file, int line, void* mem);
  bRC (*AddExclude)(BaculaContext* ctx, const char* file);
  bRC (*AddInclude)(BaculaContext* ctx, const char* file);
  bRC (*AddOptions)(BaculaContext* ctx, const char* opts);
  bRC (*AddRegex)(BaculaContext* ctx, const char* item, int type);
  bRC (*AddWild)(BaculaContext* ctx, const char* item, int type);
  bRC (*NewOptions)(BaculaContext* ctx);
  bRC (*NewInclude)(BaculaContext* ctx);
  bRC (*NewPreInclude)(BaculaContext* ctx);
  bRC (*checkChanges)(BaculaContext* ctx, bacula_save_pkt* sp);
  bRC (*AcceptFile)(BaculaContext* ctx, bacula_save_pkt* sp);
} BaculaFdCoreFunctions;

/*
 * BaculaFdPluginFunctions: the entry points bacula-fd calls (2 x u32 + 15
 * pointers = 128 bytes).  The first 13 match Bareos' in order and
 * arguments; then ACL/xattr as one call, and checkStream.
 */
typedef struct BaculaFdPluginFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*newPlugin)(BaculaContext* ctx);
  bRC (*freePlugin)(BaculaContext* ctx);
  bRC (*getPluginValue)(BaculaContext* ctx, pVariable var, void* value);
  bRC (*setPluginValue)(BaculaContext* ctx, pVariable var, void* value);
  bRC (*handlePluginEvent)(BaculaContext* ctx, BaculaEvent* event, void* value);
  bRC (*startBackupFile)(BaculaContext* ctx, bacula_save_pkt* sp);
  bRC (*endBackupFile)(BaculaContext* ctx);
  bRC (*startRestoreFile)(BaculaContext* ctx, const char* cmd);
  bRC (*endRestoreFile)(BaculaContext* ctx);
  bRC (*pluginIO)(BaculaContext* ctx, bacula_io_pkt* io);
  bRC (*createFile)(BaculaContext* ctx, bacula_restore_pkt* rp);
  bRC (*setFileAttributes)(BaculaContext* ctx, bacula_restore_pkt* rp);
  bRC (*checkFile)(BaculaContext* ctx, char* fname);
  bRC (*handleXACLdata)(BaculaContext* ctx, bacula_xacl_pkt* xacl);
  bRC (*checkStream)(BaculaContext* ctx, struct bacula_stream_pkt* sp);
} BaculaFdPluginFunctions;

/* Layout pins: the numbers of section 5 of the spec (x86-64 Linux). */
#if defined(__x86_64__) && defined(__linux__)
_Static_assert(sizeof(BaculaContext) == 16, "BaculaContext is 16 bytes");
_Static_assert(offsetof(BaculaContext, plugin_private) == 8, "private pointer at +8");
_Static_assert(sizeof(BaculaPluginInfo) == 56, "bacula-fd checks pInfo size 56");
_Static_assert(sizeof(BaculaFdCoreFunctions) == 144, "bFuncs: 2 x u32 + 17 pointers");
_Static_assert(sizeof(BaculaFdPluginFunctions) == 128, "pFuncs: 2 x u32 + 15 pointers");
_Static_assert(offsetof(bacula_save_pkt, fname) == 8, "save_pkt.fname");
_Static_assert(offsetof(bacula_save_pkt, statp) == 24, "save_pkt.statp");
_Static_assert(offsetof(bacula_save_pkt, type) == 168, "save_pkt.type");
_Static_assert(offsetof(bacula_save_pkt, flags) == 176, "save_pkt.flags");
_Static_assert(offsetof(bacula_save_pkt, no_read) == 184, "save_pkt bools");
_Static_assert(offsetof(bacula_save_pkt, cmd) == 192, "save_pkt.cmd");
_Static_assert(offsetof(bacula_save_pkt, delta_seq) == 200, "save_pkt.delta_seq");
_Static_assert(offsetof(bacula_save_pkt, index) == 228, "save_pkt.index");
_Static_assert(offsetof(bacula_save_pkt, LinkFI) == 232, "save_pkt.LinkFI");
_Static_assert(offsetof(bacula_save_pkt, pkt_end) == 236, "save_pkt.pkt_end");
_Static_assert(sizeof(bacula_save_pkt) == 240, "save_pkt is 240 bytes");
_Static_assert(offsetof(bacula_restore_pkt, delta_seq) == 224, "restore_pkt.delta_seq");
_Static_assert(sizeof(bacula_restore_pkt) == 232, "restore_pkt is 232 bytes");
_Static_assert(offsetof(bacula_io_pkt, status) == 40, "io_pkt.status");
_Static_assert(offsetof(bacula_io_pkt, offset) == 56, "io_pkt.offset");
_Static_assert(offsetof(bacula_io_pkt, pkt_end) == 68, "io_pkt.pkt_end");
_Static_assert(sizeof(bacula_io_pkt) == 72, "io_pkt is 72 bytes");
#endif

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_BACULA_FD_H */
