/* main.c -- bareospy-fd: the command line, the jobs command, signals. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "scripting.h"

HostConfig host;

static const char usage_text[] =
    "usage: " HOST_NAME " [GLOBAL OPTIONS] COMMAND [OPTIONS] [PLUGIN_DEFINITION...]\n"
    "\n"
    "Commands:\n"
    "  backup --archive FILE [--level full|incremental|differential] [--previous ARCHIVE]\n"
    "         [--accurate] [--accurate-options LETTERS] [--job NAME] [--acl] [--xattr]\n"
    "         [--noatime] [--no-hardlinks] [--mtime-only] [--check-changes]\n"
    "         [--plugin-options STRING]\n"
    "         PLUGIN_DEFINITION...\n"
    "  restore --archive FILE --where DIR [--replace always|ifnewer|ifolder|never]\n"
    "         [--plugin-options STRING] [--regexwhere !FROM!TO![,...]] [--prefix-links]\n"
    "         [--job NAME] [--trust-archive-plugin-paths]\n"
    "         With --storage ADDRESS (unix:PATH or HOST:PORT) and --job NAME, backup sends\n"
    "         the archive to bareospy-sd and restore reads it back from there.\n"
    "  estimate [--listing] [--level ...] [--previous ARCHIVE] [--accurate] PLUGIN_DEFINITION...\n"
    "  list --archive FILE          (or: list FILE)\n"
    "  jobs JOBFILE                 run the jobs of JOBFILE (one command line each) at once\n"
    "\n"
    "Global options:\n"
    "  -d LEVEL          print plugin debug messages up to LEVEL on stderr\n"
    "  -p PLUGIN_DIR     load plugins from PLUGIN_DIR (default: $BAREOSPY_PLUGIN_DIR, or\n"
    "                    ../plugins next to the executable)\n"
    "  --plugin NAME     load only NAME-fd.so (repeatable)\n"
    "  --scripts-dir DIR import FDStartUp.py from DIR (Bacula-style Python scripting)\n"
    "  --working-dir DIR the jobs' working directory (default: a new temporary one per job)\n"
    "  --client NAME     the client name plugins see (default: <hostname>-fd)\n"
    "  --trace           print every call into a plugin (arguments' key fields and result),\n"
    "                    events by name, and why each file counted as changed, on stderr\n"
    "  --report text|json  the end-of-job report as text (default) or one JSON object per job\n"
    "  --report-file FILE  append the job reports to FILE instead of stdout\n"
    "  --cancel-timeout SECONDS  after the first SIGINT/SIGTERM/SIGHUP, jobs still running\n"
    "                    this long are reported and the process exits (default: 10)\n"
    "  --version, -h/--help\n"
    "\n"
    "Exit status: 0 all jobs OK (warnings allowed), 1 a job ended with errors, 2 a job\n"
    "failed (fatal error or canceled), 3 bad command line, 4 a --plugin could not be loaded.\n";

static void usage_error(const char* format, ...) __attribute__((format(printf, 1, 2)));

static void usage_error(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  fputs(HOST_NAME ": ", stderr);
  vfprintf(stderr, format, args);
  fputs("\n", stderr);
  va_end(args);
  fputs("usage: " HOST_NAME " [-d LEVEL] [-p PLUGIN_DIR] [--plugin NAME]... "
        "backup|restore|estimate|list|jobs ...  (" HOST_NAME " --help for details)\n",
        stderr);
}

/* -- job options -------------------------------------------------------------------- */

static char parse_level(const char* text)
{
  if (!strcasecmp(text, "full") || !strcmp(text, "F")) return L_FULL;
  if (!strcasecmp(text, "incremental") || !strcmp(text, "I")) return L_INCREMENTAL;
  if (!strcasecmp(text, "differential") || !strcmp(text, "D")) return L_DIFFERENTIAL;
  return 0;
}

static char parse_replace(const char* text)
{
  if (!strcasecmp(text, "always")) return REPLACE_ALWAYS;
  if (!strcasecmp(text, "ifnewer")) return REPLACE_IFNEWER;
  if (!strcasecmp(text, "ifolder")) return REPLACE_IFOLDER;
  if (!strcasecmp(text, "never")) return REPLACE_NEVER;
  return 0;
}

