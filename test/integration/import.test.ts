// `llm-proxy import` on every source format: each fixture (written from the source's documented
// format) imports, passes check, and routes the same names to the same upstream models through a
// mock upstream (base URLs pointed at it after import).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import YAML from 'yaml'
import { runImport } from '../../src/cli/import/run'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'

const ROOT = join(import.meta.dir, '..', '..')
const FIX = 'test/fixtures/import'
const KEYS = {
  OPENAI_API_KEY: 'sk-openai-upstream',
  ANTHROPIC_API_KEY: 'sk-ant-upstream',
  OPENROUTER_API_KEY: 'sk-or-upstream',
  DEEPSEEK_API_KEY: 'sk-ds-upstream',
  AZURE_API_KEY: 'azure-upstream',
  LITELLM_MASTER_KEY: 'sk-master-client',
}

let mock: Mock
const proxies: TestProxy[] = []
beforeAll(() => {
  mock = startMock((r) => (r.path.endsWith('/messages') ? anthropic(r, { text: 'ok' }) : openaiChat(r, { text: 'ok' })))
})
afterAll(() => {
  for (const p of proxies) p.stop()
  mock?.stop()
})

async function imported(args: string[], env: Record<string, string> = KEYS) {
  const r = await runImport([...args, '--check'], env, ROOT)
  expect(r.stderr).toContain('— valid')
  expect(r.code).toBe(0)
  return { text: r.stdout, raw: YAML.parse(r.stdout) as Record<string, any> }
}

/** every provider's base URL → the mock (keeping the path shape its dialect needs) */
function pointAtMock(raw: Record<string, any>): Record<string, any> {
  for (const p of Object.values<any>(raw.providers ?? {})) {
    if (p.dialect === 'anthropic') p.base_url = mock.url
    else if (String(p.base_url).includes('{model}')) p.base_url = `${mock.url}/openai/deployments/{model}`
    else p.base_url = `${mock.url}/v1`
  }
  return raw
}

async function proxyFor(raw: Record<string, any>, env: Record<string, string> = KEYS) {
  const p = await startProxy(pointAtMock(raw), env)
  proxies.push(p)
  return p
}

