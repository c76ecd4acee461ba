/* names.c -- the names of file daemon constants (see names.h). */
#include "kit/names.h"

#include <stddef.h>

#include "bareospy/fd.h"

typedef struct {
  int value;
  const char* name;
} Name;

#define NAME(constant) {constant, #constant}

static const Name events[] = {
    NAME(bEventJobStart), NAME(bEventJobEnd), NAME(bEventStartBackupJob),
    NAME(bEventEndBackupJob), NAME(bEventStartRestoreJob), NAME(bEventEndRestoreJob),
    NAME(bEventStartVerifyJob), NAME(bEventEndVerifyJob), NAME(bEventBackupCommand),
    NAME(bEventRestoreCommand), NAME(bEventEstimateCommand), NAME(bEventLevel),
    NAME(bEventSince), NAME(bEventCancelCommand), NAME(bEventRestoreObject),
    NAME(bEventEndFileSet), NAME(bEventPluginCommand), NAME(bEventOptionPlugin),
    NAME(bEventHandleBackupFile), NAME(bEventNewPluginOptions),
    NAME(bEventVssInitializeForBackup), NAME(bEventVssInitializeForRestore),
    NAME(bEventVssSetBackupState), NAME(bEventVssPrepareForBackup),
    NAME(bEventVssBackupAddComponents), NAME(bEventVssPrepareSnapshot),
    NAME(bEventVssCreateSnapshots), NAME(bEventVssRestoreLoadComponentMetadata),
    NAME(bEventVssRestoreSetComponentsSelected), NAME(bEventVssCloseRestore),
    NAME(bEventVssBackupComplete)};

static const Name file_types[] = {
    NAME(FT_LNKSAVED), NAME(FT_REGE),     NAME(FT_REG),       NAME(FT_LNK),
    NAME(FT_DIREND),   NAME(FT_SPEC),     NAME(FT_NOACCESS),  NAME(FT_NOFOLLOW),
    NAME(FT_NOSTAT),   NAME(FT_NOCHG),    NAME(FT_DIRNOCHG),  NAME(FT_ISARCH),
    NAME(FT_NORECURSE), NAME(FT_NOFSCHG), NAME(FT_NOOPEN),    NAME(FT_RAW),
    NAME(FT_FIFO),     NAME(FT_DIRBEGIN), NAME(FT_INVALIDFS), NAME(FT_INVALIDDT),
    NAME(FT_REPARSE),  NAME(FT_PLUGIN),   NAME(FT_DELETED),   NAME(FT_BASE),
    NAME(FT_RESTORE_FIRST), NAME(FT_JUNCTION), NAME(FT_PLUGIN_CONFIG),
    NAME(FT_PLUGIN_CONFIG_FILLED)};

static const Name io_functions[] = {NAME(IO_OPEN), NAME(IO_READ), NAME(IO_WRITE), NAME(IO_CLOSE),
                                    NAME(IO_SEEK)};

static const Name return_codes[] = {NAME(bRC_OK),   NAME(bRC_Stop), NAME(bRC_Error),
                                    NAME(bRC_More), NAME(bRC_Term), NAME(bRC_Seen),
                                    NAME(bRC_Core), NAME(bRC_Skip), NAME(bRC_Cancel)};

static const char* lookup(const Name* table, size_t count, int value)
{
  for (size_t i = 0; i < count; i++)
    if (table[i].value == value) return table[i].name;
  return NULL;
}

#define LOOKUP(table, value) lookup(table, sizeof table / sizeof table[0], value)

const char* fd_event_name(int event) { return LOOKUP(events, event); }
const char* file_type_constant_name(int type) { return LOOKUP(file_types, type); }
const char* io_function_name(int function) { return LOOKUP(io_functions, function); }
const char* return_code_name(int rc) { return LOOKUP(return_codes, rc); }
