/* connect: what a libmongoc program does with one connection string: parse it
 * (mongoc_uri_new_with_error), make a single-threaded client
 * (mongoc_client_new_from_uri_with_error) and run {ping: 1} on admin with
 * mongoc_client_command_simple. Prints one JSON line: the stage reached ("uri", "client" or
 * "ping"), ok, the bson_error_t, every log line, and what OpenSSL's error queue holds after
 * the ping.
 *
 *   connect [-r RETRIES] URI      connect -V (the library's version)
 *
 * serverSelectionTimeoutMS and connectTimeoutMS are set to 2000. Relative file names are
 * read from the working directory.
 *
 * The process is made a session leader with stdin at /dev/null: with an encrypted key and
 * no password OpenSSL prompts on the terminal, or reads stdin where there is none, and the
 * answer must be "nothing" whoever runs this.
 *
 * OpenSSL's queue is read in this thread, where a single-threaded client does its work: it
 * is the only place a configuration error's cause (a wrong password, a mismatched key) or a
 * TLS alert read during the ping shows; libmongoc's own error says only "connection error".
 *
 * -r RETRIES: when the ping fails with the server's hang-up ("connection closed", or "Failed
 * to receive length header from server.") and the queue holds no TLS alert, try again with a
 * new client, up to RETRIES times. A server that refuses the client's certificate after a
 * TLS 1.3 handshake sends its alert with the hang-up, and libmongoc reads it only when its
 * poll() does not report the hang-up first, a race the client usually loses; the line then
 * reports the attempt that read the alert (or the last), and "attempts". */
#include "mongoc_probe.h"
#include <fcntl.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_ms (void)
{
   struct timespec ts;
   clock_gettime (CLOCK_MONOTONIC, &ts);
   return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct attempt {
   const char *stage;
   bool ok;
   bson_error_t error;
   bson_string_t *queue; /* a JSON array body */
   bool alert;           /* the queue names a TLS alert */
};

static void
run (const char *uristr, struct attempt *a)
{
   mongoc_uri_t *uri;
   mongoc_client_t *client;
   unsigned long code;
   char buf[256];
   int n = 0;

   memset (a, 0, sizeof *a);
   a->queue = bson_string_new ("");
   logs_reset ();
   ERR_clear_error ();
   a->stage = "uri";
   uri = mongoc_uri_new_with_error (uristr, &a->error);
   if (uri) {
      mongoc_uri_set_option_as_int32 (uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 2000);
      mongoc_uri_set_option_as_int32 (uri, MONGOC_URI_CONNECTTIMEOUTMS, 2000);
      a->stage = "client";
      client = mongoc_client_new_from_uri_with_error (uri, &a->error);
      if (client) {
         bson_t ping = BSON_INITIALIZER;
         bson_t reply;
         a->stage = "ping";
         BSON_APPEND_INT32 (&ping, "ping", 1);
         a->ok = mongoc_client_command_simple (client, "admin", &ping, NULL, &reply, &a->error);
         bson_destroy (&reply);
         bson_destroy (&ping);
         mongoc_client_destroy (client);
      }
      mongoc_uri_destroy (uri);
   }
   while ((code = ERR_get_error ())) {
      ERR_error_string_n (code, buf, sizeof buf);
      if (n++) {
         bson_string_append_c (a->queue, ',');
      }
      json_str (a->queue, buf);
      if (strstr (buf, " alert ")) {
         a->alert = true;
      }
   }
}

static bool
lost_alert (const struct attempt *a)
{
   return !a->ok && !a->alert && !strcmp (a->stage, "ping") &&
          (strstr (a->error.message, "[connection closed") ||
           strstr (a->error.message, "[Failed to receive length header from server."));
}

int
main (int argc, char **argv)
{
   int retries = 0;
   int opt;
   int attempts = 0;
   struct attempt a;
   int64_t started;
   bson_string_t *out;

   if (!probe_init (argc, argv)) {
      return 0;
   }
   while ((opt = getopt (argc, argv, "r:")) != -1) {
      if (opt == 'r') {
         retries = atoi (optarg);
      } else {
         fprintf (stderr, "usage: connect [-r RETRIES] URI\n");
         return 2;
      }
   }
   if (optind + 1 != argc) {
      fprintf (stderr, "usage: connect [-r RETRIES] URI\n");
      return 2;
   }
   setsid ();
   if (!freopen ("/dev/null", "r", stdin)) {
      perror ("/dev/null");
      return 2;
   }
   started = now_ms ();
   for (;;) {
      attempts++;
      run (argv[optind], &a);
      if (!lost_alert (&a) || attempts > retries) {
         break;
      }
      bson_string_free (a.queue, true);
   }
   out = bson_string_new ("{\"stage\":");
   json_str (out, a.stage);
   json_bool (out, "ok", a.ok);
   if (!a.ok) {
      json_error (out, &a.error);
   }
   bson_string_append_printf (out, ",\"attempts\":%d,\"ms\":%d,\"openssl_queue\":[%s],\"logs\":[%s]}\n",
                              attempts, (int) (now_ms () - started), a.queue->str, g_logs->str);
   fputs (out->str, stdout);
   bson_string_free (out, true);
   bson_string_free (a.queue, true);
   mongoc_cleanup ();
   return 0;
}
