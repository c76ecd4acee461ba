/*
 * The C test driver (tests/fd/c/, entry point main.c) -- a stand-in Bareos
 * file daemon core for testing a file daemon plugin (python3-fd.so) the way a
 * daemon drives it.  The fd_driver fixture in tests/fd/conftest.py compiles
 * every .c file of tests/fd/c with the host kit (embed/hosts/kit) into one
 * program, fd_driver (the "fd_driver" row of embed/hosts/cbuild.py), and runs
 * it; tests/fd/test_*.py assert on its output.  The files, what each holds and
 * what comes from the kit: driver.h.
 *
 * It loads the plugin exactly like a daemon (contract §1.1-§1.3: dlopen
 * with RTLD_LAZY|RTLD_GLOBAL, dlsym loadPlugin/unloadPlugin, loadPlugin with
 * a PluginApiDefinition {8, 10} and its own FdCoreFunctions, then the
 * magic/version/licence/size checks), gives the plugin a core that records
 * every callback, and runs the call sequences of contract §7.
 *
 * Usage: fd_driver [options] PLUGIN_SO SCENARIO 'PLUGIN_DEFINITION'
 *
 * Scenarios: backup, restore, estimate, events, concurrent, cancel, reload,
 * or a list of jobs such as "backup,restore" run by one loaded plugin (see
 * usage() below for the options).
 *
 * Output: one JSON object per line on stdout, nothing else:
 *   {"core":"JobMessage","ctx":0,"thread":0,"type":3,"text":"..."}  a callback
 *   {"call":"pluginIO","func":2,"rc":0,"status":5,...}              an entry point
 *   {"job":"message","type":3,"text":"..."}     a message of the driver's core
 *   {"data":"/x","bytes":5,"sha256":"..."}       data read at backup
 *   {"restored":"/w/x","bytes":5,"sha256":"..."} data written at restore
 *   {"job":"end","status":"OK",...}              end of a job
 *   {"driver":"done"}                            the driver finished normally
 * Strings are JSON strings; bytes that are not UTF-8 (and control bytes)
 * appear as \u00XX.
 *
 * Exit status: 0 when the scenario ran (whatever the plugin answered),
 * non-zero only for the driver's own failures (bad arguments, dlopen,
 * the compatibility check), which print {"error":...}.
 *
 * Only the headers in include/bareospy, the host kit, libc, libdl and
 * pthreads: C99, -Wall -Wextra -Werror clean.
 */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Options opt;

static void usage(void)
{
  fputs(
      "usage: fd_driver [options] PLUGIN_SO SCENARIO 'PLUGIN_DEFINITION'\n"
      "scenarios: backup restore estimate events concurrent cancel reload, or a\n"
      "  comma-separated list of the jobs backup, restore, estimate and events,\n"
      "  run one after the other by the same loaded plugin (e.g. backup,restore)\n"
      "options:\n"
      "  --level F|I|D        job level (default F)\n"
      "  --since T            since time (seconds) for I/D: bEventSince\n"
      "  --flags B,B,...      FileSet option bit numbers for save_pkt.flags\n"
      "  --acl, --xattr       set FO_ACL / FO_XATTR\n"
      "  --accurate           bVarAccurate = 1\n"
      "  --accurate-options N bVarAccurateOptions bits\n"
      "  --plugin-dir DIR     bVarPluginPath (else bRC_Error)\n"
      "  --archive FILE       backup: write what was saved; restore: replay it\n"
      "  --where DIR          restore: prefix of every output name\n"
      "  --replace C          restore: replace policy char (default a)\n"
      "  --options STR        bEventNewPluginOptions (repeatable)\n"
      "  --event N[=VALUE]    events: send event N (repeatable)\n"
      "  --no-command         events: no bEventPluginCommand first\n"
      "  --check-file NAME    checkFile(NAME) (backup: unless seen) (repeatable)\n"
      "  --threads N          concurrent: threads (default 2)\n"
      "  --calls N            concurrent: calls per thread (default 10000)\n"
      "  --call event|io      concurrent: handlePluginEvent or pluginIO IO_READ\n"
      "  --jobid N            job id (default 1)\n"
      "  --max-files N        startBackupFile calls allowed (default 100000)\n"
      "  --rounds N           reload: load/unload rounds (default 2)\n"
      "A definition of '-' at restore uses the one recorded in the archive.\n",
      stderr);
}

static bool parse_flags(const char* text)
{
  char* copy = xstrdup(text);
  bool ok = true;
  for (char* item = strtok(copy, ","); item; item = strtok(NULL, ",")) {
    char* end;
    long bit = strtol(item, &end, 10);
    if (*end || bit < 0 || bit > FO_MAX) {
      ok = false;
      break;
    }
    set_flag(opt.flags, (int)bit);
  }
  free(copy);
  return ok;
}

