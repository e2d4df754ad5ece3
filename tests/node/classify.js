'use strict';
// What the Node.js driver did with a case, in pkigen's vocabulary: {outcome, reason, message}.
// reason is null when the driver's error names none of pkigen's reasons.
//
// The driver's errors come in three shapes:
// - thrown by `new MongoClient(uri)`: the URI or its options are refused (config-error);
// - `connect()` rejecting at once with Node's own fs error: a file could not be read;
// - `MongoServerSelectionError` once serverSelectionTimeoutMS has passed, whose cause chain
//   ends in the TLS error: through a plain `MongoError` when building the TLS context failed
//   (key, password, CRL: the client's own configuration), through `MongoNetworkError` when
//   the handshake was refused.

// The `code` of the deepest error (OpenSSL's X509_V_ERR_* names, Node's own codes, and
// OpenSSL reason codes for alerts and context errors) → pkigen reason.
const CODES = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-issuer',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-issuer',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown-issuer',
  CERT_SIGNATURE_FAILURE: 'unknown-issuer',
  INVALID_PURPOSE: 'invalid-purpose',
  CERT_REVOKED: 'revoked',
  CRL_HAS_EXPIRED: 'crl-expired',
  CRL_NOT_YET_VALID: 'crl-expired',
  UNABLE_TO_GET_CRL: 'crl-untrusted',
  // Alerts the server sent.
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'client-cert-required',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'client-cert-required',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'client-cert-untrusted',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'protocol-version',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'protocol-version',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'no-shared-cipher',
  ERR_SSL_NO_SHARED_CIPHER: 'no-shared-cipher',
  // Building the TLS context (tls.createSecureContext inside tls.connect).
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: 'key-mismatch',
  ERR_OSSL_BAD_DECRYPT: 'bad-password',
  ERR_OSSL_EVP_BAD_DECRYPT: 'bad-password',
  ERR_OSSL_PEM_BAD_DECRYPT: 'bad-password',
  ERR_OSSL_PEM_BAD_PASSWORD_READ: 'bad-password',
  ERR_OSSL_PEM_NO_START_LINE: 'unreadable-file',
  ERR_OSSL_UNSUPPORTED: 'unreadable-file',
  ERR_CRYPTO_OPERATION_FAILED: 'unreadable-file',
  // Reading the files (connect()).
  ENOENT: 'unreadable-file',
  EACCES: 'unreadable-file',
  EISDIR: 'unreadable-file'
};

// Codes of the client's own configuration (its files, key, password), refused before any
// byte reaches the server: pkigen's config-error rather than reject.
const CONFIG_CODES = new Set([
  'ERR_OSSL_X509_KEY_VALUES_MISMATCH', 'ERR_OSSL_BAD_DECRYPT', 'ERR_OSSL_EVP_BAD_DECRYPT',
  'ERR_OSSL_PEM_BAD_DECRYPT', 'ERR_OSSL_PEM_BAD_PASSWORD_READ', 'ERR_OSSL_PEM_NO_START_LINE',
  'ERR_OSSL_UNSUPPORTED', 'ERR_CRYPTO_OPERATION_FAILED', 'ENOENT', 'EACCES', 'EISDIR'
]);

// What the constructor throws for a URI or options it refuses (mongodb-connection-string-url's
// own MongoParseError has the same name).
const CONSTRUCTOR_ERRORS = new Set(['MongoParseError', 'MongoAPIError', 'MongoInvalidArgumentError']);

// Every error under `e`: itself, its causes, a server selection error's per-server errors.
function* chain(e) {
  if (!e) return;
  yield e;
  if (e.cause) yield* chain(e.cause);
  for (const s of e.servers || []) yield* chain(s.error);
}

// A plaintext client (tls off) against a TLS server: the server drops the hello, and the
// monitor reports the connection closed.
const CLOSED = /^connection <monitor> to .* closed$/;

function classify(result) {
  if (result.ok) return { outcome: 'accept', reason: null, message: 'ping ok' };
  const all = Array.from(chain(result.error));
  const message = all
    .map(x => `${x.class}${x.code ? `[${x.code}]` : ''}: ${x.message}`)
    .join(' <- ')
    .slice(0, 600);
  if (result.stage === 'new MongoClient' && CONSTRUCTOR_ERRORS.has(result.error.class)) {
    return { outcome: 'config-error', reason: 'invalid-options', message };
  }
  const coded = all.filter(x => typeof x.code === 'string');
  for (const x of coded) {
    if (CONFIG_CODES.has(x.code)) return { outcome: 'config-error', reason: CODES[x.code], message };
  }
  for (const x of coded) {
    if (CODES[x.code]) return { outcome: 'reject', reason: CODES[x.code], message };
  }
  if (all.some(x => CLOSED.test(x.message))) return { outcome: 'reject', reason: 'other', message };
  return { outcome: 'reject', reason: null, message };
}

module.exports = { classify, CODES };
