/* messages.h -- job messages (M_FATAL, M_ERROR, ...) as the fd and sd hosts
 * print them. */
#ifndef BAREOSPY_KIT_MESSAGES_H
#define BAREOSPY_KIT_MESSAGES_H

#include <pthread.h>

/* "M_FATAL" for M_FATAL (1..18), else "M_?". */
const char* message_type_name(int type);

/* Cut the newlines a message text ends with (a plugin's text often has one). */
void message_trim(char* text);

/* A message outside any job: "<program>: M_TYPE: text" on stderr under lock;
 * frees text. */
void message_print_jobless(pthread_mutex_t* lock, const char* program, int type, char* text);

#endif
