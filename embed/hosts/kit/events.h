/* events.h -- the set of events a plugin instance registered (RegisterEvents /
 * UnRegisterEvents of every daemon's core function table), as a bit mask. */
#ifndef BAREOSPY_KIT_EVENTS_H
#define BAREOSPY_KIT_EVENTS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* Bit n set: event n registered.  Event numbers are 1..EVENT_MASK_MAX. */
typedef uint64_t EventMask;
#define EVENT_MASK_MAX 63u

/* What a daemon's core does around a change.  rejected is called for an event
 * outside 1..max_event (which is left alone), changed (may be NULL) for each
 * event set or cleared, both with owner (the daemon's instance). */
typedef struct {
  unsigned max_event;
  void (*rejected)(void* owner, unsigned event);
  void (*changed)(void* owner, unsigned event, bool on);
  void* owner;
} EventRules;

/* Set (on) or clear the count event numbers (unsigned) of args in *mask.
 * False if any of them was rejected. */
bool events_change(EventMask* mask, bool on, int count, va_list args, const EventRules* rules);

static inline bool events_has(EventMask mask, unsigned event)
{
  return event >= 1 && event <= EVENT_MASK_MAX && ((mask >> event) & 1u) != 0;
}

/* Defines the two variadic core functions, register_name and unregister_name,
 * of signature (PluginContext*, int count, ...) that hand their va_list to
 * change(ctx, on, count, args), which answers a bRC. */
#define EVENTS_DEFINE_REGISTRATION(register_name, unregister_name, change) \
  static bRC register_name(PluginContext* ctx, int count, ...)             \
  {                                                                        \
    va_list args;                                                          \
    va_start(args, count);                                                 \
    bRC rc = change(ctx, true, count, args);                               \
    va_end(args);                                                          \
    return rc;                                                             \
  }                                                                        \
  static bRC unregister_name(PluginContext* ctx, int count, ...)           \
  {                                                                        \
    va_list args;                                                          \
    va_start(args, count);                                                 \
    bRC rc = change(ctx, false, count, args);                              \
    va_end(args);                                                          \
    return rc;                                                             \
  }

#endif
