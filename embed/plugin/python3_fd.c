/* python3-fd.so: the file daemon's Python plugin.
 *
 * A daemon dlopen()s this library and calls loadPlugin() once, then the
 * entry points of the PluginFunctions table for every job, event, file and
 * I/O block.  This file holds what is specific to the file daemon: the ABI
 * tables, the entry point wrappers (each takes the GIL and calls the Cython
 * implementation) and the events every instance gets.  Starting Python,
 * thread states and loading are shared with the other daemons' plugins
 * (python3_common.c); packets, script loading and error reporting are the
 * Cython code of bareospy/bareosfd.pyx, compiled into the same library and
 * reached through its `public` functions (bareosfd.h, from fd/public-api.pxi).
 */
#include "python3_common.h"

#include "bareospy/fd.h"
#include "bareosfd.h"

static const char usage[] =
    "python3:module_name=<python-module-to-load>:module_path=<path-to-python-modules>"
    ":<key>=<value>:...\n"
    "  module_name  the Python module (the plugin script) to import\n"
    "  module_path  a directory searched for it (and for its helper modules)\n"
    "  The plugin directory is always searched too; every other key=value pair\n"
    "  is passed to the script's load_bareos_plugin/parse_plugin_definition.\n";

static PluginInformation information = BAREOSPY_PLUGIN_INFORMATION(
    FD_PLUGIN_INTERFACE_VERSION, FD_PLUGIN_MAGIC, "Python File Daemon Plugin (bareospy)", usage);

static FdCoreFunctions* core = NULL;

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions);
bRC unloadPlugin(void);

static bRC newPlugin(PluginContext* ctx);
static bRC freePlugin(PluginContext* ctx);
static bRC handlePluginEvent(PluginContext* ctx, bEvent* event, void* value);
static bRC startBackupFile(PluginContext* ctx, save_pkt* sp);
static bRC endBackupFile(PluginContext* ctx);
static bRC startRestoreFile(PluginContext* ctx, const char* cmd);
static bRC endRestoreFile(PluginContext* ctx);
static bRC pluginIO(PluginContext* ctx, io_pkt* io);
static bRC createFile(PluginContext* ctx, restore_pkt* rp);
static bRC setFileAttributes(PluginContext* ctx, restore_pkt* rp);
static bRC checkFile(PluginContext* ctx, char* fname);
static bRC getAcl(PluginContext* ctx, acl_pkt* ap);
static bRC setAcl(PluginContext* ctx, acl_pkt* ap);
static bRC getXattr(PluginContext* ctx, xattr_pkt* xp);
static bRC setXattr(PluginContext* ctx, xattr_pkt* xp);

static FdPluginFunctions functions = {
    .size = sizeof(FdPluginFunctions),
    .version = FD_PLUGIN_INTERFACE_VERSION,
    .newPlugin = newPlugin,
    .freePlugin = freePlugin,
    /* Nothing to get or set (as the reference): one no-op, in Cython. */
    .getPluginValue = bareospy_fd_plugin_value,
    .setPluginValue = bareospy_fd_plugin_value,
    .handlePluginEvent = handlePluginEvent,
    .startBackupFile = startBackupFile,
    .endBackupFile = endBackupFile,
    .startRestoreFile = startRestoreFile,
    .endRestoreFile = endRestoreFile,
    .pluginIO = pluginIO,
    .createFile = createFile,
    .setFileAttributes = setFileAttributes,
    .checkFile = checkFile,
    .getAcl = getAcl,
    .setAcl = setAcl,
    .getXattr = getXattr,
    .setXattr = setXattr,
};

static bRC setup_module(void* core_functions)
{
  return bareospy_fd_setup((FdCoreFunctions*)core_functions);
}

static const BareospyGlue glue = {
    .plugin_name = "python3-fd",
    .module_name = "bareosfd",
    .init_module = BAREOSPY_MODULE_INIT(bareosfd),
    .setup = setup_module,
    .teardown = bareospy_fd_teardown,
};

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  (void)core_info;
  if (!core_functions || !plugin_info || !plugin_functions) return bRC_Error;
  core = (FdCoreFunctions*)core_functions;
  if (bareospy_glue_load(&glue, core, core->JobMessage) != bRC_OK) return bRC_Error;
  *plugin_info = &information;
  *plugin_functions = &functions;
  return bRC_OK;
}

bRC unloadPlugin(void)
{
  bareospy_glue_unload(&glue);
  core = NULL;
  return bRC_OK;
}


static bRC newPlugin(PluginContext* ctx)
{
  if (!ctx) return bRC_Error;
  PyThreadState* tstate = bareospy_glue_enter();
  bRC rc = bareospy_fd_new_plugin(ctx);
  bareospy_glue_leave(tstate);
  if (rc != bRC_OK) return rc;
  return core->registerBareosEvents(ctx, 9, bEventLevel, bEventSince, bEventNewPluginOptions,
                                    bEventPluginCommand, bEventJobStart, bEventRestoreCommand,
                                    bEventEstimateCommand, bEventBackupCommand,
                                    bEventRestoreObject);
}

static bRC freePlugin(PluginContext* ctx) { WITH_GIL(bareospy_fd_free_plugin(ctx)); }
static bRC handlePluginEvent(PluginContext* ctx, bEvent* event, void* value)
{
  if (!event) return bRC_Error;
  WITH_GIL(bareospy_fd_handle_plugin_event(ctx, event, value));
}
static bRC startBackupFile(PluginContext* ctx, save_pkt* sp)
{
  if (!sp) return bRC_Error;
  WITH_GIL(bareospy_fd_start_backup_file(ctx, sp));
}
static bRC endBackupFile(PluginContext* ctx) { WITH_GIL(bareospy_fd_end_backup_file(ctx)); }
static bRC startRestoreFile(PluginContext* ctx, const char* cmd)
{
  WITH_GIL(bareospy_fd_start_restore_file(ctx, cmd));
}
static bRC endRestoreFile(PluginContext* ctx) { WITH_GIL(bareospy_fd_end_restore_file(ctx)); }
static bRC pluginIO(PluginContext* ctx, io_pkt* io)
{
  if (!io) return bRC_Error;
  WITH_GIL(bareospy_fd_plugin_io(ctx, io));
}
static bRC createFile(PluginContext* ctx, restore_pkt* rp)
{
  if (!rp) return bRC_Error;
  WITH_GIL(bareospy_fd_create_file(ctx, rp));
}
static bRC setFileAttributes(PluginContext* ctx, restore_pkt* rp)
{
  if (!rp) return bRC_Error;
  WITH_GIL(bareospy_fd_set_file_attributes(ctx, rp));
}
static bRC checkFile(PluginContext* ctx, char* fname) { WITH_GIL(bareospy_fd_check_file(ctx, fname)); }
static bRC getAcl(PluginContext* ctx, acl_pkt* ap)
{
  if (!ap) return bRC_Error;
  WITH_GIL(bareospy_fd_get_acl(ctx, ap));
}
static bRC setAcl(PluginContext* ctx, acl_pkt* ap)
{
  if (!ap) return bRC_Error;
  WITH_GIL(bareospy_fd_set_acl(ctx, ap));
}
static bRC getXattr(PluginContext* ctx, xattr_pkt* xp)
{
  if (!xp) return bRC_Error;
  WITH_GIL(bareospy_fd_get_xattr(ctx, xp));
}
static bRC setXattr(PluginContext* ctx, xattr_pkt* xp)
{
  if (!xp) return bRC_Error;
  WITH_GIL(bareospy_fd_set_xattr(ctx, xp));
}
