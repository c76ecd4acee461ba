/* config.c -- the resource-syntax parser of bareospy-dir (docs/dir-config.md).
 *
 * The file is read whole and cut into tokens (words, quoted strings, the
 * punctuation { } = ; , and line ends).  A resource is "Kind { directives }";
 * a directive is "Name = value" ended by ';', a line end or '}'.  Directive
 * names are compared without case, spaces and underscores, as the daemons
 * do.  Each resource kind has a table of its directives: the value type and
 * where in the resource struct the value goes.  References between resources
 * (a Job's Pool...) are checked once everything is read.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bareospy/consts.h"
#include "kit/util.h"

#define MAX_INCLUDE_DEPTH 16

/* ---- tokens ------------------------------------------------------------ */

typedef enum { T_EOF, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_EQUALS, T_SEMI, T_COMMA, T_EOL,
               T_INCLUDE } TokenKind;

typedef struct Token {
  TokenKind kind;
  char* text; /* T_WORD, T_STRING, T_INCLUDE: malloc'ed */
  int line;
} Token;

typedef struct Lexer {
  const char* file;
  char* data;
  size_t pos;
  int line;
  Token peeked;
  int has_peeked;
} Lexer;

typedef struct Parser {
  Config* config;
  char* error;
  struct Ref* refs;
  int ref_count;
  int depth;
} Parser;

