/*
 * bacula_abi_test.c -- pins include/bareospy/bacula.h, the embedding ABI of
 * Bacula-style scripting: every struct size and field offset (x86-64,
 * LP64) at compile time, every enum value at run time.  Prints
 * "N passed, M failed"; exit status 1 on a mismatch.  Built and run by
 * tests/bacula/test_abi.py.
 */
#include <stddef.h>
#include <stdio.h>

#include "bareospy/bacula.h"

#if defined(__GNUC__) || defined(__clang__)
#undef _Static_assert
#define ABI_ASSERT(cond, msg) __extension__ _Static_assert(cond, msg)
#else
#define ABI_CAT2(a, b) a##b
#define ABI_CAT(a, b) ABI_CAT2(a, b)
#define ABI_ASSERT(cond, msg) typedef char ABI_CAT(abi_assert_line_, __LINE__)[(cond) ? 1 : -1]
#endif

#define SIZE_IS(type, n) ABI_ASSERT(sizeof(type) == (n), "sizeof(" #type ") must be " #n)
#define OFFSET_IS(type, field, n) \
  ABI_ASSERT(offsetof(type, field) == (n), "offsetof(" #type ", " #field ") must be " #n)

#if defined(__x86_64__) && defined(__LP64__)
SIZE_IS(BaculaCatalogResource, 56);
OFFSET_IS(BaculaCatalogResource, db_name, 0);
OFFSET_IS(BaculaCatalogResource, db_address, 8);
OFFSET_IS(BaculaCatalogResource, db_user, 16);
OFFSET_IS(BaculaCatalogResource, db_password, 24);
OFFSET_IS(BaculaCatalogResource, db_socket, 32);
OFFSET_IS(BaculaCatalogResource, db_port, 40);
OFFSET_IS(BaculaCatalogResource, db_type, 48);

SIZE_IS(BaculaValue, 32);
OFFSET_IS(BaculaValue, kind, 0);
OFFSET_IS(BaculaValue, reserved, 4);
OFFSET_IS(BaculaValue, integer, 8);
OFFSET_IS(BaculaValue, string, 16);
OFFSET_IS(BaculaValue, catalog, 24);

SIZE_IS(BaculaScriptingDaemon, 56);
OFFSET_IS(BaculaScriptingDaemon, size, 0);
OFFSET_IS(BaculaScriptingDaemon, version, 4);
OFFSET_IS(BaculaScriptingDaemon, kind, 8);
OFFSET_IS(BaculaScriptingDaemon, reserved, 12);
OFFSET_IS(BaculaScriptingDaemon, name, 16);
OFFSET_IS(BaculaScriptingDaemon, daemon_version, 24);
OFFSET_IS(BaculaScriptingDaemon, config_file, 32);
OFFSET_IS(BaculaScriptingDaemon, working_dir, 40);
OFFSET_IS(BaculaScriptingDaemon, scripts_dir, 48);

SIZE_IS(BaculaScriptingCallbacks, 56);
OFFSET_IS(BaculaScriptingCallbacks, size, 0);
OFFSET_IS(BaculaScriptingCallbacks, version, 4);
OFFSET_IS(BaculaScriptingCallbacks, get_value, 8);
OFFSET_IS(BaculaScriptingCallbacks, set_value, 16);
OFFSET_IS(BaculaScriptingCallbacks, run_job, 24);
OFFSET_IS(BaculaScriptingCallbacks, cancel_job, 32);
OFFSET_IS(BaculaScriptingCallbacks, volume_exists, 40);
OFFSET_IS(BaculaScriptingCallbacks, message, 48);

SIZE_IS(BaculaScriptingEntryPoints, 56);
OFFSET_IS(BaculaScriptingEntryPoints, size, 0);
OFFSET_IS(BaculaScriptingEntryPoints, version, 4);
OFFSET_IS(BaculaScriptingEntryPoints, start, 8);
OFFSET_IS(BaculaScriptingEntryPoints, job_start, 16);
OFFSET_IS(BaculaScriptingEntryPoints, job_event, 24);
OFFSET_IS(BaculaScriptingEntryPoints, job_end, 32);
OFFSET_IS(BaculaScriptingEntryPoints, exit, 40);
OFFSET_IS(BaculaScriptingEntryPoints, restart, 48);
#endif

static int passed, failed;

static void check(const char* name, long actual, long expected)
{
  if (actual == expected) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s = %ld, expected %ld\n", name, actual, expected);
  }
}

#define VALUE(name, expected) check(#name, (long)(name), (long)(expected))

int main(void)
{
  VALUE(BACULA_SCRIPTING_VERSION, 1);
  VALUE(BaculaDaemonDirector, 1);
  VALUE(BaculaDaemonFile, 2);
  VALUE(BaculaDaemonStorage, 3);
  VALUE(BaculaEventJobInit, 1);
  VALUE(BaculaEventJobRun, 2);
  VALUE(BaculaEventNewVolume, 3);
  VALUE(BaculaEventVolumePurged, 4);
  VALUE(BaculaMessageInfo, 1);
  VALUE(BaculaMessageWarning, 2);
  VALUE(BaculaMessageError, 3);
  VALUE(BaculaMessageDebug, 4);
  VALUE(BaculaScriptingFatal, -1);
  VALUE(BaculaScriptingEnabled, 0);
  VALUE(BaculaScriptingDisabled, 1);
  VALUE(BaculaValueNone, 0);
  VALUE(BaculaValueInteger, 1);
  VALUE(BaculaValueString, 2);
  VALUE(BaculaValueCatalog, 3);
  VALUE(BaculaAttrJob, 1);
  VALUE(BaculaAttrJobName, 2);
  VALUE(BaculaAttrJobId, 3);
  VALUE(BaculaAttrLevel, 4);
  VALUE(BaculaAttrType, 5);
  VALUE(BaculaAttrJobStatus, 6);
  VALUE(BaculaAttrClient, 7);
  VALUE(BaculaAttrPool, 8);
  VALUE(BaculaAttrNumVols, 9);
  VALUE(BaculaAttrStorage, 10);
  VALUE(BaculaAttrMediaType, 11);
  VALUE(BaculaAttrCatalog, 12);
  VALUE(BaculaAttrCatalogRes, 13);
  VALUE(BaculaAttrPriority, 14);
  VALUE(BaculaAttrVolumeName, 15);
  VALUE(BaculaAttrJobLevel, 16);
  VALUE(BaculaAttrJobErrors, 17);
  VALUE(BaculaAttrJobFiles, 18);
  VALUE(BaculaAttrSDJobFiles, 19);
  VALUE(BaculaAttrSDErrors, 20);
  VALUE(BaculaAttrFDJobStatus, 21);
  VALUE(BaculaAttrSDJobStatus, 22);
  VALUE(BaculaAttrFDName, 23);
  VALUE(BaculaAttrSDName, 24);
  VALUE(BaculaAttrDevice, 25);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
