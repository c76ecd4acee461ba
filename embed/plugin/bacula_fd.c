/* bacula/python3-fd.so: the Bareos-API Python file daemon plugin inside
 * Bacula 9.6's bacula-fd (interface version 14).
 *
 * Why an adapter that hosts python3-fd.so, rather than a second build of the
 * Cython module with a Bacula-facing core table: the Python layer stays one
 * binary with one behaviour (what the Bareos tests check is what runs inside
 * Bacula), the Cython code keeps speaking one ABI, and every difference
 * between the two interfaces sits in this one C file, where a reader sees
 * each translation next to the layouts of include/bareospy/bacula_fd.h.  The
 * cost is a packet copy per call, small next to a Python call.
 *
 * bacula-fd dlopen()s this file from its Plugin Directory (the package's
 * plugins/bacula/, which holds nothing else) and calls loadPlugin().  We
 * dlopen() the Bareos plugin ../python3-fd.so (outside Bacula's scan, which
 * does not descend), hand it a Bareos core table of trampolines that call
 * the daemon's table, and give the daemon a Bacula plugin table whose entry
 * points translate contexts, event and variable numbers and packets.
 *
 * Bacula has no UsedConfig nor PluginPath variable: the adapter answers
 * them itself (the -c argument of the daemon, else Debian's default file;
 * the directory of the hosted plugin).  What Bacula cannot provide is
 * answered as Bareos answers "not available": bRC_Error for the variables
 * CheckChanges and AccurateOptions and
 * for SetSeenBitmap(all) and ClearSeenBitmap; ACL and xattr entry points are
 * never called (handleXACLdata sends no ACL or xattr stream).
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bareospy/bacula_fd.h"
#define BAREOSPY_NO_FD_SHORT_NAMES
#include "bareospy/fd.h"

/* The Bareos plugin this adapter hosts, relative to the adapter's directory. */
#define HOSTED_PLUGIN "../python3-fd.so"
/* The longest message the trampolines format (longer ones are cut). */
#define MESSAGE_SIZE 8192


/* One plugin instance: the Bareos context the hosted plugin sees (first, so
 * a PluginContext* is an Instance*) and what the translation needs. */
typedef struct Instance {
  PluginContext ctx;
  BaculaContext* bacula_ctx;
  uint64_t events; /* bit n: Bareos event n registered */
  int core_fd;     /* "do the I/O in the core" descriptor of the open file, else -1 */
} Instance;

static BaculaFdCoreFunctions* bacula = NULL;  /* the daemon's table */
static FdPluginFunctions* hosted = NULL;      /* the Bareos plugin's table */
static unloadPlugin_t hosted_unload = NULL;
static char hosted_dir[PATH_MAX];             /* the Bareos plugin directory (PluginPath) */
static char used_config[PATH_MAX];            /* the daemon's configuration file (UsedConfig) */
static int live_instances = 0;
static uint32_t next_instance = 0;
static Plugin plugin_record = {.file = "python3-fd.so", .file_len = 7};

static Instance* instance_of(BaculaContext* ctx)
{
  return ctx ? (Instance*)ctx->plugin_private : NULL;
}

static BaculaContext* bacula_of(PluginContext* ctx)
{
  return ctx ? ((Instance*)ctx)->bacula_ctx : NULL;
}

/* ------------------------------------------------------------------------
 * Numbers
 * ---------------------------------------------------------------------- */

/* The Bareos event for a Bacula one; 0 for the Bacula-only events. */
static uint32_t bareos_event(uint32_t event)
{
  if (event >= bcEventJobStart && event <= bcEventCancelCommand) return event;
  switch (event) {
    case bcEventRestoreObject: return bEventRestoreObject;
    case bcEventEndFileSet: return bEventEndFileSet;
    case bcEventPluginCommand: return bEventPluginCommand;
    case bcEventOptionPlugin: return bEventOptionPlugin;
    case bcEventHandleBackupFile: return bEventHandleBackupFile;
    case bcEventVssBackupAddComponents: return bEventVssBackupAddComponents;
    case bcEventVssRestoreLoadComponentMetadata: return bEventVssRestoreLoadComponentMetadata;
    case bcEventVssRestoreSetComponentsSelected: return bEventVssRestoreSetComponentsSelected;
    case bcEventVssBeforeCloseRestore: return bEventVssCloseRestore;
    case bcEventVssPrepareSnapshot: return bEventVssPrepareSnapshot;
    default: return 0; /* ComponentInfo, Features */
  }
}