/** POST a chat completion for `model`; returns status and the upstream request it caused */
async function chat(p: TestProxy, model: string, o: { key?: string; path?: string } = {}) {
  const before = mock.received.length
  const res = await fetch(`${p.url}${o.path ?? ''}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(o.key && { authorization: `Bearer ${o.key}` }) },
    body: JSON.stringify({ model, messages: [{ role: 'system', content: 'You are Claude.' }, { role: 'user', content: 'hi' }] }),
  })
  await res.text()
  return { status: res.status, upstream: mock.received[before] }
}

describe('import --from lm-deluge', () => {
  test('routes keep their models, strategy and weights; policy carries over', async () => {
    const { raw } = await imported(['--from', 'lm-deluge', `${FIX}/lm-deluge.yaml`])
    expect(raw.models.smart).toEqual({ strategy: 'weighted', targets: [{ model: 'anthropic/claude-sonnet-4-5', weight: 0.7 }, { model: 'openai/gpt-4.1', weight: 0.3 }] })
    expect(raw.policy).toMatchObject({ mode: 'allow_user_pick', default_model: 'fast' })
    const p = await proxyFor(raw)
    const a = await chat(p, 'fast')
    const b = await chat(p, 'fast')
    expect([a.upstream.body.model, b.upstream.body.model].sort()).toEqual(['claude-3-5-haiku-latest', 'gpt-4.1-mini'])
    expect((await chat(p, 'gpt-4.1')).upstream.body.model).toBe('gpt-4.1')
    expect((await chat(p, 'gpt-4.1')).upstream.headers.get('authorization')).toBe('Bearer sk-openai-upstream')
  })
})

describe('import --from lm-proxy', () => {
  test('connections, routing in order, groups with allowed_connections, listing mode', async () => {
    const { raw, text } = await imported(['--from', 'lm-proxy', `${FIX}/lm-proxy.toml`])
    expect(raw.auth.groups.free.providers).toEqual(['openai'])
    expect(raw.policy.list_wildcards).toBe('ignore')
    expect(text).toContain('# loggers not carried over')
    const p = await proxyFor(raw)
    expect((await chat(p, 'gpt-4o')).status).toBe(401) // a group key is required, as in lm-proxy
    expect((await chat(p, 'gpt-4o', { key: 'KEY1' })).upstream.body.model).toBe('gpt-4o')
    expect((await chat(p, 'claude-3-5-haiku', { key: 'KEY2' })).upstream.path).toBe('/v1/messages')
    expect((await chat(p, 'cheap', { key: 'KEY1' })).upstream.body.model).toBe('gpt-4.1-nano')
    expect((await chat(p, 'anything-else', { key: 'KEY1' })).upstream.body.model).toBe('gpt-3.5-turbo')
    const denied = await chat(p, 'claude-3-5-haiku', { key: 'FREE_KEY_1' })
    expect(denied.status).toBe(403)
    expect(denied.upstream).toBeUndefined()
  })
})

describe('import --from lm-proxy: loggers', () => {
  test('an entry transformer becomes logging.fields, the JSON writer its file; the request line uses their names', async () => {
    const { raw, text } = await imported(['--from', 'lm-proxy', `${FIX}/lm-proxy-loggers.toml`])
    expect(raw.logging).toEqual({
      file: 'storage/json.log',
      remote_addr: true,
      fields: { output_tokens: 'completion_tokens', input_tokens: 'prompt_tokens', provider: 'connection', key: 'api_key_id', duration_ms: 'duration' },
    })
    expect(text).toContain('# logger field prompt ("request.messages") not carried over')
    delete raw.logging.file
    const p = await proxyFor({ ...raw, logging: { ...raw.logging, level: 'info' } })
    expect((await chat(p, 'gpt-4o')).status).toBe(200)
    const line = p.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request')
    expect(line).toMatchObject({ connection: 'openai', group: 'default' })
    expect(line.provider).toBeUndefined()
    expect(typeof line.duration).toBe('number')
  })
})

describe('import --from python-llm-proxy: one name, several base paths', () => {
  test('each base path gets its own table: name@/base keys, the root one name@/', async () => {
    const { raw, text } = await imported(['--from', 'python-llm-proxy', `${FIX}/python-llm-proxy-bases.yaml`])
    expect(Object.keys(raw.models)).toEqual(['coder@/', 'coder@/team-a', 'coder@/team-b'])
    expect(text).not.toContain('not carried over')
    const p = await proxyFor(raw)
    expect((await chat(p, 'coder')).upstream.body.model).toBe('gpt-4.1')
    expect((await chat(p, 'coder', { path: '/team-a' })).upstream.body.model).toBe('deepseek-chat')
    expect((await chat(p, 'coder', { path: '/team-b' })).upstream.body.model).toBe('deepseek-reasoner')
  })
})

describe('import --from anthropic-front', () => {
  test('backends become providers, models map Claude names to backend models', async () => {
    const { raw } = await imported(['--from', 'anthropic-front', `${FIX}/anthropic-front.yaml`])
    const p = await proxyFor(raw)
    const before = mock.received.length
    const res = await fetch(`${p.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).type).toBe('message')
    const up = mock.received[before]
    expect(up.path).toBe('/v1/chat/completions')
    expect(up.body.model).toBe('qwen/qwen3-coder')
    expect(up.headers.get('authorization')).toBe('Bearer sk-or-upstream')
    expect((await chat(p, 'claude-haiku-4-5')).upstream.body.model).toBe('qwen2.5-coder:7b')
  })
})

describe('import --from python-llm-proxy', () => {
  test('frontend names, backend models, system transforms and a base path', async () => {
    const { raw, text } = await imported(['--from', 'python-llm-proxy', `${FIX}/python-llm-proxy.yaml`])
    expect(text).toContain('inject_progress: true')
    const p = await proxyFor(raw)
    const r = await chat(p, 'gpt-4o')
    expect(r.upstream.body.model).toBe('gpt-4o-2024-08-06')
    expect(JSON.stringify(r.upstream.body.messages)).toContain('You are Assistant.')
    expect(JSON.stringify(r.upstream.body.messages)).toContain('Answer briefly.')
    expect((await chat(p, 'coder')).status).toBe(404) // only under its base path
    const team = await chat(p, 'coder', { path: '/team-a' })
    expect(team.upstream.body.model).toBe('deepseek-chat')
    expect(team.upstream.headers.get('authorization')).toBe('Bearer sk-ds-upstream')
  })
})

