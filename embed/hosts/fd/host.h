/* host.h -- command line options and the process-wide settings of
 * bareospy-fd, and the entry points of its commands. */
#ifndef BAREOSPY_HOST_HOST_H
#define BAREOSPY_HOST_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "plugins.h"

#define HOST_NAME "bareospy-fd"
#define HOST_VERSION "0.1.0"
#define HOST_VERSION_DATE "22 November 2026"

/* Exit statuses (documented in the README). */
enum {
  EXIT_OK = 0,         /* every job terminated OK (possibly with warnings) */
  EXIT_JOB_ERRORS = 1, /* a job terminated with errors */
  EXIT_JOB_FATAL = 2,  /* a job failed (fatal error, or canceled) */
  EXIT_USAGE = 3,      /* bad command line, or a definition no plugin matches */
  EXIT_PLUGINS = 4     /* a plugin named with --plugin could not be loaded */
};

typedef enum { CMD_NONE = 0, CMD_BACKUP, CMD_RESTORE, CMD_ESTIMATE, CMD_LIST } CommandKind;

/* The options of one job (one command). */
typedef struct JobOptions {
  CommandKind command;
  char* archive;
  char level;          /* 'F', 'I' or 'D' */
  char* previous;
  bool accurate;
  char* job_name;
  bool acl, xattr, noatime, no_hardlink, mtime_only;
  bool check_changes;  /* FO_CHKCHANGES */
  uint64_t accurate_options;
  char* where;
  char* regexwhere;
  char replace;        /* 'a', 'w', 'o', 'n' */
  char* plugin_options;
  bool prefix_links;
  bool trust_archive_plugin_paths; /* restore: load code from a module_path the archive names */
  bool listing;
  char* working_dir;
  char* client;
  char** definitions;
  int n_definitions;
  char* text;          /* the command as given, for messages */
  char* storage;       /* --storage: the archive is kept by bareospy-sd (storage.c) */
} JobOptions;

/* Process-wide settings and the loaded plugins. */
typedef struct HostConfig {
  int debug_level;
  char* plugin_dir;
  char** plugin_names;
  int n_plugin_names;
  char* exe_path;      /* the executable */
  char* exe_dir;       /* its directory */
  char* working_dir;   /* global --working-dir, or NULL */
  char* client;        /* client name */
  bool progress;       /* stderr is a terminal: show progress lines */
  bool trace;          /* --trace: every plugin call on stderr (trace.c) */
  bool report_json;    /* --report json: the job report as JSON (report.c) */
  char* report_file;   /* --report-file: the job reports go there, not to stdout */
  PluginSet plugins;
} HostConfig;

extern HostConfig host;

/* Parse the arguments of one command (argv[0] is the command name).
 * Returns 0, or -1 after printing a one-line error. */
int parse_job_options(int argc, char** argv, JobOptions* options);
void free_job_options(JobOptions* options);
/* Check that every definition names a loaded plugin; -1 after an error. */
int check_definitions(const JobOptions* options);

/* An ls-style line: "<mode> <type> <size> <mtime>\t<name>[ -> <link>]\n"
 * (names escaped as escape_name does). */
struct Buffer;
void format_listing_line(struct Buffer* out, unsigned mode, int type, long long size,
                         long long mtime, const char* name, const char* link);

/* Commands.  Each runs one job and returns an EXIT_* status. */
struct Job;
int run_job(const JobOptions* options);
/* backup/restore --storage ADDRESS: the job with its archive spooled to or
 * from bareospy-sd (storage.c). */
int run_job_with_storage(const JobOptions* options);
void run_backup(struct Job* job);
void run_estimate(struct Job* job);
void run_restore(struct Job* job);
int run_list(const JobOptions* options);
/* Run the jobs of a job file concurrently. */
int run_jobs_file(const char* path);

#endif
