/* names.h -- the names of file daemon constants (events, file types, IO
 * functions, return codes), for traces and reports.  One table each. */
#ifndef BAREOSPY_KIT_NAMES_H
#define BAREOSPY_KIT_NAMES_H

/* The name of the constant, or NULL if the value has none. */
const char* fd_event_name(int event);
const char* file_type_constant_name(int type);
const char* io_function_name(int function);
const char* return_code_name(int rc);

#endif
