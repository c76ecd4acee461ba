/* calls.c -- calling the plugin's entry points, each call printed as one
 * {"call": NAME, "thread": N, ...} line: instances, event delivery with the
 * core's rules (§1.5), the packets the core fills, file I/O (§6). */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void call_begin(Json* j, const char* name)
{
  j_begin(j);
  j_str(j, "call", name);
  j_int(j, "thread", thread_label());
}

/* Start the line of a call about one name: {"call", "thread", key: value, "rc"}. */
void call_result(Json* j, const char* name, const char* key, const char* value, bRC rc)
{
  call_begin(j, name);
  j_str(j, key, value);
  j_int(j, "rc", rc);
}

/* -- instances ------------------------------------------------------------- */

bRC call_new_plugin(Instance* inst)
{
  live_instances_add(1);
  bRC rc = fns->newPlugin(&inst->ctx);
  Json j;
  call_begin(&j, "newPlugin");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "rc", rc);
  j_end(&j);
  if (rc != bRC_OK) inst->disabled = true;
  return rc;
}

bRC call_free_plugin(Instance* inst)
{
  bRC rc = fns->freePlugin(&inst->ctx);
  live_instances_add(-1);
  Json j;
  call_begin(&j, "freePlugin");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "rc", rc);
  j_bool(&j, "private_context_cleared", inst->ctx.plugin_private_context == NULL);
  j_end(&j);
  return rc;
}

/* -- events ---------------------------------------------------------------- */

/* Does the plugin string's name (text before the first ':') name this
 * plugin (contract §4.7)? */
bool plugin_matches(Job* job, const char* command)
{
  if (!command) return true;
  const char* colon = strchr(command, ':');
  size_t len = colon ? (size_t)(colon - command) : strlen(command);
  if (!colon && strchr(command, ' ')) {
    job_message(job, M_ERROR, "Malformed plugin command: %s\n", command);
    return false;
  }
  if ((len == 5 && strncmp(command, "*all*", 5) == 0) || (len == 3 && strncmp(command, "job", 3) == 0))
    return true;
  size_t file_len = (size_t)plugin_record.file_len;
  if (len == file_len && strncmp(command, plugin_record.file, len) == 0) return true;
  if (file_len > 0 && len == file_len - 1 && strncmp(command, plugin_record.file, len) == 0) return true;
  return false;
}

/* handlePluginEvent, called directly (no registration check). */
bRC deliver(Instance* inst, uint32_t type, void* value, const char* shown)
{
  bEvent event = {type};
  bRC rc = fns->handlePluginEvent(&inst->ctx, &event, value);
  Json j;
  call_begin(&j, "handlePluginEvent");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "event", type);
  if (shown) j_str(&j, "value", shown);
  j_bool(&j, "registered", is_registered(inst, type));
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

/* Send (deliver or generate) an event whose value is a copy of text (NULL:
 * no value), valid only for the call, like the core's own strings. */
static bRC send_copy(bRC (*send)(Instance*, uint32_t, void*, const char*), Instance* inst, uint32_t type,
                     const char* text)
{
  char* copy = xstrdup_or_null(text);
  bRC rc = send(inst, type, copy, text);
  free(copy);
  return rc;
}

bRC deliver_copy(Instance* inst, uint32_t type, const char* text)
{
  return send_copy(deliver, inst, type, text);
}

void not_delivered(Instance* inst, uint32_t type, const char* reason)
{
  Json j;
  call_begin(&j, "handlePluginEvent");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "event", type);
  j_bool(&j, "delivered", false);
  j_str(&j, "reason", reason);
  j_end(&j);
}

/* GeneratePluginEvent for one instance (contract §1.5, FD rules). */
bRC generate(Instance* inst, uint32_t type, void* value, const char* shown)
{
  if (inst->disabled) {
    not_delivered(inst, type, "disabled");
    return bRC_OK;
  }
  bool end_event = type == bEventEndBackupJob || type == bEventEndRestoreJob || type == bEventEndVerifyJob;
  if (job_canceled(inst->job) && !end_event && type != bEventCancelCommand) {
    not_delivered(inst, type, "canceled");
    return bRC_Cancel;
  }
  if (!is_registered(inst, type)) {
    not_delivered(inst, type, "not registered");
    return bRC_OK;
  }
  if (type == bEventEndRestoreJob && inst->restore_started) {
    call_end_restore_file(inst);
    inst->restore_started = false;
  }
  if (type == bEventStartRestoreJob) inst->restore_started = false;
  return deliver(inst, type, value, shown);
}

