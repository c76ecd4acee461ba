/* main.c -- bareospy-sd: the command line, loading the plugins, the server
 * (one thread per connection) and its clean stop on SIGTERM/SIGINT. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sd.h"
#include "scripting.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

SdConfig sd;

static volatile sig_atomic_t stop_requested = 0;
static int stop_pipe[2] = {-1, -1};

/* Connections being served, so that a stop can end them. */
static pthread_mutex_t connections_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t connections_changed = PTHREAD_COND_INITIALIZER;
static int* connections = NULL;
static int n_connections = 0;

bool server_stopping(void)
{
  return stop_requested != 0;
}

static void on_stop_signal(int signal_number)
{
  (void)signal_number;
  stop_requested = 1;
  int saved = errno;
  if (write(stop_pipe[1], "x", 1) < 0) { /* the flag is set anyway */ }
  errno = saved;
}

static void usage(FILE* out)
{
  fprintf(out,
          "usage: " SD_NAME " serve --listen unix:PATH|HOST:PORT --storage-dir DIR [options]\n"
          "       " SD_NAME " list --storage-dir DIR\n"
          "       " SD_NAME " --version\n"
          "\n"
          "serve options:\n"
          "  --max-volume-bytes N   close a volume at N bytes and continue on the next (0: no limit)\n"
          "  --label-format FMT     names of new volumes, one %%d (default Vol-%%04d)\n"
          "  --pool NAME            default pool (default Default)\n"
          "  --media-type T         media type of the volumes (default File)\n"
          "  --storage NAME         device resource name (default FileStorage)\n"
          "  -p, --plugin-dir DIR   load the *-sd.so plugins of DIR\n"
          "  --plugin NAME          load only DIR/NAME-sd.so (repeatable)\n"
          "  --plugin-options STR   SD plugin options of jobs that send none (repeatable)\n"
          "  --scripts-dir DIR      import SDStartUp.py from DIR (Bacula-style Python scripting)\n"
          "  -d LEVEL               debug output on stderr\n");
}

static int parse_size(const char* text, uint64_t* out)
{
  char* end;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno || end == text || text[0] == '-') return -1;
  unsigned long long unit = 1;
  if (*end == 'k' || *end == 'K') unit = 1024, end++;
  else if (*end == 'm' || *end == 'M') unit = 1024 * 1024, end++;
  else if (*end == 'g' || *end == 'G') unit = 1024ull * 1024 * 1024, end++;
  if (*end || value > UINT64_MAX / unit) return -1;
  *out = value * unit;
  return 0;
}

static void add_string(char*** list, int* count, const char* text)
{
  *list = xrealloc(*list, sizeof(char*) * (size_t)(*count + 1));
  (*list)[(*count)++] = xstrdup(text);
}

/* Options of serve and list; -1 after an error message. */
static int parse_options(int argc, char** argv, char** listen_address)
{
  for (int i = 2; i < argc; i++) {
    const char* option = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes_value = strcmp(option, "-h") != 0 && strcmp(option, "--help") != 0;
    if (!takes_value) {
      usage(stdout);
      exit(0);
    }
    if (!value) {
      fprintf(stderr, SD_NAME ": option %s needs a value\n", option);
      return -1;
    }
    i++;
    if (strcmp(option, "--listen") == 0) *listen_address = xstrdup(value);
    else if (strcmp(option, "--storage-dir") == 0) sd.storage_dir = xstrdup(value);
    else if (strcmp(option, "--max-volume-bytes") == 0) {
      if (parse_size(value, &sd.max_volume_bytes) != 0) {
        fprintf(stderr, SD_NAME ": bad size for --max-volume-bytes: %s\n", value);
        return -1;
      }
    } else if (strcmp(option, "--label-format") == 0) sd.label_format = xstrdup(value);
    else if (strcmp(option, "--pool") == 0) sd.pool = xstrdup(value);
    else if (strcmp(option, "--media-type") == 0) sd.media_type = xstrdup(value);
    else if (strcmp(option, "--storage") == 0) sd.storage_name = xstrdup(value);
    else if (strcmp(option, "-p") == 0 || strcmp(option, "--plugin-dir") == 0) sd.plugin_dir = xstrdup(value);
    else if (strcmp(option, "--plugin") == 0) add_string(&sd.plugin_names, &sd.n_plugin_names, value);
    else if (strcmp(option, "--plugin-options") == 0) add_string(&sd.plugin_options, &sd.n_plugin_options, value);
    else if (strcmp(option, "-d") == 0) sd.debug_level = atoi(value);
    else if (strcmp(option, "--scripts-dir") == 0) sd_scripting_configure(value);
    else {
      fprintf(stderr, SD_NAME ": unknown option %s (see " SD_NAME " --help)\n", option);
      return -1;
    }
  }
  if (!sd.storage_dir) {
    fprintf(stderr, SD_NAME ": --storage-dir DIR is required\n");
    return -1;
  }
  if (!sd.label_format) sd.label_format = xstrdup("Vol-%04d");
  if (!sd.pool) sd.pool = xstrdup("Default");
  if (!sd.media_type) sd.media_type = xstrdup("File");
  if (!sd.storage_name) sd.storage_name = xstrdup("FileStorage");
  char* probe = volume_format_name(sd.label_format, 1);
  if (!probe) {
    fprintf(stderr, SD_NAME ": bad --label-format %s: it needs exactly one %%d (or %%0Nd) and may hold only letters, digits and ._+-\n",
            sd.label_format);
    return -1;
  }
  free(probe);
  return 0;
}