static int fail(Parser* p, const char* file, int line, const char* format, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(Parser* p, const char* file, int line, const char* format, ...)
{
  if (p->error)
    return -1;
  va_list args;
  va_start(args, format);
  char* text = xvasprintf(format, args);
  va_end(args);
  p->error = xasprintf("%s:%d: %s", file, line, text);
  free(text);
  return -1;
}

static int is_word_char(int c)
{
  return c && !isspace(c) && !strchr("{}=;,#\"", c);
}

/* The next token; -1 (error set) on an unterminated string. */
static int lex(Parser* p, Lexer* lx, Token* token)
{
  if (lx->has_peeked) {
    *token = lx->peeked;
    lx->has_peeked = 0;
    return 0;
  }
  const char* s = lx->data;
  for (;;) {
    while (s[lx->pos] == ' ' || s[lx->pos] == '\t' || s[lx->pos] == '\r')
      lx->pos++;
    if (s[lx->pos] == '#') {
      while (s[lx->pos] && s[lx->pos] != '\n')
        lx->pos++;
      continue;
    }
    if (s[lx->pos] == '\\' && s[lx->pos + 1] == '\n') { /* a continued line */
      lx->pos += 2;
      lx->line++;
      continue;
    }
    break;
  }
  token->line = lx->line;
  token->text = NULL;
  char c = s[lx->pos];
  if (!c) {
    token->kind = T_EOF;
    return 0;
  }
  const char* punctuation = "{}=;,\n";
  const TokenKind kinds[] = {T_LBRACE, T_RBRACE, T_EQUALS, T_SEMI, T_COMMA, T_EOL};
  const char* found = strchr(punctuation, c);
  if (found) {
    token->kind = kinds[found - punctuation];
    lx->pos++;
    if (c == '\n')
      lx->line++;
    return 0;
  }
  if (c == '"') {
    Buffer text;
    buffer_init(&text);
    lx->pos++;
    for (;;) {
      char d = s[lx->pos];
      if (!d || d == '\n') {
        buffer_free(&text);
        return fail(p, lx->file, token->line, "unterminated quoted string");
      }
      lx->pos++;
      if (d == '"')
        break;
      if (d == '\\' && s[lx->pos]) {
        d = s[lx->pos++];
        if (d == 'n')
          d = '\n';
        else if (d == 't')
          d = '\t';
      }
      buffer_append(&text, &d, 1);
    }
    token->kind = T_STRING;
    token->text = buffer_steal(&text);
    return 0;
  }
  if (c == '@') { /* @path: include a file, up to the end of the line */
    size_t start = ++lx->pos;
    while (s[lx->pos] && s[lx->pos] != '\n')
      lx->pos++;
    size_t end = lx->pos;
    while (end > start && isspace((unsigned char)s[end - 1]))
      end--;
    if (end > start + 1 && s[start] == '"' && s[end - 1] == '"') {
      start++;
      end--;
    }
    token->kind = T_INCLUDE;
    token->text = xstrndup(s + start, end - start);
    return 0;
  }
  size_t start = lx->pos;
  while (is_word_char(s[lx->pos]))
    lx->pos++;
  token->kind = T_WORD;
  token->text = xstrndup(s + start, lx->pos - start);
  return 0;
}

static int peek(Parser* p, Lexer* lx, Token* token)
{
  if (!lx->has_peeked) {
    if (lex(p, lx, &lx->peeked) < 0)
      return -1;
    lx->has_peeked = 1;
  }
  *token = lx->peeked;
  return 0;
}

/* ---- value types --------------------------------------------------------- */

typedef enum { V_STRING, V_INT, V_SIZE, V_DURATION, V_LEVEL, V_JOBTYPE, V_LIST, V_REF,
               V_MSGDEST } ValueType;

typedef enum { R_DIRECTOR, R_JOB, R_CLIENT, R_FILESET, R_STORAGE, R_POOL, R_CATALOG,
               R_MESSAGES, R_KINDS } ResourceKind;

typedef struct Directive {
  const char* name; /* as documented; compared normalised */
  ValueType type;
  size_t offset;
  ResourceKind ref; /* V_REF: the kind it names */
} Directive;

typedef struct Ref {
  ResourceKind kind;
  char* name;
  char* file;
  int line;
  const char* directive;
  char* owner; /* Job "x" */
} Ref;

#define D(st, n, t, f) {n, t, offsetof(st, f), R_KINDS}
#define REF(st, n, f, k) {n, V_REF, offsetof(st, f), k}

static const Directive DIRECTOR_DIRECTIVES[] = {
    D(DirectorRes, "Name", V_STRING, name),
    D(DirectorRes, "Working Directory", V_STRING, working_directory),
    D(DirectorRes, "Plugin Directory", V_STRING, plugin_directory),
    D(DirectorRes, "Plugin Names", V_LIST, plugin_names),
    D(DirectorRes, "Dir Plugin Options", V_LIST, dir_plugin_options),
    D(DirectorRes, "Maximum Concurrent Jobs", V_INT, maximum_concurrent_jobs),
    REF(DirectorRes, "Messages", messages, R_MESSAGES),
    D(DirectorRes, "Scripts Directory", V_STRING, scripts_directory),
    {"Password", V_STRING, (size_t)-1, R_KINDS}, /* read, not used */
    {"Query File", V_STRING, (size_t)-1, R_KINDS},
    {"Pid Directory", V_STRING, (size_t)-1, R_KINDS},
    {NULL, 0, 0, 0}};
static const Directive JOB_DIRECTIVES[] = {
    D(JobRes, "Name", V_STRING, name),
    D(JobRes, "Type", V_JOBTYPE, type),
    D(JobRes, "Level", V_LEVEL, level),
    REF(JobRes, "Client", client, R_CLIENT),
    REF(JobRes, "FileSet", fileset, R_FILESET),
    REF(JobRes, "Storage", storage, R_STORAGE),
    REF(JobRes, "Pool", pool, R_POOL),
    REF(JobRes, "Messages", messages, R_MESSAGES),
    D(JobRes, "Priority", V_INT, priority),
    D(JobRes, "Dir Plugin Options", V_LIST, dir_plugin_options),
    D(JobRes, "SD Plugin Options", V_LIST, sd_plugin_options),
    {NULL, 0, 0, 0}};
static const Directive CLIENT_DIRECTIVES[] = {
    D(ClientRes, "Name", V_STRING, name),
    D(ClientRes, "Address", V_STRING, address),
    D(ClientRes, "Port", V_INT, port),
    D(ClientRes, "FD Port", V_INT, port),
    D(ClientRes, "Password", V_STRING, password),
    D(ClientRes, "Command", V_STRING, command),
    {NULL, 0, 0, 0}};
static const Directive FILESET_DIRECTIVES[] = {
    D(FileSetRes, "Name", V_STRING, name),
    {NULL, 0, 0, 0}};
static const Directive INCLUDE_DIRECTIVES[] = {
    D(FileSetRes, "Plugin", V_LIST, plugins),
    D(FileSetRes, "File", V_LIST, files),
    {NULL, 0, 0, 0}};
static const Directive STORAGE_DIRECTIVES[] = {
    D(StorageRes, "Name", V_STRING, name),
    D(StorageRes, "Address", V_STRING, address),
    D(StorageRes, "Port", V_INT, port),
    D(StorageRes, "SD Port", V_INT, port),
    D(StorageRes, "Password", V_STRING, password),
    D(StorageRes, "Device", V_STRING, device),
    D(StorageRes, "Media Type", V_STRING, media_type),
    {NULL, 0, 0, 0}};
static const Directive POOL_DIRECTIVES[] = {
    D(PoolRes, "Name", V_STRING, name),
    D(PoolRes, "Pool Type", V_STRING, pool_type),
    D(PoolRes, "Label Format", V_STRING, label_format),
    D(PoolRes, "Maximum Volume Bytes", V_SIZE, maximum_volume_bytes),
    D(PoolRes, "Volume Retention", V_DURATION, volume_retention),
    {NULL, 0, 0, 0}};
static const Directive CATALOG_DIRECTIVES[] = {
    D(CatalogRes, "Name", V_STRING, name),
    D(CatalogRes, "DB Driver", V_STRING, db_driver),
    D(CatalogRes, "DB Name", V_STRING, db_name),
    {NULL, 0, 0, 0}};
static const Directive MESSAGES_DIRECTIVES[] = {
    D(MessagesRes, "Name", V_STRING, name),
    D(MessagesRes, "Append", V_MSGDEST, append),
    D(MessagesRes, "Console", V_STRING, console),
    D(MessagesRes, "Stdout", V_STRING, stdout_types),
    {NULL, 0, 0, 0}};

typedef struct Kind {
  const char* name;
  size_t size;
  const Directive* directives;
  size_t list_offset; /* of the T** array in Config */
  size_t count_offset;
} Kind;

static const Kind KINDS[R_KINDS] = {
    {"Director", sizeof(DirectorRes), DIRECTOR_DIRECTIVES, 0, 0},
    {"Job", sizeof(JobRes), JOB_DIRECTIVES, offsetof(Config, jobs), offsetof(Config, job_count)},
    {"Client", sizeof(ClientRes), CLIENT_DIRECTIVES, offsetof(Config, clients),
     offsetof(Config, client_count)},
    {"FileSet", sizeof(FileSetRes), FILESET_DIRECTIVES, offsetof(Config, filesets),
     offsetof(Config, fileset_count)},
    {"Storage", sizeof(StorageRes), STORAGE_DIRECTIVES, offsetof(Config, storages),
     offsetof(Config, storage_count)},
    {"Pool", sizeof(PoolRes), POOL_DIRECTIVES, offsetof(Config, pools),
     offsetof(Config, pool_count)},
    {"Catalog", sizeof(CatalogRes), CATALOG_DIRECTIVES, offsetof(Config, catalogs),
     offsetof(Config, catalog_count)},
    {"Messages", sizeof(MessagesRes), MESSAGES_DIRECTIVES, offsetof(Config, messages),
     offsetof(Config, messages_count)},
};

/* Lower case, without spaces and underscores: "Working Directory" -> "workingdirectory". */
static void normalise(const char* name, char* out, size_t size)
{
  size_t n = 0;
  for (; *name && n + 1 < size; name++)
    if (*name != ' ' && *name != '_' && *name != '\t')
      out[n++] = (char)tolower((unsigned char)*name);
  out[n] = '\0';
}

static int same_name(const char* a, const char* b)
{
  char na[128], nb[128];
  normalise(a, na, sizeof na);
  normalise(b, nb, sizeof nb);
  return strcmp(na, nb) == 0;
}

static const Directive* find_directive(const Directive* table, const char* name)
{
  for (; table->name; table++)
    if (same_name(table->name, name))
      return table;
  return NULL;
}

static const struct {
  const char* name;
  int code;
} LEVELS[] = {{"Full", L_FULL}, {"Incremental", L_INCREMENTAL}, {"Differential", 'D'},
              {"Base", 'B'}, {"VirtualFull", 'f'}, {NULL, 0}},
  TYPES[] = {{"Backup", JT_BACKUP}, {"Restore", JT_RESTORE}, {"Admin", JT_ADMIN},
             {"Verify", JT_VERIFY}, {NULL, 0}};

int config_level_code(const char* name)
{
  for (int i = 0; LEVELS[i].name; i++)
    if (same_name(LEVELS[i].name, name))
      return LEVELS[i].code;
  return -1;
}

const char* config_level_name(int level)
{
  for (int i = 0; LEVELS[i].name; i++)
    if (LEVELS[i].code == level)
      return LEVELS[i].name;
  return "?";
}

static int type_code(const char* name)
{
  for (int i = 0; TYPES[i].name; i++)
    if (same_name(TYPES[i].name, name))
      return TYPES[i].code;
  return -1;
}

const char* config_type_name(int type)
{
  for (int i = 0; TYPES[i].name; i++)
    if (TYPES[i].code == type)
      return TYPES[i].name;
  return "?";
}

/* "5G", "100 MB", "1024": bytes (k = 1024, kb = 1000, as the daemons read it). */
static int parse_size(const char* text, int64_t* out)
{
  char* end;
  errno = 0;
  double number = strtod(text, &end);
  if (end == text || errno || number < 0)
    return -1;
  while (*end == ' ')
    end++;
  static const struct {
    const char* unit;
    double factor;
  } units[] = {{"", 1}, {"b", 1}, {"bytes", 1}, {"k", 1024.0}, {"kb", 1e3},
               {"m", 1048576.0}, {"mb", 1e6}, {"g", 1073741824.0}, {"gb", 1e9},
               {"t", 1099511627776.0}, {"tb", 1e12}, {NULL, 0}};
  for (int i = 0; units[i].unit; i++)
    if (strcasecmp(end, units[i].unit) == 0) {
      *out = (int64_t)(number * units[i].factor);
      return 0;
    }
  return -1;
}

/* "30 days", "1h 30min", "3600": seconds. */
static int parse_duration(const char* text, int64_t* out)
{
  static const struct {
    const char* unit;
    int64_t seconds;
  } units[] = {{"s", 1}, {"sec", 1}, {"second", 1}, {"seconds", 1}, {"n", 60},
               {"min", 60}, {"minute", 60}, {"minutes", 60}, {"h", 3600},
               {"hour", 3600}, {"hours", 3600}, {"d", 86400}, {"day", 86400},
               {"days", 86400}, {"w", 604800}, {"week", 604800}, {"weeks", 604800},
               {"m", 2592000}, {"month", 2592000}, {"months", 2592000}, {"q", 7776000},
               {"quarter", 7776000}, {"quarters", 7776000}, {"y", 31536000},
               {"year", 31536000}, {"years", 31536000}, {NULL, 0}};
  int64_t total = 0;
  const char* s = text;
  int any = 0;
  while (*s) {
    while (*s == ' ' || *s == ',')
      s++;
    if (!*s)
      break;
    char* end;
    errno = 0;
    long long number = strtoll(s, &end, 10);
    if (end == s || errno || number < 0)
      return -1;
    s = end;
    while (*s == ' ')
      s++;
    const char* unit = s;
    while (isalpha((unsigned char)*s))
      s++;
    size_t length = (size_t)(s - unit);
    int64_t factor = length ? 0 : 1;
    for (int i = 0; length && units[i].unit; i++)
      if (strlen(units[i].unit) == length && strncasecmp(units[i].unit, unit, length) == 0)
        factor = units[i].seconds;
    if (!factor)
      return -1;
    total += number * factor;
    any = 1;
  }
  if (!any)
    return -1;
  *out = total;
  return 0;
}

static void list_add(StrList* list, const char* text)
{
  list->items = xrealloc(list->items, sizeof(char*) * (size_t)(list->count + 1));
  list->items[list->count++] = xstrdup(text);
}

static void list_free(StrList* list)
{
  for (int i = 0; i < list->count; i++)
    free(list->items[i]);
  free(list->items);
}

/* The tokens of a value, up to ';', a line end or '}' (which stays). */
typedef struct Value {
  Token tokens[32];
  int count;
} Value;

static void value_free(Value* value)
{
  for (int i = 0; i < value->count; i++)
    free(value->tokens[i].text);
  value->count = 0;
}

static int read_value(Parser* p, Lexer* lx, const char* directive, int line, Value* value)
{
  value->count = 0;
  for (;;) {
    Token token;
    if (peek(p, lx, &token) < 0)
      return -1;
    if (token.kind == T_RBRACE || token.kind == T_EOF)
      break;
    lex(p, lx, &token);
    if (token.kind == T_SEMI || token.kind == T_EOL)
      break;
    if (token.kind == T_LBRACE || token.kind == T_INCLUDE) {
      free(token.text);
      value_free(value);
      return fail(p, lx->file, token.line, "directive \"%s\": unexpected %s in its value",
                  directive, token.kind == T_LBRACE ? "'{'" : "'@'");
    }
    if (value->count == 32) {
      free(token.text);
      value_free(value);
      return fail(p, lx->file, line, "directive \"%s\": value too long", directive);
    }
    value->tokens[value->count++] = token;
  }
  if (value->count == 0)
    return fail(p, lx->file, line, "directive \"%s\" has no value", directive);
  return 0;
}

/* The value's words joined by spaces ("30 days"); NULL if it holds punctuation. */
static char* value_text(const Value* value)
{
  Buffer text;
  buffer_init(&text);
  for (int i = 0; i < value->count; i++) {
    if (value->tokens[i].kind != T_WORD && value->tokens[i].kind != T_STRING) {
      buffer_free(&text);
      return NULL;
    }
    if (i)
      buffer_append_str(&text, " ");
    buffer_append_str(&text, value->tokens[i].text);
  }
  return buffer_steal(&text);
}

static int store(Parser* p, Lexer* lx, void* resource, const char* kind_name,
                 const char* resource_name, const Directive* d, const char* written, int line,
                 Value* value)
{
  char* where = d->offset == (size_t)-1 ? NULL : (char*)resource + d->offset;
  const Token* first = &value->tokens[0];
  int single = value->count == 1 && (first->kind == T_WORD || first->kind == T_STRING);
  const char* res = resource_name ? resource_name : "?";
  switch (d->type) {
    case V_STRING:
    case V_REF:
      if (!single)
        return fail(p, lx->file, line, "%s \"%s\": directive \"%s\" takes one value", kind_name,
                    res, written);
      if (where) {
        if (*(char**)where)
          return fail(p, lx->file, line, "%s \"%s\": directive \"%s\" given twice", kind_name,
                      res, written);
        *(char**)where = xstrdup(first->text);
      }
      if (d->type == V_REF) {
        p->refs = xrealloc(p->refs, sizeof(Ref) * (size_t)(p->ref_count + 1));
        p->refs[p->ref_count++] =
            (Ref){d->ref, xstrdup(first->text), xstrdup(lx->file), line, d->name,
                  xasprintf("%s \"%s\"", kind_name, res)};
      }
      return 0;
    case V_MSGDEST: { /* Append = "file" [= types, ...] */
      if (first->kind != T_WORD && first->kind != T_STRING)
        return fail(p, lx->file, line, "%s \"%s\": directive \"%s\" needs a file name",
                    kind_name, res, written);
      free(*(char**)where);
      *(char**)where = xstrdup(first->text);
      for (int i = 1; i < value->count; i++)
        if (value->tokens[i].kind == T_WORD)
          list_add(&((MessagesRes*)resource)->append_types, value->tokens[i].text);
      return 0;
    }
    case V_LIST: {
      for (int i = 0; i < value->count; i++) {
        const Token* t = &value->tokens[i];
        if (t->kind == T_COMMA)
          continue;
        if (t->kind != T_WORD && t->kind != T_STRING)
          return fail(p, lx->file, line, "%s \"%s\": directive \"%s\": unexpected '='",
                      kind_name, res, written);
        list_add((StrList*)where, t->text);
      }
      return 0;
    }
    default:
      break;
  }
  char* text = value_text(value);
  int ok = -1;
  if (text) {
    int64_t number;
    char* end;
    switch (d->type) {
      case V_INT:
        errno = 0;
        number = strtoll(text, &end, 10);
        if (!errno && end != text && !*end && number >= 0) {
          *(int64_t*)where = number;
          ok = 0;
        }
        break;
      case V_SIZE:
        if (parse_size(text, &number) == 0) {
          *(int64_t*)where = number;
          ok = 0;
        }
        break;
      case V_DURATION:
        if (parse_duration(text, &number) == 0) {
          *(int64_t*)where = number;
          ok = 0;
        }
        break;
      case V_LEVEL:
        if ((number = config_level_code(text)) >= 0) {
          *(int*)where = (int)number;
          ok = 0;
        }
        break;
      case V_JOBTYPE:
        if ((number = type_code(text)) >= 0) {
          *(int*)where = (int)number;
          ok = 0;
        }
        break;
      default:
        break;
    }
  }
  if (ok < 0)
    fail(p, lx->file, line, "%s \"%s\": directive \"%s\": invalid value \"%s\"", kind_name, res,
         written, text ? text : "(punctuation)");
  free(text);
  return ok;
}

/* Reads "Name words =" or "Name words {"; returns the joined name (malloc'ed)
 * and the token that ended it in *end. */
static char* read_name(Parser* p, Lexer* lx, Token* first, Token* end)
{
  Buffer name;
  buffer_init(&name);
  buffer_append_str(&name, first->text);
  free(first->text);
  for (;;) {
    if (lex(p, lx, end) < 0) {
      buffer_free(&name);
      return NULL;
    }
    if (end->kind != T_WORD)
      break;
    buffer_append_str(&name, " ");
    buffer_append_str(&name, end->text);
    free(end->text);
  }
  return buffer_steal(&name);
}

static void* resource_new(Config* config, ResourceKind kind)
{
  void* resource = xcalloc(1, KINDS[kind].size);
  if (kind == R_DIRECTOR)
    return resource;
  void*** list = (void***)((char*)config + KINDS[kind].list_offset);
  int* count = (int*)((char*)config + KINDS[kind].count_offset);
  *list = xrealloc(*list, sizeof(void*) * (size_t)(*count + 1));
  (*list)[(*count)++] = resource;
  return resource;
}

static int parse_block(Parser* p, Lexer* lx, void* resource, ResourceKind kind,
                       const Directive* table, const char* block, int open_line);

/* Include { ... } and Options { ... } inside a FileSet. */
static int parse_subblock(Parser* p, Lexer* lx, FileSetRes* fileset, const char* name, int line,
                          int in_include)
{
  if (!in_include && same_name(name, "Include"))
    return parse_block(p, lx, fileset, R_FILESET, INCLUDE_DIRECTIVES, "Include", line);
  if (in_include && same_name(name, "Options")) {
    /* Options { Signature = SHA256; ... }: kept as "key=value" */
    for (;;) {
      Token token;
      if (lex(p, lx, &token) < 0)
        return -1;
      if (token.kind == T_EOL || token.kind == T_SEMI)
        continue;
      if (token.kind == T_RBRACE)
        return 0;
      if (token.kind != T_WORD) {
        free(token.text);
        return fail(p, lx->file, token.line, "FileSet \"%s\": Options: expected a directive",
                    fileset->name ? fileset->name : "?");
      }
      Token end;
      int at = token.line;
      char* key = read_name(p, lx, &token, &end);
      if (!key)
        return -1;
      if (end.kind != T_EQUALS) {
        free(end.text);
        fail(p, lx->file, at, "FileSet \"%s\": Options: directive \"%s\" needs '='",
             fileset->name ? fileset->name : "?", key);
        free(key);
        return -1;
      }
      Value value;
      if (read_value(p, lx, key, at, &value) < 0) {
        free(key);
        return -1;
      }
      char* text = value_text(&value);
      char* pair = xasprintf("%s=%s", key, text ? text : "");
      list_add(&fileset->options, pair);
      free(pair);
      free(text);
      free(key);
      value_free(&value);
    }
  }
  return fail(p, lx->file, line, "FileSet \"%s\": unknown block \"%s\"",
              fileset->name ? fileset->name : "?", name);
}

static int parse_block(Parser* p, Lexer* lx, void* resource, ResourceKind kind,
                       const Directive* table, const char* block, int open_line)
{
  const char* kind_name = KINDS[kind].name;
  for (;;) {
    Token token;
    if (lex(p, lx, &token) < 0)
      return -1;
    if (token.kind == T_EOL || token.kind == T_SEMI)
      continue;
    if (token.kind == T_RBRACE)
      return 0;
    const char* name_now = *(char**)resource; /* every resource starts with its name */
    if (token.kind == T_EOF)
      return fail(p, lx->file, open_line, "%s \"%s\": %s block not closed with '}'", kind_name,
                  name_now ? name_now : "?", block);
    if (token.kind != T_WORD) {
      free(token.text);
      return fail(p, lx->file, token.line, "%s \"%s\": expected a directive name", kind_name,
                  name_now ? name_now : "?");
    }
    int line = token.line;
    Token end;
    char* written = read_name(p, lx, &token, &end);
    if (!written)
      return -1;
    int rc;
    if (end.kind == T_LBRACE && kind == R_FILESET) {
      rc = parse_subblock(p, lx, resource, written, line, table == INCLUDE_DIRECTIVES);
    } else if (end.kind != T_EQUALS) {
      free(end.text);
      rc = fail(p, lx->file, line, "%s \"%s\": directive \"%s\" needs '=' and a value",
                kind_name, name_now ? name_now : "?", written);
    } else {
      const Directive* d = find_directive(table, written);
      Value value;
      if (!d)
        rc = fail(p, lx->file, line, "%s \"%s\": unknown directive \"%s\"", kind_name,
                  name_now ? name_now : "?", written);
      else if ((rc = read_value(p, lx, written, line, &value)) == 0) {
        rc = store(p, lx, resource, kind_name, name_now, d, written, line, &value);
        value_free(&value);
      }
    }
    free(written);
    if (rc < 0)
      return -1;
  }
}

static int parse_file(Parser* p, const char* path, const char* from_file, int from_line);

static int parse_resources(Parser* p, Lexer* lx)
{
  for (;;) {
    Token token;
    if (lex(p, lx, &token) < 0)
      return -1;
    if (token.kind == T_EOF)
      return 0;
    if (token.kind == T_EOL || token.kind == T_SEMI)
      continue;
    if (token.kind == T_INCLUDE) {
      int rc = parse_file(p, token.text, lx->file, token.line);
      free(token.text);
      if (rc < 0)
        return -1;
      continue;
    }
    if (token.kind != T_WORD) {
      free(token.text);
      return fail(p, lx->file, token.line, "expected a resource name (Job, Pool, ...)");
    }
    int kind = -1;
    for (int k = 0; k < R_KINDS; k++)
      if (same_name(KINDS[k].name, token.text))
        kind = k;
    Token brace;
    int line = token.line;
    do {
      if (lex(p, lx, &brace) < 0) {
        free(token.text);
        return -1;
      }
    } while (brace.kind == T_EOL);
    if (kind < 0) {
      free(brace.text);
      fail(p, lx->file, line, "unknown resource \"%s\"", token.text);
      free(token.text);
      return -1;
    }
    free(token.text);
    if (brace.kind != T_LBRACE) {
      free(brace.text);
      return fail(p, lx->file, line, "%s: expected '{'", KINDS[kind].name);
    }
    if (kind == R_DIRECTOR && p->config->director)
      return fail(p, lx->file, line, "a second Director resource");
    void* resource = resource_new(p->config, kind);
    if (kind == R_DIRECTOR)
      p->config->director = resource;
    if (parse_block(p, lx, resource, kind, KINDS[kind].directives, KINDS[kind].name, line) < 0)
      return -1;
    if (!*(char**)resource)
      return fail(p, lx->file, line, "%s resource without a Name", KINDS[kind].name);
  }
}

static char* read_whole(const char* path)
{
  FILE* f = fopen(path, "rb");
  if (!f)
    return NULL;
  Buffer data;
  buffer_init(&data);
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buffer_append(&data, chunk, n);
  fclose(f);
  return buffer_steal(&data);
}

static int parse_file(Parser* p, const char* path, const char* from_file, int from_line)
{
  char* resolved;
  if (path[0] != '/' && from_file && strrchr(from_file, '/'))
    resolved = xasprintf("%.*s/%s", (int)(strrchr(from_file, '/') - from_file), from_file, path);
  else
    resolved = xstrdup(path);
  if (p->depth >= MAX_INCLUDE_DEPTH) {
    fail(p, from_file, from_line, "@%s: includes nested more than %d deep", path,
         MAX_INCLUDE_DEPTH);
    free(resolved);
    return -1;
  }
  char* data = read_whole(resolved);
  if (!data) {
    if (from_file)
      fail(p, from_file, from_line, "@%s: cannot read %s: %s", path, resolved, strerror(errno));
    else
      p->error = xasprintf("%s: cannot read: %s", resolved, strerror(errno));
    free(resolved);
    return -1;
  }
  Lexer lx = {resolved, data, 0, 1, {T_EOF, NULL, 0}, 0};
  p->depth++;
  int rc = parse_resources(p, &lx);
  p->depth--;
  if (lx.has_peeked)
    free(lx.peeked.text);
  free(data);
  free(resolved);
  return rc;
}

/* ---- checks after reading ---------------------------------------------------- */

static void* find(const Config* config, ResourceKind kind, const char* name)
{
  void** list = *(void***)((char*)config + KINDS[kind].list_offset);
  int count = *(int*)((char*)config + KINDS[kind].count_offset);
  for (int i = 0; i < count; i++)
    if (strcasecmp(*(char**)list[i], name) == 0)
      return list[i];
  return NULL;
}

static int check(Parser* p, const char* path)
{
  Config* config = p->config;
  if (!config->director)
    return fail(p, path, 1, "no Director resource");
  for (int k = R_JOB; k < R_KINDS; k++) {
    void** list = *(void***)((char*)config + KINDS[k].list_offset);
    int count = *(int*)((char*)config + KINDS[k].count_offset);
    for (int i = 0; i < count; i++)
      for (int j = 0; j < i; j++)
        if (strcasecmp(*(char**)list[i], *(char**)list[j]) == 0)
          return fail(p, path, 1, "two %s resources named \"%s\"", KINDS[k].name,
                      *(char**)list[i]);
  }
  for (int i = 0; i < p->ref_count; i++) {
    Ref* ref = &p->refs[i];
    if (!find(config, ref->kind, ref->name))
      return fail(p, ref->file, ref->line, "%s: directive \"%s\": no %s resource named \"%s\"",
                  ref->owner, ref->directive, KINDS[ref->kind].name, ref->name);
  }
  for (int i = 0; i < config->job_count; i++) {
    JobRes* job = config->jobs[i];
    if (job->type == JT_BACKUP && !job->pool)
      return fail(p, path, 1, "Job \"%s\": a Backup job needs a Pool", job->name);
  }
  for (int i = 0; i < config->catalog_count; i++) {
    const char* driver = config->catalogs[i]->db_driver;
    if (driver && strcasecmp(driver, "sqlite3") != 0 && strcasecmp(driver, "sqlite") != 0)
      return fail(p, path, 1, "Catalog \"%s\": DB Driver \"%s\": only sqlite3 is supported",
                  config->catalogs[i]->name, driver);
  }
  return 0;
}

static void set_defaults(Config* config)
{
  if (config->director->maximum_concurrent_jobs <= 0)
    config->director->maximum_concurrent_jobs = 1;
  for (int i = 0; i < config->job_count; i++) {
    JobRes* job = config->jobs[i];
    if (!job->type)
      job->type = JT_BACKUP;
    if (!job->level)
      job->level = L_FULL;
    if (!job->priority)
      job->priority = 10;
  }
}

Config* config_load(const char* path, char** error)
{
  Parser p = {xcalloc(1, sizeof(Config)), NULL, NULL, 0, 0};
  int rc = parse_file(&p, path, NULL, 0);
  if (rc == 0)
    rc = check(&p, path);
  for (int i = 0; i < p.ref_count; i++) {
    free(p.refs[i].name);
    free(p.refs[i].file);
    free(p.refs[i].owner);
  }
  free(p.refs);
  if (rc < 0) {
    config_free(p.config);
    *error = p.error ? p.error : xstrdup("configuration error");
    return NULL;
  }
  set_defaults(p.config);
  return p.config;
}

static void resource_free(ResourceKind kind, void* resource, const Directive* table)
{
  const Directive* table_start = table;
  for (; table->name; table++) {
    if (table->offset == (size_t)-1)
      continue;
    char* where = (char*)resource + table->offset;
    if (table->type == V_STRING || table->type == V_REF || table->type == V_MSGDEST) {
      free(*(char**)where);
      *(char**)where = NULL;
    } else if (table->type == V_LIST) {
      list_free((StrList*)where);
      memset(where, 0, sizeof(StrList));
    }
  }
  if (kind == R_FILESET && table_start == FILESET_DIRECTIVES)
    list_free(&((FileSetRes*)resource)->options);
  if (kind == R_MESSAGES)
    list_free(&((MessagesRes*)resource)->append_types);
}

void config_free(Config* config)
{
  if (!config)
    return;
  if (config->director) {
    resource_free(R_DIRECTOR, config->director, DIRECTOR_DIRECTIVES);
    free(config->director);
  }
  for (int k = R_JOB; k < R_KINDS; k++) {
    void** list = *(void***)((char*)config + KINDS[k].list_offset);
    int count = *(int*)((char*)config + KINDS[k].count_offset);
    for (int i = 0; i < count; i++) {
      resource_free(k, list[i], KINDS[k].directives);
      if (k == R_FILESET)
        resource_free(k, list[i], INCLUDE_DIRECTIVES);
      free(list[i]);
    }
    free(list);
  }
  free(config);
}

JobRes* config_job(const Config* c, const char* name) { return find(c, R_JOB, name); }
PoolRes* config_pool(const Config* c, const char* name) { return find(c, R_POOL, name); }
ClientRes* config_client(const Config* c, const char* name) { return find(c, R_CLIENT, name); }
StorageRes* config_storage(const Config* c, const char* name) { return find(c, R_STORAGE, name); }
FileSetRes* config_fileset(const Config* c, const char* name) { return find(c, R_FILESET, name); }