/* The Bacula variable for a Bareos one; 0 when Bacula has none. */
static int bacula_variable(int var)
{
  if (var >= bVarJobId && var <= bVarVssClient) return var;
  switch (var) {
    case bVarWorkingDir: return bcVarWorkingDir;
    case bVarWhere: return bcVarWhere;
    case bVarRegexWhere: return bcVarRegexWhere;
    case bVarExePath: return bcVarExePath;
    case bVarVersion: return bcVarVersion;
    case bVarDistName: return bcVarDistName;
    case bVarPrevJobName: return bcVarPrevJobName;
    case bVarPrefixLinks: return bcVarPrefixLinks;
    default: return 0; /* CheckChanges, UsedConfig, PluginPath, AccurateOptions */
  }
}

/* ------------------------------------------------------------------------
 * Packets
 * ---------------------------------------------------------------------- */

/* FileSet option bits 0..30 are numbered alike; Bareos keeps them in a byte
 * array, Bacula in a 64-bit mask. */
#define SHARED_OPTION_BITS 31

static void flags_to_bareos(char* bits, uint64_t mask)
{
  memset(bits, 0, FOPTS_BYTES);
  for (int n = 0; n < SHARED_OPTION_BITS; n++)
    if (mask & ((uint64_t)1 << n)) bits[n / 8] |= (char)(1 << (n % 8));
}

static uint64_t flags_to_bacula(const char* bits, uint64_t mask)
{
  for (int n = 0; n < SHARED_OPTION_BITS; n++) {
    if (bits[n / 8] & (1 << (n % 8)))
      mask |= (uint64_t)1 << n;
    else
      mask &= ~((uint64_t)1 << n);
  }
  return mask;
}

static void save_to_bareos(save_pkt* sp, const bacula_save_pkt* in, BaculaContext* ctx)
{
  memset(sp, 0, sizeof *sp);
  sp->pkt_size = sp->pkt_end = sizeof *sp;
  sp->fname = in->fname;
  sp->link = in->link;
  sp->statp = in->statp;
  sp->type = in->type;
  flags_to_bareos(sp->flags, in->flags);
  sp->no_read = in->no_read;
  sp->portable = in->portable;
  sp->accurate_found = in->accurate_found;
  sp->cmd = in->cmd;
  int64_t since = 0; /* Bacula writes an int or a time_t: zeroed either way */
  if (ctx && bacula->getBaculaValue(ctx, bcVarSinceTime, &since) == bRC_OK)
    sp->save_time = (time_t)since;
  sp->delta_seq = in->delta_seq;
  sp->object_name = in->object_name;
  sp->object = in->object;
  sp->object_len = in->object_len;
  sp->index = in->index;
}

static void save_to_bacula(bacula_save_pkt* out, const save_pkt* sp)
{
  out->fname = sp->fname;
  out->link = sp->link;
  out->statp = sp->statp;
  out->type = sp->type;
  out->flags = flags_to_bacula(sp->flags, out->flags);
  out->no_read = sp->no_read;
  out->portable = sp->portable;
  out->accurate_found = sp->accurate_found;
  out->cmd = sp->cmd;
  out->delta_seq = sp->delta_seq;
  out->object_name = sp->object_name;
  out->object = sp->object;
  out->object_len = sp->object_len;
  out->index = sp->index;
  out->LinkFI = 0;
}

static void restore_to_bareos(restore_pkt* rp, const bacula_restore_pkt* in)
{
  memset(rp, 0, sizeof *rp);
  rp->pkt_size = rp->pkt_end = sizeof *rp;
  rp->stream = in->stream;
  rp->data_stream = in->data_stream;
  rp->type = in->type;
  rp->file_index = in->file_index;
  rp->LinkFI = in->LinkFI;
  rp->uid = in->uid;
  rp->statp = in->statp;
  rp->attrEx = in->attrEx;
  rp->ofname = in->ofname;
  rp->olname = in->olname;
  rp->where = in->where;
  rp->RegexWhere = in->RegexWhere;
  rp->replace = in->replace;
  rp->create_status = in->create_status;
  rp->delta_seq = in->delta_seq;
  rp->filedes = kInvalidFiledescriptor;
  /* Bacula keeps no name from before where/regexwhere. */
  rp->original_file_name = in->ofname;
  rp->original_link_name = in->olname;
}

