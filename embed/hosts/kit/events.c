/* events.c -- see events.h. */
#include "events.h"

bool events_change(EventMask* mask, bool on, int count, va_list args, const EventRules* rules)
{
  unsigned max_event = rules->max_event < EVENT_MASK_MAX ? rules->max_event : EVENT_MASK_MAX;
  bool all_taken = true;
  for (int i = 0; i < count; i++) {
    unsigned event = va_arg(args, unsigned);
    if (event < 1 || event > max_event) {
      if (rules->rejected) rules->rejected(rules->owner, event);
      all_taken = false;
      continue;
    }
    if (on)
      *mask |= (EventMask)1 << event;
    else
      *mask &= ~((EventMask)1 << event);
    if (rules->changed) rules->changed(rules->owner, event, on);
  }
  return all_taken;
}
