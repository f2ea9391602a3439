// Measures `folio serve` (not a test): the time to the first token of a question that follows a long cached
// prompt, against the same request to a server with the cache off, and requests per second for short prompts.
//
//   node serve_bench.mjs FOLIO MODEL [PROMPT_TOKENS] [SECONDS]
//
// The long prompt is a system message of about PROMPT_TOKENS tokens (default 32768, at about 1.8 characters a
// token of the tiny models' vocabulary); the first request reads it into the cache, a second with another
// question resumes at the end of the system message.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [folio, model] = process.argv.slice(2, 4);
const promptTokens = Number(process.argv[4] || 32768);
const seconds = Number(process.argv[5] || 10);
const dir = mkdtempSync(join(tmpdir(), 'folio-serve-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function startServer(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(folio, ['--workspace', join(dir, 'ws'), 'serve', '--port', '0', '--model', model,
      '--model-name', 'bench', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/v1/);
      if (m) resolve({ proc, url: `http://127.0.0.1:${m[1]}/v1` });
    });
    proc.on('exit', (code) => reject(new Error(`folio serve exited with ${code}`)));
  });
}

function stop(server) {
  server.proc.removeAllListeners('exit');
  return new Promise((done) => { server.proc.on('exit', done); server.proc.kill('SIGTERM'); });
}

// Streams a chat request; returns seconds to the first streamed token, the total, and the usage.
async function timedChat(server, messages, maxTokens) {
  const start = performance.now();
  const r = await fetch(`${server.url}/chat/completions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'bench', messages, max_tokens: maxTokens, temperature: 0, stream: true,
      stream_options: { include_usage: true } }) });
  if (r.status !== 200) throw new Error(`status ${r.status}: ${await r.text()}`);
  let first = null;
  let usage = null;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const bytes of r.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(6, end);
      buffer = buffer.slice(end + 2);
      if (data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (first === null && chunk.choices[0]?.delta?.content) first = (performance.now() - start) / 1000;
      if (chunk.usage) usage = chunk.usage;
    }
  }
  return { first, total: (performance.now() - start) / 1000, usage };
}

const words = ['the', 'agreement', 'term', 'party', 'notice', 'clause', 'and', 'there', 'is', 'of'];
let document = '';
for (let i = 0; document.length < promptTokens * 1.8; ++i) document += ` ${words[(i * 7 + (i >> 3)) % words.length]}`;
const system = { role: 'system', content: `Answer from this contract:${document}` };
const question = (q) => [system, { role: 'user', content: q }];

const cached = await startServer([]);
const cold = await timedChat(cached, question('Who are the parties?'), 8);
const warm = await timedChat(cached, question('What is the notice period?'), 8);
await stop(cached);
const uncached = await startServer(['--no-cache']);
const slow = await timedChat(uncached, question('What is the notice period?'), 8);
await stop(uncached);
console.log(`long prompt: ${warm.usage.prompt_tokens} tokens`);
console.log(`  first request (cache empty): first token after ${cold.first.toFixed(3)} s`);
console.log(`  another question, cached:   first token after ${warm.first.toFixed(3)} s ` +
  `(${warm.usage.prompt_tokens_details.cached_tokens} tokens from the cache)`);
console.log(`  the same with --no-cache:   first token after ${slow.first.toFixed(3)} s`);

const parallel = 2;
const server = await startServer(['--parallel', String(parallel), '--queue', '16']);
let completed = 0;
const end = Date.now() + seconds * 1000;
const started = performance.now();
await Promise.all(Array.from({ length: 8 }, async (_, c) => {
  for (let n = 0; Date.now() < end; ++n) {
    await timedChat(server, [{ role: 'user', content: `Question ${c}.${n}: who signs?` }], 8);
    completed += 1;
  }
}));
const elapsed = (performance.now() - started) / 1000;
await stop(server);
console.log(`short prompts (8 clients, --parallel ${parallel}, 8 tokens each): ${completed} requests in ` +
  `${elapsed.toFixed(1)} s = ${(completed / elapsed).toFixed(1)} requests/s`);