static int parse_accurate_letters(const char* text, uint64_t* options)
{
  static const char letters[] = "ipnugsamcdA51";
  static const uint64_t bits[] = {
      bAccurateOptionInode, bAccurateOptionPermissions, bAccurateOptionNlink,
      bAccurateOptionUid,   bAccurateOptionGid,         bAccurateOptionSize,
      bAccurateOptionAtime, bAccurateOptionMtime,       bAccurateOptionCtime,
      bAccurateOptionSizeDecrease, bAccurateOptionAlways, bAccurateOptionMD5,
      bAccurateOptionSha1};
  *options = 0;
  for (const char* p = text; *p; p++) {
    const char* found = strchr(letters, *p);
    if (!found) return -1;
    *options |= bits[found - letters];
  }
  return *options ? 0 : -1;
}

static CommandKind command_of(const char* name)
{
  if (!strcmp(name, "backup")) return CMD_BACKUP;
  if (!strcmp(name, "restore")) return CMD_RESTORE;
  if (!strcmp(name, "estimate")) return CMD_ESTIMATE;
  if (!strcmp(name, "list")) return CMD_LIST;
  return CMD_NONE;
}

/* Who a file is, however it is spelled: "dev:ino" if it exists, else the
 * real path of its directory and its last component (malloc'ed). */
