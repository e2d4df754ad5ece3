#!/usr/bin/env node
// Every case against the Node.js MongoDB driver: `pkigen serve --all` presents every case's
// server side, and the driver connects with each case's own connection string and runs
// `ping` (the counterpart of tests/python/interop.py).
//
//   NODE_PATH=target/node/node_modules node tests/node/interop.js SERVED DIR [DIR...]
//
// SERVED holds the first line `pkigen serve --all` printed ("scenario/case" → {address,
// uri}); each DIR is a scenario folder made by `pkigen scenario --driver node`. The process
// works from each folder in turn (the cases' files are named relative to it, and the driver
// reads them at connect() from its working directory), the cases of a folder all at once.
// One harness line per case (tests/schemas/harness-result.schema.json), engine `node`: what
// the driver did, in pkigen's vocabulary (classify.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { MongoClient } = require('mongodb');
const { classify } = require('./classify');

// Short: every refusal surfaces only when server selection gives up.
const TIMEOUTS = { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000, socketTimeoutMS: 2000 };

// Environment that would change Node's TLS defaults: the caller clears it.
for (const name of ['NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_EXTRA_CA_CERTS']) {
  if (process.env[name] !== undefined) {
    console.error(`interop.js: ${name} is set; run with it unset`);
    process.exit(2);
  }
}
process.removeAllListeners('warning');
process.on('warning', () => {});

function emit(subject, result) {
  process.stdout.write(JSON.stringify({ engine: 'node', subject, result }) + '\n');
}

// The error and what lies under it: class, message, code, then `cause`, then a server
// selection error's per-server errors.
function describe(err, depth = 0, seen = new Set()) {
  if (err == null || typeof err !== 'object' || seen.has(err) || depth > 6) return null;
  seen.add(err);
  const d = { class: err.constructor && err.constructor.name, message: err.message };
  if (typeof err.code === 'string') d.code = err.code;
  if (err.cause) d.cause = describe(err.cause, depth + 1, seen);
  const servers = err.reason && err.reason.servers;
  if (servers && typeof servers.forEach === 'function') {
    d.servers = [];
    servers.forEach(sd => d.servers.push({ error: describe(sd.error, depth + 1, seen) }));
  }
  return d;
}

// `new MongoClient(uri)` then `ping`: what happened, and at which stage.
async function run(uri) {
  let client;
  try {
    client = new MongoClient(uri, TIMEOUTS);
  } catch (err) {
    return { stage: 'new MongoClient', ok: false, error: describe(err) };
  }
  try {
    await client.db('admin').command({ ping: 1 });
    return { stage: 'ping', ok: true };
  } catch (err) {
    return { stage: 'ping', ok: false, error: describe(err) };
  } finally {
    await client.close().catch(() => {});
  }
}

async function runCase(served, scenario, c) {
  const id = `${scenario}/${c.name}`;
  const entry = served[id];
  if (!entry) {
    return emit(id, { kind: 'harness-error', message: 'pkigen serve --all does not serve this case' });
  }
  if (c.client.driver !== 'node') {
    return emit(id, { kind: 'harness-error', message: `the manifest's client is ${c.client.driver}'s, not node's` });
  }
  // The case's own URI, with the port the server listens on.
  const port = entry.address.split(':').pop();
  const prefix = `mongodb://${c.client.host}/`;
  if (!c.client.uri.startsWith(prefix) || entry.uri !== `mongodb://${c.client.host}:${port}/${c.client.uri.slice(prefix.length)}`) {
    return emit(id, { kind: 'harness-error', message: `served uri ${entry.uri} is not the case's own (${c.client.uri})` });
  }
  const { outcome, reason, message } = classify(await run(entry.uri));
  emit(id, { kind: 'observed', outcome, reason, message });
}

async function main() {
  const [servedFile, ...dirs] = process.argv.slice(2);
  const served = JSON.parse(fs.readFileSync(servedFile, 'utf8'));
  process.stderr.write(`mongodb ${require('mongodb/package.json').version}, node ${process.version}, openssl ${process.versions.openssl}\n`);
  for (const dir of dirs.map(d => path.resolve(d))) {
    process.chdir(dir);
    const manifest = JSON.parse(fs.readFileSync('manifest.json', 'utf8'));
    await Promise.all(manifest.cases.map(c => runCase(served, manifest.scenario, c)));
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
