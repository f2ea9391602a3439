// `folio serve` through the official openai npm client (and raw fetch where a client would not send such a
// request): models, chat and completions whole and streamed, and every refusal with its status and error
// object, after which the server goes on serving.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, failed, loadOpenAI, scratchFolder, startServer, waitFor, writeChatModel } from './harness.mjs';

const OpenAI = await loadOpenAI();
const dir = scratchFolder();
const model = join(dir, 'tiny-chat.gguf');
writeChatModel(model);
const key = 'sk-folio-node-test';
const server = await startServer(['--workspace', join(dir, 'ws'), 'serve', '--model', model, '--model-name', 'tiny',
  '--threads', '1', '--snapshot-every', '16', '--max-body-bytes', '65536'], { FOLIO_API_KEY: key });
const client = new OpenAI({ baseURL: server.baseURL, apiKey: key, maxRetries: 0 });
const messages = [
  { role: 'system', content: 'You answer questions about the agreement. The parties agree there is a term.' },
  { role: 'user', content: 'Who are the parties?' },
];

async function refused(promise, status, code, param) {
  const e = await promise.then(() => null, (err) => err);
  assert.ok(e instanceof OpenAI.APIError, `expected an APIError, got ${e}`);
  assert.equal(e.status, status);
  if (code !== undefined) assert.equal(e.code, code);
  if (param !== undefined) assert.equal(e.param, param);
  assert.ok(e.error && typeof e.error.message === 'string' && e.error.message.length > 0);
}

async function rawPost(path, body, headers = {}) {
  const r = await fetch(server.baseURL + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}`, ...headers },
    body,
  });
  return { status: r.status, body: await r.json() };
}

let answer = '';
await check('models lists the served model', async () => {
  const list = await client.models.list();
  assert.deepEqual(list.data.map((m) => m.id), ['tiny']);
});

await check('chat, whole', async () => {
  const r = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 10, temperature: 0 });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.choices[0].message.role, 'assistant');
  assert.ok(['stop', 'length'].includes(r.choices[0].finish_reason));
  answer = r.choices[0].message.content;
  assert.equal(typeof answer, 'string');
  assert.ok(r.usage.prompt_tokens > 16);
  assert.equal(typeof r.usage.prompt_tokens_details.cached_tokens, 'number');
});

await check('chat, streamed: the same answer, then usage with cached tokens', async () => {
  const stream = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 10, temperature: 0,
    stream: true, stream_options: { include_usage: true } });
  let text = '';
  let usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    for (const c of chunk.choices) text += c.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, answer);
  assert.ok(usage.prompt_tokens_details.cached_tokens > 0);
});

await check('completions, whole and streamed', async () => {
  const r = await client.completions.create({ model: 'tiny', prompt: 'the agreement', max_tokens: 6, temperature: 0 });
  assert.equal(r.object, 'text_completion');
  const stream = await client.completions.create({ model: 'tiny', prompt: 'the agreement', max_tokens: 6,
    temperature: 0, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
  assert.equal(text, r.choices[0].text);
});

await check('completions with a suffix: the tiny vocabulary has no FIM tokens', () =>
  refused(client.completions.create({ model: 'tiny', prompt: 'int main() {', suffix: '}', max_tokens: 4 }),
    400, 'no_fim_tokens', 'suffix'));

await check('a wrong API key is 401 and not echoed', async () => {
  const wrong = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-not-the-key', maxRetries: 0 });
  const e = await wrong.models.list().then(() => null, (err) => err);
  assert.ok(e instanceof OpenAI.AuthenticationError);
  assert.equal(e.status, 401);
  assert.ok(!JSON.stringify(e.error).includes('sk-not-the-key'));
});

await check('an unknown model is 404', () =>
  refused(client.chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 4 }), 404, 'model_not_found', 'model'));

await check('malformed JSON is 400', async () => {
  const r = await rawPost('/chat/completions', '{"model": "tiny", "messages": [');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_json');
});

await check('a field of the wrong type is 400 naming it', async () => {
  await refused(client.chat.completions.create({ model: 'tiny', messages, temperature: 'hot' }), 400, 'invalid_type', 'temperature');
  await refused(client.chat.completions.create({ model: 'tiny', messages: 'hello' }), 400, 'invalid_type', 'messages');
  await refused(client.completions.create({ model: 'tiny', prompt: 'x', max_tokens: 2.5 }), 400, 'invalid_type', 'max_tokens');
});

await check('an oversized body is 413', () =>
  refused(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'a'.repeat(100000) }] }),
    413, 'payload_too_large'));

await check('a client that disconnects mid-stream cancels its generation', async () => {
  // The tiny model's random weights end some samples early: find a seed whose answer is long.
  const request = { model: 'tiny', prompt: 'the agreement is there', max_tokens: 1500, temperature: 1 };
  let seed = 0;
  for (let s = 1; s <= 40 && !seed; ++s) {
    const r = await client.completions.create({ ...request, seed: s });
    if (r.usage.completion_tokens >= 400) seed = s;
  }
  assert.ok(seed > 0, 'no seed gave a long answer');
  const stream = await client.completions.create({ ...request, seed, stream: true });
  let chunks = 0;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.text && ++chunks >= 2) break;  // leaving the loop aborts the request
  }
  await waitFor(() => server.log.includes('generation cancelled'), 'the server to cancel the generation');
});

await check('still serving after all of that', async () => {
  const r = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 10, temperature: 0 });
  assert.equal(r.choices[0].message.content, answer);
});

await server.stop();

await check('completions with a suffix fill in the middle, with a model that has the FIM tokens', async () => {
  const fimModel = join(dir, 'tiny-fim.gguf');
  writeChatModel(fimModel, ['--fim-tokens']);
  const fimServer = await startServer(['--workspace', join(dir, 'ws-fim'), 'serve', '--model', fimModel, '--model-name',
    'tiny-fim', '--threads', '1']);
  try {
    const fim = new OpenAI({ baseURL: fimServer.baseURL, apiKey: 'none', maxRetries: 0 });
    const request = { model: 'tiny-fim', prompt: 'int main() {', max_tokens: 4, temperature: 0 };
    const plain = await fim.completions.create(request);
    const middle = await fim.completions.create({ ...request, suffix: '  return 0;\n}' });
    assert.equal(middle.object, 'text_completion');
    // The prompt became <|fim_prefix|> prompt <|fim_suffix|> suffix <|fim_middle|>: three tokens more than the
    // prompt and the suffix as the server counts them.
    const r = await fetch(`http://127.0.0.1:${fimServer.port}/tokenize`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-fim', prompt: '  return 0;\n}' }),
    });
    const suffixTokens = (await r.json()).count;
    assert.ok(suffixTokens > 0);
    assert.equal(middle.usage.prompt_tokens, plain.usage.prompt_tokens + suffixTokens + 3);
    let streamed = '';
    for await (const chunk of await fim.completions.create({ ...request, suffix: '  return 0;\n}', stream: true }))
      streamed += chunk.choices[0]?.text ?? '';
    assert.equal(streamed, middle.choices[0].text);
  } finally {
    await fimServer.stop();
  }
});

process.exit(failed() ? 1 : 0);
