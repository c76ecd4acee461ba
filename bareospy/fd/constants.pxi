# bareosfd's constants: which C constant is published under which name and
# in which dictionary (spec §2.4).  Values come from include/ only; the
# names come from the enums of bareospy/includes/*.pxd.  Both blocks below
# are written by tools/gen_constants.py from tools/constants.txt: edit the
# table and run the generator, not the blocks.

# --- BEGIN GENERATED pairs (tools/gen_constants.py) ---
# bFileType: the 28 FT_* file types.
_FILE_TYPE_PAIRS = (
    ("FT_LNKSAVED", FT_LNKSAVED),
    ("FT_REGE", FT_REGE),
    ("FT_REG", FT_REG),
    ("FT_LNK", FT_LNK),
    ("FT_DIREND", FT_DIREND),
    ("FT_SPEC", FT_SPEC),
    ("FT_NOACCESS", FT_NOACCESS),
    ("FT_NOFOLLOW", FT_NOFOLLOW),
    ("FT_NOSTAT", FT_NOSTAT),
    ("FT_NOCHG", FT_NOCHG),
    ("FT_DIRNOCHG", FT_DIRNOCHG),
    ("FT_ISARCH", FT_ISARCH),
    ("FT_NORECURSE", FT_NORECURSE),
    ("FT_NOFSCHG", FT_NOFSCHG),
    ("FT_NOOPEN", FT_NOOPEN),
    ("FT_RAW", FT_RAW),
    ("FT_FIFO", FT_FIFO),
    ("FT_DIRBEGIN", FT_DIRBEGIN),
    ("FT_INVALIDFS", FT_INVALIDFS),
    ("FT_INVALIDDT", FT_INVALIDDT),
    ("FT_REPARSE", FT_REPARSE),
    ("FT_PLUGIN", FT_PLUGIN),
    ("FT_DELETED", FT_DELETED),
    ("FT_BASE", FT_BASE),
    ("FT_RESTORE_FIRST", FT_RESTORE_FIRST),
    ("FT_JUNCTION", FT_JUNCTION),
    ("FT_PLUGIN_CONFIG", FT_PLUGIN_CONFIG),
    ("FT_PLUGIN_CONFIG_FILLED", FT_PLUGIN_CONFIG_FILLED),
)

# bEventType: the 31 file daemon events, bEventOptionPlugin included.
_EVENT_TYPE_PAIRS = (
    ("bEventJobStart", bEventJobStart),
    ("bEventJobEnd", bEventJobEnd),
    ("bEventStartBackupJob", bEventStartBackupJob),
    ("bEventEndBackupJob", bEventEndBackupJob),
    ("bEventStartRestoreJob", bEventStartRestoreJob),
    ("bEventEndRestoreJob", bEventEndRestoreJob),
    ("bEventStartVerifyJob", bEventStartVerifyJob),
    ("bEventEndVerifyJob", bEventEndVerifyJob),
    ("bEventBackupCommand", bEventBackupCommand),
    ("bEventRestoreCommand", bEventRestoreCommand),
    ("bEventEstimateCommand", bEventEstimateCommand),
    ("bEventLevel", bEventLevel),
    ("bEventSince", bEventSince),
    ("bEventCancelCommand", bEventCancelCommand),
    ("bEventRestoreObject", bEventRestoreObject),
    ("bEventEndFileSet", bEventEndFileSet),
    ("bEventPluginCommand", bEventPluginCommand),
    ("bEventOptionPlugin", bEventOptionPlugin),
    ("bEventHandleBackupFile", bEventHandleBackupFile),
    ("bEventNewPluginOptions", bEventNewPluginOptions),
    ("bEventVssInitializeForBackup", bEventVssInitializeForBackup),
    ("bEventVssInitializeForRestore", bEventVssInitializeForRestore),
    ("bEventVssSetBackupState", bEventVssSetBackupState),
    ("bEventVssPrepareForBackup", bEventVssPrepareForBackup),
    ("bEventVssBackupAddComponents", bEventVssBackupAddComponents),
    ("bEventVssPrepareSnapshot", bEventVssPrepareSnapshot),
    ("bEventVssCreateSnapshots", bEventVssCreateSnapshots),
    ("bEventVssRestoreLoadComponentMetadata", bEventVssRestoreLoadComponentMetadata),
    ("bEventVssRestoreSetComponentsSelected", bEventVssRestoreSetComponentsSelected),
    ("bEventVssCloseRestore", bEventVssCloseRestore),
    ("bEventVssBackupComplete", bEventVssBackupComplete),
)