static char* file_identity(const char* path)
{
  struct stat st;
  if (stat(path, &st) == 0)
    return xasprintf("inode %llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
  const char* slash = strrchr(path, '/');
  char* directory = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup(".");
  char resolved[PATH_MAX];
  char* identity = realpath(directory, resolved) ? xasprintf("path %s/%s", resolved, slash ? slash + 1 : path)
                                                 : xasprintf("path %s", path);
  free(directory);
  return identity;
}

int parse_job_options(int argc, char** argv, JobOptions* options)
{
  memset(options, 0, sizeof *options);
  options->command = command_of(argv[0]);
  if (options->command == CMD_NONE) {
    usage_error("unknown command \"%s\"", argv[0]);
    return -1;
  }
  Buffer text;
  buffer_init(&text);
  for (int i = 0; i < argc; i++) buffer_printf(&text, "%s%s", i ? " " : "", argv[i]);
  options->text = buffer_steal(&text);
  bool backup_like = options->command == CMD_BACKUP || options->command == CMD_ESTIMATE;
  bool only_positional = false;
  for (int i = 1; i < argc; i++) {
    char* arg = argv[i];
    if (only_positional || arg[0] != '-' || !strcmp(arg, "-")) {
      if (options->command == CMD_LIST && !options->archive) {
        options->archive = xstrdup(arg);
        continue;
      }
      if (!backup_like) {
        usage_error("%s: unexpected argument \"%s\"", argv[0], arg);
        return -1;
      }
      options->definitions = xrealloc(options->definitions, sizeof(char*) * (size_t)(options->n_definitions + 1));
      options->definitions[options->n_definitions++] = xstrdup(arg);
      continue;
    }
    if (!strcmp(arg, "--")) {
      only_positional = true;
      continue;
    }
    /* --name=value or --name value */
    char* name = arg;
    char* value = NULL;
    char* equals = strchr(arg, '=');
    char name_buffer[64];
    if (equals && (size_t)(equals - arg) < sizeof name_buffer) {
      memcpy(name_buffer, arg, (size_t)(equals - arg));
      name_buffer[equals - arg] = '\0';
      name = name_buffer;
      value = equals + 1;
    }
#define FLAG(option, field)                                  \
  if (!strcmp(name, option)) {                               \
    if (value) {                                             \
      usage_error("%s takes no value", option);              \
      return -1;                                             \
    }                                                        \
    options->field = true;                                   \
    continue;                                                \
  }
    if (!strcmp(name, "--accurate") && options->command != CMD_RESTORE) {
      options->accurate = true;
      continue;
    }
    if (backup_like) {
      FLAG("--acl", acl)
      FLAG("--xattr", xattr)
      FLAG("--noatime", noatime)
      FLAG("--no-hardlinks", no_hardlink)
      FLAG("--mtime-only", mtime_only)
      FLAG("--check-changes", check_changes)
    }
    if (options->command == CMD_ESTIMATE) FLAG("--listing", listing)
    if (options->command == CMD_RESTORE) FLAG("--prefix-links", prefix_links)
    if (options->command == CMD_RESTORE) FLAG("--trust-archive-plugin-paths", trust_archive_plugin_paths)
    if (!strcmp(name, "--archive") || !strcmp(name, "--level") || !strcmp(name, "--previous") ||
        !strcmp(name, "--job") || !strcmp(name, "--accurate-options") || !strcmp(name, "--where") ||
        !strcmp(name, "--replace") || !strcmp(name, "--plugin-options") ||
        !strcmp(name, "--regexwhere") || !strcmp(name, "--working-dir") || !strcmp(name, "--client") ||
        !strcmp(name, "--storage")) {
      char* option = name;
      if (!value) {
        if (i + 1 >= argc) {
          usage_error("%s: %s needs a value", argv[0], option);
          return -1;
        }
        value = argv[++i];
      }
      bool allowed = true;
      if (!strcmp(option, "--archive")) {
        allowed = options->command != CMD_ESTIMATE;
        free(options->archive);
        options->archive = xstrdup(value);
      } else if (!strcmp(option, "--storage")) {
        allowed = options->command == CMD_BACKUP || options->command == CMD_RESTORE;
        free(options->storage);
        options->storage = xstrdup(value);
      } else if (!strcmp(option, "--level")) {
        allowed = backup_like;
        options->level = parse_level(value);
        if (!options->level) {
          usage_error("bad --level \"%s\" (full, incremental or differential)", value);
          return -1;
        }
      } else if (!strcmp(option, "--previous")) {
        allowed = backup_like;
        free(options->previous);
        options->previous = xstrdup(value);
      } else if (!strcmp(option, "--job")) {
        allowed = options->command != CMD_LIST;
        if (!*value || strchr(value, '/')) {
          usage_error("bad --job name \"%s\"", value);
          return -1;
        }
        free(options->job_name);
        options->job_name = xstrdup(value);
      } else if (!strcmp(option, "--accurate-options")) {
        allowed = backup_like;
        if (parse_accurate_letters(value, &options->accurate_options) != 0) {
          usage_error("bad --accurate-options \"%s\" (letters of ipnugsamcdA51)", value);
          return -1;
        }
      } else if (!strcmp(option, "--where")) {
        allowed = options->command == CMD_RESTORE;
        free(options->where);
        options->where = xstrdup(value);
      } else if (!strcmp(option, "--replace")) {
        allowed = options->command == CMD_RESTORE;
        options->replace = parse_replace(value);
        if (!options->replace) {
          usage_error("bad --replace \"%s\" (always, ifnewer, ifolder or never)", value);
          return -1;
        }
      } else if (!strcmp(option, "--plugin-options")) {
        allowed = options->command != CMD_LIST;
        free(options->plugin_options);
        options->plugin_options = xstrdup(value);
      } else if (!strcmp(option, "--regexwhere")) {
        allowed = options->command == CMD_RESTORE;
        free(options->regexwhere);
        options->regexwhere = xstrdup(value);
      } else if (!strcmp(option, "--working-dir")) {
        allowed = options->command != CMD_LIST;
        free(options->working_dir);
        options->working_dir = xstrdup(value);
      } else if (!strcmp(option, "--client")) {
        allowed = options->command != CMD_LIST;
        free(options->client);
        options->client = xstrdup(value);
      }
      if (!allowed) {
        usage_error("%s: option %s does not apply", argv[0], option);
        return -1;
      }
      continue;
    }
#undef FLAG
    usage_error("%s: unknown option \"%s\"", argv[0], arg);
    return -1;
  }
  switch (options->command) {
    case CMD_BACKUP:
      if (options->storage && !options->job_name) {
        usage_error("backup: --storage ADDRESS needs --job NAME (the name the job is stored under)");
        return -1;
      }
      if (!options->archive && !options->storage) {
        usage_error("backup: --archive FILE is required");
        return -1;
      }
      if (options->previous && options->archive) {
        char* archive = file_identity(options->archive);
        char* previous = file_identity(options->previous);
        bool same = strcmp(archive, previous) == 0;
        free(archive);
        free(previous);
        if (same) {
          usage_error("backup: --previous and --archive name the same file");
          return -1;
        }
      }
      /* fall through */
    case CMD_ESTIMATE:
      if (!options->level) options->level = L_FULL;
      if (options->level != L_FULL && !options->previous) {
        usage_error("%s: an %s backup needs --previous ARCHIVE", argv[0],
                    options->level == L_INCREMENTAL ? "Incremental" : "Differential");
        return -1;
      }
      if (options->n_definitions == 0) {
        usage_error("%s: give at least one plugin definition (e.g. \"python3:module_name=...\")", argv[0]);
        return -1;
      }
      break;
    case CMD_RESTORE:
      if (options->storage && !options->job_name) {
        usage_error("restore: --storage ADDRESS needs --job NAME (the job to read back)");
        return -1;
      }
      if ((!options->archive && !options->storage) || !options->where) {
        usage_error("restore: --archive FILE (or --storage ADDRESS --job NAME) and --where DIR are required");
        return -1;
      }
      if (!*options->where) {
        usage_error("restore: --where must not be empty");
        return -1;
      }
      if (!options->replace) options->replace = REPLACE_ALWAYS;
      break;
    case CMD_LIST:
      if (!options->archive) {
        usage_error("list: --archive FILE is required");
        return -1;
      }
      break;
    default: break;
  }
  return 0;
}

void free_job_options(JobOptions* options)
{
  free(options->storage);
  free(options->archive);
  free(options->previous);
  free(options->job_name);
  free(options->where);
  free(options->regexwhere);
  free(options->plugin_options);
  free(options->working_dir);
  free(options->client);
  free(options->text);
  for (int i = 0; i < options->n_definitions; i++) free(options->definitions[i]);
  free(options->definitions);
  memset(options, 0, sizeof *options);
}

int check_definitions(const JobOptions* options)
{
  for (int i = 0; i < options->n_definitions; i++) {
    const char* definition = options->definitions[i];
    char* name = plugin_name_of(definition);
    if (!name) {
      usage_error("malformed plugin definition \"%s\" (expected NAME:key=value:...)", definition);
      return -1;
    }
    bool found = false;
    for (int k = 0; k < host.plugins.count && !found; k++)
      found = plugin_matches(host.plugins.items[k], definition);
    if (!found) {
      Buffer loaded;
      buffer_init(&loaded);
      for (int k = 0; k < host.plugins.count; k++)
        buffer_printf(&loaded, "%s%s", k ? ", " : "", host.plugins.items[k]->plugin.file);
      usage_error("plugin definition \"%s\": no loaded plugin is named \"%s\" (loaded from %s: %s)",
                  definition, name, host.plugin_dir, loaded.length ? loaded.data : "none");
      buffer_free(&loaded);
      free(name);
      return -1;
    }
    free(name);
  }
  return 0;
}

/* -- running jobs ------------------------------------------------------------------- */

int run_job(const JobOptions* options)
{
  if (options->storage) return run_job_with_storage(options);
  JobKind kind = options->command == CMD_RESTORE ? JOB_RESTORE
                 : options->command == CMD_ESTIMATE ? JOB_ESTIMATE
                                                    : JOB_BACKUP;
  Job* job = job_new(options, kind);
  switch (kind) {
    case JOB_BACKUP: run_backup(job); break;
    case JOB_RESTORE: run_restore(job); break;
    case JOB_ESTIMATE: run_estimate(job); break;
  }
  job_report(job);
  int status = job_exit_status(job);
  job_free(job);
  return status;
}

static int worse(int a, int b)
{
  int rank_a = a == EXIT_JOB_FATAL ? 3 : a == EXIT_JOB_ERRORS ? 2 : a == EXIT_OK ? 0 : 4;
  int rank_b = b == EXIT_JOB_FATAL ? 3 : b == EXIT_JOB_ERRORS ? 2 : b == EXIT_OK ? 0 : 4;
  return rank_a >= rank_b ? a : b;
}

typedef struct JobThread {
  pthread_t thread;
  JobOptions options;
  int status;
  int line;
} JobThread;

static void* job_thread(void* data)
{
  JobThread* job = data;
  job->status = run_job(&job->options);
  return NULL;
}

/* Split a line into words: blanks separate, '...' and "..." quote, backslash
 * escapes (outside single quotes).  -1 on an unterminated quote. */
static int split_words(const char* line, char*** words_out, int* count_out)
{
  char** words = NULL;
  int count = 0;
  const char* p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p || *p == '#') break;
    Buffer word;
    buffer_init(&word);
    buffer_reserve(&word, 0);
    while (*p && *p != ' ' && *p != '\t') {
      if (*p == '\'') {
        const char* end = strchr(p + 1, '\'');
        if (!end) {
          buffer_free(&word);
          goto bad;
        }
        buffer_append(&word, p + 1, (size_t)(end - p - 1));
        p = end + 1;
      } else if (*p == '"') {
        p++;
        while (*p && *p != '"') {
          if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) p++;
          buffer_append(&word, p, 1);
          p++;
        }
        if (*p != '"') {
          buffer_free(&word);
          goto bad;
        }
        p++;
      } else if (*p == '\\' && p[1]) {
        buffer_append(&word, p + 1, 1);
        p += 2;
      } else {
        buffer_append(&word, p, 1);
        p++;
      }
    }
    words = xrealloc(words, sizeof(char*) * (size_t)(count + 1));
    words[count++] = buffer_steal(&word);
  }
  *words_out = words;
  *count_out = count;
  return 0;
