/*
 * driver.h -- what the files of the C test driver share (see main.c for what
 * the driver is and how it is run).
 *
 *   main.c                  options, scenario dispatch
 *   util.c                  thread labels, error lines, SHA-256 and copy helpers
 *   loader.c                loading the plugin (the kit's loader), each step printed
 *   core.c                  the recording FdCoreFunctions (the test oracle)
 *   job.c                   jobs and instances: what the core knows and counts
 *   calls.c                 the plugin's entry points, each call printed
 *   archive.c               the archive a backup writes and a restore replays
 *   scenarios_backup.c      backup and estimate (contract §7.1-§7.6)
 *   scenarios_restore.c     restore (contract §7.7-§7.10)
 *   scenarios_events.c      events: the --event list delivered to one instance
 *   scenarios_concurrent.c  concurrent: N threads, one instance each
 *   scenarios_lifecycle.c   cancel from another thread; reload (load twice)
 *
 * What is not the test oracle comes from the host kit (embed/hosts/kit/,
 * shared with the reference hosts and the bench): the plugin loader with the
 * §1.3 checks, the JSON-lines output (kit/jsonl.h: j_begin ... j_end), the
 * stat field codec, SHA-256, allocation and byte buffers (kit/util.h).  The
 * recording core (core.c, job.c, calls.c), the archive and the scenarios are
 * the test oracle: they are the driver's own and share no logic with a host.
 */
#ifndef BAREOSPY_FD_DRIVER_H
#define BAREOSPY_FD_DRIVER_H

#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "bareospy/fd.h"
#include "kit/jsonl.h"
#include "kit/loader.h"
#include "kit/sha256.h"
#include "kit/statcodec.h"
#include "kit/util.h"

#define IO_BUFFER_SIZE 65536
#define MAX_LIST 256

/* -- util.c ---------------------------------------------------------------- */

/* xstrdup, but NULL stays NULL. */
char* xstrdup_or_null(const char* text);
/* A malloc'd copy of n bytes (at least one byte is allocated). */
void* xmemdup(const void* data, size_t n);
void sha_hex(Sha256* s, char out[65]);
void sha_of(const void* data, size_t n, char out[65]);
bool flag_set(const char flags[FOPTS_BYTES], int bit);
void set_flag(unsigned char flags[FOPTS_BYTES], int bit);
void thread_labels_init(void);
int thread_label(void);
void set_thread_label(int label);
/* {"error": text, "stage": stage}: the driver's own failures. */
void print_error(const char* stage, const char* text);

/* -- main.c: the command line ---------------------------------------------- */

typedef struct {
  int number;
  const char* value; /* NULL: the event carries no value */
} EventOption;

typedef struct {
  const char* plugin_so;
  const char* scenario;
  const char* definition;
  char level;
  long long since;
  unsigned char flags[FOPTS_BYTES];
  const char* plugin_dir;
  const char* archive;
  const char* where;
  const char* options[MAX_LIST];
  int noptions;
  EventOption events[MAX_LIST];
  int nevents;
  const char* check_files[MAX_LIST];
  int ncheck_files;
  int threads;
  long calls;
  const char* call; /* concurrent: "event" or "io" */
  int jobid;
  int max_files;
  int replace;
  int rounds;
  bool accurate;
  bool no_command;
  unsigned long long accurate_options;
} Options;

extern Options opt;

/* -- loader.c -------------------------------------------------------------- */

extern FdPluginFunctions* fns;
extern Plugin plugin_record;

bool load_plugin(const char* path, FdCoreFunctions* core);
void unload_plugin(void);

/* -- job.c: jobs and instances --------------------------------------------- */

/* One job: what the core knows and counts. */
typedef struct Job {
  pthread_mutex_t lock;
  char type;   /* JT_BACKUP, JT_RESTORE */
  char level;  /* L_FULL ... */
  long long since;
  int jobid;
  char status; /* JS_Running, JS_Canceled */
  bool canceled;
  int fatal, errors;
  long files;
  long long bytes;
  char** seen;
  size_t nseen, capseen;
} Job;

/* One plugin instance (PluginContext) and the core's bookkeeping for it. */
typedef struct Instance {
  PluginContext ctx;
  Job* job;
  uint64_t events; /* bit n: event n registered */
  bool check_changes;
  bool disabled;
  bool restore_started;
} Instance;

