// Hostile strings in every string field, model names included, and deep nesting, on every front
// door (issue 11): 10,000 cases per front door, in-process (requests go straight to the gateway's
// fetch, upstream calls to an in-process fetch that answers in each dialect's wire format),
// so the suite pays for the proxy's work, not for sockets. Every answer is a 200 or a 4xx in the
// client's dialect with a message; nothing is a 5xx, nothing throws, every header is valid.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Gateway } from '../../src/gateway'
import { frameText, type Received, type Reply } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { WIRE_WITH_GEMINI } from '../helpers/wire'
import { deep, pick, rng, validBody, type Front, type Json, type Rand } from './gen-bodies'

const CASES_PER_FRONT = Number(process.env.FUZZ_STRING_CASES ?? 10_000)
const SEED = Number(process.env.FUZZ_SEED ?? 20261203)
const PATHS: Record<Front, string> = { chat: '/v1/chat/completions', responses: '/v1/responses', messages: '/v1/messages', count_tokens: '/v1/messages/count_tokens' }
/** echo answers locally but tokenizes everything (~1 ms a case): the upstreams carry most cases */
const MODELS = ['to-chat', 'to-anth', 'to-resp', 'to-gem', 'to-chat', 'to-anth', 'to-resp', 'to-gem', 'echo']
const int = (r: Rand, n: number) => Math.floor(r() * n)

let gateway: Gateway
let upstreamCalls = 0

/** the mock upstream, in process: a Reply from the wire helpers as a fetch Response */
async function inProcessFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  upstreamCalls++
  const url = new URL(String(input))
  let body: any
  try {
    body = JSON.parse(String(init?.body ?? ''))
  } catch {
    body = undefined
  }
  const r: Received = { method: init?.method ?? 'GET', url: url.href, path: url.pathname, query: url.searchParams, headers: new Headers(init?.headers), body, raw: String(init?.body ?? ''), aborted: false }
  if (r.path.endsWith('/count_tokens')) return Response.json({ input_tokens: 7 })
  const wire = r.path.includes('/v1beta/') ? WIRE_WITH_GEMINI.gemini : r.path.endsWith('/messages') ? WIRE_WITH_GEMINI.anthropic : r.path.endsWith('/responses') ? WIRE_WITH_GEMINI['openai-responses'] : WIRE_WITH_GEMINI['openai-chat']
  const reply: Reply = wire(r, { text: 'fine, thanks', usage: { input: 5, output: 3 } })
  if (reply.kind === 'json') return Response.json(reply.body)
  if (reply.kind === 'sse') return new Response(reply.frames.map(frameText).join(''), { headers: { 'content-type': 'text/event-stream' } })
  throw new Error(`unexpected reply ${reply.kind}`)
}

beforeAll(async () => {
  ;({ gateway } = await startGateway({
    server: { max_body_size: '4MiB' },
    logging: { level: 'error' },
    providers: {
      demo: { dialect: 'echo' },
      oc: { dialect: 'openai-chat', base_url: 'http://up.invalid/v1', api_key: 'k', max_retries: 0 },
      an: { dialect: 'anthropic', base_url: 'http://up.invalid', api_key: 'k', max_retries: 0 },
      rs: { dialect: 'openai-responses', base_url: 'http://up.invalid/v1', api_key: 'k', max_retries: 0 },
      gm: { dialect: 'gemini', base_url: 'http://up.invalid', api_key: 'k', max_retries: 0 },
      az: { dialect: 'openai-chat', base_url: 'http://up.invalid/deployments/{model}', api_key: 'k', max_retries: 0 },
    },
    models: { echo: 'demo/echo', 'to-chat': 'oc/gpt-x', 'to-anth': 'an/claude-x', 'to-resp': 'rs/gpt-x', 'to-gem': 'gm/gemini-x', 'gem-*': 'gm/*', 'az-*': 'az/*', 'claude*': 'an/*', '*': 'oc/*' },
  }, { fetch: inProcessFetch }))
})
afterAll(() => gateway?.close())

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(['\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\u202e', '\u200b'])
const UNICODE = ['日本語', 'ünïcødé', '🎉', '👩‍👩‍👧‍👦', 'ﷺ', 'e\u0301\u0301\u0301', 'עברית', '\ud800', '\udfff', '\uffff', '𝕏']
const TRICKS = ['../', '..', '.', '/', '?key=x', '#', '%2e%2e%2f', '%', ':generateContent', '\r\nx-injected: 1', 'data: [DONE]\n\n', 'event: error\n', '{"a":', '<|endoftext|>', '${HOME}', '\\', '"', "'", 'null']

