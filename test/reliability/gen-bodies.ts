// Generated bad input for the fuzz suite: valid requests of every dialect, random mutations of
// them (wrong types, deletions, huge strings, deep nesting), and raw byte-level damage. Seeded,
// so a failing case can be replayed from the seed printed with it.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** mulberry32: small, fast, deterministic */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Rand = () => number
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
const int = (r: Rand, n: number) => Math.floor(r() * n)

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const SCHEMA: Json = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city'] }

export type Front = 'chat' | 'messages' | 'responses' | 'count_tokens'

/** a rich valid request of each front dialect (every common field, tools, tool results, images) */
export function validBody(front: Front, model: string, stream: boolean): { [k: string]: Json } {
  if (front === 'chat')
    return {
      model,
      stream,
      stream_options: stream ? { include_usage: true } : null,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'weather?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'rain' },
        { role: 'user', content: 'thanks' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', description: 'get weather', parameters: SCHEMA } }],
      tool_choice: 'auto',
      temperature: 0.5,
      top_p: 0.9,
      max_tokens: 64,
      stop: ['END'],
      response_format: { type: 'json_schema', json_schema: { name: 'r', schema: SCHEMA, strict: true } },
      reasoning_effort: 'low',
      metadata: { team: 'a' },
      user: 'u1',
    }
  if (front === 'responses')
    return {
      model,
      stream,
      instructions: 'be brief',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'weather?' }, { type: 'input_image', image_url: `data:image/png;base64,${PNG}` }] },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'think' }] },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'rain' },
        { role: 'user', content: 'thanks' },
      ],
      tools: [{ type: 'function', name: 'weather', description: 'get weather', parameters: SCHEMA, strict: false }],
      tool_choice: 'auto',
      reasoning: { effort: 'low', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'r', schema: SCHEMA } },
      max_output_tokens: 64,
      temperature: 0.5,
      store: false,
      metadata: { team: 'a' },
    }
  const body: { [k: string]: Json } = {
    model,
    max_tokens: 64,
    system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'weather?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'rain' }] }, { type: 'text', text: 'thanks' }] },
    ],
    tools: [{ name: 'weather', description: 'get weather', input_schema: SCHEMA }],
    tool_choice: { type: 'auto' },
    thinking: { type: 'enabled', budget_tokens: 1024 },
    temperature: 0.5,
    stop_sequences: ['END'],
    metadata: { user_id: 'u1' },
  }
  if (front === 'messages') body.stream = stream
  return body
}

/** `depth` nested arrays or objects around a leaf, built iteratively (no recursion to overflow) */
export function deep(depth: number, kind: 'array' | 'object', leaf: Json = 'x'): Json {
  let v: Json = leaf
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v }
  return v
}

/** the same as text, without building the value (10k levels is cheap this way) */
export function deepText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + '"x"' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '"x"' + '}'.repeat(depth)
}

const WEIRD_STRINGS = ['', ' ', '\u0000', '\ud800', '\uffff', '🚀'.repeat(50), '<script>', '{"a":', 'data: [DONE]\n\n', '\r\n\r\n', 'null', '-1', 'ERROR 4', 'CALL ']

/** any JSON value, biased to the ones a decoder mishandles */
export function randomValue(r: Rand, depth = 0): Json {
  switch (int(r, depth > 2 ? 8 : 11)) {
    case 0:
      return null
    case 1:
      return r() < 0.5
    case 2:
      return pick(r, [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, -0, 4294967296])
    case 3:
      return pick(r, WEIRD_STRINGS)
    case 4:
      // long runs without whitespace stay short here: the BPE tokenizer is quadratic in a run's
      // length (see the separate tokenizer test); big strings are text with spaces
      return r() < 0.5 ? 'x'.repeat(int(r, 1000)) : 'lorem ipsum '.repeat(int(r, 2000))
    case 5:
      return []
    case 6:
      return {}
    case 7:
      return String.fromCharCode(...Array.from({ length: 20 }, () => int(r, 0x10000)))
    case 8:
      return Array.from({ length: 1 + int(r, 4) }, () => randomValue(r, depth + 1))
    case 9: {
      const o: { [k: string]: Json } = {}
      for (let i = 0, n = 1 + int(r, 4); i < n; i++) o[pick(r, ['type', 'text', 'role', 'content', 'name', 'id', 'input', 'arguments', 'x'])] = randomValue(r, depth + 1)
      return o
    }
    default:
      return deep(50 + int(r, 200), r() < 0.5 ? 'array' : 'object')
  }
}

type Container = Json[] | { [k: string]: Json }
const isContainer = (v: Json): v is Container => v !== null && typeof v === 'object'