bRC generate_copy(Instance* inst, uint32_t type, const char* text)
{
  return send_copy(generate, inst, type, text);
}

/* An event that carries a plugin string: only the matching plugin gets it. */
bRC generate_named(Instance* inst, uint32_t type, const char* command)
{
  if (!plugin_matches(inst->job, command)) {
    not_delivered(inst, type, "other plugin");
    return bRC_OK;
  }
  return generate_copy(inst, type, command);
}

/* -- packets --------------------------------------------------------------- */

bool is_object_type(int type)
{
  return type == FT_RESTORE_FIRST || type == FT_PLUGIN_CONFIG || type == FT_PLUGIN_CONFIG_FILLED;
}

void save_pkt_init(save_pkt* sp, char* cmd)
{
  memset(sp, 0, sizeof *sp);
  sp->pkt_size = sizeof *sp;
  sp->pkt_end = sizeof *sp;
  sp->portable = true;
  sp->no_read = false;
  memcpy(sp->flags, opt.flags, FOPTS_BYTES);
  sp->cmd = cmd;
}

static void j_stat(Json* j, const struct stat* st)
{
  j_uint(j, "st_dev", (unsigned long long)st->st_dev);
  j_uint(j, "st_ino", (unsigned long long)st->st_ino);
  j_uint(j, "st_mode", (unsigned long long)st->st_mode);
  j_uint(j, "st_nlink", (unsigned long long)st->st_nlink);
  j_uint(j, "st_uid", (unsigned long long)st->st_uid);
  j_uint(j, "st_gid", (unsigned long long)st->st_gid);
  j_uint(j, "st_rdev", (unsigned long long)st->st_rdev);
  j_int(j, "st_size", (long long)st->st_size);
  j_int(j, "st_atime", (long long)st->st_atime);
  j_int(j, "st_mtime", (long long)st->st_mtime);
  j_int(j, "st_ctime", (long long)st->st_ctime);
  j_int(j, "st_blksize", (long long)st->st_blksize);
  j_int(j, "st_blocks", (long long)st->st_blocks);
}

static void j_flags(Json* j, const char* key, const char flags[FOPTS_BYTES])
{
  char text[2 * FOPTS_BYTES + 1];
  for (int i = 0; i < FOPTS_BYTES; i++) snprintf(text + 2 * i, 3, "%02x", (unsigned char)flags[i]);
  j_str(j, key, text);
}

void print_save_pkt(const char* call, Instance* inst, bRC rc, const save_pkt* sp)
{
  Json j;
  call_begin(&j, call);
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "rc", rc);
  j_str(&j, "fname", sp->fname);
  j_str(&j, "link", sp->link);
  j_int(&j, "type", sp->type);
  j_bool(&j, "no_read", sp->no_read);
  j_bool(&j, "portable", sp->portable);
  j_bool(&j, "accurate_found", sp->accurate_found);
  j_flags(&j, "flags", sp->flags);
  j_int(&j, "save_time", (long long)sp->save_time);
  j_uint(&j, "delta_seq", sp->delta_seq);
  j_stat(&j, &sp->statp);
  j_str(&j, "object_name", sp->object_name);
  j_int(&j, "object_len", sp->object_len);
  j_int(&j, "index", sp->index);
  if (sp->object && sp->object_len > 0)
    j_strn(&j, "object", sp->object, (size_t)sp->object_len);
  else
    j_null(&j, "object");
  j_end(&j);
}

void acl_pkt_init(acl_pkt* ap, const char* fname)
{
  memset(ap, 0, sizeof *ap);
  ap->pkt_size = ap->pkt_end = sizeof *ap;
  ap->fname = fname;
}

void xattr_pkt_init(xattr_pkt* xp, const char* fname)
{
  memset(xp, 0, sizeof *xp);
  xp->pkt_size = xp->pkt_end = sizeof *xp;
  xp->fname = fname;
}

/* A restore object of this job, as the core builds it for bEventRestoreObject
 * (uncompressed: the full length is the length). */
