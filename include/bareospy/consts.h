/*
 * bareospy/consts.h -- numeric constants of the Bareos plugin ABI that are
 * not tied to one daemon: file types, create status, message types, job
 * levels, types and status codes, accurate options, FileSet option bits and
 * restore replace codes (ABI contract, sections 1.6.7 and 1.9).
 *
 * All values are fixed by the on-tape and on-wire formats: never renumber.
 */
#ifndef BAREOSPY_CONSTS_H
#define BAREOSPY_CONSTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * FileType: the FT_* code of a file.  Set by the core when it walks the
 * disk, by a backup plugin in save_pkt.type, and by the core in
 * restore_pkt.type / restore_object_pkt.object_type.
 */
typedef enum {
  FT_LNKSAVED = 1,   /* hard link whose data is already saved */
  FT_REGE = 2,       /* empty regular file */
  FT_REG = 3,        /* regular file */
  FT_LNK = 4,        /* symbolic link */
  FT_DIREND = 5,     /* directory, after its contents */
  FT_SPEC = 6,       /* special file: device, fifo, socket */
  FT_NOACCESS = 7,   /* not accessible */
  FT_NOFOLLOW = 8,   /* link could not be followed */
  FT_NOSTAT = 9,     /* stat() failed */
  FT_NOCHG = 10,     /* unchanged since the last backup */
  FT_DIRNOCHG = 11,  /* directory unchanged */
  FT_ISARCH = 12,    /* file is the archive itself */
  FT_NORECURSE = 13, /* recursion disabled */
  FT_NOFSCHG = 14,   /* would cross a file system boundary */
  FT_NOOPEN = 15,    /* directory could not be opened */
  FT_RAW = 16,       /* raw block device */
  FT_FIFO = 17,      /* fifo, data saved */
  FT_DIRBEGIN = 18,  /* directory, before its contents */
  FT_INVALIDFS = 19, /* file system not allowed */
  FT_INVALIDDT = 20, /* drive type not allowed */
  FT_REPARSE = 21,   /* Windows reparse point */
  FT_PLUGIN = 22,    /* produced by a plugin */
  FT_DELETED = 23,   /* deleted since the last backup */
  FT_BASE = 24,      /* unchanged since the base job */
  FT_RESTORE_FIRST = 25,       /* restore object, restored first */
  FT_JUNCTION = 26,            /* Windows junction */
  FT_PLUGIN_CONFIG = 27,       /* plugin configuration object */
  FT_PLUGIN_CONFIG_FILLED = 28 /* plugin configuration object, filled in */
} FileType;

/* No file type yet; also the mask that extracts a type from a wider int. */
#define FT_UNSET 0xFFFF
#define FT_MASK 0xFFFF

/*
 * CreateStatus: the CF_* answer a restore plugin writes into
 * restore_pkt.create_status from createFile().
 */
typedef enum {
  CF_SKIP = 1,    /* skip this file */
  CF_ERROR = 2,   /* error */
  CF_EXTRACT = 3, /* created; data follows through pluginIO */
  CF_CREATED = 4, /* created; no data follows */
  CF_CORE = 5     /* let the core create the file */
} CreateStatus;

/*
 * MessageType: the M_* "type" argument of JobMessage(), chosen by the
 * caller.  M_FATAL fails the job, M_ERROR marks it "with errors".
 */
typedef enum {
  M_ABORT = 1,
  M_DEBUG = 2,
  M_FATAL = 3,
  M_ERROR = 4,
  M_WARNING = 5,
  M_INFO = 6,
  M_SAVED = 7,
  M_NOTSAVED = 8,
  M_SKIPPED = 9,
  M_MOUNT = 10,
  M_ERROR_TERM = 11,
  M_TERM = 12,
  M_RESTORED = 13,
  M_SECURITY = 14,
  M_ALERT = 15,
  M_VOLMGMT = 16,
  M_AUDIT = 17,
  M_CONFIG_ERROR = 18
} MessageType;

/*
 * JobLevel: the job level as a character code.  The core reports it
 * through the *VarLevel variables and bEventLevel.
 */
typedef enum {
  L_FULL = 'F',
  L_INCREMENTAL = 'I',
  L_DIFFERENTIAL = 'D',
  L_SINCE = 'S',
  L_VERIFY_CATALOG = 'C',
  L_VERIFY_INIT = 'V',
  L_VERIFY_VOLUME_TO_CATALOG = 'O',
  L_VERIFY_DISK_TO_CATALOG = 'd',
  L_VERIFY_DATA = 'A',
  L_BASE = 'B',
  L_NONE = ' ',
  L_VIRTUAL_FULL = 'f'
} JobLevel;

/*
 * JobType: the job type as a character code, reported by the core through
 * the *VarType variables.
 */
typedef enum {
  JT_BACKUP = 'B',
  JT_MIGRATED_JOB = 'M',
  JT_VERIFY = 'V',
  JT_RESTORE = 'R',
  JT_CONSOLE = 'U',
  JT_SYSTEM = 'I',
  JT_ADMIN = 'D',
  JT_ARCHIVE = 'A',
  JT_JOB_COPY = 'C',
  JT_COPY = 'c',
  JT_MIGRATE = 'g',
  JT_SCAN = 'S',
  JT_CONSOLIDATE = 'O'
} JobType;

