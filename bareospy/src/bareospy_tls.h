/* The plugin context of the calling OS thread.
 *
 * Every bareosfd/bareossd/bareosdir function works on "the instance whose entry
 * point is running on this thread": the embedding side (or a test core) sets it
 * before it calls into Python and clears it afterwards.  A thread the script
 * starts itself has no context.  One variable per module copy, so the
 * stand-alone extension and a daemon plugin never share it. */
#ifndef BAREOSPY_TLS_H
#define BAREOSPY_TLS_H

#include "bareospy/plugin.h"

static __thread PluginContext* bareospy_tls_context = NULL;

static inline PluginContext* bareospy_get_context(void) { return bareospy_tls_context; }
static inline void bareospy_set_context(PluginContext* ctx) { bareospy_tls_context = ctx; }

#endif
