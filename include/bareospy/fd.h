/*
 * bareospy/fd.h -- the file daemon side of the Bareos plugin ABI
 * (ABI contract, section 1.6): variables, events, I/O codes, the data
 * packets exchanged per file, and the two function tables.
 *
 * Layouts are C99 with the natural alignment of the platform; the sizes
 * and offsets quoted for x86-64 Linux are pinned by tests/abi/abi_test.c.
 * Windows differs (HANDLE instead of int filedes) and is not supported.
 */
#ifndef BAREOSPY_FD_H
#define BAREOSPY_FD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "bareospy/consts.h"
#include "bareospy/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Variables, events, I/O codes
 * ---------------------------------------------------------------------- */

/*
 * bVariable: what a plugin may read with getBareosValue() (and, for a few,
 * write with setBareosValue()).  The core fills the value; the comment
 * gives the C type it writes.  An int-sized enum.
 */
typedef enum {
  bVarJobId = 1,            /* int */
  bVarFDName = 2,           /* char* */
  bVarLevel = 3,            /* int, JobLevel code */
  bVarType = 4,             /* int, JobType code */
  bVarClient = 5,           /* char* */
  bVarJobName = 6,          /* char*, unique job name */
  bVarJobStatus = 7,        /* int, JobStatus code */
  bVarSinceTime = 8,        /* int */
  bVarAccurate = 9,         /* int, 0 or 1 */
  bVarFileSeen = 10,        /* write only: const char* file name */
  bVarVssClient = 11,       /* void*, Windows only */
  bVarWorkingDir = 12,      /* char* */
  bVarWhere = 13,           /* char* */
  bVarRegexWhere = 14,      /* char* */
  bVarExePath = 15,         /* char* */
  bVarVersion = 16,         /* const char* */
  bVarDistName = 17,        /* not provided by the core */
  bVarPrevJobName = 18,     /* char* */
  bVarPrefixLinks = 19,     /* int */
  bVarCheckChanges = 20,    /* bool, read and write */
  bVarUsedConfig = 21,      /* const char* */
  bVarPluginPath = 22,      /* const char* */
  bVarAccurateOptions = 23  /* uint64_t, bAccurateOption bits */
} bVariable;

/*
 * bEventType: events the file daemon core sends to handlePluginEvent(),
 * for those a plugin registered with registerBareosEvents().
 */
typedef enum {
  bEventJobStart = 1,
  bEventJobEnd = 2,
  bEventStartBackupJob = 3,
  bEventEndBackupJob = 4,
  bEventStartRestoreJob = 5,
  bEventEndRestoreJob = 6,
  bEventStartVerifyJob = 7,
  bEventEndVerifyJob = 8,
  bEventBackupCommand = 9,
  bEventRestoreCommand = 10,
  bEventEstimateCommand = 11,
  bEventLevel = 12,
  bEventSince = 13,
  bEventCancelCommand = 14,
  bEventRestoreObject = 15,
  bEventEndFileSet = 16,
  bEventPluginCommand = 17,
  bEventOptionPlugin = 18,
  bEventHandleBackupFile = 19,
  bEventNewPluginOptions = 20,
  bEventVssInitializeForBackup = 21,
  bEventVssInitializeForRestore = 22,
  bEventVssSetBackupState = 23,
  bEventVssPrepareForBackup = 24,
  bEventVssBackupAddComponents = 25,
  bEventVssPrepareSnapshot = 26,
  bEventVssCreateSnapshots = 27,
  bEventVssRestoreLoadComponentMetadata = 28,
  bEventVssRestoreSetComponentsSelected = 29,
  bEventVssCloseRestore = 30,
  bEventVssBackupComplete = 31
} bEventType;

/* Highest file daemon event number (events are 1 .. FD_NR_EVENTS). */
#define FD_NR_EVENTS 31

/* bEvent: the event descriptor the core passes to handlePluginEvent(). */
typedef struct bEvent {
  uint32_t eventType; /* a bEventType */
} bEvent;

/* bIoCode: io_pkt.func, the operation the core asks pluginIO() to do. */
typedef enum {
  IO_OPEN = 1,
  IO_READ = 2,
  IO_WRITE = 3,
  IO_CLOSE = 4,
  IO_SEEK = 5
} bIoCode;

/*
 * bIoStatus: special io_pkt.status values a plugin returns from IO_OPEN
 * (names as the Python layer spells them).
 */
typedef enum {
  iostat_error = -1,        /* the operation failed */
  iostat_do_in_plugin = 0,  /* success; the plugin does the I/O itself */
  iostat_do_in_core = 1     /* the plugin opened io_pkt.filedes; the core
                               does the reads or writes on it */
} bIoStatus;

/* "No file descriptor" value for io_pkt.filedes / restore_pkt.filedes. */
#define kInvalidFiledescriptor (-1)

