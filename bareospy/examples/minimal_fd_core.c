/* minimal_fd_core.c -- the smallest file daemon core that runs one backup
 * job through a bareospy plugin (python3-fd.so).  An example to start from,
 * installed with the package; it stores nothing, it prints what it gets.
 *
 *   cc -std=c99 $(python -m bareospy --cflags) minimal_fd_core.c -o minimal_fd_core -ldl
 *   ./minimal_fd_core "$(python -m bareospy --plugin-dir)/python3-fd.so" \
 *       "python3:module_path=DIR:module_name=NAME:..."
 *
 * Every entry of the core table is filled: a plugin may call any of them,
 * and a NULL entry would crash the daemon, not the plugin.
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bareospy/fd.h"

/* ---- the core table: what the plugin may call ---- */

static bRC register_events(PluginContext* ctx, int nr_events, ...) { (void)ctx; (void)nr_events; return bRC_OK; }
static bRC unregister_events(PluginContext* ctx, int nr_events, ...) { (void)ctx; (void)nr_events; return bRC_OK; }
static bRC get_instance_count(PluginContext* ctx, int* ret) { (void)ctx; *ret = 1; return bRC_OK; }

static bRC get_value(PluginContext* ctx, bVariable var, void* value)
{
  (void)ctx;
  switch (var) {
    case bVarJobId: *(int*)value = 1; return bRC_OK;
    case bVarLevel: *(int*)value = L_FULL; return bRC_OK;
    case bVarType: *(int*)value = JT_BACKUP; return bRC_OK;
    case bVarSinceTime: *(int*)value = 0; return bRC_OK;
    case bVarWorkingDir: *(const char**)value = "/tmp"; return bRC_OK;
    case bVarJobName: *(const char**)value = "minimal-job"; return bRC_OK;
    default: return bRC_Error; /* not known to this core */
  }
}

static bRC set_value(PluginContext* ctx, bVariable var, const void* value) { (void)ctx; (void)var; (void)value; return bRC_OK; }

static bRC job_message(PluginContext* ctx, const char* file, int line, int type, utime_t mtime,
                       const char* fmt, ...)
{
  (void)ctx; (void)file; (void)line; (void)mtime;
  va_list args;
  va_start(args, fmt);
  printf("message type=%d: ", type);
  vprintf(fmt, args);
  va_end(args);
  return bRC_OK;
}

static bRC debug_message(PluginContext* ctx, const char* file, int line, int level, const char* fmt, ...)
{
  (void)ctx; (void)file; (void)line; (void)level; (void)fmt;
  return bRC_OK; /* a real daemon prints it when its debug level is >= level */
}

static void* core_malloc(PluginContext* ctx, const char* file, int line, size_t size) { (void)ctx; (void)file; (void)line; return malloc(size); }
static void core_free(PluginContext* ctx, const char* file, int line, void* mem) { (void)ctx; (void)file; (void)line; free(mem); }
static bRC fileset_text(PluginContext* ctx, const char* text) { (void)ctx; (void)text; return bRC_OK; }
static bRC fileset_pattern(PluginContext* ctx, const char* item, int type) { (void)ctx; (void)item; (void)type; return bRC_OK; }
static bRC fileset_step(PluginContext* ctx) { (void)ctx; return bRC_OK; }
/* A Full backup: every file counts as changed (bRC_Seen would mean unchanged). */
static bRC check_changes(PluginContext* ctx, save_pkt* sp) { (void)ctx; (void)sp; return bRC_OK; }
static bRC accept_file(PluginContext* ctx, save_pkt* sp) { (void)ctx; (void)sp; return bRC_OK; }
static bRC seen_bitmap(PluginContext* ctx, bool all, char* fname) { (void)ctx; (void)all; (void)fname; return bRC_OK; }

static FdCoreFunctions core_functions = {
    sizeof(FdCoreFunctions), FD_PLUGIN_INTERFACE_VERSION,
    register_events, unregister_events, get_instance_count, get_value, set_value,
    job_message, debug_message, core_malloc, core_free,
    fileset_text, fileset_text, fileset_text, fileset_pattern, fileset_pattern,
    fileset_step, fileset_step, fileset_step,
    check_changes, accept_file, seen_bitmap, seen_bitmap,
};

/* ---- one backup job ---- */

