/*
 * bareospy/bacula.h -- the embedding ABI of Bacula-style Python scripting
 * (docs/bacula-scripting.md; behaviour: the scripting contract, sections
 * 1-3).
 *
 * A C daemon that wants the old "Scripts Directory" scripting links (or
 * dlopen()s) libbareospy-bacula.so, installed in bareospy/plugins/, and
 *
 *   1. calls bareospy_bacula_start() once, after its configuration is read,
 *      with a description of itself (BaculaScriptingDaemon) and a table of
 *      callbacks (BaculaScriptingCallbacks): the library starts Python,
 *      appends the scripts directory to sys.path and imports DirStartUp,
 *      FDStartUp or SDStartUp;
 *   2. for each job, calls bareospy_bacula_job_start() with its own job
 *      pointer (any non-NULL value; the library hands it back to every
 *      callback) and keeps the handle it gets back; passes that handle to
 *      bareospy_bacula_job_event() at JobInit, JobRun, NewVolume and
 *      VolumePurged, and to bareospy_bacula_job_end() once, at the end (a
 *      NULL handle is accepted everywhere and does nothing);
 *   3. calls bareospy_bacula_exit() when it terminates, and (director)
 *      bareospy_bacula_restart() for the console command "python restart".
 *
 * The library answers the scripts' Job attribute reads, writes and method
 * calls through the callbacks.  It validates what a script writes (types,
 * ranges, VolumeName only during NewVolume, JobLevel only during JobInit,
 * legal volume names) before the daemon sees it.
 *
 * Threads: any daemon thread may call the entry points.  The library keeps
 * one process-wide recursive lock, so script code never runs in two threads
 * at once; callbacks run on the thread that called the entry point, with
 * that lock held.  A callback may call the entry points again on the same
 * thread (run_job creating a job calls bareospy_bacula_job_start()); it must
 * not wait for another thread that is calling into the library.
 *
 * Strings: every string crosses as NUL-terminated UTF-8.  What the daemon
 * returns from get_value must stay valid until get_value returns (the
 * library copies it at once); what the library passes to a callback is
 * valid during that call only.
 *
 * Sizes are pinned for x86-64 (LP64) by tests/bacula/c/bacula_abi_test.c.
 */
#ifndef BAREOSPY_BACULA_H
#define BAREOSPY_BACULA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: the `version` member of both tables. */
#define BACULA_SCRIPTING_VERSION 1

/* Which daemon embeds the library: decides the start-up module (DirStartUp,
 * FDStartUp, SDStartUp) and the Job object's attributes and methods. */
typedef enum {
  BaculaDaemonDirector = 1,
  BaculaDaemonFile = 2,
  BaculaDaemonStorage = 3
} BaculaDaemonKind;

/* The job events, called by name on the object a script gave to
 * job.set_events().  The director sends all four; the FD and SD none. */
typedef enum {
  BaculaEventJobInit = 1,     /* set-up done, before queueing; JobLevel writable */
  BaculaEventJobRun = 2,      /* job thread, status R, before contacting SD/FD */
  BaculaEventNewVolume = 3,   /* a new volume is needed; VolumeName writable */
  BaculaEventVolumePurged = 4 /* a volume was purged for this job */
} BaculaJobEvent;

/* Message types of the `message` callback. */
typedef enum {
  BaculaMessageInfo = 1,    /* job.write, JobReport, bacula.write, print */
  BaculaMessageWarning = 2,
  BaculaMessageError = 3,   /* "Could not import Python script ...", ... */
  BaculaMessageDebug = 4    /* tracing; a daemon may drop it */
} BaculaMessageType;

/* What bareospy_bacula_start() and bareospy_bacula_restart() return. */
typedef enum {
  BaculaScriptingFatal = -1,   /* Python could not start (sys.path set-up failed) */
  BaculaScriptingEnabled = 0,  /* the start-up module was imported */
  BaculaScriptingDisabled = 1  /* no scripts directory, or the import failed
                                  (already reported): the daemon runs on */
} BaculaScriptingState;

/*
 * The Job attributes the library asks the daemon for (get_value) or hands
 * to it (set_value).  Which ones a script may read or write per daemon is
 * decided by the library (contract section 2.2); the daemon answers those
 * of its kind.  Value kinds: S = string, I = integer, C = one-character
 * code given as an integer (0 = none), R = catalog resource.
 */