bad:
  for (int i = 0; i < count; i++) free(words[i]);
  free(words);
  return -1;
}

/* Two lines of a job file that would write the same archive, or one that
 * writes an archive another reads: -1 after a usage error. */
static int check_archive_clashes(const char* path, JobThread* jobs, int count)
{
  /* per line: the archive it writes, the archive it restores, its --previous */
  char** identities = xmalloc(sizeof(char*) * (size_t)count * 3);
  int rc = 0;
  for (int i = 0; i < count; i++) {
    const JobOptions* o = &jobs[i].options;
    /* (--storage without --archive: no archive file) */
    identities[3 * i] = o->command == CMD_BACKUP && o->archive ? file_identity(o->archive) : NULL;
    identities[3 * i + 1] = o->command == CMD_RESTORE && o->archive ? file_identity(o->archive) : NULL;
    identities[3 * i + 2] = o->previous ? file_identity(o->previous) : NULL;
  }
  for (int a = 0; a < count && rc == 0; a++) {
    if (!identities[3 * a]) continue;
    for (int b = 0; b < count && rc == 0; b++) {
      for (int k = 0; k < 3 && rc == 0; k++) {
        const char* other = identities[3 * b + k];
        if (b == a && k == 0) continue;
        if (!other || strcmp(identities[3 * a], other) != 0) continue;
        usage_error("%s: line %d writes the archive %s that line %d %s%s", path, jobs[a].line,
                    jobs[a].options.archive, jobs[b].line, k == 0 ? "writes too" : "reads",
                    k == 0 ? "" : " (the same file, however it is spelled)");
        rc = -1;
      }
    }
  }
  for (int i = 0; i < count * 3; i++) free(identities[i]);
  free(identities);
  return rc;
}

