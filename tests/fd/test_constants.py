"""Every constant of bareosfd against the values of the spec (§1, §2.4)."""
import pytest

import bareosfd

BRCS = {"bRC_OK": 0, "bRC_Stop": 1, "bRC_Error": 2, "bRC_More": 3, "bRC_Term": 4,
        "bRC_Seen": 5, "bRC_Core": 6, "bRC_Skip": 7, "bRC_Cancel": 8}
MESSAGE_TYPES = ["M_ABORT", "M_DEBUG", "M_FATAL", "M_ERROR", "M_WARNING", "M_INFO",
                 "M_SAVED", "M_NOTSAVED", "M_SKIPPED", "M_MOUNT", "M_ERROR_TERM",
                 "M_TERM", "M_RESTORED", "M_SECURITY", "M_ALERT", "M_VOLMGMT"]
VARIABLES = {"bVarJobId": 1, "bVarFDName": 2, "bVarLevel": 3, "bVarType": 4,
             "bVarClient": 5, "bVarJobName": 6, "bVarJobStatus": 7, "bVarSinceTime": 8,
             "bVarAccurate": 9, "bVarFileSeen": 10, "bVarVssClient": 11,
             "bVarWorkingDir": 12, "bVarWhere": 13, "bVarRegexWhere": 14,
             "bVarExePath": 15, "bVarVersion": 16, "bVarDistName": 17,
             "bVarPrevJobName": 18, "bVarPrefixLinks": 19, "bVarCheckChanges": 20,
             "bVarUsedConfig": 21, "bVarAccurateOptions": 23}
ACCURATE = ["Inode", "Permissions", "Nlink", "Uid", "Gid", "Size", "Atime", "Mtime",
            "Ctime", "SizeDecrease", "Always", "MD5", "Sha1"]
FILE_TYPES = ["LNKSAVED", "REGE", "REG", "LNK", "DIREND", "SPEC", "NOACCESS", "NOFOLLOW",
              "NOSTAT", "NOCHG", "DIRNOCHG", "ISARCH", "NORECURSE", "NOFSCHG", "NOOPEN",
              "RAW", "FIFO", "DIRBEGIN", "INVALIDFS", "INVALIDDT", "REPARSE", "PLUGIN",
              "DELETED", "BASE", "RESTORE_FIRST", "JUNCTION", "PLUGIN_CONFIG",
              "PLUGIN_CONFIG_FILLED"]
EVENTS = ["JobStart", "JobEnd", "StartBackupJob", "EndBackupJob", "StartRestoreJob",
          "EndRestoreJob", "StartVerifyJob", "EndVerifyJob", "BackupCommand",
          "RestoreCommand", "EstimateCommand", "Level", "Since", "CancelCommand",
          "RestoreObject", "EndFileSet", "PluginCommand", "OptionPlugin",
          "HandleBackupFile", "NewPluginOptions", "VssInitializeForBackup",
          "VssInitializeForRestore", "VssSetBackupState", "VssPrepareForBackup",
          "VssBackupAddComponents", "VssPrepareSnapshot", "VssCreateSnapshots",
          "VssRestoreLoadComponentMetadata", "VssRestoreSetComponentsSelected",
          "VssCloseRestore", "VssBackupComplete"]
CREATE_STATUS = {"CF_SKIP": 1, "CF_ERROR": 2, "CF_EXTRACT": 3, "CF_CREATED": 4, "CF_CORE": 5}
IO_FUNCTIONS = {"IO_OPEN": 1, "IO_READ": 2, "IO_WRITE": 3, "IO_CLOSE": 4, "IO_SEEK": 5}
IO_STATUS = {"iostat_error": -1, "iostat_do_in_plugin": 0, "iostat_do_in_core": 1}
LEVELS = {"L_FULL": "F", "L_INCREMENTAL": "I", "L_DIFFERENTIAL": "D", "L_SINCE": "S",
          "L_VERIFY_CATALOG": "C", "L_VERIFY_INIT": "V", "L_VERIFY_VOLUME_TO_CATALOG": "O",
          "L_VERIFY_DISK_TO_CATALOG": "d", "L_VERIFY_DATA": "A", "L_BASE": "B",
          "L_NONE": " ", "L_VIRTUAL_FULL": "f"}

EXPECTED_TABLES = {
    "bRCs": BRCS,
    "bJobMessageType": {name: number for number, name in enumerate(MESSAGE_TYPES, 1)},
    "bVariable": VARIABLES,
    "bAccurateOption": {"bAccurateOption" + name: 1 << bit for bit, name in enumerate(ACCURATE)},
    "bFileType": {"FT_" + name: number for number, name in enumerate(FILE_TYPES, 1)},
    "bEventType": {"bEvent" + name: number for number, name in enumerate(EVENTS, 1)},
    "bCFs": CREATE_STATUS,
    "bIOPS": IO_FUNCTIONS,
    "bIOPstatus": IO_STATUS,
}


@pytest.mark.parametrize("table", sorted(EXPECTED_TABLES))
def test_dictionary_has_exactly_the_spec_entries_with_bytes_keys(table):
    expected = {name.encode(): value for name, value in EXPECTED_TABLES[table].items()}
    assert getattr(bareosfd, table) == expected


@pytest.mark.parametrize("table", sorted(EXPECTED_TABLES))
def test_every_entry_is_also_a_plain_int_module_attribute(table):
    for name, value in EXPECTED_TABLES[table].items():
        attribute = getattr(bareosfd, name)
        assert attribute == value, name
        assert type(attribute) is int, name