void job_init(Job* job, char type, int jobid);
void job_free(Job* job);
bool job_canceled(Job* job);
void job_cancel(Job* job);
void job_count_message(Job* job, int type);
void job_mark_seen(Job* job, const char* fname);
bool job_was_seen(Job* job, const char* fname);
void job_message(Job* job, int type, const char* fmt, ...);
void print_job_end(Job* job, const char* what);
void instance_init(Instance* inst, Job* job, uint32_t number);
Instance* instance_of(PluginContext* ctx);
Job* job_of(PluginContext* ctx);
bool is_registered(Instance* inst, uint32_t event);
void job_add(Job* job, long files, long long bytes);
void job_open(Job* job, Instance* inst, char type, int jobid);
void job_close(Job* job, Instance* inst, const char* kind);
void live_instances_add(int delta);
int live_instances_count(void);

/* -- core.c ---------------------------------------------------------------- */

extern FdCoreFunctions core_functions;

/* -- calls.c: the plugin's entry points ------------------------------------ */

void call_begin(Json* j, const char* name);
void call_result(Json* j, const char* name, const char* key, const char* value, bRC rc);
bRC call_new_plugin(Instance* inst);
bRC call_free_plugin(Instance* inst);
bool plugin_matches(Job* job, const char* command);
bRC deliver(Instance* inst, uint32_t type, void* value, const char* shown);
bRC deliver_copy(Instance* inst, uint32_t type, const char* text);
void not_delivered(Instance* inst, uint32_t type, const char* reason);
bRC generate(Instance* inst, uint32_t type, void* value, const char* shown);
bRC generate_copy(Instance* inst, uint32_t type, const char* text);
bRC generate_named(Instance* inst, uint32_t type, const char* command);
bool is_object_type(int type);
void save_pkt_init(save_pkt* sp, char* cmd);
void print_save_pkt(const char* call, Instance* inst, bRC rc, const save_pkt* sp);
void acl_pkt_init(acl_pkt* ap, const char* fname);
void xattr_pkt_init(xattr_pkt* xp, const char* fname);
void restore_object_init(restore_object_pkt* rop, char* plugin_name, char* object_name, char* object,
                         size_t len, int type, int index);
void io_init(io_pkt* io, int func);
bRC call_plugin_io(Instance* inst, io_pkt* io);

/* A file opened through the plugin (IO_OPEN, contract §6.1). */
typedef struct {
  bool opened;
  bool core_mode; /* the core does the I/O on fd (iostat_do_in_core) */
  int fd;         /* core mode: the descriptor the plugin gave, else -1 */
  int io_errno;   /* the plugin's errno for a failed open */
} PluginFile;

PluginFile plugin_open(Instance* inst, const char* fname, int flags, mode_t mode);
void plugin_close(Instance* inst, const PluginFile* file);
void call_io_close(Instance* inst, int filedes);
void print_transfer(const char* key, const char* name, size_t bytes, Sha256* sha, bool core_mode);
bRC call_end_restore_file(Instance* inst);
void call_check_file(Instance* inst, const char* name);

/* -- archive.c ------------------------------------------------------------- */

typedef struct {
  Buffer name, value;
} Xattr;

typedef struct {
  char kind; /* 'F' file, 'O' restore object */
  char* cmd;
  char* fname;
  char* link;
  int type;
  long long st[STAT_FIELD_COUNT];
  bool no_read;
  bool has_data;
  Buffer data;
  bool has_acl;
  Buffer acl;
  Xattr* xattrs;
  size_t nxattrs;
  uint32_t delta_seq;
  char* object_name;
  Buffer object;
  int index;
} Entry;

typedef struct {
  Entry* entries;
  size_t n, cap;
} Archive;

Entry* archive_add(Archive* ar, char kind);
void archive_free(Archive* ar);
bool archive_write(const Archive* ar, const char* path);
bool archive_read(Archive* ar, const char* path);

/* -- the scenarios --------------------------------------------------------- */

/* scenarios_backup.c */
void run_backup_job(Instance* inst, Archive* ar);
void plugin_options_events(Instance* inst);
int scenario_backup(void);
int scenario_estimate(void);
/* scenarios_restore.c */
int scenario_restore(void);
/* scenarios_events.c */
int scenario_events(void);
/* scenarios_concurrent.c */
int scenario_concurrent(void);
/* scenarios_lifecycle.c */
void signal_in_data_loop(void);
int scenario_cancel(void);
int scenario_reload(void);

#endif