typedef enum {
  BaculaAttrJob = 1,          /* S  Job resource name (dir, sd) */
  BaculaAttrJobName = 2,      /* S  unique job name */
  BaculaAttrJobId = 3,        /* I */
  BaculaAttrLevel = 4,        /* C  level code: 'F', 'I', 'D', 'S', 'f', 'B', 'C', 'V', 'O', 'd', 'A', ' ' */
  BaculaAttrType = 5,         /* C  type code: 'B', 'V', 'R', 'D', 'g', 'c', 'A', 'U', 'I', 'S', 'M', 'C' */
  BaculaAttrJobStatus = 6,    /* C  job status code ('C', 'R', 'T', ...) */
  BaculaAttrClient = 7,       /* S */
  BaculaAttrPool = 8,         /* S  (sd: NULL when no device is reserved) */
  BaculaAttrNumVols = 9,      /* I  volumes in the pool, from the catalog */
  BaculaAttrStorage = 10,     /* S  write storage, else read storage */
  BaculaAttrMediaType = 11,   /* S */
  BaculaAttrCatalog = 12,     /* S  catalog resource name */
  BaculaAttrCatalogRes = 13,  /* R */
  BaculaAttrPriority = 14,    /* I  read; set_value: 1..100 */
  BaculaAttrVolumeName = 15,  /* S  read; set_value during NewVolume only */
  BaculaAttrJobLevel = 16,    /* C  set_value during JobInit only: the new level code */
  BaculaAttrJobErrors = 17,   /* I */
  BaculaAttrJobFiles = 18,    /* I */
  BaculaAttrSDJobFiles = 19,  /* I */
  BaculaAttrSDErrors = 20,    /* I */
  BaculaAttrFDJobStatus = 21, /* C */
  BaculaAttrSDJobStatus = 22, /* C */
  BaculaAttrFDName = 23,      /* S  the FD's own name (fd) */
  BaculaAttrSDName = 24,      /* S  the SD's own name (sd) */
  BaculaAttrDevice = 25       /* S  reserved device (sd; NULL when none) */
} BaculaAttribute;

/* The kind of a BaculaValue. */
typedef enum {
  BaculaValueNone = 0,    /* Python None */
  BaculaValueInteger = 1, /* `integer` */
  BaculaValueString = 2,  /* `string` (NULL means None) */
  BaculaValueCatalog = 3  /* `catalog` */
} BaculaValueKind;

/* The catalog resource (CatalogRes): NULL strings read as None.  56 bytes. */
typedef struct BaculaCatalogResource {
  const char* db_name;
  const char* db_address;
  const char* db_user;
  const char* db_password;
  const char* db_socket;
  int64_t db_port;
  const char* db_type; /* "SQLite3", "MySQL", "PostgreSQL", ... */
} BaculaCatalogResource;

/* One attribute value.  get_value receives it zeroed (kind None) and fills
 * it; on failure it may point `string` at the text of the AttributeError
 * the script gets.  32 bytes. */
typedef struct BaculaValue {
  int32_t kind; /* BaculaValueKind */
  int32_t reserved;
  int64_t integer;
  const char* string;
  const BaculaCatalogResource* catalog;
} BaculaValue;

/*
 * What the daemon tells the library about itself.  The strings are copied
 * by bareospy_bacula_start().  56 bytes.
 */
typedef struct BaculaScriptingDaemon {
  uint32_t size;    /* sizeof(BaculaScriptingDaemon) */
  uint32_t version; /* BACULA_SCRIPTING_VERSION */
  int32_t kind;     /* BaculaDaemonKind */
  int32_t reserved;
  const char* name;        /* bacula.Name: the daemon's resource name */
  const char* daemon_version; /* bacula.Version: "<version> <build date>" */
  const char* config_file; /* bacula.ConfigFile */
  const char* working_dir; /* bacula.WorkingDir */
  const char* scripts_dir; /* Scripts Directory; NULL or "" disables Python */
} BaculaScriptingDaemon;

/*
 * The daemon's callbacks.  `job` is the daemon's pointer given to
 * bareospy_bacula_job_start(), or NULL for daemon-level calls (message).
 * 56 bytes.
 */
