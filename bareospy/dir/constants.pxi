# bareosdir's constants: which C constant is published under which name and
# in which dictionary (str keys, as the reference's current modules).  Both
# blocks below are written by tools/gen_constants.py from tools/constants.txt.

# --- BEGIN GENERATED pairs (tools/gen_constants.py) ---
# bDirVariable: what GetValue reads (§1.8).
_DIR_READ_VARIABLE_PAIRS = (
    ("bDirVarJob", bDirVarJob),
    ("bDirVarLevel", bDirVarLevel),
    ("bDirVarType", bDirVarType),
    ("bDirVarJobId", bDirVarJobId),
    ("bDirVarClient", bDirVarClient),
    ("bDirVarNumVols", bDirVarNumVols),
    ("bDirVarPool", bDirVarPool),
    ("bDirVarStorage", bDirVarStorage),
    ("bDirVarWriteStorage", bDirVarWriteStorage),
    ("bDirVarReadStorage", bDirVarReadStorage),
    ("bDirVarCatalog", bDirVarCatalog),
    ("bDirVarMediaType", bDirVarMediaType),
    ("bDirVarJobName", bDirVarJobName),
    ("bDirVarJobStatus", bDirVarJobStatus),
    ("bDirVarPriority", bDirVarPriority),
    ("bDirVarVolumeName", bDirVarVolumeName),
    ("bDirVarCatalogRes", bDirVarCatalogRes),
    ("bDirVarJobErrors", bDirVarJobErrors),
    ("bDirVarJobFiles", bDirVarJobFiles),
    ("bDirVarSDJobFiles", bDirVarSDJobFiles),
    ("bDirVarSDErrors", bDirVarSDErrors),
    ("bDirVarFDJobStatus", bDirVarFDJobStatus),
    ("bDirVarSDJobStatus", bDirVarSDJobStatus),
    ("bDirVarPluginDir", bDirVarPluginDir),
    ("bDirVarLastRate", bDirVarLastRate),
    ("bDirVarJobBytes", bDirVarJobBytes),
    ("bDirVarReadBytes", bDirVarReadBytes),
)

# bwDirVariable: what SetValue writes.
_DIR_WRITE_VARIABLE_PAIRS = (
    ("bwDirVarJobReport", bwDirVarJobReport),
    ("bwDirVarVolumeName", bwDirVarVolumeName),
    ("bwDirVarPriority", bwDirVarPriority),
    ("bwDirVarJobLevel", bwDirVarJobLevel),
)

# bDirEventType: the 11 director events (9 is spelled bDirEventRecyle).
_DIR_EVENT_TYPE_PAIRS = (
    ("bDirEventJobStart", bDirEventJobStart),
    ("bDirEventJobEnd", bDirEventJobEnd),
    ("bDirEventJobInit", bDirEventJobInit),
    ("bDirEventJobRun", bDirEventJobRun),
    ("bDirEventVolumePurged", bDirEventVolumePurged),
    ("bDirEventNewVolume", bDirEventNewVolume),
    ("bDirEventNeedVolume", bDirEventNeedVolume),
    ("bDirEventVolumeFull", bDirEventVolumeFull),
    ("bDirEventRecyle", bDirEventRecyle),
    ("bDirEventGetScratch", bDirEventGetScratch),
    ("bDirEventNewPluginOptions", bDirEventNewPluginOptions),
)
# --- END GENERATED ---

# --- BEGIN GENERATED publish (tools/gen_constants.py) ---
bRCs = _publish(_BRC_PAIRS, str)
bJobMessageType = _publish(_JOB_MESSAGE_TYPE_PAIRS, str)
bDirVariable = _publish(_DIR_READ_VARIABLE_PAIRS, str)
_publish_dict("bwDirVariable", _DIR_WRITE_VARIABLE_PAIRS, str)  # the name is also a C type
_publish_dict("bDirEventType", _DIR_EVENT_TYPE_PAIRS, str)  # the name is also a C type
# --- END GENERATED ---
