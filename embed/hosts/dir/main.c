/* main.c -- bareospy-dir, the reference director of bareospy.
 *
 *   bareospy-dir -c CONFIG [-d LEVEL] [-t] [COMMAND ...]
 *
 * With a command (e.g. "run job=Nightly level=Full"), runs it, waits for the
 * jobs it started and exits: 0 ok, 1 the command or a job failed, 2 the
 * configuration is wrong, 3 the catalog cannot be used.  Without one, reads
 * console commands from stdin, one a line; at the end of the input it waits
 * for the jobs still queued or running.  -t only checks the configuration.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "director.h"
#include "kit/util.h"
#include "scripting.h"

Director director;

static void usage(void)
{
  fprintf(stderr, "usage: bareospy-dir -c CONFIG [-d LEVEL] [-t] [COMMAND ...]\n"
                  "commands: run job=NAME [level=L], status, list jobs|volumes|files jobid=N,\n"
                  "          cancel jobid=N, messages, purge volume=NAME, label volume=NAME pool=P\n");
}

/* The catalog file: the Catalog's DB Name (relative to the Working
 * Directory), else WORKING_DIRECTORY/bareospy-catalog.db. */
static char* catalog_path(const Config* config)
{
  const char* work = config->director->working_directory ? config->director->working_directory
                                                          : ".";
  const char* name = config->catalog_count && config->catalogs[0]->db_name
                         ? config->catalogs[0]->db_name
                         : "bareospy-catalog.db";
  if (name[0] == '/')
    return xstrdup(name);
  return xasprintf("%s/%s", work, name);
}

static int start(const char* config_path, char** error)
{
  director.config_path = config_path;
  DirectorRes* dir = director.config->director;
  if (dir->working_directory && make_directories(dir->working_directory) < 0) {
    *error = xasprintf("cannot create Working Directory %s: %s", dir->working_directory,
                       strerror(errno));
    return 2;
  }
  director.catalog_path = catalog_path(director.config);
  director.catalog_name = director.config->catalog_count ? director.config->catalogs[0]->name
                                                         : "MyCatalog";
  director.catalog = catalog_open(director.catalog_path, error);
  if (!director.catalog)
    return 3;
  for (int i = 0; i < director.config->pool_count; i++) {
    PoolRes* pool = director.config->pools[i];
    if (catalog_sync_pool(director.catalog, pool->name, pool->label_format,
                          pool->maximum_volume_bytes, pool->volume_retention) < 0) {
      *error = xasprintf("catalog: %s", catalog_error(director.catalog));
      return 3;
    }
  }
  int reaped = catalog_reap_stale_jobs(director.catalog);
  if (reaped > 0)
    fprintf(stderr, "bareospy-dir: %d job(s) of a director that ended while they ran are "
                    "marked ErrorTerminated\n", reaped);
  const char* messages = dir->messages;
  for (int i = 0; messages && i < director.config->messages_count; i++)
    if (strcasecmp(director.config->messages[i]->name, messages) == 0 &&
        director.config->messages[i]->append) {
      director.message_file = fopen(director.config->messages[i]->append, "a");
      if (!director.message_file)
        fprintf(stderr, "bareospy-dir: cannot append to %s: %s\n",
                director.config->messages[i]->append, strerror(errno));
    }
  const char* plugin_dir = dir->plugin_directory ? dir->plugin_directory
                                                 : getenv("BAREOSPY_DIR_PLUGIN_DIR");
  director.plugin_dir = plugin_dir ? xstrdup(plugin_dir) : NULL;
  if (plugins_load(&director, error) < 0)
    return 2;
  scripting_start();
  return 0;
}

static void stop(void)
{
  jobs_wait(NULL);
  scripting_exit();
  for (Job* job = director.jobs, *next; job; job = next) {
    next = job->next;
    free(job);
  }
  plugins_unload(&director);
  catalog_close(director.catalog);
  if (director.message_file)
    fclose(director.message_file);
  free(director.catalog_path);
  free(director.plugin_dir);
  config_free(director.config);
}

static int interactive(void)
{
  bool tty = isatty(0);
  char* line = NULL;
  size_t size = 0;
  int rc = 0;
  for (;;) {
    if (tty) {
      fputs("*", stdout);
      fflush(stdout);
    }
    if (getline(&line, &size, stdin) < 0)
      break;
    line[strcspn(line, "\r\n")] = '\0';
    char* command = line + strspn(line, " \t");
    if (strcasecmp(command, "quit") == 0 || strcasecmp(command, "exit") == 0)
      break;
    rc |= console_command(command, stdout, true);
  }
  free(line);
  return rc;
}

int main(int argc, char** argv)
{
  const char* config_path = NULL;
  bool test_only = false;
  int opt;
  while ((opt = getopt(argc, argv, "+c:d:th")) != -1) {
    switch (opt) {
      case 'c': config_path = optarg; break;
      case 'd': director.debug_level = atoi(optarg); break;
      case 't': test_only = true; break;
      default: usage(); return opt == 'h' ? 0 : 2;
    }
  }
  if (!config_path) {
    usage();
    return 2;
  }
  pthread_mutex_init(&director.lock, NULL);
  pthread_cond_init(&director.changed, NULL);
  pthread_mutex_init(&director.volume_lock, NULL);
  char* error = NULL;
  director.config = config_load(config_path, &error);
  if (!director.config) {
    fprintf(stderr, "bareospy-dir: %s\n", error);
    free(error);
    return 2;
  }
  if (test_only) {
    config_free(director.config);
    return 0;
  }
  int rc = start(config_path, &error);
  if (rc) {
    fprintf(stderr, "bareospy-dir: %s\n", error);
    free(error);
    if (director.catalog) {
      stop();
    } else {
      free(director.catalog_path);
      config_free(director.config);
    }
    return rc;
  }
  if (optind < argc) {
    Buffer command;
    buffer_init(&command);
    for (int i = optind; i < argc; i++) {
      buffer_append_str(&command, i > optind ? " " : "");
      buffer_append_str(&command, argv[i]);
    }
    char* text = buffer_steal(&command);
    rc = console_command(text, stdout, false);
    free(text);
  } else {
    rc = interactive();
  }
  stop();
  return rc ? 1 : 0;
}