/** every (parent, key) slot in a value, so a mutation can hit any depth */
function slots(root: Container): Array<[Container, string | number]> {
  const out: Array<[Container, string | number]> = []
  const stack: Container[] = [root]
  while (stack.length) {
    const c = stack.pop()!
    if (Array.isArray(c))
      c.forEach((v, i) => {
        out.push([c, i])
        if (isContainer(v)) stack.push(v)
      })
    else
      for (const k of Object.keys(c)) {
        out.push([c, k])
        const v = c[k]
        if (isContainer(v)) stack.push(v)
      }
  }
  return out
}

/** 1–4 random edits of a valid body: replace any slot with any value, delete it, or empty it */
export function mutate(r: Rand, body: { [k: string]: Json }): { [k: string]: Json } {
  const out = structuredClone(body)
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const all = slots(out)
    if (!all.length) break
    const [parent, key] = pick(r, all)
    const op = r()
    if (op < 0.6) (parent as Record<string | number, Json>)[key] = randomValue(r)
    else if (op < 0.8) {
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key as string]
    } else if (op < 0.9) {
      const v = (parent as Record<string | number, Json>)[key]
      if (Array.isArray(v)) v.push(...structuredClone(v))
      else (parent as Record<string | number, Json>)[key] = [v, v]
    } else (parent as Record<string | number, Json>)[key] = 'huge text '.repeat(20_000)
  }
  return out
}

const enc = new TextEncoder()

/** the bytes of a JSON text with invalid UTF-8 sequences spliced into its string literals */
export function withInvalidUtf8(r: Rand, text: string): Uint8Array<ArrayBuffer> {
  const bytes = enc.encode(text)
  const bad = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]
  const quotes: number[] = []
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x22) quotes.push(i)
  const parts: number[] = Array.from(bytes)
  // insert after a few opening quotes (from the end, so earlier offsets stay valid)
  const at = quotes.filter(() => r() < 0.2).reverse()
  for (const q of at) parts.splice(q + 1, 0, ...pick(r, bad))
  if (!at.length) parts.splice(Math.max(0, bytes.length - 3), 0, 0xff, 0xfe)
  return Uint8Array.from(parts)
}

export interface RawCase {
  body: string | Uint8Array<ArrayBuffer>
  contentType?: string
  label: string
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', undefined]

/** byte-level damage and non-object bodies */
export function rawCase(r: Rand, valid: string): RawCase {
  const contentType = pick(r, CONTENT_TYPES)
  switch (int(r, 11)) {
    case 0:
      return { label: 'empty', body: '', contentType }
    case 1:
      return { label: 'truncated', body: valid.slice(0, int(r, valid.length)), contentType }
    case 2:
      return { label: 'invalid utf-8', body: withInvalidUtf8(r, valid), contentType }
    case 3:
      return { label: 'scalar', body: pick(r, ['null', '0', '-1', '1e999', 'true', '"s"', '[]', '[{}]', '{}', ' ', 'NaN', 'undefined']), contentType }
    case 4:
      return { label: 'deep array body', body: deepText(10_000, 'array'), contentType }
    case 5:
      return { label: 'deep object body', body: deepText(10_000, 'object'), contentType }
    case 6:
      return { label: 'random bytes', body: Uint8Array.from({ length: int(r, 2000) }, () => int(r, 256)), contentType }
    case 7:
      return { label: 'byte flip', body: flip(r, valid), contentType }
    case 8:
      return { label: 'trailing garbage', body: valid + pick(r, ['}', ']', ',', 'x', '\u0000', '{}']), contentType }
    case 9:
      return { label: 'duplicate keys', body: valid.replace('{', '{"model":1,"messages":{},"input":7,'), contentType }
    default:
      return { label: 'bom + whitespace', body: '\ufeff' + valid, contentType }
  }
}

function flip(r: Rand, text: string): string {
  const a = text.split('')
  for (let n = 1 + int(r, 5); n > 0; n--) a[int(r, a.length)] = pick(r, ['{', '}', '[', ']', '"', ',', ':', '\\', 'x', '0', ' '])
  return a.join('')
}

/** a valid body whose one field holds 10k levels of nesting, as text */
export function deepFieldText(front: Front, model: string, stream: boolean, where: string): string {
  const body = validBody(front, model, stream)
  const marker = '"__DEEP__"'
  const setAt = (path: string) => {
    const keys = path.split('.')
    let c: Json = body
    for (const k of keys.slice(0, -1)) c = (c as Record<string, Json>)[k]
    ;(c as Record<string, Json>)[keys[keys.length - 1]] = '__DEEP__'
  }
  setAt(where)
  return JSON.stringify(body).replace(marker, deepText(10_000, where.includes('schema') || where.includes('parameters') || where.includes('input') || where.includes('metadata') ? 'object' : 'array'))
}
