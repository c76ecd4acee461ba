# Cython mirror of include/bareospy/plugin.h: the plugin ABI common to all
# daemons.  Declarations only; every value comes from the C header.
#
# Functions and function-pointer types are declared nogil: the daemons call
# plugin entry points without holding the GIL, and a plugin may call the
# core's functions without it.  They are noexcept because a C caller cannot
# see a Python exception.  A Cython function stored in one of these tables
# must therefore be "noexcept nogil" (or "noexcept with gil").

from libc.stdint cimport int32_t, int64_t, uint32_t


cdef extern from "<stdbool.h>":
    # C99 bool, used by the file and storage daemon tables and packets.  It
    # is spelled cbool on the Cython side so that "cimport *" does not hide
    # Python's builtin bool; the generated C still says bool.
    ctypedef bint cbool "bool"


cdef extern from "bareospy/plugin.h" nogil:

    ctypedef enum bRC:
        bRC_OK
        bRC_Stop
        bRC_Error
        bRC_More
        bRC_Term
        bRC_Seen
        bRC_Core
        bRC_Skip
        bRC_Cancel
        bRC_Max

    enum:
        PYTHON_UNDEFINED_RETURN_VALUE
        LOWEST_PLUGIN_INSTANCE
        HIGHEST_PLUGIN_INSTANCE
        FD_PLUGIN_INTERFACE_VERSION
        SD_PLUGIN_INTERFACE_VERSION
        DIR_PLUGIN_INTERFACE_VERSION

    # String macros.
    const char* BAREOS_PLUGIN_LICENSE
    const char* BAREOS_PLUGIN_LICENSE_SHORT
    const char* FD_PLUGIN_MAGIC
    const char* SD_PLUGIN_MAGIC
    const char* DIR_PLUGIN_MAGIC

    ctypedef int64_t utime_t
    ctypedef int64_t boffset_t

    ctypedef struct PluginApiDefinition:
        uint32_t size
        uint32_t version

    ctypedef struct PluginInformation:
        uint32_t size
        uint32_t version
        const char* plugin_magic
        const char* plugin_license
        const char* plugin_author
        const char* plugin_date
        const char* plugin_version
        const char* plugin_description
        const char* plugin_usage

    ctypedef struct Plugin:
        char* file
        int32_t file_len
        bRC (*unloadPlugin)() noexcept nogil
        void* plugin_information
        void* plugin_functions
        void* plugin_handle

    ctypedef struct PluginContext:
        uint32_t instance
        Plugin* plugin
        void* core_private_context
        void* plugin_private_context

    ctypedef enum pVariable:
        pVarName
        pVarDescription

    ctypedef bRC (*loadPlugin_t)(PluginApiDefinition* core_info,
                                 void* core_functions,
                                 PluginInformation** plugin_info,
                                 void** plugin_functions) noexcept nogil
    ctypedef bRC (*unloadPlugin_t)() noexcept nogil

    bRC loadPlugin(PluginApiDefinition* core_info,
                   void* core_functions,
                   PluginInformation** plugin_info,
                   void** plugin_functions)
    bRC unloadPlugin()