static JobThread* read_jobs_file(const char* path, int* count_out)
{
  FILE* file = fopen(path, "r");
  if (!file) {
    usage_error("cannot read the job file %s: %s", path, strerror(errno));
    return NULL;
  }
  JobThread* jobs = NULL;
  int count = 0;
  char* line = NULL;
  size_t size = 0;
  int number = 0;
  bool failed = false;
  while (!failed && getline(&line, &size, file) >= 0) {
    number++;
    line[strcspn(line, "\r\n")] = '\0';
    char** words;
    int n;
    if (split_words(line, &words, &n) != 0) {
      usage_error("%s:%d: unterminated quote", path, number);
      failed = true;
      break;
    }
    if (n == 0) {
      free(words);
      continue;
    }
    CommandKind command = command_of(words[0]);
    if (command == CMD_NONE || command == CMD_LIST) {
      usage_error("%s:%d: a job line starts with backup, restore or estimate, not \"%s\"", path,
                  number, words[0]);
      failed = true;
    } else {
      jobs = xrealloc(jobs, sizeof(JobThread) * (size_t)(count + 1));
      memset(&jobs[count], 0, sizeof jobs[count]);
      jobs[count].line = number;
      if (parse_job_options(n, words, &jobs[count].options) != 0) {
        fprintf(stderr, HOST_NAME ": (in %s, line %d)\n", path, number);
        failed = true;
      }
      count++;
    }
    for (int i = 0; i < n; i++) free(words[i]);
    free(words);
  }
  free(line);
  fclose(file);
  if (!failed && count == 0) {
    usage_error("the job file %s holds no job", path);
    failed = true;
  }
  if (!failed && check_archive_clashes(path, jobs, count) != 0) failed = true;
  if (failed) {
    for (int i = 0; i < count; i++) free_job_options(&jobs[i].options);
    free(jobs);
    return NULL;
  }
  *count_out = count;
  return jobs;
}

