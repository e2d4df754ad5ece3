#!/usr/bin/env node
// Reads one JSON object per line on stdin, {"uri": ..., "options": {...}}, and prints one JSON
// line per input: what `new MongoClient(uri, options)` of the installed driver resolves the
// TLS options to, or the error its constructor throws; either way the warnings it emitted.
// Nothing connects and no file is read: the constructor only parses.
//
//   echo '{"uri": "mongodb://h/?tls=true"}' | NODE_PATH=target/node/node_modules node tests/node/parse.js
'use strict';
const readline = require('node:readline');
const mongodb = require('mongodb');

// The driver warns through process.emitWarning, whose event comes a tick later; taken here
// as it is called, each warning stays with the URI that caused it.
let warnings = [];
process.emitWarning = (warning, options) => {
  const type = (options && options.type) || (typeof options === 'string' ? options : 'Warning');
  warnings.push(`${type}: ${warning instanceof Error ? warning.message : warning}`);
};

function answer({ uri, options }) {
  warnings = [];
  try {
    const o = new mongodb.MongoClient(uri, options).options;
    return {
      ok: true,
      tls: o.tls === true,
      tlsCAFile: o.tlsCAFile ?? null,
      tlsCRLFile: o.tlsCRLFile ?? null,
      tlsCertificateKeyFile: o.tlsCertificateKeyFile ?? null,
      passphrase: o.passphrase ?? null,
      rejectUnauthorized: o.rejectUnauthorized ?? null,
      skipServerIdentity: typeof o.checkServerIdentity === 'function',
      warnings
    };
  } catch (err) {
    return {
      ok: false,
      class: err.name,
      // mongodb-connection-string-url throws its own MongoParseError, not the driver's.
      driverClass: err instanceof mongodb.MongoError,
      message: err.message,
      warnings
    };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', line => {
  if (line.trim() !== '') process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + '\n');
});
