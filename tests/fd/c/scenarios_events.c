/* scenarios_events.c -- events: newPlugin, PluginCommand(definition), the
 * --event list, the --check-file list, freePlugin. */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

static void deliver_option_event(Instance* inst, const EventOption* ev)
{
  const char* value = ev->value;
  switch (ev->number) {
    case bEventLevel:
      deliver(inst, bEventLevel, (void*)(intptr_t)(value ? value[0] : 0), value);
      return;
    case bEventSince:
      deliver(inst, bEventSince, (void*)(intptr_t)(value ? strtoll(value, NULL, 10) : 0), value);
      return;
    case bEventRestoreObject: {
      if (!value) {
        deliver(inst, bEventRestoreObject, NULL, NULL);
        return;
      }
      static char object_name[] = "driver-object";
      static char object[] = "driver object payload";
      char* plugin_name = xstrdup(value);
      restore_object_pkt rop;
      restore_object_init(&rop, plugin_name, object_name, object, strlen(object), FT_RESTORE_FIRST, 1);
      deliver(inst, bEventRestoreObject, &rop, value);
      free(plugin_name);
      return;
    }
    case bEventHandleBackupFile: {
      save_pkt sp;
      char* command = xstrdup(opt.definition);
      char* fname = xstrdup(value ? value : "/");
      save_pkt_init(&sp, command);
      sp.fname = fname;
      struct stat st;
      if (lstat(fname, &st) == 0) {
        sp.statp = st;
        sp.type = S_ISDIR(st.st_mode) ? FT_DIREND : S_ISLNK(st.st_mode) ? FT_LNK : st.st_size ? FT_REG : FT_REGE;
      } else {
        sp.type = FT_NOSTAT;
      }
      bRC rc = deliver(inst, bEventHandleBackupFile, &sp, value);
      print_save_pkt("handleBackupFile", inst, rc, &sp);
      free(command);
      free(fname);
      return;
    }
    default:
      deliver_copy(inst, (uint32_t)ev->number, value);
  }
}

int scenario_events(void)
{
  Job job;
  Instance inst;
  job_open(&job, &inst, JT_BACKUP, opt.jobid);
  if (!opt.no_command) deliver_copy(&inst, bEventPluginCommand, opt.definition);
  for (int i = 0; i < opt.nevents; i++) deliver_option_event(&inst, &opt.events[i]);
  for (int i = 0; i < opt.ncheck_files; i++) call_check_file(&inst, opt.check_files[i]);
  job_close(&job, &inst, "events");
  return 0;
}
