// What the Node.js tests of `folio serve` share: a tiny chat model written by write_tiny_model, a server
// started on a free loopback port and stopped at the end, and a check that reports by name.
//
// Environment: FOLIO_EXECUTABLE (folio), FOLIO_WRITE_TINY_MODEL (write_tiny_model), OPENAI_PACKAGE_DIR (the
// unpacked openai package).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export async function loadOpenAI() {
  const module = await import(pathToFileURL(join(required('OPENAI_PACKAGE_DIR'), 'index.mjs')).href);
  return module.default;
}

export function scratchFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'folio-serve-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// `options`: more write_tiny_model options, e.g. ['--fim-tokens'].
export function writeChatModel(path, options = []) {
  const r = spawnSync(required('FOLIO_WRITE_TINY_MODEL'), [path, '--variant', 'qwen35', ...options]);
  if (r.status !== 0) throw new Error(`write_tiny_model failed: ${r.stderr}`);
}

// Starts `folio --workspace DIR serve ...` and resolves once it prints where it listens.
export function startServer(args, env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(required('FOLIO_EXECUTABLE'), [...args, '--port', '0'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = { proc, log: '', port: 0 };
    let out = '';
    proc.stderr.on('data', (d) => { server.log += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/v1/);
      if (m && !server.port) {
        server.port = Number(m[1]);
        server.baseURL = `http://127.0.0.1:${server.port}/v1`;
        resolve(server);
      }
    });
    proc.on('exit', (code) => reject(new Error(`folio serve exited (${code}): ${server.log}`)));
    server.stop = () => new Promise((done) => {
      if (proc.exitCode !== null) return done(proc.exitCode);
      proc.removeAllListeners('exit');
      proc.on('exit', done);
      proc.kill('SIGTERM');
    });
  });
}

export async function waitFor(condition, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let failures = 0;
export async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures += 1;
    console.log(`not ok - ${name}: ${e.stack || e}`);
  }
}

export function failed() {
  return failures;
}
