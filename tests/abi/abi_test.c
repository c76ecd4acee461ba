/*
 * abi_test.c -- pins the bareospy plugin ABI headers to the contract
 * (ABI contract, section 1).
 *
 * Compile time: the size of every struct that crosses the ABI and the
 * offset of every field.  Exact numbers are checked on x86-64 Linux (LP64,
 * glibc), the platform the contract's tables describe; elsewhere only the
 * field order and the shape of the function tables are checked.
 *
 * Run time: every enum value and macro against the numbers of the
 * contract.  Prints "N passed, M failed" and exits 1 on any mismatch.
 *
 * Build and run with tests/abi/run_abi_test.sh.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bareospy/plugin.h"
#include "bareospy/consts.h"
#include "bareospy/fd.h"
#include "bareospy/sd.h"
#include "bareospy/dir.h"

/* ------------------------------------------------------------------------
 * Compile-time checks
 * ---------------------------------------------------------------------- */

/* _Static_assert is C11; GCC and Clang accept it in C99 mode when marked
 * as an extension.  (In strict C99 mode glibc replaces it by a macro that
 * drops the message; the compilers' own keyword is better.)  Other
 * compilers get the negative-array trick. */
#if defined(__GNUC__) || defined(__clang__)
#undef _Static_assert
#define ABI_ASSERT(cond, msg) __extension__ _Static_assert(cond, msg)
#else
#define ABI_CAT2(a, b) a##b
#define ABI_CAT(a, b) ABI_CAT2(a, b)
#define ABI_ASSERT(cond, msg) \
  typedef char ABI_CAT(abi_assert_line_, __LINE__)[(cond) ? 1 : -1]
#endif