/* ------------------------------------------------------------------------
 * Packets.  Each starts with pkt_size and ends with pkt_end, both set to
 * sizeof(the packet) by whoever creates it; nothing checks them.
 * ---------------------------------------------------------------------- */

/*
 * save_pkt: one file to back up.  The core creates it (fresh, with cmd,
 * flags and portable set) and passes it to startBackupFile() and with
 * bEventHandleBackupFile; the plugin fills in the file; checkChanges() and
 * AcceptFile() take it back.  240 bytes on x86-64.
 */
struct save_pkt {
  int32_t pkt_size;
  char* fname;              /* full path; must stay valid for the file */
  char* link;               /* link target, or "dir/" for FT_DIREND */
  struct stat statp;
  int32_t type;             /* FileType; 0 is invalid */
  char flags[FOPTS_BYTES];  /* FileSetOption bits */
  bool no_read;             /* true: no data to read */
  bool portable;            /* set by the core; unused since Bareos 25 */
  bool accurate_found;      /* written by checkChanges() */
  char* cmd;                /* the plugin string */
  time_t save_time;         /* reference time for checkChanges() */
  uint32_t delta_seq;
  char* object_name;        /* restore object: name */
  char* object;             /* restore object: data */
  int32_t object_len;
  int32_t index;            /* restore object: index */
  int32_t pkt_end;
};
typedef struct save_pkt save_pkt;

/*
 * restore_pkt: one file to restore.  Filled by the core and passed to
 * createFile() and setFileAttributes(); the plugin sets create_status
 * (and filedes for core-side I/O).  256 bytes on x86-64.
 */
struct restore_pkt {
  int32_t pkt_size;
  int32_t stream;              /* attribute stream id */
  int32_t data_stream;
  int32_t type;                /* FileType */
  int32_t file_index;
  int32_t LinkFI;
  uid_t uid;
  struct stat statp;
  const char* attrEx;
  const char* ofname;          /* output name, where/regexwhere applied */
  const char* olname;          /* output link name */
  const char* where;
  const char* RegexWhere;
  int replace;                 /* ReplaceMode */
  int create_status;           /* CreateStatus; the core presets CF_ERROR */
  uint32_t delta_seq;
  int filedes;                 /* the core presets kInvalidFiledescriptor */
  const char* original_file_name; /* name at backup time */
  const char* original_link_name;
  int32_t pkt_end;
};
typedef struct restore_pkt restore_pkt;

/*
 * io_pkt: one I/O request for pluginIO().  The core fills the request
 * fields; the plugin answers in status, io_errno, lerror (and filedes on
 * IO_OPEN).  80 bytes on x86-64.
 */
struct io_pkt {
  int32_t pkt_size;
  int32_t func;          /* bIoCode */
  int32_t count;         /* bytes to read, or bytes in buf to write */
  int32_t flags;         /* open(2) flags */
  mode_t mode;           /* open(2) mode */
  char* buf;             /* the core's data buffer */
  const char* fname;     /* file name, IO_OPEN only */
  int32_t status;        /* result: bytes done, or bIoStatus on IO_OPEN */
  int32_t io_errno;      /* errno on failure */
  int32_t lerror;        /* Windows error code */
  int32_t whence;        /* IO_SEEK */
  boffset_t offset;      /* IO_SEEK */
  bool win32;
  int filedes;           /* set by the plugin for iostat_do_in_core */
  int32_t pkt_end;
};
typedef struct io_pkt io_pkt;

/*
 * acl_pkt: ACL data for getAcl() (the plugin fills content with
 * malloc()ed memory the core frees) and setAcl() (the core owns content).
 * 40 bytes on x86-64.
 */
struct acl_pkt {
  int32_t pkt_size;
  const char* fname;
  uint32_t content_length;
  char* content;
  int32_t pkt_end;
};
typedef struct acl_pkt acl_pkt;

/*
 * xattr_pkt: one extended attribute for getXattr() (the plugin fills name
 * and value with malloc()ed memory the core frees) and setXattr() (the
 * core owns the buffers).  56 bytes on x86-64.
 */
struct xattr_pkt {
  int32_t pkt_size;
  const char* fname;
  uint32_t name_length;
  char* name;
  uint32_t value_length;
  char* value;
  int32_t pkt_end;
};
typedef struct xattr_pkt xattr_pkt;

/*
 * restore_object_pkt: a restore object sent by the director, passed with
 * bEventRestoreObject.  Filled entirely by the core.  64 bytes on x86-64.
 */
struct restore_object_pkt {
  int32_t pkt_size;
  char* object_name;
  char* object;              /* data, already decompressed */
  char* plugin_name;         /* plugin string stored with it; may be "" */
  int32_t object_type;       /* FileType */
  int32_t object_len;
  int32_t object_full_len;
  int32_t object_index;
  int32_t object_compression; /* 0 none, 1 zlib */
  int32_t stream;
  uint32_t JobId;
  int32_t pkt_end;
};
typedef struct restore_object_pkt restore_object_pkt;

