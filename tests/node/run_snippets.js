#!/usr/bin/env node
// Runs JavaScript snippets, as `pkigen docs --driver node` writes them, in one process and
// prints one JSON line per snippet saying how it ended. Input on stdin: a JSON array of
// {"id": ..., "dir": ..., "code": ...}.
//
// The snippets of one folder run together, from that folder (the driver reads its files
// relative to the working directory when it connects, and the folder is the process's);
// folders run one after another.
//
// Each snippet runs as the script it is, in a context of its own (node:vm) whose `require`,
// `console` and `process` are the runner's:
// - `require` gives the real modules, with `new MongoClient` and `tls.connect` watched, so the
//   runner knows whether an error came before a client or a socket existed;
// - `console` records what the script printed, and the error it printed;
// - `process.exitCode` is the script's own.
// The script's last statement, `main().catch(...)`, is its completion value: the promise
// awaited. A script with no statement (a comment) completes with nothing.
//
//   NODE_PATH=target/node/node_modules node tests/node/run_snippets.js < snippets.json
'use strict';
const fs = require('node:fs');
const tls = require('node:tls');
const util = require('node:util');
const vm = require('node:vm');
const mongodb = require('mongodb');
const { CODES } = require('./classify.js');

// Far beyond what a snippet takes (a refusal waits out serverSelectionTimeoutMS), so that a
// snippet that never ends is reported instead of hanging the run.
const LIMIT_MS = 30000;

// An error and its causes: class, code, message of each, and the pkigen reason its code means
// (one table for every Node test: classify.js's).
function chain(error) {
  const links = [];
  for (let e = error; e != null && links.length < 8; e = e.cause) {
    const isObject = typeof e === 'object' || typeof e === 'function';
    links.push({
      name: isObject ? String(e.name) : typeof e,
      code: isObject && e.code != null ? String(e.code) : null,
      reason: isObject && e.code != null ? (CODES[String(e.code)] ?? null) : null,
      message: isObject ? String(e.message) : String(e),
    });
    if (!isObject) break;
  }
  return links;
}

async function run(code, filename) {
  const seen = {
    ended: null,
    logged: [],
    error: null,
    exitCode: null,
    clientMade: false,
    socketMade: false,
  };
  const MongoClient = new Proxy(mongodb.MongoClient, {
    construct(target, args, newTarget) {
      const client = Reflect.construct(target, args, newTarget);
      seen.clientMade = true;
      return client;
    },
  });
  const connect = (...args) => {
    const socket = tls.connect(...args);
    seen.socketMade = true;
    return socket;
  };
  const watched = {
    mongodb: Object.create(mongodb, { MongoClient: { value: MongoClient } }),
    tls: Object.create(tls, { connect: { value: connect } }),
  };
  const context = vm.createContext({
    require: (name) => watched[name.replace(/^node:/, '')] ?? require(name),
    console: {
      log: (...args) => seen.logged.push(util.format(...args)),
      error: (...args) => {
        seen.error = util.types.isNativeError(args[0]) ? chain(args[0]) : chain(util.format(...args));
      },
    },
    process: new Proxy(process, {
      get: (target, key) => (key === 'exitCode' ? seen.exitCode : Reflect.get(target, key)),
      set: (target, key, value) => {
        if (key !== 'exitCode') return Reflect.set(target, key, value);
        seen.exitCode = value;
        return true;
      },
    }),
  });
  let completion;
  try {
    completion = new vm.Script(code, { filename }).runInContext(context);
  } catch (error) {
    return { ...seen, ended: 'threw', error: chain(error) };
  }
  if (completion == null || typeof completion.then !== 'function') {
    return { ...seen, ended: 'nothing' };
  }
  let timer;
  const limit = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), LIMIT_MS);
  });
  const how = await Promise.race([completion.then(() => 'finished', () => 'rejected'), limit]);
  clearTimeout(timer);
  return { ...seen, ended: how };
}

async function main() {
  const jobs = JSON.parse(fs.readFileSync(0, 'utf8'));
  const folders = new Map();
  for (const job of jobs) {
    if (!folders.has(job.dir)) folders.set(job.dir, []);
    folders.get(job.dir).push(job);
  }
  for (const [dir, group] of folders) {
    process.chdir(dir);
    const results = await Promise.all(
      group.map(async (job) => ({ id: job.id, ...(await run(job.code, job.id)) })),
    );
    for (const result of results) process.stdout.write(JSON.stringify(result) + '\n');
  }
}

// The driver's and the sockets' timers would keep the process alive after the last snippet.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
