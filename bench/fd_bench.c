/*
 * fd_bench -- benchmarks of a file daemon plugin, seen from the daemon's side.
 *
 * The program is a small file daemon core: it dlopen()s ANY file daemon
 * plugin (.so), calls loadPlugin() with its own CoreFunctions table and then
 * drives the plugin only through the PluginFunctions table it got back, with
 * the types of include/bareospy/fd.h -- exactly what a daemon sees.  The
 * plugin scripts it asks for live in bench/scripts (module_path).
 *
 * For the baselines (a bare C -> Python call) the program is linked with the
 * libpython the plugin was built with; it calls Python only after loadPlugin()
 * started the interpreter, and only if the plugin did start one.
 *
 * Usage: fd_bench PLUGIN.so SCRIPTS_DIR --suite calls|io|instance|threads
 *                 [--calls N] [--reps N] [--size BYTES] [--block BYTES]
 *                 [--io-reps N] [--tmpdir DIR] [--cycles N] [--blocks N]
 *                 [--only NAME] [--verbose]
 * Output: one JSON object per line on stdout (bench/run.py reads them);
 * diagnostics on stderr.  Exit status 0 only if every call answered as
 * expected and the plugin sent no error or fatal job message.
 *
 * C99, POSIX; bench/run.py builds it with the kit of embed/hosts/kit (loader,
 * JSON lines) as embed/hosts/cbuild.py describes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h> /* first: it sets the feature macros of the C library */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bareospy/fd.h"
#include "kit/jsonl.h"
#include "kit/loader.h"

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

#if PY_VERSION_HEX >= 0x03090000
#define CALL_ONE_ARG(function, arg) PyObject_CallOneArg((function), (arg))
#else
#define CALL_ONE_ARG(function, arg) PyObject_CallFunctionObjArgs((function), (arg), NULL)
#endif

/* ------------------------------------------------------------------------
 * Options and global state
 * ---------------------------------------------------------------------- */

static struct {
  const char* plugin_path;
  const char* scripts_dir;
  const char* suite;
  long calls;      /* calls per repetition (per-call suite) */
  int reps;        /* repetitions (per-call suite, concurrency) */
  long long size;  /* bytes of the throughput file */
  int block;       /* daemon block size */
  int io_reps;     /* repetitions of each throughput variant */
  const char* tmpdir;
  long cycles;     /* instance cycles */
  long blocks;     /* blocks per job in the concurrency suite */
  const char* only; /* calls and io suites: run just this benchmark (for profiling) */
  const char* skip; /* calls and io suites: comma-separated benchmarks not to run */
  int verbose;
} opt = {NULL, NULL, NULL, 200000, 7, 1LL << 30, 65536, 3, "/tmp", 10000, 4000, NULL, 0};

static FdPluginFunctions* plugin;     /* the plugin's entry points */
static PluginInformation* plugin_info;
static Plugin plugin_record;           /* the core's record of the .so */
static int failures;                   /* unexpected answers, job errors */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  pthread_mutex_lock(&lock);
  fputs("fd_bench: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  failures++;
  pthread_mutex_unlock(&lock);
  va_end(args);
}

