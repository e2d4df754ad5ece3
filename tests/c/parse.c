/* parse: one connection string a line on stdin, one JSON line each on stdout: what
 * mongoc_uri_new_with_error makes of it. On failure the bson_error_t; on success the TLS
 * settings a client takes from the URI (mongoc_uri_get_tls, then the reads of
 * _mongoc_ssl_opts_from_uri, under the mongoc_ssl_opt_t names pkigen's `policy --driver c`
 * prints) and what they verify (the stream forces the host name check off under
 * weak_cert_validation; OCSP runs unless weak_cert_validation or
 * tlsDisableCertificateRevocationCheck). Either way every log line the parse emitted.
 *
 *   parse < uris.txt      parse -V (the library's version) */
#include "mongoc_probe.h"
#include <stdlib.h>

static void
json_text_field (bson_string_t *out, const char *name, const mongoc_uri_t *uri, const char *option)
{
   const char *value = mongoc_uri_get_option_as_utf8 (uri, option, NULL);
   if (value) {
      bson_string_append_printf (out, ",\"%s\":", name);
      json_str (out, value);
   }
}

int
main (int argc, char **argv)
{
   char *line = NULL;
   size_t cap = 0;
   ssize_t n;

   if (!probe_init (argc, argv)) {
      return 0;
   }
   while ((n = getline (&line, &cap, stdin)) >= 0) {
      bson_error_t error = {0};
      mongoc_uri_t *uri;
      bson_string_t *out = bson_string_new ("{\"uri\":");

      if (n > 0 && line[n - 1] == '\n') {
         line[--n] = '\0';
      }
      logs_reset ();
      json_str (out, line);
      uri = mongoc_uri_new_with_error (line, &error);
      if (!uri) {
         bson_string_append (out, ",\"ok\":false");
         json_error (out, &error);
      } else {
         bool tls = mongoc_uri_get_tls (uri);
         bool insecure = mongoc_uri_get_option_as_bool (uri, MONGOC_URI_TLSINSECURE, false);
         bool weak = mongoc_uri_get_option_as_bool (uri, MONGOC_URI_TLSALLOWINVALIDCERTIFICATES, insecure);
         bool any_host = mongoc_uri_get_option_as_bool (uri, MONGOC_URI_TLSALLOWINVALIDHOSTNAMES, insecure);
         bool no_revocation = mongoc_uri_get_option_as_bool (uri, MONGOC_URI_TLSDISABLECERTIFICATEREVOCATIONCHECK, false);
         bool no_endpoint = mongoc_uri_get_option_as_bool (uri, MONGOC_URI_TLSDISABLEOCSPENDPOINTCHECK, false);

         bson_string_append (out, ",\"ok\":true,\"options\":{\"tls\":");
         bson_string_append (out, tls ? "true" : "false");
         json_text_field (out, "ca_file", uri, MONGOC_URI_TLSCAFILE);
         json_text_field (out, "pem_file", uri, MONGOC_URI_TLSCERTIFICATEKEYFILE);
         json_text_field (out, "pem_pwd", uri, MONGOC_URI_TLSCERTIFICATEKEYFILEPASSWORD);
         json_bool (out, "weak_cert_validation", weak);
         json_bool (out, "allow_invalid_hostname", any_host);
         json_bool (out, "tls_disable_certificate_revocation_check", no_revocation);
         json_bool (out, "tls_disable_ocsp_endpoint_check", no_endpoint);
         bson_string_append_c (out, '}');
         json_bool (out, "verify_certificates", tls && !weak);
         json_bool (out, "verify_hostname", tls && !weak && !any_host);
         json_bool (out, "ocsp", tls && !weak && !no_revocation);
         json_bool (out, "ocsp_endpoint_check", tls && !weak && !no_revocation && !no_endpoint);
         mongoc_uri_destroy (uri);
      }
      bson_string_append (out, ",\"logs\":[");
      bson_string_append (out, g_logs->str);
      bson_string_append (out, "]}\n");
      fputs (out->str, stdout);
      fflush (stdout);
      bson_string_free (out, true);
   }
   free (line);
   mongoc_cleanup ();
   return 0;
}
