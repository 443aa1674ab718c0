// Model policies through the real server: per-target transforms (pass-through and translated),
// base_path, hidden entries and expose_aliases in /v1/models, Anthropic cache markers, and
// `llm-proxy check --resolve`.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'

const TOOL_OPENAI = { type: 'function', function: { name: 'lookup', description: 'find things', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }
const TOOL_ANTHROPIC = { name: 'lookup', description: 'find things', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }

let mock: Mock
let proxy: TestProxy
beforeAll(async () => {
  mock = startMock((r) => (r.path.endsWith('/messages') ? anthropic(r, { text: 'ok' }) : openaiChat(r, { text: 'ok' })))
  const shaping = {
    system: { replace: { Claude: 'Assistant' }, prepend: 'PRE', append: 'POST' },
    params: { temperature: 0.2 },
    override: { max_tokens: 100 },
  }
  proxy = await startProxy({
    providers: {
      o: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'k' },
      a: { dialect: 'anthropic', base_url: mock.url, api_key: 'k' },
      ac: { dialect: 'anthropic', base_url: mock.url, api_key: 'k', cache: 'system_and_tools' },
    },
    models: {
      'shaped-o': { targets: ['o/up-o'], ...shaping },
      'shaped-a': { targets: ['a/up-a'], ...shaping },
      team: { targets: ['o/up-team'], base_path: '/team-a' },
      secret: { targets: ['o/up-secret'], hidden: true },
      cached: 'ac/up-cached',
      plain: 'o/up-plain',
    },
  })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

const post = (path: string, body: Record<string, unknown>) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** the body the mock got for this upstream model (the last one) */
const upstreamBody = (model: string) => mock.received.filter((r) => r.body?.model === model).at(-1)?.body

const chatReq = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [
    { role: 'system', content: 'You are Claude.' },
    { role: 'user', content: 'hi' },
  ],
  ...extra,
})
const messagesReq = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  system: 'You are Claude.',
  messages: [{ role: 'user', content: 'hi' }],
  max_tokens: 500,
  ...extra,
})
const systemTexts = (sys: unknown): string[] => (typeof sys === 'string' ? [sys] : (sys as Array<{ text: string }>).map((b) => b.text))

describe('per-target transforms reach the upstream body', () => {
  test('pass-through (OpenAI client → OpenAI upstream)', async () => {
    expect((await post('/v1/chat/completions', chatReq('shaped-o', { max_tokens: 500 }))).status).toBe(200)
    const b = upstreamBody('up-o')
    expect(b.messages).toEqual([
      { role: 'system', content: 'PRE' },
      { role: 'system', content: 'You are Assistant.' },
      { role: 'system', content: 'POST' },
      { role: 'user', content: 'hi' },
    ])
    expect(b.temperature).toBe(0.2)
    expect(b.max_tokens).toBe(100)
    // params are defaults the client may override; the override is a cap, the smaller wins
    expect((await post('/v1/chat/completions', chatReq('shaped-o', { temperature: 0.9, max_tokens: 50 }))).status).toBe(200)
    expect(upstreamBody('up-o')).toMatchObject({ temperature: 0.9, max_tokens: 50 })
  })

  test('pass-through (Anthropic client → Anthropic upstream)', async () => {
    expect((await post('/v1/messages', messagesReq('shaped-a'))).status).toBe(200)
    const b = upstreamBody('up-a')
    expect(systemTexts(b.system)).toEqual(['PRE', 'You are Assistant.', 'POST'])
    expect(b.temperature).toBe(0.2)
    expect(b.max_tokens).toBe(100)
  })

  test('translated (Anthropic client → OpenAI upstream)', async () => {
    expect((await post('/v1/messages', messagesReq('shaped-o'))).status).toBe(200)
    const b = upstreamBody('up-o')
    const system = b.messages.filter((m: any) => m.role === 'system' || m.role === 'developer')
    const text = system.map((m: any) => (typeof m.content === 'string' ? m.content : m.content.map((p: any) => p.text).join('\n'))).join('\n')
    expect(text.indexOf('PRE')).toBeGreaterThanOrEqual(0)
    expect(text.indexOf('PRE')).toBeLessThan(text.indexOf('You are Assistant.'))
    expect(text.indexOf('You are Assistant.')).toBeLessThan(text.indexOf('POST'))
    expect(text).not.toContain('Claude')
    expect(b.temperature).toBe(0.2)
    expect(b.max_tokens ?? b.max_completion_tokens).toBe(100)
  })

  test('translated (OpenAI client → Anthropic upstream)', async () => {
    expect((await post('/v1/chat/completions', chatReq('shaped-a'))).status).toBe(200)
    const b = upstreamBody('up-a')
    expect(systemTexts(b.system)).toEqual(['PRE', 'You are Assistant.', 'POST'])
    expect(b.temperature).toBe(0.2)
    expect(b.max_tokens).toBe(100)
  })
})