/* -- plugins -------------------------------------------------------------------- */

static int load_plugin(const char* file)
{
  char* path = xasprintf("%s/%s", sd.plugin_dir, file);
  sd_debug(50, "loading plugin %s", path);
  Plugin record;
  char* message = NULL;
  if (loader_load(&DAEMON_SD, path, &core_functions, &record, &message) != LOAD_OK) {
    fprintf(stderr, SD_NAME ": %s\n", message);
    free(message);
    free(path);
    return -1;
  }
  free(path);
  LoadedPlugin* plugin = xcalloc(1, sizeof *plugin);
  plugin->plugin = record;
  plugin->information = record.plugin_information;
  plugin->functions = record.plugin_functions;
  sd.plugins = xrealloc(sd.plugins, sizeof(LoadedPlugin*) * (size_t)(sd.n_plugins + 1));
  sd.plugins[sd.n_plugins++] = plugin;
  sd_debug(50, "loaded plugin %s: %s", record.file,
           plugin->information->plugin_description ? plugin->information->plugin_description : "?");
  return 0;
}

static int load_plugins(void)
{
  if (!sd.plugin_dir) {
    if (sd.n_plugin_names) {
      fprintf(stderr, SD_NAME ": --plugin needs -p PLUGIN_DIR\n");
      return -1;
    }
    return 0;
  }
  int failures = 0;
  if (sd.n_plugin_names) {
    for (int i = 0; i < sd.n_plugin_names; i++) {
      char* file = xasprintf("%s%s", sd.plugin_names[i], DAEMON_SD.file_suffix);
      if (load_plugin(file) != 0) failures++;
      free(file);
    }
    return failures ? -1 : 0;
  }
  char** files;
  char* message = NULL;
  int count = loader_list(&DAEMON_SD, sd.plugin_dir, &files, &message);
  if (count < 0) {
    fprintf(stderr, SD_NAME ": %s\n", message);
    free(message);
    return -1;
  }
  for (int i = 0; i < count; i++)
    if (load_plugin(files[i]) != 0) failures++;
  loader_free_list(files, count);
  return failures ? -1 : 0;
}

static void unload_plugins(void)
{
  for (int i = sd.n_plugins - 1; i >= 0; i--) {
    loader_close(&sd.plugins[i]->plugin);
    free(sd.plugins[i]);
  }
  free(sd.plugins);
  sd.plugins = NULL;
  sd.n_plugins = 0;
}

/* -- the server ------------------------------------------------------------------ */