static void io_to_bareos(io_pkt* io, const bacula_io_pkt* in, int filedes)
{
  memset(io, 0, sizeof *io);
  io->pkt_size = io->pkt_end = sizeof *io;
  io->func = in->func;
  io->count = in->count;
  io->flags = in->flags;
  io->mode = in->mode;
  io->buf = in->buf;
  io->fname = in->fname;
  io->status = in->status;
  io->whence = in->whence;
  io->offset = in->offset;
  io->win32 = in->win32;
  io->filedes = filedes;
}

static void io_to_bacula(bacula_io_pkt* out, const io_pkt* io)
{
  out->status = io->status;
  out->io_errno = io->io_errno;
  out->lerror = io->lerror;
  out->offset = io->offset;
  out->win32 = io->win32;
}

/* ------------------------------------------------------------------------
 * The Bareos core table: trampolines into the daemon's
 * ---------------------------------------------------------------------- */

static bRC set_events(PluginContext* ctx, int count, va_list events, int on)
{
  if (!ctx) return bRC_Error;
  Instance* instance = (Instance*)ctx;
  for (int i = 0; i < count; i++) {
    unsigned int event = va_arg(events, unsigned int);
    if (event == 0 || event > FD_NR_EVENTS) continue;
    if (on)
      instance->events |= (uint64_t)1 << event;
    else
      instance->events &= ~((uint64_t)1 << event);
  }
  return bRC_OK;
}

static bRC register_events(PluginContext* ctx, int count, ...)
{
  va_list events;
  va_start(events, count);
  bRC rc = set_events(ctx, count, events, 1);
  va_end(events);
  return rc;
}

static bRC unregister_events(PluginContext* ctx, int count, ...)
{
  va_list events;
  va_start(events, count);
  bRC rc = set_events(ctx, count, events, 0);
  va_end(events);
  return rc;
}

static bRC get_instance_count(PluginContext* ctx, int* count)
{
  (void)ctx;
  if (!count) return bRC_Error;
  *count = __atomic_load_n(&live_instances, __ATOMIC_SEQ_CST);
  return bRC_OK;
}

static bRC get_value(PluginContext* ctx, bVariable var, void* value)
{
  if (!value) return bRC_Error;
  if (var == bVarPluginPath || var == bVarUsedConfig) {
    *(const char**)value = var == bVarPluginPath ? hosted_dir : used_config;
    return bRC_OK;
  }
  int mapped = bacula_variable(var);
  if (!mapped) return bRC_Error;
  return bacula->getBaculaValue(bacula_of(ctx), (BaculaFdVariable)mapped, value);
}

static bRC set_value(PluginContext* ctx, bVariable var, const void* value)
{
  int mapped = bacula_variable(var);
  if (!mapped) return bRC_Error;
  return bacula->setBaculaValue(bacula_of(ctx), (BaculaFdVariable)mapped, (void*)value);
}

/* Bacula has no va_list variant of its message functions: format here and
 * pass the text through "%s". */
static bRC job_message(PluginContext* ctx, const char* file, int line, int type, utime_t mtime,
                       const char* fmt, ...)
{
  char text[MESSAGE_SIZE];
  va_list args;
  va_start(args, fmt);
  vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  return bacula->JobMessage(bacula_of(ctx), file, line, type, mtime, "%s", text);
}

static bRC debug_message(PluginContext* ctx, const char* file, int line, int level,
                         const char* fmt, ...)
{
  char text[MESSAGE_SIZE];
  va_list args;
  va_start(args, fmt);
  vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  return bacula->DebugMessage(bacula_of(ctx), file, line, level, "%s", text);
}

static void* core_malloc(PluginContext* ctx, const char* file, int line, size_t size)
{
  return bacula->baculaMalloc(bacula_of(ctx), file, line, size);
}

static void core_free(PluginContext* ctx, const char* file, int line, void* mem)
{
  bacula->baculaFree(bacula_of(ctx), file, line, mem);
}