/* -- signals ------------------------------------------------------------------------ */

void cancel_all_jobs(void);
int report_stuck_jobs(double waited);

/* How long jobs have to end after the first SIGINT/SIGTERM/SIGHUP before the
 * ones still running are reported and the process exits (--cancel-timeout). */
static double cancel_timeout = 10.0;

static void* cancel_thread(void* data)
{
  (void)data;
  cancel_all_jobs();
  return NULL;
}

/* bEventCancelCommand goes to the plugins from a thread of its own: a plugin
 * that blocks there (or holds the interpreter) must not stop the clock. */
static void start_cancel(void)
{
  pthread_t thread;
  if (pthread_create(&thread, NULL, cancel_thread, NULL) == 0)
    pthread_detach(thread);
  else
    cancel_all_jobs();
}

static void* signal_thread(void* data)
{
  sigset_t* set = data;
  int canceled = 0;
  bool waiting = false; /* for the jobs to end after the first signal */
  double deadline = 0;
  for (;;) {
    int signal_number;
    if (!waiting) {
      if (sigwait(set, &signal_number) != 0) continue;
    } else {
      double left = deadline - monotonic_seconds();
      if (left < 0) left = 0;
      struct timespec timeout;
      timeout.tv_sec = (time_t)left;
      timeout.tv_nsec = (long)((left - (double)timeout.tv_sec) * 1e9);
      signal_number = sigtimedwait(set, NULL, &timeout);
      if (signal_number < 0) {
        if (errno != EAGAIN) continue;
        waiting = false;
        /* If even the reports cannot be written (a stuck job holds the
         * output, stdout is a full pipe), SIGALRM ends the process. */
        alarm(5);
        if (report_stuck_jobs(cancel_timeout) > 0) _exit(EXIT_JOB_FATAL);
        alarm(0);
        continue; /* every job ended: a next signal still exits at once */
      }
    }
    if (canceled++) {
      fprintf(stderr, HOST_NAME ": %s again: exiting now\n", strsignal(signal_number));
      _exit(EXIT_JOB_FATAL);
    }
    pthread_mutex_lock(&output_lock);
    progress_clear();
    fprintf(stderr, HOST_NAME ": %s: canceling the running jobs (again to exit at once)\n",
            strsignal(signal_number));
    pthread_mutex_unlock(&output_lock);
    deadline = monotonic_seconds() + cancel_timeout;
    waiting = true;
    start_cancel();
  }
  return NULL;
}