#define SIZE_IS(type, n) \
  ABI_ASSERT(sizeof(type) == (n), "sizeof(" #type ") must be " #n)
#define OFFSET_IS(type, field, n)           \
  ABI_ASSERT(offsetof(type, field) == (n), \
             "offsetof(" #type ", " #field ") must be " #n)
#define ORDER(type, a, b)                                   \
  ABI_ASSERT(offsetof(type, a) < offsetof(type, b), #type \
             ": " #a " must come before " #b)

/* A function table is two uint32_t followed by pointer-sized slots.  SLOT
 * checks that member number `index` (0-based, in table order) sits in slot
 * `index`; TABLE_SIZE checks the table holds exactly `count` slots. */
typedef bRC (*abi_any_function)(void);
#define SLOT(type, member, index)                                        \
  ABI_ASSERT(offsetof(type, member) ==                                   \
                 offsetof(type, FIRST_MEMBER_##type) +                \
                     (index) * sizeof(abi_any_function),                  \
             #type "." #member " must be slot " #index)

/* --- things true on every ABI ------------------------------------------ */

/* Enums that cross the ABI as parameters or values are int-sized. */
SIZE_IS(bRC, sizeof(int));
SIZE_IS(pVariable, sizeof(int));
SIZE_IS(bVariable, sizeof(int));
SIZE_IS(bEventType, sizeof(int));
SIZE_IS(bsdrVariable, sizeof(int));
SIZE_IS(bsdwVariable, sizeof(int));
SIZE_IS(bSdEventType, sizeof(int));
SIZE_IS(brDirVariable, sizeof(int));
SIZE_IS(bwDirVariable, sizeof(int));
SIZE_IS(bDirEventType, sizeof(int));

SIZE_IS(utime_t, 8);
SIZE_IS(boffset_t, 8);
SIZE_IS(PluginApiDefinition, 8);
SIZE_IS(bEvent, 4);
SIZE_IS(bSdEvent, 4);
SIZE_IS(bDirEvent, 4);
OFFSET_IS(bEvent, eventType, 0);
OFFSET_IS(bSdEvent, eventType, 0);
OFFSET_IS(bDirEvent, eventType, 0);
OFFSET_IS(PluginApiDefinition, size, 0);
OFFSET_IS(PluginApiDefinition, version, 4);

ABI_ASSERT(FO_MAX == FO_XXH128, "FO_MAX must be the last option bit");
ABI_ASSERT(FOPTS_BYTES == 5, "FOPTS_BYTES must be 5");
ABI_ASSERT(sizeof(((save_pkt*)0)->flags) == FOPTS_BYTES,
           "save_pkt.flags must be FOPTS_BYTES long");
ABI_ASSERT(PLUGIN_EVENT_COUNT == SD_NR_EVENTS,
           "PLUGIN_EVENT_COUNT is the SD event count");

/* Field order of the common structures. */
ORDER(PluginInformation, size, version);
ORDER(PluginInformation, version, plugin_magic);
ORDER(PluginInformation, plugin_magic, plugin_license);
ORDER(PluginInformation, plugin_license, plugin_author);
ORDER(PluginInformation, plugin_author, plugin_date);
ORDER(PluginInformation, plugin_date, plugin_version);
ORDER(PluginInformation, plugin_version, plugin_description);
ORDER(PluginInformation, plugin_description, plugin_usage);

ORDER(PluginContext, instance, plugin);
ORDER(PluginContext, plugin, core_private_context);
ORDER(PluginContext, core_private_context, plugin_private_context);

ORDER(Plugin, file, file_len);
ORDER(Plugin, file_len, unloadPlugin);
ORDER(Plugin, unloadPlugin, plugin_information);
ORDER(Plugin, plugin_information, plugin_functions);
ORDER(Plugin, plugin_functions, plugin_handle);

/* Field order of the packets. */
ORDER(restore_object_pkt, pkt_size, object_name);
ORDER(restore_object_pkt, object_name, object);
ORDER(restore_object_pkt, object, plugin_name);
ORDER(restore_object_pkt, plugin_name, object_type);
ORDER(restore_object_pkt, object_type, object_len);
ORDER(restore_object_pkt, object_len, object_full_len);
ORDER(restore_object_pkt, object_full_len, object_index);
ORDER(restore_object_pkt, object_index, object_compression);
ORDER(restore_object_pkt, object_compression, stream);
ORDER(restore_object_pkt, stream, JobId);
ORDER(restore_object_pkt, JobId, pkt_end);

ORDER(save_pkt, pkt_size, fname);
ORDER(save_pkt, fname, link);
ORDER(save_pkt, link, statp);
ORDER(save_pkt, statp, type);
ORDER(save_pkt, type, flags);
ORDER(save_pkt, flags, no_read);
ORDER(save_pkt, no_read, portable);
ORDER(save_pkt, portable, accurate_found);
ORDER(save_pkt, accurate_found, cmd);
ORDER(save_pkt, cmd, save_time);
ORDER(save_pkt, save_time, delta_seq);
ORDER(save_pkt, delta_seq, object_name);
ORDER(save_pkt, object_name, object);
ORDER(save_pkt, object, object_len);
ORDER(save_pkt, object_len, index);
ORDER(save_pkt, index, pkt_end);

ORDER(restore_pkt, pkt_size, stream);
ORDER(restore_pkt, stream, data_stream);
ORDER(restore_pkt, data_stream, type);
ORDER(restore_pkt, type, file_index);
ORDER(restore_pkt, file_index, LinkFI);
ORDER(restore_pkt, LinkFI, uid);
ORDER(restore_pkt, uid, statp);
ORDER(restore_pkt, statp, attrEx);
ORDER(restore_pkt, attrEx, ofname);
ORDER(restore_pkt, ofname, olname);
ORDER(restore_pkt, olname, where);
ORDER(restore_pkt, where, RegexWhere);
ORDER(restore_pkt, RegexWhere, replace);
ORDER(restore_pkt, replace, create_status);
ORDER(restore_pkt, create_status, delta_seq);
ORDER(restore_pkt, delta_seq, filedes);
ORDER(restore_pkt, filedes, original_file_name);
ORDER(restore_pkt, original_file_name, original_link_name);
ORDER(restore_pkt, original_link_name, pkt_end);

ORDER(io_pkt, pkt_size, func);
ORDER(io_pkt, func, count);
ORDER(io_pkt, count, flags);
ORDER(io_pkt, flags, mode);
ORDER(io_pkt, mode, buf);
ORDER(io_pkt, buf, fname);
ORDER(io_pkt, fname, status);
ORDER(io_pkt, status, io_errno);
ORDER(io_pkt, io_errno, lerror);
ORDER(io_pkt, lerror, whence);
ORDER(io_pkt, whence, offset);
ORDER(io_pkt, offset, win32);
ORDER(io_pkt, win32, filedes);
ORDER(io_pkt, filedes, pkt_end);

ORDER(acl_pkt, pkt_size, fname);
ORDER(acl_pkt, fname, content_length);
ORDER(acl_pkt, content_length, content);
ORDER(acl_pkt, content, pkt_end);

ORDER(xattr_pkt, pkt_size, fname);
ORDER(xattr_pkt, fname, name_length);
ORDER(xattr_pkt, name_length, name);
ORDER(xattr_pkt, name, value_length);
ORDER(xattr_pkt, value_length, value);
ORDER(xattr_pkt, value, pkt_end);

/* Function tables: size and version, then one pointer slot per member, in
 * the order of the contract.  The first member names the base slot. */
#define FIRST_MEMBER_FdCoreFunctions registerBareosEvents
#define FIRST_MEMBER_SdCoreFunctions registerBareosEvents
#define FIRST_MEMBER_DirCoreFunctions registerBareosEvents
#define FIRST_MEMBER_FdPluginFunctions newPlugin
#define FIRST_MEMBER_SdPluginFunctions newPlugin
#define FIRST_MEMBER_DirPluginFunctions newPlugin

#define TABLE_SIZE(type, count)                                    \
  ABI_ASSERT(sizeof(type) == offsetof(type, FIRST_MEMBER_##type) + \
                                 (count) * sizeof(abi_any_function),  \
             "sizeof(" #type ") must hold exactly " #count " slots")

ORDER(FdCoreFunctions, size, version);
ORDER(FdCoreFunctions, version, registerBareosEvents);
SLOT(FdCoreFunctions, registerBareosEvents, 0);
SLOT(FdCoreFunctions, unregisterBareosEvents, 1);
SLOT(FdCoreFunctions, getInstanceCount, 2);
SLOT(FdCoreFunctions, getBareosValue, 3);
SLOT(FdCoreFunctions, setBareosValue, 4);
SLOT(FdCoreFunctions, JobMessage, 5);
SLOT(FdCoreFunctions, DebugMessage, 6);
SLOT(FdCoreFunctions, bareosMalloc, 7);
SLOT(FdCoreFunctions, bareosFree, 8);
SLOT(FdCoreFunctions, AddExclude, 9);
SLOT(FdCoreFunctions, AddInclude, 10);
SLOT(FdCoreFunctions, AddOptions, 11);
SLOT(FdCoreFunctions, AddRegex, 12);
SLOT(FdCoreFunctions, AddWild, 13);
SLOT(FdCoreFunctions, NewOptions, 14);
SLOT(FdCoreFunctions, NewInclude, 15);
SLOT(FdCoreFunctions, NewPreInclude, 16);
SLOT(FdCoreFunctions, checkChanges, 17);
SLOT(FdCoreFunctions, AcceptFile, 18);
SLOT(FdCoreFunctions, SetSeenBitmap, 19);
SLOT(FdCoreFunctions, ClearSeenBitmap, 20);
TABLE_SIZE(FdCoreFunctions, 21);

ORDER(FdPluginFunctions, size, version);
ORDER(FdPluginFunctions, version, newPlugin);
SLOT(FdPluginFunctions, newPlugin, 0);
SLOT(FdPluginFunctions, freePlugin, 1);
SLOT(FdPluginFunctions, getPluginValue, 2);
SLOT(FdPluginFunctions, setPluginValue, 3);
SLOT(FdPluginFunctions, handlePluginEvent, 4);
SLOT(FdPluginFunctions, startBackupFile, 5);
SLOT(FdPluginFunctions, endBackupFile, 6);
SLOT(FdPluginFunctions, startRestoreFile, 7);
SLOT(FdPluginFunctions, endRestoreFile, 8);
SLOT(FdPluginFunctions, pluginIO, 9);
SLOT(FdPluginFunctions, createFile, 10);
SLOT(FdPluginFunctions, setFileAttributes, 11);
SLOT(FdPluginFunctions, checkFile, 12);
SLOT(FdPluginFunctions, getAcl, 13);
SLOT(FdPluginFunctions, setAcl, 14);
SLOT(FdPluginFunctions, getXattr, 15);
SLOT(FdPluginFunctions, setXattr, 16);
TABLE_SIZE(FdPluginFunctions, 17);

ORDER(SdCoreFunctions, size, version);
ORDER(SdCoreFunctions, version, registerBareosEvents);
SLOT(SdCoreFunctions, registerBareosEvents, 0);
SLOT(SdCoreFunctions, unregisterBareosEvents, 1);
SLOT(SdCoreFunctions, getInstanceCount, 2);
SLOT(SdCoreFunctions, getBareosValue, 3);
SLOT(SdCoreFunctions, setBareosValue, 4);
SLOT(SdCoreFunctions, JobMessage, 5);
SLOT(SdCoreFunctions, DebugMessage, 6);
SLOT(SdCoreFunctions, EditDeviceCodes, 7);
SLOT(SdCoreFunctions, LookupCryptoKey, 8);
SLOT(SdCoreFunctions, UpdateVolumeInfo, 9);
SLOT(SdCoreFunctions, UpdateTapeAlert, 10);
SLOT(SdCoreFunctions, new_record, 11);
SLOT(SdCoreFunctions, CopyRecordState, 12);
SLOT(SdCoreFunctions, FreeRecord, 13);
TABLE_SIZE(SdCoreFunctions, 14);

ORDER(SdPluginFunctions, size, version);
ORDER(SdPluginFunctions, version, newPlugin);
SLOT(SdPluginFunctions, newPlugin, 0);
SLOT(SdPluginFunctions, freePlugin, 1);
SLOT(SdPluginFunctions, getPluginValue, 2);
SLOT(SdPluginFunctions, setPluginValue, 3);
SLOT(SdPluginFunctions, handlePluginEvent, 4);
TABLE_SIZE(SdPluginFunctions, 5);

ORDER(DirCoreFunctions, size, version);
ORDER(DirCoreFunctions, version, registerBareosEvents);
SLOT(DirCoreFunctions, registerBareosEvents, 0);
SLOT(DirCoreFunctions, unregisterBareosEvents, 1);
SLOT(DirCoreFunctions, getInstanceCount, 2);
SLOT(DirCoreFunctions, getBareosValue, 3);
SLOT(DirCoreFunctions, setBareosValue, 4);
SLOT(DirCoreFunctions, JobMessage, 5);
SLOT(DirCoreFunctions, DebugMessage, 6);
TABLE_SIZE(DirCoreFunctions, 7);

ORDER(DirPluginFunctions, size, version);
ORDER(DirPluginFunctions, version, newPlugin);
SLOT(DirPluginFunctions, newPlugin, 0);
SLOT(DirPluginFunctions, freePlugin, 1);
SLOT(DirPluginFunctions, getPluginValue, 2);
SLOT(DirPluginFunctions, setPluginValue, 3);
SLOT(DirPluginFunctions, handlePluginEvent, 4);
TABLE_SIZE(DirPluginFunctions, 5);

/* The short file daemon names are the same types. */
ABI_ASSERT(sizeof(CoreFunctions) == sizeof(FdCoreFunctions),
           "CoreFunctions is FdCoreFunctions");
ABI_ASSERT(sizeof(PluginFunctions) == sizeof(FdPluginFunctions),
           "PluginFunctions is FdPluginFunctions");

/* --- exact numbers on x86-64 Linux (LP64, glibc) ----------------------- */

/* ABI_TEST_ORDER_ONLY skips this part, to exercise the generic checks. */
#if defined(__x86_64__) && defined(__linux__) && defined(__LP64__) && \
    !defined(ABI_TEST_ORDER_ONLY)

/* What the contract's tables assume about the platform. */
SIZE_IS(void*, 8);
SIZE_IS(struct stat, 144);
SIZE_IS(time_t, 8);
SIZE_IS(mode_t, 4);
SIZE_IS(uid_t, 4);
SIZE_IS(bool, 1);

SIZE_IS(PluginInformation, 64);
OFFSET_IS(PluginInformation, size, 0);
OFFSET_IS(PluginInformation, version, 4);
OFFSET_IS(PluginInformation, plugin_magic, 8);
OFFSET_IS(PluginInformation, plugin_license, 16);
OFFSET_IS(PluginInformation, plugin_author, 24);
OFFSET_IS(PluginInformation, plugin_date, 32);
OFFSET_IS(PluginInformation, plugin_version, 40);
OFFSET_IS(PluginInformation, plugin_description, 48);
OFFSET_IS(PluginInformation, plugin_usage, 56);

SIZE_IS(PluginContext, 32);
OFFSET_IS(PluginContext, instance, 0);
OFFSET_IS(PluginContext, plugin, 8);
OFFSET_IS(PluginContext, core_private_context, 16);
OFFSET_IS(PluginContext, plugin_private_context, 24);

SIZE_IS(Plugin, 48);
OFFSET_IS(Plugin, file, 0);
OFFSET_IS(Plugin, file_len, 8);
OFFSET_IS(Plugin, unloadPlugin, 16);
OFFSET_IS(Plugin, plugin_information, 24);
OFFSET_IS(Plugin, plugin_functions, 32);
OFFSET_IS(Plugin, plugin_handle, 40);

SIZE_IS(restore_object_pkt, 64);
OFFSET_IS(restore_object_pkt, pkt_size, 0);
OFFSET_IS(restore_object_pkt, object_name, 8);
OFFSET_IS(restore_object_pkt, object, 16);
OFFSET_IS(restore_object_pkt, plugin_name, 24);
OFFSET_IS(restore_object_pkt, object_type, 32);
OFFSET_IS(restore_object_pkt, object_len, 36);
OFFSET_IS(restore_object_pkt, object_full_len, 40);
OFFSET_IS(restore_object_pkt, object_index, 44);
OFFSET_IS(restore_object_pkt, object_compression, 48);
OFFSET_IS(restore_object_pkt, stream, 52);
OFFSET_IS(restore_object_pkt, JobId, 56);
OFFSET_IS(restore_object_pkt, pkt_end, 60);

SIZE_IS(save_pkt, 240);
OFFSET_IS(save_pkt, pkt_size, 0);
OFFSET_IS(save_pkt, fname, 8);
OFFSET_IS(save_pkt, link, 16);
OFFSET_IS(save_pkt, statp, 24);
OFFSET_IS(save_pkt, type, 168);
OFFSET_IS(save_pkt, flags, 172);
OFFSET_IS(save_pkt, no_read, 177);
OFFSET_IS(save_pkt, portable, 178);
OFFSET_IS(save_pkt, accurate_found, 179);
OFFSET_IS(save_pkt, cmd, 184);
OFFSET_IS(save_pkt, save_time, 192);
OFFSET_IS(save_pkt, delta_seq, 200);
OFFSET_IS(save_pkt, object_name, 208);
OFFSET_IS(save_pkt, object, 216);
OFFSET_IS(save_pkt, object_len, 224);
OFFSET_IS(save_pkt, index, 228);
OFFSET_IS(save_pkt, pkt_end, 232);

SIZE_IS(restore_pkt, 256);
OFFSET_IS(restore_pkt, pkt_size, 0);
OFFSET_IS(restore_pkt, stream, 4);
OFFSET_IS(restore_pkt, data_stream, 8);
OFFSET_IS(restore_pkt, type, 12);
OFFSET_IS(restore_pkt, file_index, 16);
OFFSET_IS(restore_pkt, LinkFI, 20);
OFFSET_IS(restore_pkt, uid, 24);
OFFSET_IS(restore_pkt, statp, 32);
OFFSET_IS(restore_pkt, attrEx, 176);
OFFSET_IS(restore_pkt, ofname, 184);
OFFSET_IS(restore_pkt, olname, 192);
OFFSET_IS(restore_pkt, where, 200);
OFFSET_IS(restore_pkt, RegexWhere, 208);
OFFSET_IS(restore_pkt, replace, 216);
OFFSET_IS(restore_pkt, create_status, 220);
OFFSET_IS(restore_pkt, delta_seq, 224);
OFFSET_IS(restore_pkt, filedes, 228);
OFFSET_IS(restore_pkt, original_file_name, 232);
OFFSET_IS(restore_pkt, original_link_name, 240);
OFFSET_IS(restore_pkt, pkt_end, 248);

SIZE_IS(io_pkt, 80);
OFFSET_IS(io_pkt, pkt_size, 0);
OFFSET_IS(io_pkt, func, 4);
OFFSET_IS(io_pkt, count, 8);
OFFSET_IS(io_pkt, flags, 12);
OFFSET_IS(io_pkt, mode, 16);
OFFSET_IS(io_pkt, buf, 24);
OFFSET_IS(io_pkt, fname, 32);
OFFSET_IS(io_pkt, status, 40);
OFFSET_IS(io_pkt, io_errno, 44);
OFFSET_IS(io_pkt, lerror, 48);
OFFSET_IS(io_pkt, whence, 52);
OFFSET_IS(io_pkt, offset, 56);
OFFSET_IS(io_pkt, win32, 64);
OFFSET_IS(io_pkt, filedes, 68);
OFFSET_IS(io_pkt, pkt_end, 72);

SIZE_IS(acl_pkt, 40);
OFFSET_IS(acl_pkt, pkt_size, 0);
OFFSET_IS(acl_pkt, fname, 8);
OFFSET_IS(acl_pkt, content_length, 16);
OFFSET_IS(acl_pkt, content, 24);
OFFSET_IS(acl_pkt, pkt_end, 32);

SIZE_IS(xattr_pkt, 56);
OFFSET_IS(xattr_pkt, pkt_size, 0);
OFFSET_IS(xattr_pkt, fname, 8);
OFFSET_IS(xattr_pkt, name_length, 16);
OFFSET_IS(xattr_pkt, name, 24);
OFFSET_IS(xattr_pkt, value_length, 32);
OFFSET_IS(xattr_pkt, value, 40);
OFFSET_IS(xattr_pkt, pkt_end, 48);

/* Function tables: member number i (0-based) at 8 + 8 * i. */
#define AT(type, member, index) OFFSET_IS(type, member, 8 + 8 * (index))

SIZE_IS(FdCoreFunctions, 176);
OFFSET_IS(FdCoreFunctions, size, 0);
OFFSET_IS(FdCoreFunctions, version, 4);
AT(FdCoreFunctions, registerBareosEvents, 0);
AT(FdCoreFunctions, unregisterBareosEvents, 1);
AT(FdCoreFunctions, getInstanceCount, 2);
AT(FdCoreFunctions, getBareosValue, 3);
AT(FdCoreFunctions, setBareosValue, 4);
AT(FdCoreFunctions, JobMessage, 5);
AT(FdCoreFunctions, DebugMessage, 6);
AT(FdCoreFunctions, bareosMalloc, 7);
AT(FdCoreFunctions, bareosFree, 8);
AT(FdCoreFunctions, AddExclude, 9);
AT(FdCoreFunctions, AddInclude, 10);
AT(FdCoreFunctions, AddOptions, 11);
AT(FdCoreFunctions, AddRegex, 12);
AT(FdCoreFunctions, AddWild, 13);
AT(FdCoreFunctions, NewOptions, 14);
AT(FdCoreFunctions, NewInclude, 15);
AT(FdCoreFunctions, NewPreInclude, 16);
AT(FdCoreFunctions, checkChanges, 17);
AT(FdCoreFunctions, AcceptFile, 18);
AT(FdCoreFunctions, SetSeenBitmap, 19);
AT(FdCoreFunctions, ClearSeenBitmap, 20);

SIZE_IS(FdPluginFunctions, 144);
OFFSET_IS(FdPluginFunctions, size, 0);
OFFSET_IS(FdPluginFunctions, version, 4);
AT(FdPluginFunctions, newPlugin, 0);
AT(FdPluginFunctions, freePlugin, 1);
AT(FdPluginFunctions, getPluginValue, 2);
AT(FdPluginFunctions, setPluginValue, 3);
AT(FdPluginFunctions, handlePluginEvent, 4);
AT(FdPluginFunctions, startBackupFile, 5);
AT(FdPluginFunctions, endBackupFile, 6);
AT(FdPluginFunctions, startRestoreFile, 7);
AT(FdPluginFunctions, endRestoreFile, 8);
AT(FdPluginFunctions, pluginIO, 9);
AT(FdPluginFunctions, createFile, 10);
AT(FdPluginFunctions, setFileAttributes, 11);
AT(FdPluginFunctions, checkFile, 12);
AT(FdPluginFunctions, getAcl, 13);
AT(FdPluginFunctions, setAcl, 14);
AT(FdPluginFunctions, getXattr, 15);
AT(FdPluginFunctions, setXattr, 16);

SIZE_IS(SdCoreFunctions, 120);
OFFSET_IS(SdCoreFunctions, size, 0);
OFFSET_IS(SdCoreFunctions, version, 4);
AT(SdCoreFunctions, registerBareosEvents, 0);
AT(SdCoreFunctions, unregisterBareosEvents, 1);
AT(SdCoreFunctions, getInstanceCount, 2);
AT(SdCoreFunctions, getBareosValue, 3);
AT(SdCoreFunctions, setBareosValue, 4);
AT(SdCoreFunctions, JobMessage, 5);
AT(SdCoreFunctions, DebugMessage, 6);
AT(SdCoreFunctions, EditDeviceCodes, 7);
AT(SdCoreFunctions, LookupCryptoKey, 8);
AT(SdCoreFunctions, UpdateVolumeInfo, 9);
AT(SdCoreFunctions, UpdateTapeAlert, 10);
AT(SdCoreFunctions, new_record, 11);
AT(SdCoreFunctions, CopyRecordState, 12);
AT(SdCoreFunctions, FreeRecord, 13);

SIZE_IS(SdPluginFunctions, 48);
OFFSET_IS(SdPluginFunctions, size, 0);
OFFSET_IS(SdPluginFunctions, version, 4);
AT(SdPluginFunctions, newPlugin, 0);
AT(SdPluginFunctions, freePlugin, 1);
AT(SdPluginFunctions, getPluginValue, 2);
AT(SdPluginFunctions, setPluginValue, 3);
AT(SdPluginFunctions, handlePluginEvent, 4);

SIZE_IS(DirCoreFunctions, 64);
OFFSET_IS(DirCoreFunctions, size, 0);
OFFSET_IS(DirCoreFunctions, version, 4);
AT(DirCoreFunctions, registerBareosEvents, 0);
AT(DirCoreFunctions, unregisterBareosEvents, 1);
AT(DirCoreFunctions, getInstanceCount, 2);
AT(DirCoreFunctions, getBareosValue, 3);
AT(DirCoreFunctions, setBareosValue, 4);
AT(DirCoreFunctions, JobMessage, 5);
AT(DirCoreFunctions, DebugMessage, 6);

SIZE_IS(DirPluginFunctions, 48);
OFFSET_IS(DirPluginFunctions, size, 0);
OFFSET_IS(DirPluginFunctions, version, 4);
AT(DirPluginFunctions, newPlugin, 0);
AT(DirPluginFunctions, freePlugin, 1);
AT(DirPluginFunctions, getPluginValue, 2);
AT(DirPluginFunctions, setPluginValue, 3);
AT(DirPluginFunctions, handlePluginEvent, 4);

#endif /* x86-64 Linux LP64 */

/* ------------------------------------------------------------------------
 * The entry points, defined with exactly the declared parameter types: a
 * mismatch with plugin.h would not compile.  Their addresses must also fit
 * the function-pointer typedefs a daemon uses after dlsym().
 * ---------------------------------------------------------------------- */

static PluginInformation test_info = {
    sizeof(PluginInformation), FD_PLUGIN_INTERFACE_VERSION, FD_PLUGIN_MAGIC,
    BAREOS_PLUGIN_LICENSE, "bareospy", "today", "0", "ABI test", "none"};
static FdPluginFunctions test_functions;

bRC loadPlugin(PluginApiDefinition* core_info, void* core_functions,
               PluginInformation** plugin_info, void** plugin_functions)
{
  (void)core_info;
  (void)core_functions;
  *plugin_info = &test_info;
  *plugin_functions = &test_functions;
  return bRC_OK;
}

bRC unloadPlugin(void) { return bRC_OK; }

static loadPlugin_t load_entry = loadPlugin;
static unloadPlugin_t unload_entry = unloadPlugin;

/* ------------------------------------------------------------------------
 * Run-time checks
 * ---------------------------------------------------------------------- */

static int passed;
static int failed;

static void check_value(const char* name, long long actual, long long expected)
{
  if (actual == expected) {
    passed++;
  } else {
    failed++;
    printf("MISMATCH %s: header has %lld, contract says %lld\n", name, actual,
           expected);
  }
}

static void check_text(const char* name, const char* actual,
                       const char* expected)
{
  if (strcmp(actual, expected) == 0) {
    passed++;
  } else {
    failed++;
    printf("MISMATCH %s: header has \"%s\", contract says \"%s\"\n", name,
           actual, expected);
  }
}

#define V(name, expected) \
  check_value(#name, (long long)(name), (long long)(expected))
#define T(name, expected) check_text(#name, name, expected)

static void check_common(void)
{
  V(PYTHON_UNDEFINED_RETURN_VALUE, -1);
  V(bRC_OK, 0);
  V(bRC_Stop, 1);
  V(bRC_Error, 2);
  V(bRC_More, 3);
  V(bRC_Term, 4);
  V(bRC_Seen, 5);
  V(bRC_Core, 6);
  V(bRC_Skip, 7);
  V(bRC_Cancel, 8);
  V(bRC_Max, 9999);

  V(LOWEST_PLUGIN_INSTANCE, 0);
  V(HIGHEST_PLUGIN_INSTANCE, 127);

  T(BAREOS_PLUGIN_LICENSE, "Bareos AGPLv3");
  T(BAREOS_PLUGIN_LICENSE_SHORT, "AGPLv3");
  T(FD_PLUGIN_MAGIC, "*FDPluginData*");
  T(SD_PLUGIN_MAGIC, "*SDPluginData*");
  T(DIR_PLUGIN_MAGIC, "*DirPluginData*");
  V(FD_PLUGIN_INTERFACE_VERSION, 10);
  V(SD_PLUGIN_INTERFACE_VERSION, 4);
  V(DIR_PLUGIN_INTERFACE_VERSION, 4);

  V(pVarName, 1);
  V(pVarDescription, 2);
}

static void check_consts(void)
{
  V(FT_LNKSAVED, 1);
  V(FT_REGE, 2);
  V(FT_REG, 3);
  V(FT_LNK, 4);
  V(FT_DIREND, 5);
  V(FT_SPEC, 6);
  V(FT_NOACCESS, 7);
  V(FT_NOFOLLOW, 8);
  V(FT_NOSTAT, 9);
  V(FT_NOCHG, 10);
  V(FT_DIRNOCHG, 11);
  V(FT_ISARCH, 12);
  V(FT_NORECURSE, 13);
  V(FT_NOFSCHG, 14);
  V(FT_NOOPEN, 15);
  V(FT_RAW, 16);
  V(FT_FIFO, 17);
  V(FT_DIRBEGIN, 18);
  V(FT_INVALIDFS, 19);
  V(FT_INVALIDDT, 20);
  V(FT_REPARSE, 21);
  V(FT_PLUGIN, 22);
  V(FT_DELETED, 23);
  V(FT_BASE, 24);
  V(FT_RESTORE_FIRST, 25);
  V(FT_JUNCTION, 26);
  V(FT_PLUGIN_CONFIG, 27);
  V(FT_PLUGIN_CONFIG_FILLED, 28);
  V(FT_UNSET, 0xFFFF);
  V(FT_MASK, 0xFFFF);

  V(CF_SKIP, 1);
  V(CF_ERROR, 2);
  V(CF_EXTRACT, 3);
  V(CF_CREATED, 4);
  V(CF_CORE, 5);

  V(M_ABORT, 1);
  V(M_DEBUG, 2);
  V(M_FATAL, 3);
  V(M_ERROR, 4);
  V(M_WARNING, 5);
  V(M_INFO, 6);
  V(M_SAVED, 7);
  V(M_NOTSAVED, 8);
  V(M_SKIPPED, 9);
  V(M_MOUNT, 10);
  V(M_ERROR_TERM, 11);
  V(M_TERM, 12);
  V(M_RESTORED, 13);
  V(M_SECURITY, 14);
  V(M_ALERT, 15);
  V(M_VOLMGMT, 16);
  V(M_AUDIT, 17);
  V(M_CONFIG_ERROR, 18);

  V(L_FULL, 'F');
  V(L_INCREMENTAL, 'I');
  V(L_DIFFERENTIAL, 'D');
  V(L_SINCE, 'S');
  V(L_VERIFY_CATALOG, 'C');
  V(L_VERIFY_INIT, 'V');
  V(L_VERIFY_VOLUME_TO_CATALOG, 'O');
  V(L_VERIFY_DISK_TO_CATALOG, 'd');
  V(L_VERIFY_DATA, 'A');
  V(L_BASE, 'B');
  V(L_NONE, ' ');
  V(L_VIRTUAL_FULL, 'f');

  V(JT_BACKUP, 'B');
  V(JT_MIGRATED_JOB, 'M');
  V(JT_VERIFY, 'V');
  V(JT_RESTORE, 'R');
  V(JT_CONSOLE, 'U');
  V(JT_SYSTEM, 'I');
  V(JT_ADMIN, 'D');
  V(JT_ARCHIVE, 'A');
  V(JT_JOB_COPY, 'C');
  V(JT_COPY, 'c');
  V(JT_MIGRATE, 'g');
  V(JT_SCAN, 'S');
  V(JT_CONSOLIDATE, 'O');

  V(JS_Canceled, 'A');
  V(JS_Blocked, 'B');
  V(JS_Created, 'C');
  V(JS_Differences, 'D');
  V(JS_ErrorTerminated, 'E');
  V(JS_WaitFD, 'F');
  V(JS_Incomplete, 'I');
  V(JS_DataCommitting, 'L');
  V(JS_WaitMount, 'M');
  V(JS_Running, 'R');
  V(JS_WaitSD, 'S');
  V(JS_Terminated, 'T');
  V(JS_Warnings, 'W');
  V(JS_AttrDespooling, 'a');
  V(JS_WaitClientRes, 'c');
  V(JS_WaitMaxJobs, 'd');
  V(JS_Error, 'e');
  V(JS_FatalError, 'f');
  V(JS_AttrInserting, 'i');
  V(JS_WaitJobRes, 'j');
  V(JS_DataDespooling, 'l');
  V(JS_WaitMedia, 'm');
  V(JS_WaitPriority, 'p');
  V(JS_WaitDevice, 'q');
  V(JS_WaitStoreRes, 's');
  V(JS_WaitStartTime, 't');

  V(bAccurateOptionInode, 1);
  V(bAccurateOptionPermissions, 2);
  V(bAccurateOptionNlink, 4);
  V(bAccurateOptionUid, 8);
  V(bAccurateOptionGid, 16);
  V(bAccurateOptionSize, 32);
  V(bAccurateOptionAtime, 64);
  V(bAccurateOptionMtime, 128);
  V(bAccurateOptionCtime, 256);
  V(bAccurateOptionSizeDecrease, 512);
  V(bAccurateOptionAlways, 1024);
  V(bAccurateOptionMD5, 2048);
  V(bAccurateOptionSha1, 4096);
  V(ACCURATE_DEFAULT_OPTIONS, 128 | 256 | 32);
  /* Bit 63 does not fit a long long; compare as unsigned. */
  check_value("ACCURATE_OPTIONS_WERE_INITIALIZED == 1<<63",
              ACCURATE_OPTIONS_WERE_INITIALIZED == 0x8000000000000000ULL, 1);

  V(FO_PORTABLE_DATA, 0);
  V(FO_MD5, 1);
  V(FO_COMPRESS, 2);
  V(FO_NO_RECURSION, 3);
  V(FO_MULTIFS, 4);
  V(FO_SPARSE, 5);
  V(FO_IF_NEWER, 6);
  V(FO_NOREPLACE, 7);
  V(FO_READFIFO, 8);
  V(FO_SHA1, 9);
  V(FO_PORTABLE, 10);
  V(FO_MTIMEONLY, 11);
  V(FO_KEEPATIME, 12);
  V(FO_EXCLUDE, 13);
  V(FO_ACL, 14);
  V(FO_NO_HARDLINK, 15);
  V(FO_IGNORECASE, 16);
  V(FO_HFSPLUS, 17);
  V(FO_WIN32DECOMP, 18);
  V(FO_SHA256, 19);
  V(FO_SHA512, 20);
  V(FO_ENCRYPT, 21);
  V(FO_NOATIME, 22);
  V(FO_ENHANCEDWILD, 23);
  V(FO_CHKCHANGES, 24);
  V(FO_STRIPPATH, 25);
  V(FO_HONOR_NODUMP, 26);
  V(FO_XATTR, 27);
  V(FO_DELTA, 28);
  V(FO_PLUGIN, 29);
  V(FO_OFFSETS, 30);
  V(FO_NO_AUTOEXCL, 31);
  V(FO_FORCE_ENCRYPT, 32);
  V(FO_XXH128, 33);
  V(FO_MAX, 33);
  V(FOPTS_BYTES, 5);

  V(REPLACE_ALWAYS, 'a');
  V(REPLACE_IFNEWER, 'w');
  V(REPLACE_NEVER, 'n');
  V(REPLACE_IFOLDER, 'o');
}

static void check_fd(void)
{
  V(bVarJobId, 1);
  V(bVarFDName, 2);
  V(bVarLevel, 3);
  V(bVarType, 4);
  V(bVarClient, 5);
  V(bVarJobName, 6);
  V(bVarJobStatus, 7);
  V(bVarSinceTime, 8);
  V(bVarAccurate, 9);
  V(bVarFileSeen, 10);
  V(bVarVssClient, 11);
  V(bVarWorkingDir, 12);
  V(bVarWhere, 13);
  V(bVarRegexWhere, 14);
  V(bVarExePath, 15);
  V(bVarVersion, 16);
  V(bVarDistName, 17);
  V(bVarPrevJobName, 18);
  V(bVarPrefixLinks, 19);
  V(bVarCheckChanges, 20);
  V(bVarUsedConfig, 21);
  V(bVarPluginPath, 22);
  V(bVarAccurateOptions, 23);

  V(bEventJobStart, 1);
  V(bEventJobEnd, 2);
  V(bEventStartBackupJob, 3);
  V(bEventEndBackupJob, 4);
  V(bEventStartRestoreJob, 5);
  V(bEventEndRestoreJob, 6);
  V(bEventStartVerifyJob, 7);
  V(bEventEndVerifyJob, 8);
  V(bEventBackupCommand, 9);
  V(bEventRestoreCommand, 10);
  V(bEventEstimateCommand, 11);
  V(bEventLevel, 12);
  V(bEventSince, 13);
  V(bEventCancelCommand, 14);
  V(bEventRestoreObject, 15);
  V(bEventEndFileSet, 16);
  V(bEventPluginCommand, 17);
  V(bEventOptionPlugin, 18);
  V(bEventHandleBackupFile, 19);
  V(bEventNewPluginOptions, 20);
  V(bEventVssInitializeForBackup, 21);
  V(bEventVssInitializeForRestore, 22);
  V(bEventVssSetBackupState, 23);
  V(bEventVssPrepareForBackup, 24);
  V(bEventVssBackupAddComponents, 25);
  V(bEventVssPrepareSnapshot, 26);
  V(bEventVssCreateSnapshots, 27);
  V(bEventVssRestoreLoadComponentMetadata, 28);
  V(bEventVssRestoreSetComponentsSelected, 29);
  V(bEventVssCloseRestore, 30);
  V(bEventVssBackupComplete, 31);
  V(FD_NR_EVENTS, 31);

  V(IO_OPEN, 1);
  V(IO_READ, 2);
  V(IO_WRITE, 3);
  V(IO_CLOSE, 4);
  V(IO_SEEK, 5);
  V(iostat_error, -1);
  V(iostat_do_in_plugin, 0);
  V(iostat_do_in_core, 1);
  V(kInvalidFiledescriptor, -1);
}

static void check_sd(void)
{
  V(bsdVarJob, 1);
  V(bsdVarLevel, 2);
  V(bsdVarType, 3);
  V(bsdVarJobId, 4);
  V(bsdVarClient, 5);
  V(bsdVarPool, 6);
  V(bsdVarPoolType, 7);
  V(bsdVarStorage, 8);
  V(bsdVarMediaType, 9);
  V(bsdVarJobName, 10);
  V(bsdVarJobStatus, 11);
  V(bsdVarVolumeName, 12);
  V(bsdVarJobErrors, 13);
  V(bsdVarJobFiles, 14);
  V(bsdVarJobBytes, 15);
  V(bsdVarPluginDir, 16);

  V(bsdwVarJobReport, 1);
  V(bsdwVarVolumeName, 2);
  V(bsdwVarPriority, 3);
  V(bsdwVarJobLevel, 4);

  V(bSdEventJobStart, 1);
  V(bSdEventJobEnd, 2);
  V(bSdEventDeviceInit, 3);
  V(bSdEventDeviceMount, 4);
  V(bSdEventVolumeLoad, 5);
  V(bSdEventDeviceReserve, 6);
  V(bSdEventDeviceOpen, 7);
  V(bSdEventLabelRead, 8);
  V(bSdEventLabelVerified, 9);
  V(bSdEventLabelWrite, 10);
  V(bSdEventDeviceClose, 11);
  V(bSdEventVolumeUnload, 12);
  V(bSdEventDeviceUnmount, 13);
  V(bSdEventReadError, 14);
  V(bSdEventWriteError, 15);
  V(bSdEventDriveStatus, 16);
  V(bSdEventVolumeStatus, 17);
  V(bSdEventSetupRecordTranslation, 18);
  V(bSdEventReadRecordTranslation, 19);
  V(bSdEventWriteRecordTranslation, 20);
  V(bSdEventDeviceRelease, 21);
  V(bSdEventNewPluginOptions, 22);
  V(bSdEventChangerLock, 23);
  V(bSdEventChangerUnlock, 24);
  V(SD_NR_EVENTS, 24);
  V(PLUGIN_EVENT_COUNT, 24);
}

static void check_dir(void)
{
  V(bDirVarJob, 1);
  V(bDirVarLevel, 2);
  V(bDirVarType, 3);
  V(bDirVarJobId, 4);
  V(bDirVarClient, 5);
  V(bDirVarNumVols, 6);
  V(bDirVarPool, 7);
  V(bDirVarStorage, 8);
  V(bDirVarWriteStorage, 9);
  V(bDirVarReadStorage, 10);
  V(bDirVarCatalog, 11);
  V(bDirVarMediaType, 12);
  V(bDirVarJobName, 13);
  V(bDirVarJobStatus, 14);
  V(bDirVarPriority, 15);
  V(bDirVarVolumeName, 16);
  V(bDirVarCatalogRes, 17);
  V(bDirVarJobErrors, 18);
  V(bDirVarJobFiles, 19);
  V(bDirVarSDJobFiles, 20);
  V(bDirVarSDErrors, 21);
  V(bDirVarFDJobStatus, 22);
  V(bDirVarSDJobStatus, 23);
  V(bDirVarPluginDir, 24);
  V(bDirVarLastRate, 25);
  V(bDirVarJobBytes, 26);
  V(bDirVarReadBytes, 27);

  V(bwDirVarJobReport, 1);
  V(bwDirVarVolumeName, 2);
  V(bwDirVarPriority, 3);
  V(bwDirVarJobLevel, 4);

  V(bDirEventJobStart, 1);
  V(bDirEventJobEnd, 2);
  V(bDirEventJobInit, 3);
  V(bDirEventJobRun, 4);
  V(bDirEventVolumePurged, 5);
  V(bDirEventNewVolume, 6);
  V(bDirEventNeedVolume, 7);
  V(bDirEventVolumeFull, 8);
  V(bDirEventRecyle, 9);
  V(bDirEventGetScratch, 10);
  V(bDirEventNewPluginOptions, 11);
  V(DIR_NR_EVENTS, 11);
}

/* The entry points behave as declared when called through the typedefs. */
static void check_entry_points(void)
{
  PluginApiDefinition api = {sizeof(PluginApiDefinition),
                             FD_PLUGIN_INTERFACE_VERSION};
  PluginInformation* info = NULL;
  void* functions = NULL;

  V(load_entry(&api, NULL, &info, &functions), bRC_OK);
  check_value("loadPlugin plugin_info", info == &test_info, 1);
  check_value("loadPlugin plugin_functions", functions == &test_functions, 1);
  check_value("PluginInformation.size", info->size, sizeof(PluginInformation));
  V(unload_entry(), bRC_OK);
}

int main(void)
{
  check_common();
  check_consts();
  check_fd();
  check_sd();
  check_dir();
  check_entry_points();

  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