static bRC add_exclude(PluginContext* ctx, const char* file)
{
  return bacula->AddExclude(bacula_of(ctx), file);
}
static bRC add_include(PluginContext* ctx, const char* file)
{
  return bacula->AddInclude(bacula_of(ctx), file);
}
static bRC add_options(PluginContext* ctx, const char* opts)
{
  return bacula->AddOptions(bacula_of(ctx), opts);
}
static bRC add_regex(PluginContext* ctx, const char* item, int type)
{
  return bacula->AddRegex(bacula_of(ctx), item, type);
}
static bRC add_wild(PluginContext* ctx, const char* item, int type)
{
  return bacula->AddWild(bacula_of(ctx), item, type);
}
static bRC new_options(PluginContext* ctx) { return bacula->NewOptions(bacula_of(ctx)); }
static bRC new_include(PluginContext* ctx) { return bacula->NewInclude(bacula_of(ctx)); }
static bRC new_pre_include(PluginContext* ctx) { return bacula->NewPreInclude(bacula_of(ctx)); }

/* checkChanges/AcceptFile: the Bareos packet through a Bacula one and back. */
static bRC save_call(PluginContext* ctx, save_pkt* sp,
                     bRC (*call)(BaculaContext*, bacula_save_pkt*))
{
  if (!sp) return bRC_Error;
  bacula_save_pkt packet;
  memset(&packet, 0, sizeof packet);
  packet.pkt_size = packet.pkt_end = sizeof packet;
  save_to_bacula(&packet, sp);
  packet.flags = flags_to_bacula(sp->flags, 0);
  bRC rc = call(bacula_of(ctx), &packet);
  sp->accurate_found = packet.accurate_found;
  sp->delta_seq = packet.delta_seq;
  return rc;
}

static bRC check_changes(PluginContext* ctx, save_pkt* sp)
{
  return save_call(ctx, sp, bacula->checkChanges);
}
static bRC accept_file(PluginContext* ctx, save_pkt* sp)
{
  return save_call(ctx, sp, bacula->AcceptFile);
}

/* Bacula marks one file seen through the FileSeen variable; it cannot mark
 * or clear all of them. */
static bRC set_seen_bitmap(PluginContext* ctx, bool all, char* fname)
{
  if (all || !fname) return bRC_Error;
  return bacula->setBaculaValue(bacula_of(ctx), bcVarFileSeen, fname);
}

static bRC clear_seen_bitmap(PluginContext* ctx, bool all, char* fname)
{
  (void)ctx, (void)all, (void)fname;
  return bRC_Error;
}

static FdCoreFunctions bareos_core = {
    .size = sizeof(FdCoreFunctions),
    .version = FD_PLUGIN_INTERFACE_VERSION,
    .registerBareosEvents = register_events,
    .unregisterBareosEvents = unregister_events,
    .getInstanceCount = get_instance_count,
    .getBareosValue = get_value,
    .setBareosValue = set_value,
    .JobMessage = job_message,
    .DebugMessage = debug_message,
    .bareosMalloc = core_malloc,
    .bareosFree = core_free,
    .AddExclude = add_exclude,
    .AddInclude = add_include,
    .AddOptions = add_options,
    .AddRegex = add_regex,
    .AddWild = add_wild,
    .NewOptions = new_options,
    .NewInclude = new_include,
    .NewPreInclude = new_pre_include,
    .checkChanges = check_changes,
    .AcceptFile = accept_file,
    .SetSeenBitmap = set_seen_bitmap,
    .ClearSeenBitmap = clear_seen_bitmap,
};

/* ------------------------------------------------------------------------
 * The Bacula plugin table: entry points into the hosted plugin
 * ---------------------------------------------------------------------- */

static bRC new_plugin(BaculaContext* ctx)
{
  if (!ctx) return bRC_Error;
  Instance* instance = calloc(1, sizeof *instance);
  if (!instance) return bRC_Error;
  instance->ctx.instance =
      __atomic_fetch_add(&next_instance, 1, __ATOMIC_SEQ_CST) % (HIGHEST_PLUGIN_INSTANCE + 1);
  instance->ctx.plugin = &plugin_record;
  instance->ctx.core_private_context = ctx;
  instance->bacula_ctx = ctx;
  instance->core_fd = -1;
  ctx->plugin_private = instance;
  __atomic_add_fetch(&live_instances, 1, __ATOMIC_SEQ_CST);
  return hosted->newPlugin(&instance->ctx);
}