/** a hostile string: control characters, unicode, URL and header tricks, sometimes huge */
function hostile(r: Rand): string {
  const x = r()
  if (x < 0.004) return pick(r, ['lorem ipsum ', '日本語のテキスト ', '🎉 ']).repeat(5_000 + int(r, 30_000))
  if (x < 0.015) return 'x'.repeat(int(r, 3000))
  let s = ''
  for (let n = 1 + int(r, 12); n > 0; n--) {
    const k = r()
    s += k < 0.3 ? pick(r, CONTROL) : k < 0.6 ? pick(r, UNICODE) : k < 0.85 ? pick(r, TRICKS) : pick(r, ['gpt-4o', 'claude', 'gem-', 'az-', 'a', ' '])
  }
  // the echo provider's test commands are not hostile input
  return s.replace(/ERROR|CALL/g, 'E')
}

type Slot = { parent: any; key: string | number }
/** every slot holding a string, model included, at any depth */
function stringSlots(root: any): Slot[] {
  const out: Slot[] = []
  const stack = [root]
  while (stack.length) {
    const c = stack.pop()
    for (const key of Array.isArray(c) ? c.keys() : Object.keys(c)) {
      const v = c[key]
      if (typeof v === 'string') out.push({ parent: c, key })
      else if (v && typeof v === 'object') stack.push(v)
    }
  }
  return out
}

function makeBody(r: Rand, front: Front): { body: string; label: string } {
  const model = r() < 0.3 ? hostile(r) : pick(r, MODELS)
  // a copy: validBody shares its schema object between bodies
  const b: Record<string, Json> = structuredClone(validBody(front, model, r() < 0.5))
  const slots = stringSlots(b)
  let label = 'strings'
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const s = pick(r, slots)
    s.parent[s.key] = hostile(r)
  }
  if (r() < 0.08) {
    // deep nesting somewhere: under the bound it must work, over it is a 400
    const s = pick(r, slots)
    const depth = pick(r, [20, 60, 120, 200, 5000])
    s.parent[s.key] = deep(depth, r() < 0.5 ? 'array' : 'object', hostile(r))
    label = `deep ${depth}`
  }
  if (r() < 0.05) {
    // a hostile key in an object
    const o = b.metadata && typeof b.metadata === 'object' && !Array.isArray(b.metadata) ? b.metadata : b
    ;(o as Record<string, Json>)[hostile(r)] = hostile(r)
    label += ' key'
  }
  return { body: JSON.stringify(b), label }
}

async function runCase(front: Front, seed: number): Promise<string | undefined> {
  const r = rng(seed)
  const { body, label } = makeBody(r, front)
  let res: Response
  let text: string
  try {
    res = await gateway.fetch(new Request(`http://fuzz.local${PATHS[front]}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
    text = await res.text()
  } catch (err) {
    return `case ${seed} [${front} ${label}]: threw ${String(err).slice(0, 200)}`
  }
  if (res.status === 200) return undefined
  if (res.status >= 400 && res.status < 500) {
    let j: any
    try {
      j = JSON.parse(text)
    } catch {
      return `case ${seed} [${front} ${label}]: ${res.status} body is not JSON: ${text.slice(0, 120)}`
    }
    const anthropic = front === 'messages' || front === 'count_tokens'
    if (anthropic && j?.type !== 'error') return `case ${seed} [${front} ${label}]: not an Anthropic error: ${text.slice(0, 120)}`
    if (typeof j?.error?.message !== 'string' || !j.error.message) return `case ${seed} [${front} ${label}]: no message: ${text.slice(0, 120)}`
    return undefined
  }
  return `case ${seed} [${front} ${label}]: status ${res.status}: ${text.slice(0, 200)}`
}

test(`${CASES_PER_FRONT} hostile-string and deep-nesting cases per front door: never a 5xx, never a throw`, async () => {
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const failures: string[] = []
    for (const front of ['chat', 'responses', 'messages', 'count_tokens'] as Front[]) {
    let next = 0
    const worker = async () => {
      while (next < CASES_PER_FRONT) {
        const i = next++
        const bad = await runCase(front, SEED + i)
        if (bad) failures.push(bad)
      }
    }
    await Promise.all(Array.from({ length: Number(process.env.FUZZ_CONC ?? 8) }, worker))
  }
  const s = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `fuzz-strings: ${CASES_PER_FRONT * 4} cases in ${s.toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU), ${upstreamCalls} reached the in-process upstream`,
  )
  expect(failures.slice(0, 15)).toEqual([])
  expect(upstreamCalls).toBeGreaterThan(CASES_PER_FRONT / 5)
}, 120_000)