describe('base_path, hidden, expose_aliases', () => {
  const ids = async (path: string) => ((await (await fetch(`${proxy.url}${path}`)).json()).data as Array<{ id: string }>).map((m) => m.id)

  test('an entry with base_path answers only under its prefix', async () => {
    const under = await post('/team-a/v1/chat/completions', chatReq('team'))
    expect(under.status).toBe(200)
    expect(under.headers.get('x-llm-proxy-model')).toBe('up-team')
    expect((await post('/team-a/v1/messages', messagesReq('team'))).status).toBe(200)
    const root = await post('/v1/chat/completions', chatReq('team'))
    expect(root.status).toBe(404)
    expect((await root.json()).error.message).toContain('team')
    expect(await ids('/team-a/v1/models')).toContain('team')
    expect(await ids('/v1/models')).not.toContain('team')
    // entries without base_path stay reachable under the prefix too
    expect((await post('/team-a/v1/chat/completions', chatReq('plain'))).status).toBe(200)
  })

  test('hidden: routable but not listed', async () => {
    const r = await post('/v1/chat/completions', chatReq('secret'))
    expect(r.status).toBe(200)
    expect(r.headers.get('x-llm-proxy-model')).toBe('up-secret')
    const listed = await ids('/v1/models')
    expect(listed).not.toContain('secret')
    expect(listed).toContain('shaped-o')
    expect(listed).toContain('plain')
  })

  test('policy.expose_aliases: false keeps aliases out of /v1/models (still routable)', async () => {
    const p = await startProxy({
      providers: { o: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'k' } },
      models: { fast: { targets: ['o/up-fast'] }, plain: 'o/up-plain' },
      policy: { expose_aliases: false },
    })
    try {
      const listed = ((await (await fetch(`${p.url}/v1/models`)).json()).data as Array<{ id: string }>).map((m) => m.id)
      expect(listed).toContain('plain')
      expect(listed).not.toContain('fast')
      const r = await fetch(`${p.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatReq('fast')) })
      expect(r.status).toBe(200)
    } finally {
      p.stop()
    }
  })
})

describe('Anthropic cache: system_and_tools', () => {
  const marked = (blocks: unknown): number => (Array.isArray(blocks) ? blocks.filter((b: any) => b.cache_control).length : 0)

  test('translated from an OpenAI client: the last system block and the last tool are marked', async () => {
    const r = await post('/v1/chat/completions', chatReq('cached', { tools: [TOOL_OPENAI, { ...TOOL_OPENAI, function: { ...TOOL_OPENAI.function, name: 'other' } }] }))
    expect(r.status).toBe(200)
    const b = upstreamBody('up-cached')
    expect(b.tools.at(-1).cache_control).toEqual({ type: 'ephemeral' })
    expect(b.tools[0].cache_control).toBeUndefined()
    expect(Array.isArray(b.system)).toBe(true)
    expect(b.system.at(-1).cache_control).toEqual({ type: 'ephemeral' })
  })

  test('pass-through from an Anthropic client: marked the same way', async () => {
    const r = await post('/v1/messages', messagesReq('cached', { tools: [TOOL_ANTHROPIC] }))
    expect(r.status).toBe(200)
    const b = upstreamBody('up-cached')
    expect(b.tools.at(-1).cache_control).toEqual({ type: 'ephemeral' })
    expect(systemTexts(b.system)).toEqual(['You are Claude.'])
    expect(b.system.at(-1).cache_control).toEqual({ type: 'ephemeral' })
  })

  test('a client that placed its own markers is left alone', async () => {
    const tool = { ...TOOL_ANTHROPIC, cache_control: { type: 'ephemeral' } }
    const r = await post('/v1/messages', messagesReq('cached', { tools: [tool, { ...TOOL_ANTHROPIC, name: 'other' }] }))
    expect(r.status).toBe(200)
    const b = upstreamBody('up-cached')
    expect(marked(b.tools)).toBe(1)
    expect(b.tools[0].cache_control).toEqual({ type: 'ephemeral' })
    expect(b.system).toBe('You are Claude.')
  })
})

test('llm-proxy check --resolve prints the plan: targets, then fallbacks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmp-routing-'))
  const file = join(dir, 'c.yaml')
  writeFileSync(
    file,
    [
      'providers:',
      '  p1: { dialect: openai-chat, base_url: "http://127.0.0.1:9/v1", api_key: k }',
      '  p2: { dialect: anthropic, base_url: "http://127.0.0.1:9", api_key: k }',
      'models:',
      '  smart:',
      '    strategy: fallback',
      '    targets: [p1/gpt-a, p2/claude-b]',
      '    fallbacks: [p1/gpt-c]',
      '  "gpt-*": p1/*',
      '',
    ].join('\n'),
  )
  const run = (name: string) => {
    const p = Bun.spawnSync(['bun', 'src/main.ts', 'check', '--config', file, '--resolve', name], {
      cwd: join(import.meta.dir, '..', '..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    })
    return { code: p.exitCode, out: p.stdout.toString() }
  }
  const smart = run('smart')
  expect(smart.code).toBe(0)
  const plan = smart.out.slice(smart.out.indexOf('resolve smart:'))
  expect(plan).toMatch(/1\. p1\/gpt-a\s+\(openai-chat\)\n\s+2\. p2\/claude-b\s+\(anthropic\)\n\s+3\. p1\/gpt-c\s+\(openai-chat\)/)
  const glob = run('gpt-4o')
  expect(glob.out).toMatch(/resolve gpt-4o:\n\s+1\. p1\/gpt-4o/)
  const missing = run('nope')
  expect(missing.code).toBe(0)
  expect(missing.out).toMatch(/resolve nope:\n\s+404: model nope not found/)
})