static bRC free_plugin(BaculaContext* ctx)
{
  Instance* instance = instance_of(ctx);
  if (!instance) return bRC_Error;
  bRC rc = hosted->freePlugin(&instance->ctx);
  if (instance->core_fd >= 0) close(instance->core_fd);
  ctx->plugin_private = NULL;
  free(instance);
  __atomic_sub_fetch(&live_instances, 1, __ATOMIC_SEQ_CST);
  return rc;
}

static bRC get_plugin_value(BaculaContext* ctx, pVariable var, void* value)
{
  Instance* instance = instance_of(ctx);
  return instance ? hosted->getPluginValue(&instance->ctx, var, value) : bRC_Error;
}

static bRC set_plugin_value(BaculaContext* ctx, pVariable var, void* value)
{
  Instance* instance = instance_of(ctx);
  return instance ? hosted->setPluginValue(&instance->ctx, var, value) : bRC_Error;
}

/* Bacula sends every event to every plugin; Bareos only the registered
 * ones, renumbered.  The HandleBackupFile event carries a save packet. */
static bRC handle_plugin_event(BaculaContext* ctx, BaculaEvent* event, void* value)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !event) return bRC_Error;
  uint32_t number = bareos_event(event->eventType);
  if (!number || !(instance->events & ((uint64_t)1 << number))) return bRC_OK;
  bEvent translated = {.eventType = number};
  if (number != bEventHandleBackupFile || !value)
    return hosted->handlePluginEvent(&instance->ctx, &translated, value);
  save_pkt sp;
  save_to_bareos(&sp, value, ctx);
  bRC rc = hosted->handlePluginEvent(&instance->ctx, &translated, &sp);
  save_to_bacula(value, &sp);
  return rc;
}

static bRC start_backup_file(BaculaContext* ctx, bacula_save_pkt* packet)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !packet) return bRC_Error;
  save_pkt sp;
  save_to_bareos(&sp, packet, ctx);
  bRC rc = hosted->startBackupFile(&instance->ctx, &sp);
  save_to_bacula(packet, &sp);
  return rc;
}

static bRC end_backup_file(BaculaContext* ctx)
{
  Instance* instance = instance_of(ctx);
  return instance ? hosted->endBackupFile(&instance->ctx) : bRC_Error;
}

static bRC start_restore_file(BaculaContext* ctx, const char* cmd)
{
  Instance* instance = instance_of(ctx);
  return instance ? hosted->startRestoreFile(&instance->ctx, cmd) : bRC_Error;
}

static bRC end_restore_file(BaculaContext* ctx)
{
  Instance* instance = instance_of(ctx);
  return instance ? hosted->endRestoreFile(&instance->ctx) : bRC_Error;
}

/* Bacula's status for a failed system call on the core descriptor. */
static bRC io_failed(bacula_io_pkt* packet)
{
  packet->status = -1;
  packet->io_errno = errno;
  return bRC_Error;
}

/* The I/O Bareos would do in its core after "iostat_do_in_core": Bacula
 * cannot, so the adapter reads, writes and seeks on the plugin's
 * descriptor; IO_CLOSE goes back to the plugin with it, as Bareos does. */
static bRC core_io(Instance* instance, bacula_io_pkt* packet)
{
  int fd = instance->core_fd;
  ssize_t done;
  off_t where;
  switch (packet->func) {
    case IO_READ:
      do done = read(fd, packet->buf, (size_t)packet->count);
      while (done < 0 && errno == EINTR);
      if (done < 0) return io_failed(packet);
      packet->status = (int32_t)done;
      return bRC_OK;
    case IO_WRITE:
      for (done = 0; done < packet->count;) {
        ssize_t n = write(fd, packet->buf + done, (size_t)(packet->count - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return io_failed(packet);
        done += n;
      }
      packet->status = (int32_t)done;
      return bRC_OK;
    case IO_SEEK:
      where = lseek(fd, (off_t)packet->offset, packet->whence);
      if (where < 0) return io_failed(packet);
      packet->offset = where;
      packet->status = 0;
      return bRC_OK;
    default: { /* IO_CLOSE */
      io_pkt io;
      io_to_bareos(&io, packet, fd);
      instance->core_fd = -1;
      bRC rc = hosted->pluginIO(&instance->ctx, &io);
      io_to_bacula(packet, &io);
      return rc;
    }
  }
}

static bRC plugin_io(BaculaContext* ctx, bacula_io_pkt* packet)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !packet) return bRC_Error;
  if (instance->core_fd >= 0 && packet->func != IO_OPEN) return core_io(instance, packet);
  io_pkt io;
  io_to_bareos(&io, packet, packet->func == IO_OPEN ? kInvalidFiledescriptor : 0);
  bRC rc = hosted->pluginIO(&instance->ctx, &io);
  io_to_bacula(packet, &io);
  if (packet->func == IO_OPEN && rc != bRC_Error && io.status == iostat_do_in_core) {
    if (io.filedes < 0) {
      packet->status = -1;
      if (!packet->io_errno) packet->io_errno = EBADF;
      return bRC_Error;
    }
    if (instance->core_fd >= 0) close(instance->core_fd);
    instance->core_fd = io.filedes;
    packet->status = 0; /* Bacula: opened */
  }
  return rc;
}