# bVariable: bVarPluginPath (22) is deliberately absent, as in the reference.
_VARIABLE_PAIRS = (
    ("bVarJobId", bVarJobId),
    ("bVarFDName", bVarFDName),
    ("bVarLevel", bVarLevel),
    ("bVarType", bVarType),
    ("bVarClient", bVarClient),
    ("bVarJobName", bVarJobName),
    ("bVarJobStatus", bVarJobStatus),
    ("bVarSinceTime", bVarSinceTime),
    ("bVarAccurate", bVarAccurate),
    ("bVarFileSeen", bVarFileSeen),
    ("bVarVssClient", bVarVssClient),
    ("bVarWorkingDir", bVarWorkingDir),
    ("bVarWhere", bVarWhere),
    ("bVarRegexWhere", bVarRegexWhere),
    ("bVarExePath", bVarExePath),
    ("bVarVersion", bVarVersion),
    ("bVarDistName", bVarDistName),
    ("bVarPrevJobName", bVarPrevJobName),
    ("bVarPrefixLinks", bVarPrefixLinks),
    ("bVarCheckChanges", bVarCheckChanges),
    ("bVarUsedConfig", bVarUsedConfig),
    ("bVarAccurateOptions", bVarAccurateOptions),
)

# bAccurateOption: the accurate= letters as bits (bit 63 is internal).
_ACCURATE_OPTION_PAIRS = (
    ("bAccurateOptionInode", bAccurateOptionInode),
    ("bAccurateOptionPermissions", bAccurateOptionPermissions),
    ("bAccurateOptionNlink", bAccurateOptionNlink),
    ("bAccurateOptionUid", bAccurateOptionUid),
    ("bAccurateOptionGid", bAccurateOptionGid),
    ("bAccurateOptionSize", bAccurateOptionSize),
    ("bAccurateOptionAtime", bAccurateOptionAtime),
    ("bAccurateOptionMtime", bAccurateOptionMtime),
    ("bAccurateOptionCtime", bAccurateOptionCtime),
    ("bAccurateOptionSizeDecrease", bAccurateOptionSizeDecrease),
    ("bAccurateOptionAlways", bAccurateOptionAlways),
    ("bAccurateOptionMD5", bAccurateOptionMD5),
    ("bAccurateOptionSha1", bAccurateOptionSha1),
)

# bCFs: what create_file answers in restorepkt.create_status.
_CREATE_STATUS_PAIRS = (
    ("CF_SKIP", CF_SKIP),
    ("CF_ERROR", CF_ERROR),
    ("CF_EXTRACT", CF_EXTRACT),
    ("CF_CREATED", CF_CREATED),
    ("CF_CORE", CF_CORE),
)

# bIOPS: IoPacket.func.
_IO_FUNCTION_PAIRS = (
    ("IO_OPEN", IO_OPEN),
    ("IO_READ", IO_READ),
    ("IO_WRITE", IO_WRITE),
    ("IO_CLOSE", IO_CLOSE),
    ("IO_SEEK", IO_SEEK),
)

# bIOPstatus: what IoPacket.status says after IO_OPEN.
_IO_STATUS_PAIRS = (
    ("iostat_error", iostat_error),
    ("iostat_do_in_plugin", iostat_do_in_plugin),
    ("iostat_do_in_core", iostat_do_in_core),
)

# bLevels: job levels (char codes).
_LEVEL_PAIRS = (
    ("L_FULL", L_FULL),
    ("L_INCREMENTAL", L_INCREMENTAL),
    ("L_DIFFERENTIAL", L_DIFFERENTIAL),
    ("L_SINCE", L_SINCE),
    ("L_VERIFY_CATALOG", L_VERIFY_CATALOG),
    ("L_VERIFY_INIT", L_VERIFY_INIT),
    ("L_VERIFY_VOLUME_TO_CATALOG", L_VERIFY_VOLUME_TO_CATALOG),
    ("L_VERIFY_DISK_TO_CATALOG", L_VERIFY_DISK_TO_CATALOG),
    ("L_VERIFY_DATA", L_VERIFY_DATA),
    ("L_BASE", L_BASE),
    ("L_NONE", L_NONE),
    ("L_VIRTUAL_FULL", L_VIRTUAL_FULL),
)
# --- END GENERATED ---

# --- BEGIN GENERATED publish (tools/gen_constants.py) ---
bRCs = _publish(_BRC_PAIRS)
bJobMessageType = _publish(_JOB_MESSAGE_TYPE_PAIRS)
bFileType = _publish(_FILE_TYPE_PAIRS)
_publish_dict("bEventType", _EVENT_TYPE_PAIRS)  # the name is also a C type
_publish_dict("bVariable", _VARIABLE_PAIRS)  # the name is also a C type
_publish_dict("bAccurateOption", _ACCURATE_OPTION_PAIRS)  # the name is also a C type
bCFs = _publish(_CREATE_STATUS_PAIRS)
bIOPS = _publish(_IO_FUNCTION_PAIRS)
bIOPstatus = _publish(_IO_STATUS_PAIRS)
bLevels = _publish_chars(_LEVEL_PAIRS)
# --- END GENERATED ---