describe('import --from vandamme', () => {
  const env = { OPENAI_API_KEY: 'sk-openai-test-key-1234', POE_API_KEY: 'poe-key-one poe-key-two', CUSTOM_LLM_API_KEY: '!PASSTHRU', CUSTOM_LLM_BASE_URL: 'https://llm.example.com/v1' }
  test('dotenv + TOML: providers keep their names, key pools, aliases, passthrough, default provider', async () => {
    const { raw, text } = await imported(['--from', 'vandamme', '--env', `${FIX}/vandamme.env`, `${FIX}/vandamme.toml`], {})
    expect(Object.keys(raw.providers)).toEqual(['openai', 'poe', 'custom-llm'])
    expect(raw.policy.default_provider).toBe('openai')
    expect(raw.providers['custom-llm'].api_key).toBe('passthrough')
    expect(raw.providers.poe.api_key).toBe('${POE_API_KEY}')
    expect(text).toContain('[profiles] (top) not carried over')
    const p = await proxyFor(raw, env)
    const viaPrefix = await chat(p, 'poe:fast')
    expect(viaPrefix.upstream.body.model).toBe('grok-4.1-fast-non-reasoning')
    const viaAlias = await chat(p, 'cheap') // POE_ALIAS_CHEAP=fast: a chained alias
    expect(viaAlias.upstream.body.model).toBe('grok-4.1-fast-non-reasoning')
    const poeKeys = new Set([viaPrefix, viaAlias].map((r) => r.upstream.headers.get('authorization')))
    expect([...poeKeys].every((k) => k === 'Bearer poe-key-one' || k === 'Bearer poe-key-two')).toBe(true)
    expect((await chat(p, 'poe:some-model')).upstream.body.model).toBe('some-model')
    expect((await chat(p, 'haiku')).upstream.body.model).toBe('gpt-5.1-mini')
    const dflt = await chat(p, 'unknown-model')
    expect(dflt.upstream.body.model).toBe('unknown-model')
    expect(dflt.upstream.headers.get('authorization')).toBe('Bearer sk-openai-test-key-1234')
    const pass = await chat(p, 'custom-llm:m1', { key: 'client-own-key' })
    expect(pass.upstream.headers.get('authorization')).toBe('Bearer client-own-key')
  })
  test('--env alone reads the process environment', async () => {
    const r = await runImport(['--from', 'vandamme', '--env'], { POE_API_KEY: 'x', POE_ALIAS_FAST: 'grok' }, ROOT)
    expect(r.code).toBe(0)
    expect(YAML.parse(r.stdout).models.fast).toBe('poe/grok')
  })
})

describe('import --from litellm', () => {
  test('model_list groups, azure, ollama, fallbacks and master_key', async () => {
    const { raw } = await imported(['--from', 'litellm', `${FIX}/litellm.yaml`])
    expect(raw.auth.keys).toEqual([{ key: '${LITELLM_MASTER_KEY}', name: 'master' }])
    expect(raw.models['claude-sonnet'].fallbacks).toEqual(['openai/gpt-4o', 'azure/gpt-4o-eu'])
    const p = await proxyFor(raw)
    expect((await chat(p, 'claude-sonnet')).status).toBe(401)
    const c = await chat(p, 'claude-sonnet', { key: 'sk-master-client' })
    expect(c.upstream.path).toBe('/v1/messages')
    expect(c.upstream.body.model).toBe('claude-sonnet-4-5')
    const seen = new Set<string>()
    for (let i = 0; i < 12; i++) seen.add((await chat(p, 'gpt-4o', { key: 'sk-master-client' })).upstream.path)
    expect(seen).toEqual(new Set(['/v1/chat/completions', '/openai/deployments/gpt-4o-eu/chat/completions']))
    const azure = mock.received.find((r) => r.path.startsWith('/openai/deployments/'))!
    expect(azure.headers.get('api-key')).toBe('azure-upstream')
    expect(azure.query.get('api-version')).toBe('2024-10-21')
    expect((await chat(p, 'local-llama', { key: 'sk-master-client' })).upstream.body.model).toBe('llama3.2')
  })
})

describe('import: errors', () => {
  test('unreadable input and wrong formats exit 2 with a message', async () => {
    const missing = await runImport(['--from', 'litellm', 'nope.yaml'], {}, ROOT)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.yaml: file not found')
    const wrong = await runImport(['--from', 'lm-proxy', `${FIX}/litellm.yaml`], {}, ROOT)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('not an lm-proxy config')
    const bad = await runImport(['--from', 'nope', 'x'], {}, ROOT)
    expect(bad.code).toBe(2)
    const unset = await runImport(['--from', 'litellm', '--check', `${FIX}/litellm.yaml`], {}, ROOT)
    expect(unset.code).toBe(2)
    expect(unset.stderr).toContain('LITELLM_MASTER_KEY is not set')
  })
})