/* A descriptor createFile hands over with CF_CREATED is the core's to close
 * (after the attributes); Bacula does not know it: close it through the
 * plugin at once. */
static void close_created(Instance* instance, const restore_pkt* rp)
{
  if (rp->create_status != CF_CREATED || rp->filedes < 0) return;
  io_pkt io;
  memset(&io, 0, sizeof io);
  io.pkt_size = io.pkt_end = sizeof io;
  io.func = IO_CLOSE;
  io.filedes = rp->filedes;
  hosted->pluginIO(&instance->ctx, &io);
}

static bRC create_file(BaculaContext* ctx, bacula_restore_pkt* packet)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !packet) return bRC_Error;
  restore_pkt rp;
  restore_to_bareos(&rp, packet);
  bRC rc = hosted->createFile(&instance->ctx, &rp);
  packet->create_status = rp.create_status;
  close_created(instance, &rp);
  return rc;
}

static bRC set_file_attributes(BaculaContext* ctx, bacula_restore_pkt* packet)
{
  Instance* instance = instance_of(ctx);
  if (!instance || !packet) return bRC_Error;
  restore_pkt rp;
  restore_to_bareos(&rp, packet);
  bRC rc = hosted->setFileAttributes(&instance->ctx, &rp);
  packet->create_status = rp.create_status;
  return rc;
}

static bRC check_file(BaculaContext* ctx, char* fname)
{
  Instance* instance = instance_of(ctx);
  if (!instance) return bRC_Error;
  return hosted->checkFile ? hosted->checkFile(&instance->ctx, fname) : bRC_OK;
}

/* ACLs and xattrs: Bacula's one-blob-per-stream packets do not map onto the
 * Bareos per-name calls without a format of our own; none are sent, and
 * what a restore brings is ignored. */
static bRC handle_xacl_data(BaculaContext* ctx, bacula_xacl_pkt* packet)
{
  (void)ctx;
  if (!packet) return bRC_Error;
  if (packet->func == BACULA_ACL_BACKUP || packet->func == BACULA_XATTR_BACKUP) {
    packet->count = 0;
    packet->content = NULL;
  }
  return bRC_OK;
}

static bRC check_stream(BaculaContext* ctx, struct bacula_stream_pkt* packet)
{
  (void)ctx, (void)packet;
  return bRC_OK;
}

static BaculaFdPluginFunctions bacula_functions = {
    .size = sizeof(BaculaFdPluginFunctions),
    .version = BACULA_FD_INTERFACE_VERSION,
    .newPlugin = new_plugin,
    .freePlugin = free_plugin,
    .getPluginValue = get_plugin_value,
    .setPluginValue = set_plugin_value,
    .handlePluginEvent = handle_plugin_event,
    .startBackupFile = start_backup_file,
    .endBackupFile = end_backup_file,
    .startRestoreFile = start_restore_file,
    .endRestoreFile = end_restore_file,
    .pluginIO = plugin_io,
    .createFile = create_file,
    .setFileAttributes = set_file_attributes,
    .checkFile = check_file,
    .handleXACLdata = handle_xacl_data,
    .checkStream = check_stream,
};

static BaculaPluginInfo bacula_info = {
    .size = sizeof(BaculaPluginInfo),
    .version = BACULA_FD_INTERFACE_VERSION,
    .magic = BACULA_FD_PLUGIN_MAGIC,
    .license = BACULA_PLUGIN_LICENSE,
    .author = "the bareospy developers",
    .date = "December 2026",
    .version_string = "1",
    .description = "Python File Daemon Plugin (bareospy, Bareos API on Bacula 9.6)",
};

