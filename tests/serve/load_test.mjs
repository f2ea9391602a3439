// A bounded load test of `folio serve`: 50 clients stream chat requests back to back for a few seconds
// against --parallel 2 --queue 8. Every request must end either with its whole stream ([DONE]) or with a 429
// error object; none may fail otherwise or go unanswered. The server's peak resident memory (VmHWM) must stay
// bounded, and it must still answer afterwards.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, failed, scratchFolder, startServer, writeChatModel } from './harness.mjs';

const clients = 50;
const seconds = Number(process.env.FOLIO_LOAD_SECONDS || 4);
const maxPeakMiB = 512;

const dir = scratchFolder();
const model = join(dir, 'tiny-chat.gguf');
writeChatModel(model);
const server = await startServer(['--workspace', join(dir, 'ws'), 'serve', '--model', model, '--model-name', 'tiny',
  '--parallel', '2', '--queue', '8', '--threads', '1']);

const counts = { completed: 0, refused: 0, failed: 0 };
const problems = [];

async function oneRequest(i, n) {
  const body = JSON.stringify({ model: 'tiny', stream: true, max_tokens: 16, temperature: 0,
    messages: [{ role: 'system', content: 'You answer questions about the agreement.' },
               { role: 'user', content: `Question ${i}.${n}: who are the parties?` }] });
  try {
    const r = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const text = await r.text();
    if (r.status === 200 && text.trimEnd().endsWith('data: [DONE]')) counts.completed += 1;
    else if (r.status === 429 && JSON.parse(text).error.code === 'server_busy') counts.refused += 1;
    else { counts.failed += 1; problems.push(`${r.status}: ${text.slice(0, 200)}`); }
  } catch (e) {
    counts.failed += 1;
    problems.push(String(e.cause ?? e));
  }
}

async function client(i) {
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  for (let n = 0; Date.now() < end; ++n) {
    await oneRequest(i, n);
    sent += 1;
  }
  return sent;
}

const started = Date.now();
const sent = (await Promise.all(Array.from({ length: clients }, (_, i) => client(i)))).reduce((a, b) => a + b, 0);
const elapsed = (Date.now() - started) / 1000;
const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
const peakMiB = Number(status.match(/VmHWM:\s+(\d+) kB/)[1]) / 1024;
console.log(`# ${clients} clients, ${elapsed.toFixed(1)} s: ${sent} requests, ${counts.completed} completed, ` +
  `${counts.refused} refused (429), ${counts.failed} failed; ${(counts.completed / elapsed).toFixed(1)} completed/s; ` +
  `server peak RSS ${peakMiB.toFixed(0)} MiB`);

await check('every request was answered or refused with 429', () => {
  assert.equal(counts.failed, 0, problems.slice(0, 5).join('\n'));
  assert.equal(counts.completed + counts.refused, sent);
  assert.ok(counts.completed > 0);
});
await check(`the server's peak memory stayed under ${maxPeakMiB} MiB`, () => assert.ok(peakMiB < maxPeakMiB));
await check('still serving afterwards', async () => {
  const r = await fetch(`${server.baseURL}/models`);
  assert.equal(r.status, 200);
});

await server.stop();
process.exit(failed() ? 1 : 0);