void restore_object_init(restore_object_pkt* rop, char* plugin_name, char* object_name, char* object,
                         size_t len, int type, int index)
{
  memset(rop, 0, sizeof *rop);
  rop->pkt_size = rop->pkt_end = sizeof *rop;
  rop->object_name = object_name;
  rop->object = object;
  rop->plugin_name = plugin_name;
  rop->object_type = type;
  rop->object_len = rop->object_full_len = (int32_t)len;
  rop->object_index = index;
  rop->JobId = (uint32_t)opt.jobid;
}

/* -- file I/O (contract §6) ------------------------------------------------ */

void io_init(io_pkt* io, int func)
{
  memset(io, 0, sizeof *io);
  io->pkt_size = sizeof *io;
  io->pkt_end = sizeof *io;
  io->func = func;
}

bRC call_plugin_io(Instance* inst, io_pkt* io)
{
  bRC rc = fns->pluginIO(&inst->ctx, io);
  Json j;
  call_begin(&j, "pluginIO");
  j_int(&j, "ctx", inst->ctx.instance);
  j_int(&j, "func", io->func);
  if (io->func == IO_OPEN) {
    j_str(&j, "fname", io->fname);
    j_int(&j, "flags", io->flags);
    j_int(&j, "mode", (long long)io->mode);
  }
  if (io->func == IO_READ || io->func == IO_WRITE) j_int(&j, "count", io->count);
  j_int(&j, "rc", rc);
  j_int(&j, "status", io->status);
  j_int(&j, "io_errno", io->io_errno);
  j_int(&j, "lerror", io->lerror);
  j_bool(&j, "win32", io->win32);
  j_int(&j, "filedes", io->filedes);
  j_end(&j);
  return rc;
}

/* What an IO_OPEN answer means (spec §6.1): a bRC_Error return or a negative
 * status fails; iostat_do_in_core with a descriptor hands the I/O to the core
 * (*core_mode), without one it fails; anything else: the plugin does the I/O. */
static bool open_outcome(bRC rc, const io_pkt* io, bool* core_mode)
{
  *core_mode = false;
  if (rc == bRC_Error) return false;
  if (io->status == iostat_do_in_core) {
    *core_mode = io->filedes != kInvalidFiledescriptor;
    return *core_mode;
  }
  return io->status >= 0;
}

/* IO_OPEN of fname through the plugin. */
PluginFile plugin_open(Instance* inst, const char* fname, int flags, mode_t mode)
{
  io_pkt io;
  io_init(&io, IO_OPEN);
  io.fname = fname;
  io.flags = flags;
  io.mode = mode;
  io.filedes = kInvalidFiledescriptor;
  bRC rc = call_plugin_io(inst, &io);
  PluginFile file;
  file.opened = open_outcome(rc, &io, &file.core_mode);
  file.fd = file.core_mode ? io.filedes : -1;
  file.io_errno = io.io_errno;
  return file;
}

/* IO_CLOSE with this descriptor (0: the plugin's own I/O). */
void call_io_close(Instance* inst, int filedes)
{
  io_pkt io;
  io_init(&io, IO_CLOSE);
  io.filedes = filedes;
  call_plugin_io(inst, &io);
}

void plugin_close(Instance* inst, const PluginFile* file)
{
  call_io_close(inst, file->core_mode ? file->fd : 0);
}

/* The line that sums up a file's data: {key: name, "bytes", "sha256", "mode"}. */
void print_transfer(const char* key, const char* name, size_t bytes, Sha256* sha, bool core_mode)
{
  char hex[65];
  sha_hex(sha, hex);
  Json j;
  j_begin(&j);
  j_str(&j, key, name);
  j_uint(&j, "bytes", bytes);
  j_str(&j, "sha256", hex);
  j_str(&j, "mode", core_mode ? "core" : "plugin");
  j_end(&j);
}

/* -- other entry points ---------------------------------------------------- */

bRC call_end_restore_file(Instance* inst)
{
  bRC rc = fns->endRestoreFile(&inst->ctx);
  Json j;
  call_begin(&j, "endRestoreFile");
  j_int(&j, "rc", rc);
  j_end(&j);
  return rc;
}

void call_check_file(Instance* inst, const char* name)
{
  char* copy = xstrdup(name);
  bRC rc = fns->checkFile(&inst->ctx, copy);
  Json j;
  call_result(&j, "checkFile", "fname", name, rc);
  j_end(&j);
  free(copy);
}
