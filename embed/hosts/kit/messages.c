/* messages.c -- see messages.h. */
#include "messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char* message_type_name(int type)
{
  static const char* const names[] = {"?", "M_ABORT", "M_DEBUG", "M_FATAL", "M_ERROR",
                                      "M_WARNING", "M_INFO", "M_SAVED", "M_NOTSAVED",
                                      "M_SKIPPED", "M_MOUNT", "M_ERROR_TERM", "M_TERM",
                                      "M_RESTORED", "M_SECURITY", "M_ALERT", "M_VOLMGMT",
                                      "M_AUDIT", "M_CONFIG_ERROR"};
  return type >= 1 && type <= 18 ? names[type] : "M_?";
}

void message_trim(char* text)
{
  size_t length = strlen(text);
  while (length > 0 && text[length - 1] == '\n') text[--length] = '\0';
}

void message_print_jobless(pthread_mutex_t* lock, const char* program, int type, char* text)
{
  pthread_mutex_lock(lock);
  fprintf(stderr, "%s: %s: %s\n", program, message_type_name(type), text);
  pthread_mutex_unlock(lock);
  free(text);
}
