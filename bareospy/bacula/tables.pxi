# What a Job object offers in each daemon (contract section 2.2) and the
# code tables of section 2.5.  A read entry is (attribute id, value kind);
# the kinds: "str", "int", "status" (one-character code), "level", "type"
# (codes shown as names) and "catalog" (the CatalogRes tuple).

_DAEMON_KINDS = {"dir": BaculaDaemonDirector, "fd": BaculaDaemonFile, "sd": BaculaDaemonStorage}
_STARTUP_MODULES = {BaculaDaemonDirector: "DirStartUp", BaculaDaemonFile: "FDStartUp",
                    BaculaDaemonStorage: "SDStartUp"}

_DIRECTOR_READS = {
    "Job": (BaculaAttrJob, "str"),
    "JobName": (BaculaAttrJobName, "str"),
    "JobId": (BaculaAttrJobId, "int"),
    "Level": (BaculaAttrLevel, "level"),
    "Type": (BaculaAttrType, "type"),
    "JobStatus": (BaculaAttrJobStatus, "status"),
    "Client": (BaculaAttrClient, "str"),
    "Pool": (BaculaAttrPool, "str"),
    "NumVols": (BaculaAttrNumVols, "int"),
    "Storage": (BaculaAttrStorage, "str"),
    "MediaType": (BaculaAttrMediaType, "str"),
    "Catalog": (BaculaAttrCatalog, "str"),
    "CatalogRes": (BaculaAttrCatalogRes, "catalog"),
    "Priority": (BaculaAttrPriority, "int"),
    "VolumeName": (BaculaAttrVolumeName, "str"),
    "JobErrors": (BaculaAttrJobErrors, "int"),
    "JobFiles": (BaculaAttrJobFiles, "int"),
    "SDJobFiles": (BaculaAttrSDJobFiles, "int"),
    "SDErrors": (BaculaAttrSDErrors, "int"),
    "FDJobStatus": (BaculaAttrFDJobStatus, "status"),
    "SDJobStatus": (BaculaAttrSDJobStatus, "status"),
}

_FILE_READS = {
    "FDName": (BaculaAttrFDName, "str"),
    "Level": (BaculaAttrLevel, "level"),
    "Type": (BaculaAttrType, "type"),
    "JobId": (BaculaAttrJobId, "int"),
    "Client": (BaculaAttrClient, "str"),
    "JobName": (BaculaAttrJobName, "str"),
    "JobStatus": (BaculaAttrJobStatus, "status"),
}

_STORAGE_READS = {
    "Job": (BaculaAttrJob, "str"),
    "SDName": (BaculaAttrSDName, "str"),
    "Level": (BaculaAttrLevel, "level"),
    "Type": (BaculaAttrType, "type"),
    "JobId": (BaculaAttrJobId, "int"),
    "Client": (BaculaAttrClient, "str"),
    "JobName": (BaculaAttrJobName, "str"),
    "JobStatus": (BaculaAttrJobStatus, "status"),
    "Pool": (BaculaAttrPool, "str"),
    "MediaType": (BaculaAttrMediaType, "str"),
    "VolumeName": (BaculaAttrVolumeName, "str"),
    "Device": (BaculaAttrDevice, "str"),
}

_READS = {BaculaDaemonDirector: _DIRECTOR_READS, BaculaDaemonFile: _FILE_READS,
          BaculaDaemonStorage: _STORAGE_READS}

# Writable names per daemon (their checks are in job.pxi).
_WRITES = {
    BaculaDaemonDirector: frozenset({"Priority", "VolumeName", "JobLevel", "JobReport"}),
    BaculaDaemonFile: frozenset({"JobReport"}),
    BaculaDaemonStorage: frozenset({"JobReport"}),
}

# Method names per daemon (section 2.3): the FD and SD jobs have only two.
_METHODS = {
    BaculaDaemonDirector: frozenset({"set_events", "write", "run", "cancel", "DoesVolumeExist"}),
    BaculaDaemonFile: frozenset({"set_events", "write"}),
    BaculaDaemonStorage: frozenset({"set_events", "write"}),
}

# Level codes and the names Level returns.  Base reads as "Base" (the
# original said "Full": a missing break).
_LEVEL_NAMES = {
    ord("F"): "Full", ord("I"): "Incremental", ord("D"): "Differential", ord("S"): "Since",
    ord("C"): "Verify Catalog", ord("V"): "Verify Init Catalog",
    ord("O"): "Verify Volume to Catalog", ord("d"): "Verify Disk to Catalog",
    ord("A"): "Verify Data", ord("f"): "Virtual Full", ord("B"): "Base", ord(" "): " ", 0: " ",
}

_TYPE_NAMES = {
    ord("B"): "Backup", ord("V"): "Verify", ord("R"): "Restore", ord("D"): "Admin",
    ord("g"): "Migrate", ord("c"): "Copy", ord("A"): "Archive", ord("U"): "Console",
    ord("I"): "System or Console", ord("S"): "Scan", ord("M"): "Migrated Job",
    ord("C"): "Job Copy",
}

# The JobLevel keywords a job of each type accepts (case-sensitive), with
# the level code the daemon gets.
_BACKUP_LEVELS = {"Full": ord("F"), "Base": ord("B"), "Incremental": ord("I"),
                  "Differential": ord("D"), "Since": ord("S"), "VirtualFull": ord("f")}
_VERIFY_LEVELS = {"Catalog": ord("C"), "InitCatalog": ord("V"), "VolumeToCatalog": ord("O"),
                  "DiskToCatalog": ord("d"), "Data": ord("A")}
_NO_LEVEL = {" ": ord(" ")}
_LEVEL_KEYWORDS = {ord("B"): _BACKUP_LEVELS, ord("V"): _VERIFY_LEVELS,
                   ord("D"): _NO_LEVEL, ord("R"): _NO_LEVEL}

_EVENT_NAMES = {BaculaEventJobInit: "JobInit", BaculaEventJobRun: "JobRun",
                BaculaEventNewVolume: "NewVolume", BaculaEventVolumePurged: "VolumePurged"}
_EVENT_IDS = {name: number for number, name in _EVENT_NAMES.items()}

_VOLUME_NAME_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:.-_")


cdef bint _legal_volume_name(str name):
    """1-127 characters from A-Z a-z 0-9 : . - _ (section 2.2)."""
    return 0 < len(name) <= 127 and all(c in _VOLUME_NAME_CHARACTERS for c in name)