typedef struct BaculaScriptingCallbacks {
  uint32_t size;    /* sizeof(BaculaScriptingCallbacks) */
  uint32_t version; /* BACULA_SCRIPTING_VERSION */
  /* Read an attribute: 0 = `value` filled; non-zero = not available (the
   * script gets AttributeError, with value->string as its text if set). */
  int (*get_value)(void* job, BaculaAttribute attribute, BaculaValue* value);
  /* Write a validated attribute (Priority, VolumeName, JobLevel): 0 =
   * accepted; non-zero = refused (the script gets RuntimeError). */
  int (*set_value)(void* job, BaculaAttribute attribute, const BaculaValue* value);
  /* job.run(command) (director): run a console "run" command line in batch
   * mode; the new JobId, or 0 if no job was started.  The new job's
   * bareospy_bacula_job_start() (and JobInit event) happen inside this call,
   * on this thread.  Replies for the console go to message(job, Info, ...). */
  int64_t (*run_job)(void* job, const char* command);
  /* job.cancel(jobid) (director): 0 = cancelled; non-zero = no such running
   * job (the script gets ValueError). */
  int (*cancel_job)(void* job, int64_t job_id);
  /* job.DoesVolumeExist(name) (director): 1 if the catalog has a volume of
   * that name in any pool, 0 if not, negative on a catalog error. */
  int (*volume_exists)(void* job, const char* volume_name);
  /* One message, text verbatim (no newline added): to the job's log when
   * `job` is non-NULL, else to the daemon's messages. */
  void (*message)(void* job, BaculaMessageType type, const char* text);
} BaculaScriptingCallbacks;

/* A job's scripting state, owned by the library: created by
 * bareospy_bacula_job_start(), freed by bareospy_bacula_job_end(). */
typedef struct BaculaScriptJob BaculaScriptJob;

/* Daemon start (section 1.2): copy `daemon`, keep `callbacks` (it must stay
 * valid until the process exits), start Python and import the start-up
 * module.  Import failures are reported through `message` ("Could not
 * import Python script <dir>/<Module>. Python disabled.") and the traceback
 * goes to stderr. */
BaculaScriptingState bareospy_bacula_start(const BaculaScriptingDaemon* daemon,
                                           const BaculaScriptingCallbacks* callbacks);

/* Job start: creates the Job object and calls the script's JobStart.
 * NULL when the job gets no Job object (Python disabled, no JobStart
 * handler); the daemon then need not call anything else for it. */
BaculaScriptJob* bareospy_bacula_job_start(void* job);

/* A job event: calls the method of that name on the job's events object. */
void bareospy_bacula_job_event(BaculaScriptJob* script_job, BaculaJobEvent event);

/* Job end: calls the script's JobEnd, makes the Job object inert (a script
 * that kept it gets RuntimeError on attribute access) and frees
 * `script_job`.  Call it exactly once per non-NULL handle. */
void bareospy_bacula_job_end(BaculaScriptJob* script_job);

/* Daemon exit: calls the script's Exit (errors ignored). */
void bareospy_bacula_exit(void);

/* "python restart" (director): detach the jobs in flight (they get no
 * further events; their handles stay valid for job_end), forget every
 * registration and import the start-up module again from disk, with the
 * daemon description and callbacks of bareospy_bacula_start(). */
BaculaScriptingState bareospy_bacula_restart(void);

/* The same entry points as one table, for a daemon that dlopen()s the
 * library and wants a single dlsym("bareospy_bacula_entry_points").
 * 56 bytes. */
typedef struct BaculaScriptingEntryPoints {
  uint32_t size;
  uint32_t version;
  BaculaScriptingState (*start)(const BaculaScriptingDaemon* daemon,
                                const BaculaScriptingCallbacks* callbacks);
  BaculaScriptJob* (*job_start)(void* job);
  void (*job_event)(BaculaScriptJob* script_job, BaculaJobEvent event);
  void (*job_end)(BaculaScriptJob* script_job);
  void (*exit)(void);
  BaculaScriptingState (*restart)(void);
} BaculaScriptingEntryPoints;

const BaculaScriptingEntryPoints* bareospy_bacula_entry_points(void);

#ifdef __cplusplus
}
#endif

#endif /* BAREOSPY_BACULA_H */