/* ------------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------- */

static void complain(const char* text, const char* detail)
{
  if (bacula)
    bacula->JobMessage(NULL, __FILE__, __LINE__, M_ERROR, 0, "python3-fd (bacula): %s%s\n", text,
                       detail ? detail : "");
  fprintf(stderr, "python3-fd (bacula): %s%s\n", text, detail ? detail : "");
}

/* The hosted plugin's path (and hosted_dir) from where this file is. */
static int locate_hosted(char* path, size_t size)
{
  Dl_info info;
  char self[PATH_MAX];
  if (!dladdr((void*)locate_hosted, &info) || !info.dli_fname) return 0;
  if (!realpath(info.dli_fname, self)) return 0;
  char* slash = strrchr(self, '/');
  if (!slash) return 0;
  *slash = '\0';
  int length = snprintf(path, size, "%s/%s", self, HOSTED_PLUGIN);
  if (length < 0 || (size_t)length >= size) return 0;
  char resolved[PATH_MAX];
  if (!realpath(path, resolved)) return 0;
  snprintf(path, size, "%s", resolved);
  snprintf(hosted_dir, sizeof hosted_dir, "%s", resolved);
  slash = strrchr(hosted_dir, '/');
  if (slash) *slash = '\0';
  return 1;
}

/* The daemon's configuration file: the argument of its -c option (read from
 * /proc/self/cmdline, as the daemon was started), else Debian's default. */
static void find_used_config(void)
{
  snprintf(used_config, sizeof used_config, "%s", "/etc/bacula/bacula-fd.conf");
  FILE* cmdline = fopen("/proc/self/cmdline", "r");
  if (!cmdline) return;
  char arguments[8192];
  size_t length = fread(arguments, 1, sizeof arguments - 1, cmdline);
  fclose(cmdline);
  arguments[length] = '\0';
  for (size_t at = 0; at < length; at += strlen(arguments + at) + 1) {
    const char* argument = arguments + at;
    const char* path = NULL;
    if (strcmp(argument, "-c") == 0 && at + 3 < length)
      path = argument + 3;
    else if (strncmp(argument, "-c", 2) == 0 && argument[2] != '\0')
      path = argument + 2;
    if (path && !realpath(path, used_config)) snprintf(used_config, sizeof used_config, "%s", path);
    if (path) return;
  }
}

static bRC load_hosted(void)
{
  char path[PATH_MAX];
  if (!locate_hosted(path, sizeof path)) {
    complain("cannot find the Bareos plugin " HOSTED_PLUGIN " beside this one", NULL);
    return bRC_Error;
  }
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    complain("cannot load the Bareos plugin: ", dlerror());
    return bRC_Error;
  }
  loadPlugin_t load = (loadPlugin_t)dlsym(handle, "loadPlugin");
  hosted_unload = (unloadPlugin_t)dlsym(handle, "unloadPlugin");
  if (!load || !hosted_unload) {
    complain("no loadPlugin/unloadPlugin in ", path);
    return bRC_Error;
  }
  PluginApiDefinition api = {.size = sizeof api, .version = FD_PLUGIN_INTERFACE_VERSION};
  PluginInformation* information = NULL;
  void* functions = NULL;
  if (load(&api, &bareos_core, &information, &functions) != bRC_OK || !information ||
      !functions) {
    complain("the Bareos plugin failed to load: ", path);
    return bRC_Error;
  }
  if (information->version != FD_PLUGIN_INTERFACE_VERSION) {
    complain("the Bareos plugin has another interface version: ", path);
    return bRC_Error;
  }
  hosted = functions;
  return bRC_OK;
}

/* The entry points keep plugin.h's prototypes: the daemon reads the info
 * block through the pointer as a BaculaPluginInfo. */
bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  (void)core_info;
  if (!core_functions || !plugin_info || !plugin_functions) return bRC_Error;
  bacula = core_functions;
  find_used_config();
  if (!hosted && load_hosted() != bRC_OK) return bRC_Error;
  *plugin_info = (PluginInformation*)(void*)&bacula_info;
  *plugin_functions = &bacula_functions;
  return bRC_OK;
}

bRC unloadPlugin(void)
{
  if (hosted_unload) hosted_unload();
  hosted = NULL;
  hosted_unload = NULL;
  return bRC_OK;
}