/* ------------------------------------------------------------------------
 * Function tables
 * ---------------------------------------------------------------------- */

/*
 * FdCoreFunctions: what a plugin may call in the file daemon.  The core
 * owns the table and passes it to loadPlugin() (size = sizeof, version =
 * FD_PLUGIN_INTERFACE_VERSION).  176 bytes on x86-64.
 */
typedef struct FdCoreFunctions {
  uint32_t size;
  uint32_t version;
  /* varargs: nr_events uint32_t event numbers */
  bRC (*registerBareosEvents)(PluginContext* ctx, int nr_events, ...);
  bRC (*unregisterBareosEvents)(PluginContext* ctx, int nr_events, ...);
  bRC (*getInstanceCount)(PluginContext* ctx, int* ret);
  bRC (*getBareosValue)(PluginContext* ctx, bVariable var, void* value);
  bRC (*setBareosValue)(PluginContext* ctx, bVariable var,
                        const void* value);
  /* printf-style; type is a MessageType */
  bRC (*JobMessage)(PluginContext* ctx, const char* file, int line, int type,
                    utime_t mtime, const char* fmt, ...);
  /* printf-style; shown when the daemon debug level is >= level */
  bRC (*DebugMessage)(PluginContext* ctx, const char* file, int line,
                      int level, const char* fmt, ...);
  void* (*bareosMalloc)(PluginContext* ctx, const char* file, int line,
                        size_t size);
  void (*bareosFree)(PluginContext* ctx, const char* file, int line,
                     void* mem);
  /* FileSet building; valid only while the FileSet is being set up */
  bRC (*AddExclude)(PluginContext* ctx, const char* file);
  bRC (*AddInclude)(PluginContext* ctx, const char* file);
  bRC (*AddOptions)(PluginContext* ctx, const char* opts);
  bRC (*AddRegex)(PluginContext* ctx, const char* item, int type);
  bRC (*AddWild)(PluginContext* ctx, const char* item, int type);
  bRC (*NewOptions)(PluginContext* ctx);
  bRC (*NewInclude)(PluginContext* ctx);
  bRC (*NewPreInclude)(PluginContext* ctx);
  /* per-file checks against the previous backup / current FileSet */
  bRC (*checkChanges)(PluginContext* ctx, save_pkt* sp);
  bRC (*AcceptFile)(PluginContext* ctx, save_pkt* sp);
  bRC (*SetSeenBitmap)(PluginContext* ctx, bool all, char* fname);
  bRC (*ClearSeenBitmap)(PluginContext* ctx, bool all, char* fname);
} FdCoreFunctions;

/*
 * FdPluginFunctions: the entry points the file daemon calls in a plugin.
 * The plugin owns the table (normally static) and returns it from
 * loadPlugin().  checkFile, getAcl and getXattr may be NULL; the rest must
 * not.  144 bytes on x86-64.
 */
typedef struct FdPluginFunctions {
  uint32_t size;
  uint32_t version;
  bRC (*newPlugin)(PluginContext* ctx);
  bRC (*freePlugin)(PluginContext* ctx);
  bRC (*getPluginValue)(PluginContext* ctx, pVariable var, void* value);
  bRC (*setPluginValue)(PluginContext* ctx, pVariable var, void* value);
  bRC (*handlePluginEvent)(PluginContext* ctx, bEvent* event, void* value);
  bRC (*startBackupFile)(PluginContext* ctx, save_pkt* sp);
  bRC (*endBackupFile)(PluginContext* ctx);
  bRC (*startRestoreFile)(PluginContext* ctx, const char* cmd);
  bRC (*endRestoreFile)(PluginContext* ctx);
  bRC (*pluginIO)(PluginContext* ctx, io_pkt* io);
  bRC (*createFile)(PluginContext* ctx, restore_pkt* rp);
  bRC (*setFileAttributes)(PluginContext* ctx, restore_pkt* rp);
  bRC (*checkFile)(PluginContext* ctx, char* fname);
  bRC (*getAcl)(PluginContext* ctx, acl_pkt* ap);
  bRC (*setAcl)(PluginContext* ctx, acl_pkt* ap);
  bRC (*getXattr)(PluginContext* ctx, xattr_pkt* xp);
  bRC (*setXattr)(PluginContext* ctx, xattr_pkt* xp);
} FdPluginFunctions;

/*
 * The file daemon's own spelling of the two tables.  Code that includes
 * fd.h for another daemon can define BAREOSPY_NO_FD_SHORT_NAMES.
 */
#ifndef BAREOSPY_NO_FD_SHORT_NAMES
typedef FdCoreFunctions CoreFunctions;
typedef FdPluginFunctions PluginFunctions;
#endif

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_FD_H */