static void die(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  fputs("fd_bench: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(2);
}

static double now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CPU time of the calling thread (user + system): unlike the wall clock it
 * hardly moves when other processes compete for the CPUs. */
static double now_cpu_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Wall-clock and thread CPU time together. */
typedef struct {
  double wall, cpu;
} stopwatch;

static stopwatch stopwatch_start(void)
{
  stopwatch s = {now_ns(), now_cpu_ns()};
  return s;
}

static stopwatch stopwatch_elapsed(stopwatch start)
{
  stopwatch s = {now_ns() - start.wall, now_cpu_ns() - start.cpu};
  return s;
}

static int compare_doubles(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(const double* values, int n)
{
  double* sorted = malloc((size_t)n * sizeof *sorted);
  if (!sorted) die("out of memory");
  memcpy(sorted, values, (size_t)n * sizeof *sorted);
  qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
  double m = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  free(sorted);
  return m;
}

/* One result line: {"suite":..., "name":..., "unit":..., "median":..., "reps":[...]}
 * (wall clock), plus "cpu_median" and "cpu_reps" (the same from the thread's
 * CPU time) when cpu_values is given, plus the members in extra (JSON text). */
static void emit2(const char* name, const char* unit, const double* values, const double* cpu_values,
                  int n, const char* extra)
{
  Json j;
  j_begin(&j);
  j_str(&j, "suite", opt.suite);
  j_str(&j, "name", name);
  j_str(&j, "unit", unit);
  j_double(&j, "median", median(values, n));
  j_doubles(&j, "reps", values, n);
  if (cpu_values) {
    j_double(&j, "cpu_median", median(cpu_values, n));
    j_doubles(&j, "cpu_reps", cpu_values, n);
  }
  j_members(&j, extra);
  j_end(&j);
}

static void emit(const char* name, const char* unit, const double* values, int n, const char* extra)
{
  emit2(name, unit, values, NULL, n, extra);
}

static void emit_one(const char* name, const char* unit, double value, const char* extra)
{
  emit(name, unit, &value, 1, extra);
}

/* ------------------------------------------------------------------------
 * The core: what the plugin may call back
 * ---------------------------------------------------------------------- */

static bRC core_register_events(PluginContext* ctx, int nr_events, ...)
{
  (void)ctx, (void)nr_events;
  return bRC_OK;
}

static bRC core_get_instance_count(PluginContext* ctx, int* ret)
{
  (void)ctx;
  if (ret) *ret = 1;
  return bRC_OK;
}

static bRC core_get_value(PluginContext* ctx, bVariable var, void* value)
{
  (void)ctx;
  if (!value) return bRC_Error;
  switch (var) {
    case bVarJobId: *(int*)value = 1; return bRC_OK;
    case bVarFDName:
    case bVarClient: *(const char**)value = "bench-fd"; return bRC_OK;
    case bVarJobName: *(const char**)value = "bench.2026-01-01_00.00.00_01"; return bRC_OK;
    case bVarLevel: *(int*)value = L_FULL; return bRC_OK;
    case bVarType: *(int*)value = JT_BACKUP; return bRC_OK;
    case bVarJobStatus: *(int*)value = JS_Running; return bRC_OK;
    case bVarSinceTime: *(int*)value = 0; return bRC_OK;
    case bVarAccurate: *(int*)value = 0; return bRC_OK;
    case bVarWorkingDir: *(const char**)value = opt.tmpdir; return bRC_OK;
    case bVarPluginPath: *(const char**)value = opt.scripts_dir; return bRC_OK;
    default: return bRC_Error;
  }
}

static bRC core_set_value(PluginContext* ctx, bVariable var, const void* value)
{
  (void)ctx, (void)var, (void)value;
  return bRC_OK;
}

static bRC core_job_message(PluginContext* ctx, const char* file, int line, int type,
                            utime_t mtime, const char* format, ...)
{
  (void)ctx, (void)file, (void)line, (void)mtime;
  char text[4096];
  va_list args;
  va_start(args, format);
  vsnprintf(text, sizeof text, format, args);
  va_end(args);
  if (type == M_FATAL || type == M_ERROR || type == M_ABORT || type == M_ERROR_TERM)
    fail("job message (type %d) from the plugin: %s", type, text);
  else if (opt.verbose)
    fprintf(stderr, "fd_bench: job message (type %d): %s", type, text);
  return bRC_OK;
}

static bRC core_debug_message(PluginContext* ctx, const char* file, int line, int level,
                              const char* format, ...)
{
  (void)ctx, (void)file, (void)line;
  if (!opt.verbose) return bRC_OK;
  va_list args;
  va_start(args, format);
  fprintf(stderr, "fd_bench: debug %d: ", level);
  vfprintf(stderr, format, args);
  va_end(args);
  return bRC_OK;
}

static bRC core_string_ok(PluginContext* ctx, const char* text)
{
  (void)ctx, (void)text;
  return bRC_OK;
}

static bRC core_pattern_ok(PluginContext* ctx, const char* item, int type)
{
  (void)ctx, (void)item, (void)type;
  return bRC_OK;
}

static bRC core_ok(PluginContext* ctx)
{
  (void)ctx;
  return bRC_OK;
}

static bRC core_check_changes(PluginContext* ctx, save_pkt* sp)
{
  (void)ctx, (void)sp;
  return bRC_OK;
}

static bRC core_seen(PluginContext* ctx, bool all, char* fname)
{
  (void)ctx, (void)all, (void)fname;
  return bRC_OK;
}

static FdCoreFunctions core = {
    .size = sizeof(FdCoreFunctions),
    .version = FD_PLUGIN_INTERFACE_VERSION,
    .registerBareosEvents = core_register_events,
    .unregisterBareosEvents = core_register_events,
    .getInstanceCount = core_get_instance_count,
    .getBareosValue = core_get_value,
    .setBareosValue = core_set_value,
    .JobMessage = core_job_message,
    .DebugMessage = core_debug_message,
    .bareosMalloc = loader_core_malloc,
    .bareosFree = loader_core_free,
    .AddExclude = core_string_ok,
    .AddInclude = core_string_ok,
    .AddOptions = core_string_ok,
    .AddRegex = core_pattern_ok,
    .AddWild = core_pattern_ok,
    .NewOptions = core_ok,
    .NewInclude = core_ok,
    .NewPreInclude = core_ok,
    .checkChanges = core_check_changes,
    .AcceptFile = core_check_changes,
    .SetSeenBitmap = core_seen,
    .ClearSeenBitmap = core_seen,
};

static void load_plugin(void)
{
  char* message = NULL;
  if (loader_load(&DAEMON_FD, opt.plugin_path, &core, &plugin_record, &message) != LOAD_OK)
    die("%s", message);
  plugin_info = plugin_record.plugin_information;
  plugin = plugin_record.plugin_functions;
}

/* ------------------------------------------------------------------------
 * Jobs: one PluginContext each
 * ---------------------------------------------------------------------- */

static uint32_t next_instance;

/* newPlugin, then the plugin definition "python3:module_path=...:module_name=..."
 * (bEventPluginCommand), which loads the script.  0 on success. */
static int job_start(PluginContext* ctx, const char* module, const char* options)
{
  memset(ctx, 0, sizeof *ctx);
  pthread_mutex_lock(&lock);
  ctx->instance = next_instance++ % (HIGHEST_PLUGIN_INSTANCE + 1);
  pthread_mutex_unlock(&lock);
  ctx->plugin = &plugin_record;
  if (plugin->newPlugin(ctx) != bRC_OK) {
    fail("newPlugin failed (%s)", module);
    return -1;
  }
  char definition[4096];
  snprintf(definition, sizeof definition, "python3:module_path=%s:module_name=%s%s%s",
           opt.scripts_dir, module, options ? ":" : "", options ? options : "");
  bEvent event = {bEventPluginCommand};
  if (plugin->handlePluginEvent(ctx, &event, definition) != bRC_OK) {
    fail("the plugin definition %s was refused", definition);
    plugin->freePlugin(ctx);
    return -1;
  }
  return 0;
}

static void job_end(PluginContext* ctx)
{
  if (plugin->freePlugin(ctx) != bRC_OK) fail("freePlugin failed");
}

/* One pluginIO call with a fresh packet, as the core builds one per call. */
static inline bRC plugin_io(PluginContext* ctx, io_pkt* io, int func, char* buf, int32_t count,
                            const char* fname, int flags, int mode, int filedes)
{
  memset(io, 0, sizeof *io);
  io->pkt_size = io->pkt_end = sizeof *io;
  io->func = func;
  io->buf = buf;
  io->count = count;
  io->fname = fname;
  io->flags = flags;
  io->mode = (mode_t)mode;
  io->filedes = filedes;
  return plugin->pluginIO(ctx, io);
}

/* ------------------------------------------------------------------------
 * Suite "calls": ns per call
 * ---------------------------------------------------------------------- */

enum call_kind { CALL_IO_READ, CALL_EVENT, CALL_PY_HELD, CALL_PY_GIL_PER_CALL };

typedef struct {
  const char* name;       /* result name */
  enum call_kind kind;
  const char* module;     /* plugin script, NULL for the Python baselines */
  const char* options;
  int32_t expect_status;  /* IO_READ: expected io.status */
  int expect_data;        /* IO_READ: 0 nothing, 1 byte i == i & 255, 2 zeros */
  PluginContext ctx;
  int started;
  double* reps;
  double* cpu_reps;
} call_bench;

static char* block_buffer;  /* the "daemon's" data block */
static PyObject* py_function;   /* bench_baseline.trivial */
static PyObject* py_sha256;     /* bench_baseline.sha256_block */
static PyObject* py_open_file;  /* bench_baseline.open_file */
static PyObject* py_read_block; /* bench_baseline.read_block */
static PyObject* py_write_block; /* bench_baseline.write_block */
static PyObject* py_argument;
static PyThreadState* main_thread_state;

static long run_calls(call_bench* b, long n)
{
  long bad = 0;
  io_pkt io;
  bEvent event = {bEventStartBackupJob};
  switch (b->kind) {
    case CALL_IO_READ:
      for (long i = 0; i < n; i++) {
        bRC rc = plugin_io(&b->ctx, &io, IO_READ, block_buffer, opt.block, NULL, 0, 0, 0);
        bad += rc != bRC_OK || io.status != b->expect_status;
      }
      break;
    case CALL_EVENT:
      for (long i = 0; i < n; i++) bad += plugin->handlePluginEvent(&b->ctx, &event, NULL) != bRC_OK;
      break;
    case CALL_PY_HELD: {
      PyGILState_STATE gil = PyGILState_Ensure();
      for (long i = 0; i < n; i++) {
        PyObject* result = CALL_ONE_ARG(py_function, py_argument);
        if (!result || PyLong_AsLong(result) != 0) {
          bad++;
          PyErr_Clear();
        }
        Py_XDECREF(result);
      }
      PyGILState_Release(gil);
      break;
    }
    case CALL_PY_GIL_PER_CALL:
      for (long i = 0; i < n; i++) {
        PyEval_RestoreThread(main_thread_state);
        PyObject* result = CALL_ONE_ARG(py_function, py_argument);
        if (!result || PyLong_AsLong(result) != 0) {
          bad++;
          PyErr_Clear();
        }
        Py_XDECREF(result);
        PyEval_SaveThread();
      }
      break;
  }
  return bad;
}

/* Import bench_baseline.trivial through the C-API (the plugin started Python). */
static int setup_python_baseline(void)
{
  if (!Py_IsInitialized()) {
    fprintf(stderr, "fd_bench: the plugin started no Python interpreter: no baselines\n");
    return -1;
  }
  main_thread_state = PyGILState_GetThisThreadState();
  if (!main_thread_state) {
    fprintf(stderr, "fd_bench: no Python thread state on the main thread: no baselines\n");
    return -1;
  }
  PyGILState_STATE gil = PyGILState_Ensure();
  int ok = 0;
  PyObject* path = PySys_GetObject("path"); /* borrowed */
  PyObject* dir = PyUnicode_DecodeFSDefault(opt.scripts_dir);
  if (path && dir && PyList_Insert(path, 0, dir) == 0) {
    PyObject* module = PyImport_ImportModule("bench_baseline");
    if (module) {
      py_function = PyObject_GetAttrString(module, "trivial");
      py_sha256 = PyObject_GetAttrString(module, "sha256_block");
      py_open_file = PyObject_GetAttrString(module, "open_file");
      py_read_block = PyObject_GetAttrString(module, "read_block");
      py_write_block = PyObject_GetAttrString(module, "write_block");
      py_argument = PyLong_FromLong(2);
      ok = py_function && py_sha256 && py_open_file && py_read_block && py_write_block && py_argument;
      Py_DECREF(module);
    }
  }
  Py_XDECREF(dir);
  if (!ok) {
    PyErr_Print();
    fail("cannot import bench_baseline.trivial from %s", opt.scripts_dir);
  }
  PyGILState_Release(gil);
  return ok ? 0 : -1;
}

/* Whether the daemon's block holds what the script returned (expect_data). */
static int check_block(int expect_data)
{
  for (int i = 0; i < opt.block; i++) {
    unsigned char want = expect_data == 1 ? (unsigned char)(i & 255) : 0;
    if ((unsigned char)block_buffer[i] != want) return 0;
  }
  return 1;
}

/* Whether --only/--skip leave out the benchmark NAME. */
static int left_out(const char* name)
{
  if (opt.only && strcmp(opt.only, name) != 0) return 1;
  size_t length = strlen(name);
  for (const char* item = opt.skip; item && *item;) {
    const char* end = strchr(item, ',');
    size_t item_length = end ? (size_t)(end - item) : strlen(item);
    if (item_length == length && strncmp(item, name, length) == 0) return 1;
    item = end ? end + 1 : NULL;
  }
  return 0;
}

static void suite_calls(void)
{
  call_bench benches[] = {
      /* in this order in every repetition: the baselines next to what is
       * compared with them, so that a repetition's ratios see one machine state */
      {"baseline_gil_per_call", CALL_PY_GIL_PER_CALL, NULL, NULL, 0, 0, {0}, 0, NULL, NULL},
      {"io_read_trivial", CALL_IO_READ, "bench_trivial", NULL, 0, 0, {0}, 0, NULL, NULL},
      {"event_trivial", CALL_EVENT, "bench_trivial", NULL, 0, 0, {0}, 0, NULL, NULL},
      {"io_read_debug_message", CALL_IO_READ, "bench_message", NULL, 0, 0, {0}, 0, NULL, NULL},
      {"event_job_message", CALL_EVENT, "bench_message", NULL, 0, 0, {0}, 0, NULL, NULL},
      {"baseline_gil_held", CALL_PY_HELD, NULL, NULL, 0, 0, {0}, 0, NULL, NULL},
      {"io_read_class", CALL_IO_READ, "bench_class", NULL, 0, 0, {0}, 0, NULL, NULL},
      {"event_class", CALL_EVENT, "bench_class", NULL, 0, 0, {0}, 0, NULL, NULL},
      {"io_read_bytes", CALL_IO_READ, "bench_read64k", "variant=bytes", 65536, 1, {0}, 0, NULL, NULL},
      {"io_read_bytearray", CALL_IO_READ, "bench_read64k", "variant=bytearray", 65536, 2, {0}, 0, NULL, NULL},
      {"io_read_window", CALL_IO_READ, "bench_read64k", "variant=window", 65536, 1, {0}, 0, NULL, NULL},
  };
  const int count = (int)(sizeof benches / sizeof benches[0]);
  if (opt.block != 65536) die("the calls suite needs --block 65536 (its scripts return 64 KiB)");
  block_buffer = malloc((size_t)opt.block);
  if (!block_buffer) die("out of memory");
  int have_python = setup_python_baseline() == 0;

  for (int i = 0; i < count; i++) {
    call_bench* b = &benches[i];
    b->reps = calloc((size_t)opt.reps, sizeof(double));
    b->cpu_reps = calloc((size_t)opt.reps, sizeof(double));
    if (!b->reps || !b->cpu_reps) die("out of memory");
    if (left_out(b->name)) b->started = 0;
    else if (b->module) b->started = job_start(&b->ctx, b->module, b->options) == 0;
    else b->started = have_python;
    if (b->started) { /* warm up */
      long bad = run_calls(b, opt.calls / 10 + 1);
      if (bad) fail("%s: %ld unexpected answers while warming up", b->name, bad);
    }
  }
  /* Repetitions interleaved over the benchmarks, so drift hits all alike. */
  for (int r = 0; r < opt.reps; r++) {
    for (int i = 0; i < count; i++) {
      call_bench* b = &benches[i];
      if (!b->started) continue;
      if (b->kind == CALL_IO_READ) memset(block_buffer, 0xAA, (size_t)opt.block);
      stopwatch start = stopwatch_start();
      long bad = run_calls(b, opt.calls);
      stopwatch elapsed = stopwatch_elapsed(start);
      b->reps[r] = elapsed.wall / (double)opt.calls;
      b->cpu_reps[r] = elapsed.cpu / (double)opt.calls;
      if (bad) fail("%s: %ld of %ld calls answered unexpectedly", b->name, bad, opt.calls);
      if (b->kind == CALL_IO_READ && b->expect_data && !check_block(b->expect_data))
        fail("%s: the daemon's block does not hold the script's data", b->name);
    }
  }
  for (int i = 0; i < count; i++) {
    call_bench* b = &benches[i];
    if (b->started) {
      char extra[128];
      snprintf(extra, sizeof extra, "\"calls\": %ld", opt.calls);
      emit2(b->name, "ns/call", b->reps, b->cpu_reps, opt.reps, extra);
      if (b->module) job_end(&b->ctx);
    }
    free(b->reps);
    free(b->cpu_reps);
  }
  free(block_buffer);
}

/* ------------------------------------------------------------------------
 * Suite "io": throughput of backing up / restoring one big file
 * ---------------------------------------------------------------------- */

static char data_path[4096];
static char restore_path[4096];

/* Every 8-byte word of the data file holds its own offset. */
static void fill_pattern(char* buf, long long offset, int length)
{
  for (int i = 0; i + 8 <= length; i += 8) {
    uint64_t word = (uint64_t)(offset + i);
    memcpy(buf + i, &word, 8);
  }
}

static int block_ok(const char* buf, long long offset)
{
  uint64_t word;
  memcpy(&word, buf, 8);
  return word == (uint64_t)offset;
}

/* The core's read of a file in core mode (bread): read() until the block is
 * full, the end of the file, or an error. */
static ssize_t read_full(int fd, char* buf, size_t count)
{
  size_t done = 0;
  while (done < count) {
    ssize_t n = read(fd, buf + done, count - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    done += (size_t)n;
  }
  return (ssize_t)done;
}

static ssize_t write_full(int fd, const char* buf, size_t count)
{
  size_t done = 0;
  while (done < count) {
    ssize_t n = write(fd, buf + done, count - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    done += (size_t)n;
  }
  return (ssize_t)done;
}

static void create_data_file(void)
{
  char* buf = malloc((size_t)opt.block);
  if (!buf) die("out of memory");
  int fd = open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) die("cannot create %s: %s", data_path, strerror(errno));
  for (long long offset = 0; offset < opt.size; offset += opt.block) {
    int length = (int)(opt.size - offset < opt.block ? opt.size - offset : opt.block);
    fill_pattern(buf, offset, length);
    if (write_full(fd, buf, (size_t)length) != length) die("cannot write %s: %s", data_path, strerror(errno));
  }
  /* Written back once, so no writeback runs during the measurements; the
   * pages stay in the page cache. */
  if (fdatasync(fd) != 0) die("fdatasync %s: %s", data_path, strerror(errno));
  close(fd);
  free(buf);
}

/* Backing up from a descriptor the way the core does in core mode. */
static long long read_descriptor(int fd, char* buf)
{
  long long total = 0;
  for (;;) {
    ssize_t n = read_full(fd, buf, (size_t)opt.block);
    if (n < 0) {
      fail("read error: %s", strerror(errno));
      return -1;
    }
    if (n == 0) return total;
    if (!block_ok(buf, total)) {
      fail("wrong data at offset %lld", total);
      return -1;
    }
    total += n;
  }
}

static stopwatch backup_native(char* buf)
{
  stopwatch start = stopwatch_start();
  int fd = open(data_path, O_RDONLY);
  if (fd < 0) die("cannot open %s: %s", data_path, strerror(errno));
  long long total = read_descriptor(fd, buf);
  close(fd);
  stopwatch elapsed = stopwatch_elapsed(start);
  if (total != opt.size) fail("native backup read %lld of %lld bytes", total, opt.size);
  return elapsed;
}

/* One file through the plugin: IO_OPEN, then IO_READ until status 0 (or, if
 * the script answered iostat_do_in_core, read() of its descriptor), IO_CLOSE. */
static stopwatch backup_plugin(PluginContext* ctx, char* buf, int expect_core_mode)
{
  io_pkt io;
  long long total = 0;
  stopwatch start = stopwatch_start();
  if (plugin_io(ctx, &io, IO_OPEN, NULL, 0, data_path, O_RDONLY, 0, kInvalidFiledescriptor) == bRC_Error ||
      io.status < 0) {
    fail("IO_OPEN for backup failed");
    return stopwatch_elapsed(start);
  }
  int in_core = io.status == iostat_do_in_core;
  int fd = in_core ? io.filedes : 0;
  if (in_core != expect_core_mode) fail("IO_OPEN answered status %d", io.status);
  if (in_core) {
    total = read_descriptor(fd, buf);
  } else {
    for (;;) {
      plugin_io(ctx, &io, IO_READ, buf, opt.block, NULL, 0, 0, 0);
      if (io.status < 0) {
        fail("IO_READ failed at offset %lld (errno %d)", total, io.io_errno);
        break;
      }
      if (io.status == 0) break;
      if (!block_ok(buf, total)) {
        fail("wrong data at offset %lld", total);
        break;
      }
      total += io.status;
    }
  }
  plugin_io(ctx, &io, IO_CLOSE, NULL, 0, NULL, 0, 0, fd);
  stopwatch elapsed = stopwatch_elapsed(start);
  if (total != opt.size) fail("plugin backup read %lld of %lld bytes", total, opt.size);
  return elapsed;
}

/* Restore: write opt.size bytes into a fresh file (page cache).  The file is
 * unlinked after each pass (untimed), so its dirty pages are dropped instead
 * of written back. */
static stopwatch restore_native(const char* buf)
{
  stopwatch start = stopwatch_start();
  int fd = open(restore_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) die("cannot create %s: %s", restore_path, strerror(errno));
  long long total = 0;
  while (total < opt.size) {
    if (write_full(fd, buf, (size_t)opt.block) != opt.block) {
      fail("write error: %s", strerror(errno));
      break;
    }
    total += opt.block;
  }
  close(fd);
  stopwatch elapsed = stopwatch_elapsed(start);
  unlink(restore_path);
  return elapsed;
}

static stopwatch restore_plugin(PluginContext* ctx, char* buf, int expect_core_mode)
{
  io_pkt io;
  long long total = 0;
  stopwatch start = stopwatch_start();
  if (plugin_io(ctx, &io, IO_OPEN, NULL, 0, restore_path, O_WRONLY | O_CREAT | O_TRUNC, 0600,
                kInvalidFiledescriptor) == bRC_Error ||
      io.status < 0) {
    fail("IO_OPEN for restore failed");
    return stopwatch_elapsed(start);
  }
  int in_core = io.status == iostat_do_in_core;
  int fd = in_core ? io.filedes : 0;
  if (in_core != expect_core_mode) fail("IO_OPEN answered status %d", io.status);
  while (total < opt.size) {
    if (in_core) {
      if (write_full(fd, buf, (size_t)opt.block) != opt.block) {
        fail("write error: %s", strerror(errno));
        break;
      }
    } else {
      plugin_io(ctx, &io, IO_WRITE, buf, opt.block, NULL, 0, 0, 0);
      if (io.status != opt.block) {
        fail("IO_WRITE answered status %d (errno %d)", io.status, io.io_errno);
        break;
      }
    }
    total += opt.block;
  }
  if (in_core) {
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size != opt.size) fail("direct restore wrote a file of the wrong size");
  }
  plugin_io(ctx, &io, IO_CLOSE, NULL, 0, NULL, 0, 0, fd);
  stopwatch elapsed = stopwatch_elapsed(start);
  struct stat st;
  if (stat(restore_path, &st) != 0 || st.st_size != opt.size)
    fail("the restored file is not %lld bytes", opt.size);
  unlink(restore_path);
  return elapsed;
}

/* The same file through Python without the plugin: per block, take the GIL,
 * call bench_baseline.read_block(f, memoryview of the block) -- f.readinto --
 * or write_block (f.write), release the GIL.  What the zero-copy plugin_io
 * does, minus the plugin layer.  The file is opened and closed by Python too. */
static stopwatch bare_python_pass(char* buf, int restore)
{
  long long total = 0;
  stopwatch start = stopwatch_start();
  PyEval_RestoreThread(main_thread_state);
  PyObject* file = PyObject_CallFunction(py_open_file, "ss", restore ? restore_path : data_path,
                                         restore ? "wb" : "rb");
  PyEval_SaveThread();
  while (file && (restore ? total < opt.size : 1)) {
    PyEval_RestoreThread(main_thread_state);
    PyObject* view = PyMemoryView_FromMemory(buf, opt.block, restore ? PyBUF_READ : PyBUF_WRITE);
    PyObject* result = view ? PyObject_CallFunctionObjArgs(restore ? py_write_block : py_read_block,
                                                          file, view, NULL)
                            : NULL;
    long n = result ? PyLong_AsLong(result) : -1;
    Py_XDECREF(result);
    Py_XDECREF(view);
    if (PyErr_Occurred()) PyErr_Clear();
    PyEval_SaveThread();
    if (n <= 0 || (!restore && !block_ok(buf, total))) {
      if (n < 0 || (n > 0 && !restore)) fail("bare Python %s failed at offset %lld", restore ? "write" : "read", total);
      break;
    }
    total += n;
  }
  PyEval_RestoreThread(main_thread_state);
  if (file) {
    PyObject* closed = PyObject_CallMethod(file, "close", NULL);
    Py_XDECREF(closed);
    Py_DECREF(file);
  }
  if (PyErr_Occurred()) {
    PyErr_Print();
    fail("bare Python pass failed");
  }
  PyEval_SaveThread();
  stopwatch elapsed = stopwatch_elapsed(start);
  if (total != opt.size) fail("bare Python pass moved %lld of %lld bytes", total, opt.size);
  if (restore) unlink(restore_path);
  return elapsed;
}

typedef struct {
  const char* name;
  int restore;          /* 0 backup, 1 restore */
  const char* variant;  /* bench_files variant; NULL: native; "bare": Python without the plugin */
  int core_mode;
  PluginContext ctx;
  double* reps;
  double* cpu_reps;
  int skip;             /* --only names another benchmark */
} io_bench;

static void suite_io(void)
{
  io_bench benches[] = {
      {"backup_native", 0, NULL, 0, {0}, NULL, NULL, 0},
      {"backup_direct", 0, "direct", 1, {0}, NULL, NULL, 0},
      {"backup_bytearray_read", 0, "bytearray_read", 0, {0}, NULL, NULL, 0},
      {"backup_readinto_bytearray", 0, "readinto_bytearray", 0, {0}, NULL, NULL, 0},
      {"backup_readinto_window", 0, "readinto_window", 0, {0}, NULL, NULL, 0},
      {"backup_bare_readinto", 0, "bare", 0, {0}, NULL, NULL, 0},
      {"restore_native", 1, NULL, 0, {0}, NULL, NULL, 0},
      {"restore_direct", 1, "direct", 1, {0}, NULL, NULL, 0},
      {"restore_write_buf", 1, "write_buf", 0, {0}, NULL, NULL, 0},
      {"restore_write_window", 1, "write_window", 0, {0}, NULL, NULL, 0},
      {"restore_bare_write", 1, "bare", 0, {0}, NULL, NULL, 0},
  };
  const int count = (int)(sizeof benches / sizeof benches[0]);
  if (opt.size % opt.block) die("--size must be a multiple of --block");
  snprintf(data_path, sizeof data_path, "%s/fd_bench_data.bin", opt.tmpdir);
  snprintf(restore_path, sizeof restore_path, "%s/fd_bench_restore.bin", opt.tmpdir);
  char* buf = malloc((size_t)opt.block);
  char* pattern = malloc((size_t)opt.block);
  if (!buf || !pattern) die("out of memory");
  fill_pattern(pattern, 0, opt.block);
  int have_python = setup_python_baseline() == 0;

  double start = now_ns();
  create_data_file();
  double created = now_ns();
  backup_native(buf); /* warm the page cache */
  fprintf(stderr, "fd_bench: %lld-byte file created in %.2f s, read once in %.2f s\n", opt.size,
          (created - start) / 1e9, (now_ns() - created) / 1e9);

  for (int i = 0; i < count; i++) {
    int bare = benches[i].variant && strcmp(benches[i].variant, "bare") == 0;
    benches[i].skip = left_out(benches[i].name) || (bare && !have_python);
    benches[i].reps = calloc((size_t)opt.io_reps, sizeof(double));
    benches[i].cpu_reps = calloc((size_t)opt.io_reps, sizeof(double));
    if (!benches[i].reps || !benches[i].cpu_reps) die("out of memory");
    if (benches[i].variant && !bare && !benches[i].skip) {
      char options[128];
      snprintf(options, sizeof options, "variant=%s", benches[i].variant);
      if (job_start(&benches[i].ctx, "bench_files", options) != 0) die("cannot start %s", benches[i].name);
    }
  }
  /* Every repetition runs every backup variant, then every restore variant,
   * each group starting one further along each time: no variant always runs
   * first, or always right after the same other one. */
  const int backups = 6, restores = count - backups;
  for (int r = 0; r < opt.io_reps; r++) {
    for (int k = 0; k < count; k++) {
      int i = k < backups ? (k + r) % backups : backups + (k - backups + r) % restores;
      io_bench* b = &benches[i];
      if (b->skip) continue;
      /* The first restore pass after the backups is measurably slower,
       * whichever it is (the kernel's page allocation after a read phase):
       * one untimed native pass takes that hit. */
      if (k == backups) restore_native(pattern);
      stopwatch t;
      if (b->variant && strcmp(b->variant, "bare") == 0)
        t = bare_python_pass(b->restore ? pattern : buf, b->restore);
      else if (!b->restore)
        t = b->variant ? backup_plugin(&b->ctx, buf, b->core_mode) : backup_native(buf);
      else
        t = b->variant ? restore_plugin(&b->ctx, pattern, b->core_mode) : restore_native(pattern);
      b->reps[r] = (double)opt.size / t.wall * 1e3; /* bytes/ns * 1e3 = MB/s */
      b->cpu_reps[r] = (double)opt.size / t.cpu * 1e3;
    }
  }
  for (int i = 0; i < count; i++) {
    char extra[128];
    snprintf(extra, sizeof extra, "\"bytes\": %lld, \"block\": %d", opt.size, opt.block);
    if (!benches[i].skip) emit2(benches[i].name, "MB/s", benches[i].reps, benches[i].cpu_reps, opt.io_reps, extra);
    if (benches[i].variant && strcmp(benches[i].variant, "bare") != 0 && !benches[i].skip)
      job_end(&benches[i].ctx);
    free(benches[i].reps);
    free(benches[i].cpu_reps);
  }
  unlink(data_path);
  free(buf);
  free(pattern);
}

/* ------------------------------------------------------------------------
 * Suite "instance": newPlugin + load script + first event + freePlugin
 * ---------------------------------------------------------------------- */

static long rss_kib(void)
{
  FILE* f = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (!f) return -1;
  if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
  fclose(f);
  return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* sys.getallocatedblocks() after a full collection: Python objects still alive
 * (-1 if the plugin runs no Python). */
static long python_blocks(void)
{
  if (!Py_IsInitialized()) return -1;
  PyGILState_STATE gil = PyGILState_Ensure();
  long blocks = -1;
  PyObject* gc = PyImport_ImportModule("gc");
  PyObject* collected = gc ? PyObject_CallMethod(gc, "collect", NULL) : NULL;
  Py_XDECREF(collected);
  Py_XDECREF(gc);
  PyObject* sys = PyImport_ImportModule("sys");
  PyObject* count = sys ? PyObject_CallMethod(sys, "getallocatedblocks", NULL) : NULL;
  if (count) blocks = PyLong_AsLong(count);
  Py_XDECREF(count);
  Py_XDECREF(sys);
  if (PyErr_Occurred()) PyErr_Clear();
  PyGILState_Release(gil);
  return blocks;
}

/* Bytes the C heap (malloc) has handed out and not got back, in KiB; -1 if
 * unknown.  Next to the RSS it tells a leak from fragmentation. */
static long heap_in_use_kib(void)
{
#ifdef HAVE_MALLINFO2
  struct mallinfo2 info = mallinfo2();
  return (long)((info.uordblks + info.hblkhd) / 1024);
#else
  return -1;
#endif
}

static void instance_cycle(void)
{
  PluginContext ctx;
  if (job_start(&ctx, "bench_class", "option=value") != 0) return;
  bEvent event = {bEventStartBackupJob};
  if (plugin->handlePluginEvent(&ctx, &event, NULL) != bRC_OK) fail("the first event failed");
  job_end(&ctx);
}

static void suite_instance(void)
{
  const long batch = opt.cycles >= 1000 ? 100 : (opt.cycles >= 100 ? 10 : 1);
  const long batches = opt.cycles / batch;
  if (batches < 1) die("--cycles must be at least 1");
  double* per_cycle = calloc((size_t)batches, sizeof(double));
  double* cpu_per_cycle = calloc((size_t)batches, sizeof(double));
  if (!per_cycle || !cpu_per_cycle) die("out of memory");
  /* Checkpoints: before any cycle, after the warm-up (100 cycles, or a tenth
   * of a short run), after 1000 if the run is longer, after the last. */
  long marks[4], rss[4], blocks[4], heap[4];
  int nmarks = 0;
  marks[nmarks++] = 0;
  marks[nmarks++] = opt.cycles >= 1000 ? 100 : opt.cycles / 10 + 1;
  if (opt.cycles > 1000) marks[nmarks++] = 1000;
  marks[nmarks++] = 1 + batches * batch;
  int next_mark = 0;
  long done = 0;
  rss[next_mark] = rss_kib();
  heap[next_mark] = heap_in_use_kib();
  blocks[next_mark++] = python_blocks();

  double first_start = now_ns();
  instance_cycle();
  double first = (now_ns() - first_start) / 1e3;
  done++;
  for (long b = 0; b < batches; b++) {
    stopwatch start = stopwatch_start();
    for (long i = 0; i < batch; i++) {
      instance_cycle();
      done++;
      if (next_mark < nmarks && done == marks[next_mark]) {
        rss[next_mark] = rss_kib();
        heap[next_mark] = heap_in_use_kib();
        blocks[next_mark++] = python_blocks();
      }
    }
    stopwatch elapsed = stopwatch_elapsed(start);
    per_cycle[b] = elapsed.wall / 1e3 / (double)batch;
    cpu_per_cycle[b] = elapsed.cpu / 1e3 / (double)batch;
  }
  char extra[256];
  snprintf(extra, sizeof extra, "\"cycles\": %ld, \"batch\": %ld, \"first_us\": %.1f", done, batch, first);
  emit2("instance_cycle", "us/cycle", per_cycle, cpu_per_cycle, (int)batches, extra);
  for (int m = 0; m < next_mark; m++) {
    snprintf(extra, sizeof extra, "\"after_cycles\": %ld, \"python_blocks\": %ld, \"heap_in_use_kib\": %ld",
             marks[m], blocks[m], heap[m]);
    char name[64];
    snprintf(name, sizeof name, "rss_%ld", marks[m]);
    emit_one(name, "KiB", (double)rss[m], extra);
  }
  free(per_cycle);
  free(cpu_per_cycle);
}

/* ------------------------------------------------------------------------
 * Suite "threads": concurrent jobs with a CPU-bound plugin_io
 * ---------------------------------------------------------------------- */

typedef struct {
  const char* variant;
  pthread_barrier_t* go;
  double start, end;  /* taken by the thread itself: the main thread may not run */
  int ok;
} job_thread;

/* The machine's own scaling, without the plugin: the same block copy plus a
 * CPU-bound C loop (FNV-1a over the 64 KiB block) per "IO_READ". */
static void* run_native_thread(void* arg)
{
  job_thread* t = arg;
  char* source = malloc((size_t)opt.block);
  char* buf = malloc((size_t)opt.block);
  volatile uint32_t sink = 0;
  t->ok = source && buf;
  if (t->ok) fill_pattern(source, 0, opt.block);
  pthread_barrier_wait(t->go);
  t->start = now_ns();
  for (long i = 0; t->ok && i < opt.blocks; i++) {
    memcpy(buf, source, (size_t)opt.block);
    uint32_t hash = 2166136261u;
    for (int j = 0; j < opt.block; j++) hash = (hash ^ (unsigned char)buf[j]) * 16777619u;
    sink = hash;
  }
  (void)sink;
  t->end = now_ns();
  free(source);
  free(buf);
  return NULL;
}

/* The sha256 workload without the plugin: per block, take the GIL with this
 * thread's own thread state, call bench_baseline.sha256_block(memoryview of
 * the block) through the C-API, release the GIL -- what the plugin does,
 * minus the plugin layer. */
static void* run_bare_thread(void* arg)
{
  job_thread* t = arg;
  char* buf = malloc((size_t)opt.block);
  PyGILState_STATE gil = PyGILState_Ensure();
  PyThreadState* tstate = PyThreadState_New(PyInterpreterState_Main());
  PyGILState_Release(gil);
  t->ok = buf && tstate && py_sha256;
  pthread_barrier_wait(t->go);
  t->start = now_ns();
  for (long i = 0; t->ok && i < opt.blocks; i++) {
    PyEval_RestoreThread(tstate);
    PyObject* view = PyMemoryView_FromMemory(buf, opt.block, PyBUF_WRITE);
    PyObject* result = view ? CALL_ONE_ARG(py_sha256, view) : NULL;
    if (!result || PyLong_AsLong(result) != opt.block) {
      PyErr_Clear();
      t->ok = 0;
    }
    Py_XDECREF(result);
    Py_XDECREF(view);
    PyEval_SaveThread();
  }
  t->end = now_ns();
  if (tstate) {
    PyEval_RestoreThread(tstate);
    PyThreadState_Clear(tstate);
    PyThreadState_DeleteCurrent();
  }
  free(buf);
  return NULL;
}

static void* run_job_thread(void* arg)
{
  job_thread* t = arg;
  if (strcmp(t->variant, "native") == 0) return run_native_thread(arg);
  if (strcmp(t->variant, "sha256_bare") == 0) return run_bare_thread(arg);
  PluginContext ctx;
  char options[128];
  snprintf(options, sizeof options, "variant=%s", t->variant);
  t->ok = job_start(&ctx, "bench_cpu", options) == 0;
  char* buf = malloc((size_t)opt.block);
  io_pkt io;
  if (t->ok && buf) /* the script does nothing on IO_OPEN but answer "in plugin" */
    t->ok = plugin_io(&ctx, &io, IO_OPEN, NULL, 0, "/bench/cpu", O_RDONLY, 0, -1) != bRC_Error &&
            io.status == iostat_do_in_plugin;
  pthread_barrier_wait(t->go);
  t->start = now_ns();
  for (long i = 0; t->ok && buf && i < opt.blocks; i++) {
    plugin_io(&ctx, &io, IO_READ, buf, opt.block, NULL, 0, 0, 0);
    if (io.status != opt.block) {
      fail("%s: IO_READ answered %d", t->variant, io.status);
      t->ok = 0;
    }
  }
  t->end = now_ns();
  if (t->ok) {
    plugin_io(&ctx, &io, IO_CLOSE, NULL, 0, NULL, 0, 0, 0);
    job_end(&ctx);
  }
  free(buf);
  return NULL;
}

/* MB/s of `jobs` concurrent jobs, each reading opt.blocks blocks. */
static double run_jobs(const char* variant, int jobs)
{
  pthread_t threads[2];
  job_thread state[2];
  pthread_barrier_t go;
  pthread_barrier_init(&go, NULL, (unsigned)jobs + 1);
  for (int i = 0; i < jobs; i++) {
    state[i].variant = variant;
    state[i].go = &go;
    state[i].ok = 0;
    if (pthread_create(&threads[i], NULL, run_job_thread, &state[i]) != 0) die("pthread_create failed");
  }
  pthread_barrier_wait(&go);
  int ok = 1;
  for (int i = 0; i < jobs; i++) {
    pthread_join(threads[i], NULL);
    ok = ok && state[i].ok;
  }
  /* From the first job's start to the last job's end. */
  double start = state[0].start, end = state[0].end;
  for (int i = 1; i < jobs; i++) {
    if (state[i].start < start) start = state[i].start;
    if (state[i].end > end) end = state[i].end;
  }
  pthread_barrier_destroy(&go);
  if (!ok) fail("a %s job failed", variant);
  return (double)jobs * (double)opt.blocks * opt.block / (end - start) * 1e3;
}

static void suite_threads(void)
{
  enum { VARIANTS = 4 };
  const char* variants[VARIANTS] = {"sha256", "sha256_bare", "pyloop", "native"};
  if (setup_python_baseline() != 0) die("the threads suite needs the Python baseline");
  double* one[VARIANTS];
  double* two[VARIANTS];
  for (int v = 0; v < VARIANTS; v++) {
    one[v] = calloc((size_t)opt.reps, sizeof(double));
    two[v] = calloc((size_t)opt.reps, sizeof(double));
    if (!one[v] || !two[v]) die("out of memory");
    run_jobs(variants[v], 1); /* warm up */
  }
  /* Repetitions interleaved over the workloads: each sees the machine alike. */
  for (int r = 0; r < opt.reps; r++) {
    for (int v = 0; v < VARIANTS; v++) {
      one[v][r] = run_jobs(variants[v], 1);
      two[v][r] = run_jobs(variants[v], 2);
    }
  }
  for (int v = 0; v < VARIANTS; v++) {
    char name[64], extra[128];
    snprintf(extra, sizeof extra, "\"blocks_per_job\": %ld, \"block\": %d, \"jobs\": 1", opt.blocks, opt.block);
    snprintf(name, sizeof name, "threads_%s_1job", variants[v]);
    emit(name, "MB/s", one[v], opt.reps, extra);
    snprintf(extra, sizeof extra, "\"blocks_per_job\": %ld, \"block\": %d, \"jobs\": 2", opt.blocks, opt.block);
    snprintf(name, sizeof name, "threads_%s_2jobs", variants[v]);
    emit(name, "MB/s", two[v], opt.reps, extra);
    free(one[v]);
    free(two[v]);
  }
}

/* ------------------------------------------------------------------------ */

static long long parse_number(const char* option, const char* text)
{
  char* end;
  errno = 0;
  long long value = strtoll(text, &end, 10);
  if (errno || end == text || *end || value <= 0) die("%s needs a positive number, not %s", option, text);
  return value;
}

int main(int argc, char** argv)
{
  if (argc < 3) {
    fprintf(stderr,
            "usage: %s PLUGIN.so SCRIPTS_DIR --suite calls|io|instance|threads [--calls N] [--reps N]\n"
            "       [--size BYTES] [--block BYTES] [--io-reps N] [--tmpdir DIR] [--cycles N]\n"
            "       [--blocks N] [--only NAME] [--verbose]\n",
            argv[0]);
    return 2;
  }
  opt.plugin_path = argv[1];
  opt.scripts_dir = argv[2];
  for (int i = 3; i < argc; i++) {
    const char* name = argv[i];
    if (strcmp(name, "--verbose") == 0) {
      opt.verbose = 1;
      continue;
    }
    if (i + 1 >= argc) die("%s needs a value", name);
    const char* value = argv[++i];
    if (strcmp(name, "--suite") == 0) opt.suite = value;
    else if (strcmp(name, "--tmpdir") == 0) opt.tmpdir = value;
    else if (strcmp(name, "--only") == 0) opt.only = value;
    else if (strcmp(name, "--skip") == 0) opt.skip = value;
    else if (strcmp(name, "--calls") == 0) opt.calls = (long)parse_number(name, value);
    else if (strcmp(name, "--reps") == 0) opt.reps = (int)parse_number(name, value);
    else if (strcmp(name, "--size") == 0) opt.size = parse_number(name, value);
    else if (strcmp(name, "--block") == 0) opt.block = (int)parse_number(name, value);
    else if (strcmp(name, "--io-reps") == 0) opt.io_reps = (int)parse_number(name, value);
    else if (strcmp(name, "--cycles") == 0) opt.cycles = (long)parse_number(name, value);
    else if (strcmp(name, "--blocks") == 0) opt.blocks = (long)parse_number(name, value);
    else die("unknown option %s", name);
  }
  if (!opt.suite) die("--suite is required");
  if (opt.block % 8) die("--block must be a multiple of 8");

  load_plugin();
  if (strcmp(opt.suite, "calls") == 0) suite_calls();
  else if (strcmp(opt.suite, "io") == 0) suite_io();
  else if (strcmp(opt.suite, "instance") == 0) suite_instance();
  else if (strcmp(opt.suite, "threads") == 0) suite_threads();
  else die("unknown suite %s", opt.suite);

  if (loader_close(&plugin_record) != bRC_OK) fail("unloadPlugin failed");
  if (failures) {
    fprintf(stderr, "fd_bench: %d failure(s)\n", failures);
    return 1;
  }
  return 0;
}
