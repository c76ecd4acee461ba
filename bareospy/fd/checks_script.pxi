# At load: a job warning naming the script functions the job will need that
# the script lacks (issue 14).  Without it, a missing plugin_io() shows only
# as "Cannot open ...: ERR=Input/output error" and a missing
# start_restore_file() as "Unbalanced call to createFile".
#
# The job kind comes from the event that carried the definition: a backup
# and an estimate are both of type 'B' for bVarType, but an estimate never
# opens a file.  Option and job plugins (bEventPluginCommand) and
# NewPluginOptions are not checked: what they need is not known.

# (function, what fails without it), per definition event.
_NEEDED_BACKUP = (
    ("start_backup_file", "backups will save nothing"),
    ("end_backup_file", "backups will stop after the first file"),
    ("plugin_io", "backups of files with data will fail (Cannot open ...: ERR=Input/output error)"),
)
_NEEDED_ESTIMATE = _NEEDED_BACKUP[:2]
_NEEDED_RESTORE = (
    ("start_restore_file", "restores will fail (Unbalanced call to createFile)"),
    ("create_file", "restores will create no file"),
    ("end_restore_file", "restores will report an error for every file"),
    ("plugin_io", "restores of files with data will fail (Could not create ...)"),
)


cdef bRC _definition_event_checked(PluginContext* ctx, _InstanceBase state, int event,
                                   const char* value) except? bRC_Error:
    """_definition_event (fd/plugin.pxi), then, the first time the script is
    loaded for a backup, estimate or restore command and accepts it (bRC_OK:
    a script that skips or refuses the command will not be asked for files),
    the missing-functions warning.  Checking never changes the answer."""
    cdef bRC rc = _definition_event(ctx, state, event == bEventNewPluginOptions, value)
    if rc != bRC_OK:
        return rc
    try:
        _warn_missing_functions(ctx, state, event)
    except BaseException:
        _report_exception(ctx)
    return rc


cdef int _warn_missing_functions(PluginContext* ctx, _InstanceBase state, int event) except -1:
    if event == bEventBackupCommand:
        needed = _NEEDED_BACKUP
    elif event == bEventEstimateCommand:
        needed = _NEEDED_ESTIMATE
    elif event == bEventRestoreCommand:
        needed = _NEEDED_RESTORE
    else:
        return 0
    space = state.space
    if not state.python_loaded or space is None or getattr(space, "functions_checked", False):
        return 0
    space.functions_checked = True  # once per loaded script (per instance)
    missing = [f"no {name}(): {consequence}" for name, consequence in needed
               if _script_function(state, name) is None]
    if missing:
        _send_job_message(ctx, M_WARNING, f"{_daemon.plugin_prefix}script "
                          f"{state.known.get('module_name')!r} has {'; '.join(missing)}\n")
    return 0
