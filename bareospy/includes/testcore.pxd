# Cython mirror of bareospy/src/testcore.h (the C side of the test core).
from bareospy.includes.plugin cimport PluginContext, bRC, utime_t
from bareospy.includes.fd cimport FdCoreFunctions, save_pkt
from bareospy.includes.sd cimport SdCoreFunctions
from bareospy.includes.dir cimport DirCoreFunctions

cdef extern from "testcore.h" nogil:
    enum testcore_fileset_op:
        TESTCORE_ADD_EXCLUDE
        TESTCORE_ADD_INCLUDE
        TESTCORE_ADD_OPTIONS
        TESTCORE_ADD_REGEX
        TESTCORE_ADD_WILD
        TESTCORE_NEW_OPTIONS
        TESTCORE_NEW_INCLUDE
        TESTCORE_NEW_PRE_INCLUDE
    enum testcore_query_op:
        TESTCORE_CHECK_CHANGES
        TESTCORE_ACCEPT_FILE
    ctypedef struct testcore_hooks:
        bRC (*events)(PluginContext* ctx, int unregister, int count, const unsigned int* events)
        bRC (*instance_count)(PluginContext* ctx, int* count)
        bRC (*get_value)(PluginContext* ctx, int var, void* value)
        bRC (*set_value)(PluginContext* ctx, int var, const void* value)
        bRC (*job_message)(PluginContext* ctx, const char* file, int line, int type,
                           utime_t mtime, const char* text)
        bRC (*debug_message)(PluginContext* ctx, const char* file, int line, int level,
                             const char* text)
        bRC (*fileset)(PluginContext* ctx, int op, const char* item, int type)
        bRC (*query)(PluginContext* ctx, int op, save_pkt* sp)
        bRC (*seen)(PluginContext* ctx, int clear, int all, const char* fname)
    void testcore_set_hooks(const testcore_hooks* hooks)
    FdCoreFunctions* testcore_functions()
    SdCoreFunctions* testcore_sd_functions()
    DirCoreFunctions* testcore_dir_functions()