def test_levels_are_bytes_in_the_dict_and_str_as_attributes():
    assert bareosfd.bLevels == {k.encode(): v.encode() for k, v in LEVELS.items()}
    for name, code in LEVELS.items():
        assert getattr(bareosfd, name) == code
        assert type(getattr(bareosfd, name)) is str


def test_plugin_path_variable_is_not_published_as_in_the_reference():
    assert b"bVarPluginPath" not in bareosfd.bVariable
    assert not hasattr(bareosfd, "bVarPluginPath")


def test_the_dictionaries_index_with_bytes_keys_as_unit_tests_do():
    assert bareosfd.bRCs[b"bRC_OK"] == 0
    assert bareosfd.bLevels[b"L_FULL"] == b"F"
    assert bareosfd.bEventType[b"bEventHandleBackupFile"] == 19


def test_star_import_brings_every_public_name():
    namespace = {}
    exec("from bareosfd import *", namespace)
    public = {name for name in dir(bareosfd) if not name.startswith("_")}
    assert public <= set(namespace)


# The listing of dir(bareosfd) in the Python plugin API page (the seed document).
SEED_LISTING = """
AcceptFile AclPacket AddExclude AddInclude AddOptions AddRegex AddWild CF_CORE CF_CREATED
CF_ERROR CF_EXTRACT CF_SKIP CheckChanges ClearSeenBitmap DebugMessage FT_BASE
FT_RESTORE_FIRST FT_SPEC GetInstanceCount GetValue IO_CLOSE IO_OPEN IO_READ IO_SEEK
IO_WRITE IoPacket JobMessage M_TERM M_VOLMGMT M_WARNING NewInclude NewOptions
NewPreInclude RegisterEvents RestoreObject RestorePacket SavePacket SetSeenBitmap SetValue
StatPacket UnRegisterEvents XattrPacket _C_API __doc__ __file__ __loader__ __name__
__package__ __spec__ bCFs bEventBackupCommand bEventCancelCommand bEventEndBackupJob
bEventEndFileSet bEventEndRestoreJob bEventEndVerifyJob bEventEstimateCommand
bEventHandleBackupFile bEventJobEnd bEventJobStart bEventLevel bEventNewPluginOptions
bEventOptionPlugin bEventPluginCommand bEventRestoreCommand bEventRestoreObject
bEventSince bEventStartBackupJob bEventStartRestoreJob bEventStartVerifyJob bEventType
bEventVssBackupAddComponents bEventVssBackupComplete bEventVssCloseRestore
bEventVssCreateSnapshots bEventVssInitializeForBackup bEventVssInitializeForRestore
bEventVssPrepareForBackup bEventVssPrepareSnapshot bEventVssRestoreSetComponentsSelected
bEventVssSetBackupState bFileType bIOPS bJobMessageType bLevels bRC_Cancel bRC_Core
bRC_Error bRC_More bRC_OK bRC_Seen bRC_Skip bRC_Stop bRC_Term bRCs bVarAccurate
bVarClient bVarDistName bVarExePath bVarFDName bVarFileSeen bVarJobId bVarJobName
bVarJobStatus bVarLevel bVarPrefixLinks bVarPrevJobName bVarRegexWhere bVarSinceTime
bVarType bVarVersion bVarVssClient bVarWhere bVarWorkingDir bVariable
""".split()

FUNCTIONS = ["GetValue", "SetValue", "DebugMessage", "JobMessage", "RegisterEvents",
             "UnRegisterEvents", "GetInstanceCount", "AddExclude", "AddInclude",
             "AddOptions", "AddRegex", "AddWild", "NewOptions", "NewInclude",
             "NewPreInclude", "CheckChanges", "AcceptFile", "SetSeenBitmap",
             "ClearSeenBitmap"]
TYPES = ["RestoreObject", "StatPacket", "SavePacket", "RestorePacket", "IoPacket",
         "AclPacket", "XattrPacket"]


def spec_listing():
    """Every name §2 says bareosfd has."""
    names = set(FUNCTIONS) | set(TYPES) | {"_C_API"} | set(EXPECTED_TABLES) | {"bLevels"}
    for table in EXPECTED_TABLES.values():
        names |= set(table)
    return names | set(LEVELS)


def test_dir_lists_every_name_of_the_seed_document():
    assert sorted(set(SEED_LISTING) - set(dir(bareosfd))) == []


def test_dir_lists_every_name_of_the_spec():
    assert sorted(spec_listing() - set(dir(bareosfd))) == []


def test_the_functions_are_callables_and_the_types_are_classes():
    for name in FUNCTIONS:
        assert callable(getattr(bareosfd, name)), name
    for name in TYPES:
        assert isinstance(getattr(bareosfd, name), type), name


def test_capi_is_a_capsule_with_the_reference_name():
    assert type(bareosfd._C_API).__name__ == "PyCapsule"
    assert '"bareosfd._C_API"' in repr(bareosfd._C_API)


def capsule_slots():
    """The function pointers behind bareosfd._C_API, read with ctypes."""
    import ctypes
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    address = get_pointer(bareosfd._C_API, b"bareosfd._C_API")
    return (ctypes.c_void_p * 22).from_address(address)


def test_capi_slots_hold_the_core_table_and_context_setters_where_module_testers_expect_them():
    slots = capsule_slots()
    assert slots[18] and slots[19]          # set_bareos_core_functions, set_plugin_context
    assert all(slots[index] for index in range(1, 16))   # the entry points
    assert len({slots[index] for index in range(3, 16)}) == 13