static bool parse_args(int argc, char** argv)
{
  opt.level = L_FULL;
  opt.threads = 2;
  opt.calls = 10000;
  opt.call = "event";
  opt.jobid = 1;
  opt.max_files = 100000;
  opt.replace = 'a';
  opt.rounds = 2;
  opt.accurate_options = ACCURATE_DEFAULT_OPTIONS;
  const char* positional[3];
  int npositional = 0;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDS_VALUE              \
  do {                           \
    if (!v) return false;        \
    i++;                         \
  } while (0)
    if (strncmp(a, "--", 2) != 0) {
      if (npositional == 3) return false;
      positional[npositional++] = a;
    } else if (strcmp(a, "--level") == 0) {
      NEEDS_VALUE;
      opt.level = v[0];
    } else if (strcmp(a, "--since") == 0) {
      NEEDS_VALUE;
      opt.since = strtoll(v, NULL, 10);
    } else if (strcmp(a, "--flags") == 0) {
      NEEDS_VALUE;
      if (!parse_flags(v)) return false;
    } else if (strcmp(a, "--acl") == 0) {
      set_flag(opt.flags, FO_ACL);
    } else if (strcmp(a, "--xattr") == 0) {
      set_flag(opt.flags, FO_XATTR);
    } else if (strcmp(a, "--accurate") == 0) {
      opt.accurate = true;
    } else if (strcmp(a, "--accurate-options") == 0) {
      NEEDS_VALUE;
      opt.accurate_options = strtoull(v, NULL, 0);
    } else if (strcmp(a, "--plugin-dir") == 0) {
      NEEDS_VALUE;
      opt.plugin_dir = v;
    } else if (strcmp(a, "--archive") == 0) {
      NEEDS_VALUE;
      opt.archive = v;
    } else if (strcmp(a, "--where") == 0) {
      NEEDS_VALUE;
      opt.where = v;
    } else if (strcmp(a, "--replace") == 0) {
      NEEDS_VALUE;
      opt.replace = v[0];
    } else if (strcmp(a, "--options") == 0) {
      NEEDS_VALUE;
      if (opt.noptions == MAX_LIST) return false;
      opt.options[opt.noptions++] = v;
    } else if (strcmp(a, "--event") == 0) {
      NEEDS_VALUE;
      if (opt.nevents == MAX_LIST) return false;
      char* end;
      long number = strtol(v, &end, 10);
      if (end == v || (*end && *end != '=')) return false;
      opt.events[opt.nevents].number = (int)number;
      opt.events[opt.nevents].value = *end == '=' ? end + 1 : NULL;
      opt.nevents++;
    } else if (strcmp(a, "--no-command") == 0) {
      opt.no_command = true;
    } else if (strcmp(a, "--check-file") == 0) {
      NEEDS_VALUE;
      if (opt.ncheck_files == MAX_LIST) return false;
      opt.check_files[opt.ncheck_files++] = v;
    } else if (strcmp(a, "--threads") == 0) {
      NEEDS_VALUE;
      opt.threads = atoi(v);
    } else if (strcmp(a, "--calls") == 0) {
      NEEDS_VALUE;
      opt.calls = atol(v);
    } else if (strcmp(a, "--call") == 0) {
      NEEDS_VALUE;
      opt.call = v;
    } else if (strcmp(a, "--jobid") == 0) {
      NEEDS_VALUE;
      opt.jobid = atoi(v);
    } else if (strcmp(a, "--max-files") == 0) {
      NEEDS_VALUE;
      opt.max_files = atoi(v);
    } else if (strcmp(a, "--rounds") == 0) {
      NEEDS_VALUE;
      opt.rounds = atoi(v);
    } else {
      return false;
    }
#undef NEEDS_VALUE
  }
  if (npositional != 3) return false;
  opt.plugin_so = positional[0];
  opt.scenario = positional[1];
  opt.definition = positional[2];
  return opt.threads > 0 && opt.threads <= 64 && opt.calls >= 0 && opt.rounds > 0 && opt.max_files > 0;
}

/* The scenarios.  A job can follow another in one run of the driver
 * ("backup,restore"), as a daemon runs job after job with one loaded plugin;
 * a scenario that is not a job runs alone. */
static const struct {
  const char* name;
  int (*run)(void);
  bool job;
} scenarios[] = {
    {"backup", scenario_backup, true},
    {"restore", scenario_restore, true},
    {"estimate", scenario_estimate, true},
    {"events", scenario_events, true},
    {"concurrent", scenario_concurrent, false},
    {"cancel", scenario_cancel, false},
    {"reload", scenario_reload, false},
};
#define NSCENARIOS (sizeof scenarios / sizeof *scenarios)

/* The index of the scenario called name, NSCENARIOS if none is. */
static size_t scenario_index(const char* name)
{
  size_t i = 0;
  while (i < NSCENARIOS && strcmp(name, scenarios[i].name) != 0) i++;
  return i;
}

/* SCENARIO: one scenario, or a comma-separated list of jobs. */
static bool scenario_list_valid(const char* text)
{
  char* list = xstrdup(text);
  int count = 0;
  bool known = true, alone = false;
  for (char* item = strtok(list, ","); item; item = strtok(NULL, ",")) {
    size_t i = scenario_index(item);
    known = known && i < NSCENARIOS;
    alone = alone || (i < NSCENARIOS && !scenarios[i].job);
    count++;
  }
  free(list);
  return known && count > 0 && !(alone && count > 1);
}

/* Run the scenarios of the list until one fails; its exit status. */
static int run_scenarios(const char* text)
{
  int rc = 0;
  char* list = xstrdup(text);
  for (char* item = strtok(list, ","); item && rc == 0; item = strtok(NULL, ","))
    rc = scenarios[scenario_index(item)].run();
  free(list);
  return rc;
}

int main(int argc, char** argv)
{
  thread_labels_init();
  if (!parse_args(argc, argv)) {
    usage();
    print_error("arguments", "bad command line (see usage on stderr)");
    return 2;
  }
  if (!scenario_list_valid(opt.scenario)) {
    usage();
    print_error("arguments", "unknown scenario");
    return 2;
  }
  if (!load_plugin(opt.plugin_so, &core_functions)) return 3;
  int rc = run_scenarios(opt.scenario);
  if (rc == 3) return rc; /* reload could not load the plugin again */

  unload_plugin();
  Json j;
  j_begin(&j);
  j_str(&j, "driver", "done");
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}