/*
 * JobStatus: the job status as a character code, reported by the core
 * through the *VarJobStatus variables.
 */
typedef enum {
  JS_Canceled = 'A',
  JS_Blocked = 'B',
  JS_Created = 'C',
  JS_Differences = 'D',
  JS_ErrorTerminated = 'E',
  JS_WaitFD = 'F',
  JS_Incomplete = 'I',
  JS_DataCommitting = 'L',
  JS_WaitMount = 'M',
  JS_Running = 'R',
  JS_WaitSD = 'S',
  JS_Terminated = 'T',
  JS_Warnings = 'W',
  JS_AttrDespooling = 'a',
  JS_WaitClientRes = 'c',
  JS_WaitMaxJobs = 'd',
  JS_Error = 'e',
  JS_FatalError = 'f',
  JS_AttrInserting = 'i',
  JS_WaitJobRes = 'j',
  JS_DataDespooling = 'l',
  JS_WaitMedia = 'm',
  JS_WaitPriority = 'p',
  JS_WaitDevice = 'q',
  JS_WaitStoreRes = 's',
  JS_WaitStartTime = 't'
} JobStatus;

/*
 * bAccurateOption: bits of the uint64_t accurate mask the FD core returns
 * for bVarAccurateOptions (FileSet "accurate=" letter in the comment).
 */
typedef enum {
  bAccurateOptionInode = 1,          /* i */
  bAccurateOptionPermissions = 2,    /* p */
  bAccurateOptionNlink = 4,          /* n */
  bAccurateOptionUid = 8,            /* u */
  bAccurateOptionGid = 16,           /* g */
  bAccurateOptionSize = 32,          /* s */
  bAccurateOptionAtime = 64,         /* a */
  bAccurateOptionMtime = 128,        /* m */
  bAccurateOptionCtime = 256,        /* c */
  bAccurateOptionSizeDecrease = 512, /* d */
  bAccurateOptionAlways = 1024,      /* A */
  bAccurateOptionMD5 = 2048,         /* 5 */
  bAccurateOptionSha1 = 4096         /* 1 */
} bAccurateOption;

/* Core-internal marker bit (63) in the accurate mask; never reported. */
#define ACCURATE_OPTIONS_WERE_INITIALIZED (UINT64_C(1) << 63)

/* The accurate mask used when the FileSet sets none: "mcs". */
#define ACCURATE_DEFAULT_OPTIONS                                  \
  ((uint64_t)(bAccurateOptionMtime | bAccurateOptionCtime | \
              bAccurateOptionSize))

/*
 * FileSetOption: bit NUMBERS (not masks) in the FileSet option bitmap,
 * e.g. save_pkt.flags.  Bit n lives in byte n >> 3 under mask 1 << (n & 7).
 */
typedef enum {
  FO_PORTABLE_DATA = 0,
  FO_MD5 = 1,
  FO_COMPRESS = 2,
  FO_NO_RECURSION = 3,
  FO_MULTIFS = 4,
  FO_SPARSE = 5,
  FO_IF_NEWER = 6,
  FO_NOREPLACE = 7,
  FO_READFIFO = 8,
  FO_SHA1 = 9,
  FO_PORTABLE = 10,
  FO_MTIMEONLY = 11,
  FO_KEEPATIME = 12,
  FO_EXCLUDE = 13,
  FO_ACL = 14,
  FO_NO_HARDLINK = 15,
  FO_IGNORECASE = 16,
  FO_HFSPLUS = 17,
  FO_WIN32DECOMP = 18,
  FO_SHA256 = 19,
  FO_SHA512 = 20,
  FO_ENCRYPT = 21,
  FO_NOATIME = 22,
  FO_ENHANCEDWILD = 23,
  FO_CHKCHANGES = 24,
  FO_STRIPPATH = 25,
  FO_HONOR_NODUMP = 26,
  FO_XATTR = 27,
  FO_DELTA = 28,
  FO_PLUGIN = 29,
  FO_OFFSETS = 30,
  FO_NO_AUTOEXCL = 31,
  FO_FORCE_ENCRYPT = 32,
  FO_XXH128 = 33
} FileSetOption;

/* Highest FileSet option bit number (a macro so it works in #if). */
#define FO_MAX 33

/* Bytes in a FileSet option bitmap: enough for bits 0 .. FO_MAX (= 5). */
#define FOPTS_BYTES (((FO_MAX + 1 - 1) >> 3) + 1)

/*
 * ReplaceMode: restore_pkt.replace, the Restore job's "Replace" setting,
 * as a character code.  Filled by the core.
 */
typedef enum {
  REPLACE_ALWAYS = 'a',
  REPLACE_IFNEWER = 'w',
  REPLACE_NEVER = 'n',
  REPLACE_IFOLDER = 'o'
} ReplaceMode;

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_CONSTS_H */
