/* Shared by parse.c and connect.c: JSON string output, and a log handler that keeps every
 * libmongoc log line (level and message) instead of printing it, so that a program's one
 * JSON line per URI carries the library's warnings and errors with its answer. */
#ifndef MONGOC_PROBE_H
#define MONGOC_PROBE_H
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

static void
json_str (bson_string_t *out, const char *s)
{
   if (!s) {
      bson_string_append (out, "null");
      return;
   }
   bson_string_append_c (out, '"');
   for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
      if (*p == '"' || *p == '\\') {
         bson_string_append_c (out, '\\');
         bson_string_append_c (out, (char) *p);
      } else if (*p < 0x20) {
         bson_string_append_printf (out, "\\u%04x", *p);
      } else {
         bson_string_append_c (out, (char) *p);
      }
   }
   bson_string_append_c (out, '"');
}

static void
json_bool (bson_string_t *out, const char *name, bool value)
{
   bson_string_append_printf (out, ",\"%s\":%s", name, value ? "true" : "false");
}

/* The log lines since logs_reset, as the body of a JSON array. */
static bson_string_t *g_logs;
static int g_nlogs;

static void
collect_log (mongoc_log_level_t level, const char *domain, const char *message, void *data)
{
   (void) domain;
   (void) data;
   if (level > MONGOC_LOG_LEVEL_DEBUG) {
      return;
   }
   if (g_nlogs++) {
      bson_string_append_c (g_logs, ',');
   }
   bson_string_append (g_logs, "{\"level\":");
   json_str (g_logs, mongoc_log_level_str (level));
   bson_string_append (g_logs, ",\"message\":");
   json_str (g_logs, message);
   bson_string_append_c (g_logs, '}');
}

static void
logs_reset (void)
{
   if (g_logs) {
      bson_string_free (g_logs, true);
   }
   g_logs = bson_string_new ("");
   g_nlogs = 0;
}

/* mongoc_init, the log handler, and `-V`: the library's version on stdout, nothing else. */
static bool
probe_init (int argc, char **argv)
{
   mongoc_init ();
   logs_reset ();
   mongoc_log_set_handler (collect_log, NULL);
   if (argc > 1 && !strcmp (argv[1], "-V")) {
      printf ("%s\n", mongoc_get_version ());
      mongoc_cleanup ();
      return false;
   }
   return true;
}

static void
json_error (bson_string_t *out, const bson_error_t *e)
{
   bson_string_append_printf (
      out, ",\"error\":{\"domain\":%u,\"code\":%u,\"message\":", e->domain, e->code);
   json_str (out, e->message);
   bson_string_append_c (out, '}');
}

#endif
