# bareossd's constants: which C constant is published under which name and
# in which dictionary (str keys, as the reference's current modules).  Both
# blocks below are written by tools/gen_constants.py from tools/constants.txt.

# --- BEGIN GENERATED pairs (tools/gen_constants.py) ---
# bsdVariable: what GetValue reads (§1.7).
_SD_READ_VARIABLE_PAIRS = (
    ("bsdVarJob", bsdVarJob),
    ("bsdVarLevel", bsdVarLevel),
    ("bsdVarType", bsdVarType),
    ("bsdVarJobId", bsdVarJobId),
    ("bsdVarClient", bsdVarClient),
    ("bsdVarPool", bsdVarPool),
    ("bsdVarPoolType", bsdVarPoolType),
    ("bsdVarStorage", bsdVarStorage),
    ("bsdVarMediaType", bsdVarMediaType),
    ("bsdVarJobName", bsdVarJobName),
    ("bsdVarJobStatus", bsdVarJobStatus),
    ("bsdVarVolumeName", bsdVarVolumeName),
    ("bsdVarJobErrors", bsdVarJobErrors),
    ("bsdVarJobFiles", bsdVarJobFiles),
    ("bsdVarJobBytes", bsdVarJobBytes),
    ("bsdVarPluginDir", bsdVarPluginDir),
)

# bsdwVariable: what SetValue writes.
_SD_WRITE_VARIABLE_PAIRS = (
    ("bsdwVarJobReport", bsdwVarJobReport),
    ("bsdwVarVolumeName", bsdwVarVolumeName),
    ("bsdwVarPriority", bsdwVarPriority),
    ("bsdwVarJobLevel", bsdwVarJobLevel),
)

# bsdEventType: the 24 storage daemon events, named bsdEvent* in Python.
_SD_EVENT_TYPE_PAIRS = (
    ("bsdEventJobStart", bSdEventJobStart),
    ("bsdEventJobEnd", bSdEventJobEnd),
    ("bsdEventDeviceInit", bSdEventDeviceInit),
    ("bsdEventDeviceMount", bSdEventDeviceMount),
    ("bsdEventVolumeLoad", bSdEventVolumeLoad),
    ("bsdEventDeviceReserve", bSdEventDeviceReserve),
    ("bsdEventDeviceOpen", bSdEventDeviceOpen),
    ("bsdEventLabelRead", bSdEventLabelRead),
    ("bsdEventLabelVerified", bSdEventLabelVerified),
    ("bsdEventLabelWrite", bSdEventLabelWrite),
    ("bsdEventDeviceClose", bSdEventDeviceClose),
    ("bsdEventVolumeUnload", bSdEventVolumeUnload),
    ("bsdEventDeviceUnmount", bSdEventDeviceUnmount),
    ("bsdEventReadError", bSdEventReadError),
    ("bsdEventWriteError", bSdEventWriteError),
    ("bsdEventDriveStatus", bSdEventDriveStatus),
    ("bsdEventVolumeStatus", bSdEventVolumeStatus),
    ("bsdEventSetupRecordTranslation", bSdEventSetupRecordTranslation),
    ("bsdEventReadRecordTranslation", bSdEventReadRecordTranslation),
    ("bsdEventWriteRecordTranslation", bSdEventWriteRecordTranslation),
    ("bsdEventDeviceRelease", bSdEventDeviceRelease),
    ("bsdEventNewPluginOptions", bSdEventNewPluginOptions),
    ("bsdEventChangerLock", bSdEventChangerLock),
    ("bsdEventChangerUnlock", bSdEventChangerUnlock),
)
# --- END GENERATED ---

# --- BEGIN GENERATED publish (tools/gen_constants.py) ---
bRCs = _publish(_BRC_PAIRS, str)
bJobMessageType = _publish(_JOB_MESSAGE_TYPE_PAIRS, str)
bsdVariable = _publish(_SD_READ_VARIABLE_PAIRS, str)
_publish_dict("bsdwVariable", _SD_WRITE_VARIABLE_PAIRS, str)  # the name is also a C type
bsdEventType = _publish(_SD_EVENT_TYPE_PAIRS, str)
# --- END GENERATED ---