static bRC send_event(FdPluginFunctions* plugin, PluginContext* ctx, uint32_t type, void* value)
{
  bEvent event = {type};
  return plugin->handlePluginEvent(ctx, &event, value);
}

/* Read one file's data through pluginIO (or the plugin's descriptor); bytes read, -1 on error. */
static long read_file(FdPluginFunctions* plugin, PluginContext* ctx, save_pkt* sp)
{
  char buf[65536];
  io_pkt io;
  memset(&io, 0, sizeof io);
  io.pkt_size = io.pkt_end = sizeof io;
  io.func = IO_OPEN;
  io.fname = sp->fname;
  io.flags = 0; /* O_RDONLY */
  io.filedes = kInvalidFiledescriptor;
  if (plugin->pluginIO(ctx, &io) != bRC_OK || io.status == iostat_error) return -1;
  int in_core = io.status == iostat_do_in_core;
  int fd = io.filedes;
  long total = 0;
  for (;;) {
    long got;
    if (in_core) {
      got = read(fd, buf, sizeof buf);
    } else {
      io.func = IO_READ;
      io.buf = buf;
      io.count = sizeof buf;
      if (plugin->pluginIO(ctx, &io) != bRC_OK) return -1;
      got = io.status;
    }
    if (got < 0) return -1;
    if (got == 0) break;
    total += got;
  }
  io.func = IO_CLOSE; /* the plugin closes its descriptor too */
  return plugin->pluginIO(ctx, &io) == bRC_OK ? total : -1;
}

static int backup(FdPluginFunctions* plugin, PluginContext* ctx, char* definition)
{
  send_event(plugin, ctx, bEventJobStart, "");
  send_event(plugin, ctx, bEventLevel, (void*)(intptr_t)L_FULL);
  send_event(plugin, ctx, bEventSince, (void*)(intptr_t)0);
  if (send_event(plugin, ctx, bEventPluginCommand, definition) != bRC_OK) return 1;
  send_event(plugin, ctx, bEventStartBackupJob, NULL);
  if (send_event(plugin, ctx, bEventBackupCommand, definition) != bRC_OK) return 1;
  int failed = 0;
  bRC rc;
  do {
    save_pkt sp;
    memset(&sp, 0, sizeof sp);
    sp.pkt_size = sp.pkt_end = sizeof sp;
    sp.cmd = definition;
    if (plugin->startBackupFile(ctx, &sp) != bRC_OK || !sp.fname || sp.type == 0) return 1;
    long bytes = 0;
    if (sp.type == FT_REG && !sp.no_read) bytes = read_file(plugin, ctx, &sp);
    printf("file %s type=%d bytes=%ld\n", sp.fname, (int)sp.type, bytes);
    if (bytes < 0) failed = 1;
    rc = plugin->endBackupFile(ctx);
  } while (rc == bRC_More);
  send_event(plugin, ctx, bEventEndBackupJob, NULL);
  send_event(plugin, ctx, bEventJobEnd, NULL);
  return failed || rc != bRC_OK;
}

int main(int argc, char** argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: %s PATH/python3-fd.so PLUGIN-DEFINITION\n", argv[0]);
    return 2;
  }
  void* handle = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    fprintf(stderr, "%s\n", dlerror());
    return 2;
  }
  loadPlugin_t load = (loadPlugin_t)dlsym(handle, "loadPlugin");
  unloadPlugin_t unload = (unloadPlugin_t)dlsym(handle, "unloadPlugin");
  PluginApiDefinition api = {sizeof api, FD_PLUGIN_INTERFACE_VERSION};
  PluginInformation* info;
  FdPluginFunctions* plugin;
  if (!load || !unload || load(&api, &core_functions, &info, (void**)&plugin) != bRC_OK ||
      strcmp(info->plugin_magic, FD_PLUGIN_MAGIC) != 0) {
    fprintf(stderr, "%s: not a file daemon plugin\n", argv[1]);
    return 2;
  }
  PluginContext ctx;
  memset(&ctx, 0, sizeof ctx); /* one per job */
  int status = plugin->newPlugin(&ctx) == bRC_OK ? backup(plugin, &ctx, argv[2]) : 1;
  plugin->freePlugin(&ctx);
  unload();
  printf("job %s\n", status == 0 ? "OK" : "failed");
  return status;
}