static int listen_on(const char* address, char** unix_path)
{
  *unix_path = NULL;
  int fd;
  if (strncmp(address, "unix:", 5) == 0) {
    struct sockaddr_un where;
    memset(&where, 0, sizeof where);
    where.sun_family = AF_UNIX;
    if (strlen(address + 5) >= sizeof where.sun_path) {
      fprintf(stderr, SD_NAME ": socket path too long: %s\n", address + 5);
      return -1;
    }
    strcpy(where.sun_path, address + 5);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr*)&where, sizeof where) != 0) {
      fprintf(stderr, SD_NAME ": cannot listen on %s: %s\n", address, strerror(errno));
      if (fd >= 0) close(fd);
      return -1;
    }
    *unix_path = xstrdup(address + 5);
  } else {
    const char* colon = strrchr(address, ':');
    if (!colon) {
      fprintf(stderr, SD_NAME ": bad --listen address %s (unix:PATH or HOST:PORT)\n", address);
      return -1;
    }
    char* host = xstrndup(address, (size_t)(colon - address));
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    int rc = getaddrinfo(host, colon + 1, &hints, &found);
    free(host);
    if (rc != 0) {
      fprintf(stderr, SD_NAME ": bad --listen address %s: %s\n", address, gai_strerror(rc));
      return -1;
    }
    fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (fd < 0 || bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
      fprintf(stderr, SD_NAME ": cannot listen on %s: %s\n", address, strerror(errno));
      if (fd >= 0) close(fd);
      freeaddrinfo(found);
      return -1;
    }
    freeaddrinfo(found);
  }
  if (listen(fd, 16) != 0) {
    fprintf(stderr, SD_NAME ": cannot listen on %s: %s\n", address, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* The address a client connects to: as given for a Unix socket, with the
 * port the system chose for TCP (--listen 127.0.0.1:0). */
static char* bound_address(int listener, const char* address)
{
  struct sockaddr_storage where;
  socklen_t length = sizeof where;
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (strncmp(address, "unix:", 5) == 0 || getsockname(listener, (struct sockaddr*)&where, &length) != 0 ||
      getnameinfo((struct sockaddr*)&where, length, host, sizeof host, port, sizeof port,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return xstrdup(address);
  return where.ss_family == AF_INET6 ? xasprintf("[%s]:%s", host, port) : xasprintf("%s:%s", host, port);
}

static void* connection_thread(void* argument)
{
  int fd = (int)(intptr_t)argument;
  session_serve(fd);
  pthread_mutex_lock(&connections_lock);
  for (int i = 0; i < n_connections; i++)
    if (connections[i] == fd) {
      connections[i] = connections[--n_connections];
      break;
    }
  close(fd);
  pthread_cond_broadcast(&connections_changed);
  pthread_mutex_unlock(&connections_lock);
  return NULL;
}

static void start_connection(int fd)
{
  pthread_mutex_lock(&connections_lock);
  connections = xrealloc(connections, sizeof(int) * (size_t)(n_connections + 1));
  connections[n_connections++] = fd;
  pthread_mutex_unlock(&connections_lock);
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  if (pthread_create(&thread, &attributes, connection_thread, (void*)(intptr_t)fd) != 0) {
    fprintf(stderr, SD_NAME ": cannot start a thread for a connection\n");
    pthread_mutex_lock(&connections_lock);
    n_connections--;
    pthread_mutex_unlock(&connections_lock);
    close(fd);
  }
  pthread_attr_destroy(&attributes);
}

/* End the running jobs: their reads see the end of the stream, they abort
 * cleanly (end-of-part block, volumes closed, JobEnd) and answer the client. */
static void stop_connections(void)
{
  pthread_mutex_lock(&connections_lock);
  for (int i = 0; i < n_connections; i++) shutdown(connections[i], SHUT_RD);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  while (n_connections > 0)
    if (pthread_cond_timedwait(&connections_changed, &connections_lock, &deadline) == ETIMEDOUT) break;
  int left = n_connections;
  pthread_mutex_unlock(&connections_lock);
  if (left) {
    /* Their threads still use the plugins and settings: leave without freeing them. */
    fprintf(stderr, SD_NAME ": %d connection(s) did not end within 60 s\n", left);
    fflush(stdout);
    _exit(1);
  }
}

static int serve(const char* address)
{
  if (make_directories(sd.storage_dir) != 0) {
    fprintf(stderr, SD_NAME ": cannot create storage directory %s: %s\n", sd.storage_dir, strerror(errno));
    return 1;
  }
  if (load_plugins() != 0) return 4;
  sd_scripting_start();
  if (pipe(stop_pipe) != 0) return 1;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_stop_signal;
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
  char* unix_path;
  int listener = listen_on(address, &unix_path);
  if (listener < 0) {
    unload_plugins();
    return 1;
  }
  char* bound = bound_address(listener, address);
  pthread_mutex_lock(&output_lock);
  printf("%s %s listening on %s, storage %s\n", SD_NAME, SD_VERSION, bound, sd.storage_dir);
  free(bound);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
  while (!stop_requested) {
    struct pollfd waits[2] = {{listener, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
    if (poll(waits, 2, -1) < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, SD_NAME ": poll: %s\n", strerror(errno));
      break;
    }
    if (!(waits[0].revents & POLLIN)) continue;
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN)
        sd_debug(1, "accept: %s", strerror(errno));
      continue;
    }
    sd_debug(20, "new connection");
    start_connection(fd);
  }
  close(listener);
  if (unix_path) unlink(unix_path);
  free(unix_path);
  sd_debug(1, "stopping");
  stop_connections();
  unload_plugins();
  pthread_mutex_lock(&output_lock);
  printf("%s stopped\n", SD_NAME);
  fflush(stdout);
  pthread_mutex_unlock(&output_lock);
  return 0;
}

static void free_strings(char** list, int count)
{
  for (int i = 0; i < count; i++) free(list[i]);
  free(list);
}

static void free_config(void)
{
  free(sd.storage_dir);
  free(sd.label_format);
  free(sd.pool);
  free(sd.media_type);
  free(sd.storage_name);
  free(sd.plugin_dir);
  free_strings(sd.plugin_names, sd.n_plugin_names);
  free_strings(sd.plugin_options, sd.n_plugin_options);
  free(connections);
  memset(&sd, 0, sizeof sd);
}

static int run_command(const char* command, int argc, char** argv)
{
  char* address = NULL;
  int rc;
  if (parse_options(argc, argv, &address) != 0)
    rc = 3;
  else if (strcmp(command, "list") == 0)
    rc = volume_list(sd.storage_dir);
  else if (!address) {
    fprintf(stderr, SD_NAME ": serve needs --listen unix:PATH or HOST:PORT\n");
    rc = 3;
  } else
    rc = serve(address);
  free(address);
  free_config();
  return rc;
}

int main(int argc, char** argv)
{
  if (argc < 2) {
    usage(stderr);
    return 3;
  }
  const char* command = argv[1];
  if (strcmp(command, "--version") == 0) {
    printf("%s %s\n", SD_NAME, SD_VERSION);
    return 0;
  }
  if (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(command, "serve") != 0 && strcmp(command, "list") != 0) {
    fprintf(stderr, SD_NAME ": unknown command %s (serve or list)\n", command);
    return 3;
  }
  return run_command(command, argc, argv);
}
