/* core.h -- the file daemon core of bareospy-fd: the CoreFunctions table
 * plugins call, the state of a job and of each plugin instance, event
 * dispatch (spec §1.5) and job messages. */
#ifndef BAREOSPY_HOST_CORE_H
#define BAREOSPY_HOST_CORE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "archive.h"
#include "bareospy/fd.h"
#include "host.h"
#include "plugins.h"
#include "kit/events.h"
#include "kit/messages.h"
#include "kit/util.h"

typedef enum { JOB_BACKUP, JOB_RESTORE, JOB_ESTIMATE } JobKind;

struct Job;

/* One plugin instance of one job (one PluginContext). */
typedef struct Instance {
  PluginContext ctx;   /* ctx.core_private_context points back here */
  LoadedPlugin* plugin;
  struct Job* job;
  EventMask events;    /* bit n: event n registered */
  bool disabled;       /* newPlugin failed */
  bool check_changes;  /* bVarCheckChanges */
  bool restore_started;/* startRestoreFile succeeded, endRestoreFile pending */
} Instance;

typedef struct JobMessage {
  int type;
  char* text;
  struct JobMessage* next;
} JobMessage;


typedef struct Job {
  const JobOptions* options;
  JobKind kind;
  uint32_t id;
  char* name;              /* unique job name NAME.YYYY-MM-DD_HH.MM.SS_NN */
  char type;               /* JT_BACKUP / JT_RESTORE */
  char level;              /* L_* */
  volatile char status;    /* JS_* */
  time_t start_time, end_time;
  double start_clock;
  time_t since;
  time_t full_start_time;  /* start of the last Full (for Differential) */
  char* previous_job_name;
  bool accurate;
  uint64_t accurate_options;
  char* where;
  char* regexwhere;
  bool prefix_links;
  char* working_dir;
  bool own_working_dir;
  char fileset_flags[FOPTS_BYTES];

  Instance* instances;
  int n_instances;

  /* counters */
  uint64_t files, bytes, errors, warnings, unchanged, deleted, objects, not_saved;
  volatile sig_atomic_t cancelled;
  bool fatal;
  pthread_mutex_t lock;    /* messages and counters: plugins may call from other threads */
  JobMessage* messages;
  JobMessage* last_message;
  Buffer fileset_log;      /* FileSet calls the plugins made */
  char** excludes;         /* AddExclude paths (applied by AcceptFile) */
  int n_excludes;

  /* accurate list: previous backup's files, key = name without trailing '/' */
  HashTable previous_files;
  bool have_previous_files;
  /* files of this backup (the catalog of the new archive) */
  HashTable current_files;
  /* hard links: "(dev,ino)" -> first name */
  HashTable hardlinks;

  ArchiveWriter writer;
  bool writing;
  dev_t archive_dev;       /* the archive being written, never saved into itself */
  ino_t archive_ino;
  uint64_t next_entry;     /* file index of the next entry */

  double last_progress;
  const char* current_file;
} Job;

/* The process-wide CoreFunctions table given to every plugin. */
extern FdCoreFunctions core_functions;
void core_init(void);

/* Job life cycle. */
Job* job_new(const JobOptions* options, JobKind kind);
/* newPlugin for every loaded plugin, then bEventJobStart. */
void job_start(Job* job);
/* bEventJobEnd (unless canceled), freePlugin for every instance, end time. */
void job_finish(Job* job);
void job_free(Job* job);
/* "OK", "OK with warnings", "Error", "Fatal" or "Canceled". */
const char* job_status_text(const Job* job);
int job_exit_status(const Job* job);
bool job_canceled(const Job* job);
void job_cancel(Job* job);
const char* job_level_name(char level);

/* GeneratePluginEvent (§1.5): deliver to every eligible instance. */
bRC job_event(Job* job, int event, void* value);
/* The instance a definition names that has event registered (§4.7);
 * NULL if none (M_FATAL "Command plugin ... not found" when fatal). */
Instance* job_instance_for(Job* job, const char* definition, int event);
/* A direct call of handlePluginEvent for one instance. */
bRC instance_event(Instance* instance, int event, void* value);
bool instance_has_event(const Instance* instance, int event);

/* Job messages from the core itself (printf-style; a newline is optional). */
void job_message(Job* job, int type, const char* format, ...) __attribute__((format(printf, 3, 4)));
/* Host debug output at level (printed if level <= -d). */
void host_debug(int level, const char* format, ...) __attribute__((format(printf, 2, 3)));

/* Record a file of this backup (replaces an older record of the name). */
void job_record_current(Job* job, const char* name, const char* link, int type,
                        const struct stat* st);
/* Mark a file of the accurate list as seen; false if not there. */
bool job_mark_seen(Job* job, const char* name);

/* Progress line on stderr (at most every 0.5 s; only on a terminal). */
void job_progress(Job* job, bool force);
void progress_clear(void);
/* The job report on stdout. */
void job_report(Job* job);

/* Serialises output of concurrent jobs. */
extern pthread_mutex_t output_lock;

#endif