static void start_signal_thread(void)
{
  static sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  pthread_t thread;
  if (pthread_create(&thread, NULL, signal_thread, &set) == 0) pthread_detach(thread);
}

/* -- main --------------------------------------------------------------------------- */

static void find_executable(const char* argv0)
{
  char path[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length > 0) {
    path[length] = '\0';
    host.exe_path = xstrdup(path);
  } else if (realpath(argv0, path)) {
    host.exe_path = xstrdup(path);
  } else {
    host.exe_path = xstrdup(argv0);
  }
  char* slash = strrchr(host.exe_path, '/');
  host.exe_dir = slash ? xstrndup(host.exe_path, (size_t)(slash - host.exe_path)) : xstrdup(".");
}

static char* default_plugin_dir(void)
{
  const char* env = getenv("BAREOSPY_PLUGIN_DIR");
  if (env && *env) return xstrdup(env);
  char* relative = xasprintf("%s/../plugins", host.exe_dir);
  char resolved[PATH_MAX];
  if (realpath(relative, resolved)) {
    free(relative);
    return xstrdup(resolved);
  }
  return relative;
}

int main(int argc, char** argv)
{
  memset(&host, 0, sizeof host);
  find_executable(argv[0]);
  int i = 1;
  char* plugin_dir = NULL;
  for (; i < argc; i++) {
    const char* arg = argv[i];
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      fputs(usage_text, stdout);
      return EXIT_OK;
    }
    if (!strcmp(arg, "--version")) {
      printf(HOST_NAME " " HOST_VERSION " (" HOST_VERSION_DATE ")\n");
      return EXIT_OK;
    }
    if (arg[0] != '-') break;
    if (!strcmp(arg, "--trace")) {
      host.trace = true;
      continue;
    }
    /* -dN, -d N, -pDIR, -p DIR, --name=value, --name value */
    char name[32];
    const char* value = NULL;
    if (arg[1] != '-' && arg[1] && arg[2]) {
      snprintf(name, sizeof name, "%.2s", arg);
      value = arg + 2;
    } else {
      const char* equals = strchr(arg, '=');
      size_t length = equals ? (size_t)(equals - arg) : strlen(arg);
      if (length >= sizeof name) length = sizeof name - 1;
      memcpy(name, arg, length);
      name[length] = '\0';
      if (equals) value = equals + 1;
    }
    if (!value) {
      if (i + 1 >= argc) {
        usage_error("option %s needs a value", arg);
        return EXIT_USAGE;
      }
      value = argv[++i];
    }
    if (!strcmp(name, "-d") || !strcmp(name, "--debug")) {
      char* end;
      long level = strtol(value, &end, 10);
      if (*end || level < 0 || level > INT_MAX) {
        usage_error("bad debug level \"%s\"", value);
        return EXIT_USAGE;
      }
      host.debug_level = (int)level;
    } else if (!strcmp(name, "-p") || !strcmp(name, "--plugin-dir")) {
      free(plugin_dir);
      plugin_dir = xstrdup(value);
    } else if (!strcmp(name, "--plugin")) {
      if (!*value || strchr(value, '/')) {
        usage_error("bad plugin name \"%s\"", value);
        return EXIT_USAGE;
      }
      host.plugin_names = xrealloc(host.plugin_names, sizeof(char*) * (size_t)(host.n_plugin_names + 1));
      host.plugin_names[host.n_plugin_names++] = xstrdup(value);
    } else if (!strcmp(name, "--scripts-dir")) {
      fd_scripting_configure(value);
    } else if (!strcmp(name, "--working-dir")) {
      host.working_dir = xstrdup(value);
    } else if (!strcmp(name, "--client")) {
      host.client = xstrdup(value);
    } else if (!strcmp(name, "--report")) {
      if (strcmp(value, "json") && strcmp(value, "text")) {
        usage_error("bad --report \"%s\" (text or json)", value);
        return EXIT_USAGE;
      }
      host.report_json = !strcmp(value, "json");
    } else if (!strcmp(name, "--report-file")) {
      free(host.report_file);
      host.report_file = xstrdup(value);
    } else if (!strcmp(name, "--cancel-timeout")) {
      char* end;
      double seconds = strtod(value, &end);
      if (*end || !(seconds >= 0 && seconds <= 86400)) {
        usage_error("bad --cancel-timeout \"%s\" (seconds, 0 to 86400)", value);
        return EXIT_USAGE;
      }
      cancel_timeout = seconds;
    } else {
      usage_error("unknown global option \"%s\"", arg);
      return EXIT_USAGE;
    }
  }
  if (i >= argc) {
    usage_error("no command given");
    return EXIT_USAGE;
  }
  host.plugin_dir = plugin_dir ? plugin_dir : default_plugin_dir();
  if (!host.client) {
    char name[256] = "localhost";
    gethostname(name, sizeof name - 1);
    name[sizeof name - 1] = '\0';
    host.client = xasprintf("%s-fd", name);
  }
  host.progress = isatty(STDERR_FILENO) != 0;

  const char* command = argv[i];
  JobOptions options;
  JobThread* jobs = NULL;
  int n_jobs = 0;
  if (!strcmp(command, "jobs")) {
    if (argc - i != 2) {
      usage_error("jobs: give exactly one JOBFILE");
      return EXIT_USAGE;
    }
    jobs = read_jobs_file(argv[i + 1], &n_jobs);
    if (!jobs) return EXIT_USAGE;
  } else {
    if (command_of(command) == CMD_NONE) {
      usage_error("unknown command \"%s\"", command);
      return EXIT_USAGE;
    }
    if (parse_job_options(argc - i, argv + i, &options) != 0) return EXIT_USAGE;
    if (options.command == CMD_LIST) {
      int status = run_list(&options);
      free_job_options(&options);
      return status;
    }
  }

  start_signal_thread();
  core_init();
  fd_scripting_start();
  int failures = plugins_load(&host.plugins, host.plugin_dir, host.plugin_names, host.n_plugin_names,
                              &core_functions);
  int status = EXIT_OK;
  if (failures && host.n_plugin_names > 0) {
    fprintf(stderr, HOST_NAME ": a plugin named with --plugin could not be loaded\n");
    status = EXIT_PLUGINS;
  } else if (jobs) {
    for (int k = 0; k < n_jobs && status == EXIT_OK; k++)
      if (check_definitions(&jobs[k].options) != 0) {
        fprintf(stderr, HOST_NAME ": (in %s, line %d)\n", argv[i + 1], jobs[k].line);
        status = EXIT_USAGE;
      }
    if (status == EXIT_OK) {
      int started = 0;
      for (int k = 0; k < n_jobs; k++) {
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setstacksize(&attributes, 16u << 20);
        if (pthread_create(&jobs[k].thread, &attributes, job_thread, &jobs[k]) != 0) {
          fprintf(stderr, HOST_NAME ": cannot start a thread for line %d\n", jobs[k].line);
          jobs[k].status = EXIT_JOB_FATAL;
          jobs[k].line = -1;
        } else {
          started++;
        }
        pthread_attr_destroy(&attributes);
      }
      for (int k = 0; k < n_jobs; k++) {
        if (jobs[k].line >= 0) pthread_join(jobs[k].thread, NULL);
        status = worse(status, jobs[k].status);
      }
      (void)started;
    }
  } else if (check_definitions(&options) != 0) {
    status = EXIT_USAGE;
  } else {
    status = run_job(&options);
  }
  fd_scripting_exit();
  plugins_unload(&host.plugins);
  if (jobs) {
    for (int k = 0; k < n_jobs; k++) free_job_options(&jobs[k].options);
    free(jobs);
  } else {
    free_job_options(&options);
  }
  for (int k = 0; k < host.n_plugin_names; k++) free(host.plugin_names[k]);
  free(host.plugin_names);
  free(host.plugin_dir);
  free(host.exe_path);
  free(host.exe_dir);
  free(host.working_dir);
  free(host.client);
  free(host.report_file);
  fflush(stdout);
  return status;
}
