// The decoders' fast paths read the common delta frames without JSON.parse. They must never differ
// from what JSON.parse reads: every frame they accept is checked against JSON.parse here, on the
// recorded fixtures, hand-made variants and thousands of mutated frames; and whole fixture streams
// decode to the same events whether their frames take the fast path or not.
import { describe, expect, test } from 'bun:test'
import { DeltaFrameReader } from '../../../src/dialects/anthropic/read-delta-frame'
import { decodeStream as anthropicDecoder } from '../../../src/dialects/anthropic/decode-stream'
import { stringEnd, stringValue } from '../../../src/dialects/json-scan'
import { decodeStream as chatDecoder } from '../../../src/dialects/openai-chat/decode-stream'
import { DeltaChunkReader } from '../../../src/dialects/openai-chat/read-delta-chunk'
import { decodeStream as geminiDecoder } from '../../../src/dialects/gemini/decode-stream'
import { TextChunkReader } from '../../../src/dialects/gemini/read-text-chunk'
import { decodeStream as responsesDecoder } from '../../../src/dialects/openai-responses/decode-stream'
import { ARGS_DELTA, DeltaEventReader, REASONING_DELTA, TEXT_DELTA } from '../../../src/dialects/openai-responses/read-delta-event'
import type { CanonEvent } from '../../../src/canonical/event'
import { parseSseText, type SseFrame } from '../../../src/framing/sse'
import { fixtureFrames, fixtureNames, readFixture } from '../../helpers/fixtures'
import { anthropicStream, openaiStream } from '../../../bench/mock-wire'
import { runAll, unquoted } from '../../helpers/translators'


/** every frame's data in a dialect's fixture folder (.sse and .chunks.txt) */
function fixtureData(dir: string): string[] {
  const out: string[] = []
  for (const name of fixtureNames(dir)) if (name.endsWith('.sse') || name.endsWith('.chunks.txt')) out.push(...fixtureFrames(dir, name, { events: false }).map((f) => f.data))
  return out.filter((d) => d !== '[DONE]')
}

const wireData = (body: ReturnType<typeof openaiStream>): string[] => {
  if (body.kind !== 'sse') throw new Error('expected SSE')
  return parseSseText(new TextDecoder().decode(body.whole)).map((f) => f.data)
}

/** a seeded PRNG, so a failure reproduces */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
}

function mutate(s: string, rand: () => number): string {
  const alphabet = '{}[]":,\\ 0nul1a"'
  const at = Math.floor(rand() * s.length)
  const ch = alphabet[Math.floor(rand() * alphabet.length)]!
  const op = rand()
  if (op < 0.34) return s.slice(0, at) + s.slice(at + 1)
  if (op < 0.67) return s.slice(0, at) + ch + s.slice(at)
  return s.slice(0, at) + ch + s.slice(at + 1)
}

/** 5,000 mutated copies of `seeds` (1–3 edits each) through `check`: how many it accepted */
function mutationRun(seeds: string[], seed: number, check: (s: string) => boolean): number {
  const rand = rng(seed)
  let accepted = 0
  for (let i = 0; i < 5000; i++) {
    let s = seeds[i % seeds.length]!
    for (let k = 1 + (i % 3); k > 0; k--) s = mutate(s, rand)
    if (check(s)) accepted++
  }
  return accepted
}

const tryParse = (s: string): unknown => {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

describe('json-scan', () => {
  test('finds the closing quote past escaped ones', () => {
    const s = 'x"a\\"b\\\\"rest'
    expect(stringEnd(s, 2)).toBe(8)
    expect(stringValue(s, 2, 8)).toBe('a"b\\')
    expect(stringEnd('"\\\\\\"x"', 1)).toBe(6)
    expect(stringEnd('"abc', 1)).toBe(-1)
  })

  test('decodes escapes and keeps raw text as is', () => {
    const lit = JSON.stringify('é\n\t"\u2028 ✓ 😀 \\u0041')
    expect(stringValue(lit, 1, lit.length - 1)).toBe('é\n\t"\u2028 ✓ 😀 \\u0041')
    const uni = '"\\u00e9\\ud83d\\ude00"'
    expect(stringValue(uni, 1, uni.length - 1)).toBe('é😀')
    expect(stringValue('"\\x"', 1, 3)).toBeUndefined()
  })
})

describe('Chat: the plain delta chunk without JSON.parse', () => {
  const reader = new DeltaChunkReader()

  /** what the decoder's JSON path would take from this chunk, if it is one the fast path may take */
  function expected(data: string): { content: string; reasoning: string } | undefined {
    const o = tryParse(data)
    if (!isObj(o) || o.error || (o.usage !== null && o.usage !== undefined)) return undefined
    if (!Array.isArray(o.choices) || o.choices.length !== 1) return undefined
    const c = o.choices[0]
    if (!isObj(c) || (c.index !== 0 && c.index !== undefined) || (c.finish_reason !== null && c.finish_reason !== undefined)) return undefined
    const d = c.delta
    if (!isObj(d)) return undefined
    for (const k of Object.keys(d)) if (!['content', 'reasoning_content', 'role', 'refusal'].includes(k)) return undefined
    if (d.refusal !== null && d.refusal !== undefined) return undefined
    const r = d.reasoning_content ?? d.reasoning
    return { content: typeof d.content === 'string' ? d.content : '', reasoning: typeof r === 'string' ? r : '' }
  }

  /** accepted → JSON.parse agrees (for text JSON.parse can read at all) */
  function check(data: string): boolean {
    if (!reader.read(data)) return false
    // the literals it hands on are valid JSON for exactly the values, even in a broken frame
    if (reader.content) expect(JSON.parse(reader.contentQuoted)).toBe(reader.content)
    if (reader.reasoning) expect(JSON.parse(reader.reasoningQuoted)).toBe(reader.reasoning)
    const want = expected(data)
    if (tryParse(data) !== undefined) expect({ data, ...want }).toEqual({ data, content: reader.content, reasoning: reader.reasoning })
    return true
  }

  test('takes every text chunk of the recordings and the bench wire, and agrees with JSON.parse', () => {
    const data = [...fixtureData('openai-chat'), ...wireData(openaiStream('gpt-bench', 50, true))]
    let taken = 0
    for (const d of data) if (check(d)) taken++
    // the obfuscated OpenAI recording alone has dozens of plain text chunks
    expect(taken).toBeGreaterThan(60)
    const plain = readFixture('openai-chat', 'text-usage-obfuscation.chunks.txt').split('\n')
    expect(reader.read(plain[1]!)).toBe(true)
    expect(reader.content).toBe('**')
  })

  const head = '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":'
  const cases: Array<[string, string, { content: string; reasoning: string } | undefined]> = [
    ['escapes', `${head}{"content":"a\\"b\\\\c\\n\\u00e9"},"logprobs":null,"finish_reason":null}],"usage":null}`, { content: 'a"b\\c\né', reasoning: '' }],
    ['Ollama role on every chunk', `${head}{"role":"assistant","content":"x"},"finish_reason":null}]}`, { content: 'x', reasoning: '' }],
    ['DeepSeek reasoning', `${head}{"content":null,"reasoning_content":"think"},"logprobs":null,"finish_reason":null}]}`, { content: '', reasoning: 'think' }],
    ['DeepSeek text', `${head}{"content":"t","reasoning_content":null},"logprobs":null,"finish_reason":null}]}`, { content: 't', reasoning: '' }],
    ['multi-byte text', `${head}{"content":"日本語 😀"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"ab\\"c"}`, { content: '日本語 😀', reasoning: '' }],
    ['llama.cpp / LM Studio order', '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"ll"}}],"created":1727346173,"id":"chatcmpl-x","model":"q","system_fingerprint":"b4","object":"chat.completion.chunk"}', { content: 'll', reasoning: '' }],
    ['scalar members after the choices', `${head}{"content":"s"},"logprobs":null,"finish_reason":null}],"usage":null,"n":-1.5e3,"ok":true,"no":false,"x":null}`, { content: 's', reasoning: '' }],
    ['an object after the choices (Groq x_groq)', `${head}{"content":"g"},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_1"}}`, undefined],
    ['an error after the choices', `${head}{"content":"e"},"logprobs":null,"finish_reason":null}],"error":null}`, undefined],
    ['llama.cpp order, finished', '{"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1,"id":"c","model":"q","object":"chat.completion.chunk"}', undefined],
    ['tool call', `${head}{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"logprobs":null,"finish_reason":null}]}`, undefined],
    ['finish', `${head}{},"logprobs":null,"finish_reason":"stop"}]}`, undefined],
    ['text with the finish', `${head}{"content":"x"},"finish_reason":"stop"}]}`, undefined],
    ['text with the finish, logprobs after', `${head}{"content":"x"},"finish_reason":"length","logprobs":null}]}`, undefined],
    ['usage object', `${head}{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":1}}`, undefined],
    ['refusal text', `${head}{"refusal":"no"},"logprobs":null,"finish_reason":null}]}`, undefined],
    ['second choice', `${head}{"content":"x"},"logprobs":null,"finish_reason":null},{"index":1,"delta":{"content":"y"},"finish_reason":null}]}`, undefined],
    ['other choice index', '{"id":"c","choices":[{"index":1,"delta":{"content":"x"},"finish_reason":null}]}', undefined],
    ['error before', '{"error":"boom","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}', undefined],
    ['nested object before', '{"meta":{"usage":{"a":1}},"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}', undefined],
    ['logprobs', `${head}{"content":"x"},"logprobs":{"content":[]},"finish_reason":null}]}`, undefined],
    ['spaced JSON', '{"id": "c", "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": null}]}', undefined],
    ['trailing garbage', `${head}{"content":"x"},"logprobs":null,"finish_reason":null}]}x`, undefined],
    ['unterminated', `${head}{"content":"x`, undefined],
    // JSON.parse rejects a raw control character, so the fast path must too (its literal is reused)
    ['raw tab in the text', `${head}{"content":"a\tb"},"logprobs":null,"finish_reason":null}]}`, undefined],
  ]
  for (const [name, data, want] of cases)
    test(name, () => {
      expect(reader.read(data)).toBe(want !== undefined)
      if (want) expect({ content: reader.content, reasoning: reader.reasoning }).toEqual(want)
      if (want?.content) expect(JSON.parse(reader.contentQuoted)).toBe(want.content)
      if (want?.reasoning) expect(JSON.parse(reader.reasoningQuoted)).toBe(want.reasoning)
      if (want && tryParse(data) !== undefined) expect(expected(data)).toEqual(want)
    })

  test('5,000 mutated chunks: whatever it accepts, JSON.parse reads the same', () => {
    expect(mutationRun([...fixtureData('openai-chat').filter((d) => reader.read(d)), ...cases.filter((c) => c[2]).map((c) => c[1])], 7, check)).toBeGreaterThan(100)
  })
})

describe('Anthropic: the delta frame without JSON.parse', () => {
  const reader = new DeltaFrameReader()
  const FIELD = { text_delta: 'text', input_json_delta: 'partial_json', thinking_delta: 'thinking', signature_delta: 'signature' } as const

  function check(data: string): boolean {
    if (!reader.read(data)) return false
    expect(JSON.parse(reader.quoted)).toBe(reader.value)
    const o = tryParse(data)
    if (o !== undefined) {
      expect(isObj(o) && o.type === 'content_block_delta' && o.index === reader.index).toBe(true)
      const d = (o as Obj).delta as Obj
      expect({ data, type: d.type, value: d[FIELD[reader.type]] }).toEqual({ data, type: reader.type, value: reader.value })
    }
    return true
  }

  test('takes every delta frame of the recordings and agrees with JSON.parse', () => {
    const data = [...fixtureData('anthropic'), ...wireData(anthropicStream('claude-bench', 50))]
    let taken = 0
    let deltas = 0
    for (const d of data) {
      if (check(d)) taken++
      const o = tryParse(d)
      if (isObj(o) && o.type === 'content_block_delta' && isObj(o.delta) && (o.delta.type as string) in FIELD) deltas++
    }
    expect(taken).toBe(deltas)
    expect(taken).toBeGreaterThan(60)
  })

  test('reads escapes, multi-digit indexes and every delta type', () => {
    expect(reader.read('{"type":"content_block_delta","index":12,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\": 1"}}')).toBe(true)
    expect([reader.index, reader.type, reader.value]).toEqual([12, 'input_json_delta', '{"a": 1'])
    expect(reader.read('{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"Eq=="}}')).toBe(true)
    expect(reader.type).toBe('signature_delta')
  })

  test('leaves anything else to JSON.parse', () => {
    for (const d of [
      '{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","extra":1}}',
      '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}} ',
      '{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"x"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x',
    ])
      expect(reader.read(d)).toBe(false)
  })

  test('5,000 mutated frames: whatever it accepts, JSON.parse reads the same', () => {
    expect(mutationRun(fixtureData('anthropic').filter((d) => reader.read(d)), 11, check)).toBeGreaterThan(100)
  })
})

describe('Responses: the delta event without JSON.parse', () => {
  const reader = new DeltaEventReader()
  const KIND: Record<string, number> = {
    'response.output_text.delta': TEXT_DELTA,
    'response.refusal.delta': TEXT_DELTA,
    'response.reasoning_summary_text.delta': REASONING_DELTA,
    'response.reasoning_text.delta': REASONING_DELTA,
    'response.function_call_arguments.delta': ARGS_DELTA,
    'response.custom_tool_call_input.delta': ARGS_DELTA,
  }

  function check(data: string): boolean {
    if (!reader.read(data)) return false
    expect(JSON.parse(reader.quoted)).toBe(reader.delta)
    const o = tryParse(data)
    if (o !== undefined) {
      expect(isObj(o)).toBe(true)
      const e = o as Obj
      expect({ data, kind: KIND[e.type as string], index: e.output_index, delta: e.delta }).toEqual({ data, kind: reader.kind, index: reader.outputIndex, delta: reader.delta })
    }
    return true
  }

  test('takes the delta events of the recordings (both member orders) and agrees with JSON.parse', () => {
    let taken = 0
    let flatDeltas = 0
    for (const d of fixtureData('openai-responses')) {
      if (check(d)) taken++
      const o = tryParse(d)
      if (isObj(o) && (o.type as string) in KIND && typeof o.delta === 'string' && !d.slice(1).includes('{')) flatDeltas++
    }
    expect(taken).toBe(flatDeltas)
    expect(taken).toBeGreaterThan(40)
  })

  test('leaves anything else to JSON.parse', () => {
    for (const d of [
      '{"type":"response.output_text.delta","output_index":0,"delta":"{x}"}',
      '{"type":"response.output_text.done","output_index":0,"text":"x"}',
      '{"type":"response.output_text.delta","delta":"x"}',
      '{"type":"response.output_text.delta","output_index":-1,"delta":"x"}',
      '{"type": "response.output_text.delta", "output_index": 0, "delta": "x"}',
      '{"type":"response.output_text.delta","output_index":0,"delta":"x"',
      '{"type":"response.output_text.delta","output_index":0,"delta":"a\tb"}', // a raw tab: JSON.parse rejects it
    ])
      expect(reader.read(d)).toBe(false)
  })

  test('5,000 mutated events: whatever it accepts, JSON.parse reads the same', () => {
    expect(mutationRun(fixtureData('openai-responses').filter((d) => reader.read(d)), 13, check)).toBeGreaterThan(100)
  })
})

describe('Gemini: the text chunk without JSON.parse, its running usage kept as text', () => {
  const reader = new TextChunkReader()

  function check(data: string): boolean {
    if (!reader.read(data)) return false
    expect(JSON.parse(reader.quoted)).toBe(reader.text)
    const o = tryParse(data)
    if (o !== undefined) {
      expect(isObj(o)).toBe(true)
      const { candidates, ...rest } = o as Obj
      expect(Array.isArray(candidates) && candidates.length === 1).toBe(true)
      const cand = (candidates as Obj[])[0]!
      expect(cand.finishReason).toBeUndefined()
      expect(cand.index === undefined || cand.index === 0).toBe(true)
      const parts = (cand.content as Obj).parts as Obj[]
      expect({ data, parts }).toEqual({ data, parts: [{ text: reader.text }] })
      // the usage text it hands on is the members after the candidates, exactly
      if (rest.usageMetadata !== undefined) expect(JSON.parse(reader.usageText!)).toEqual(rest)
      else expect(reader.usageText).toBeUndefined()
    }
    return true
  }

  test('takes the plain text chunks of the recordings (Gemini and Vertex member orders) and agrees with JSON.parse', () => {
    let taken = 0
    for (const d of fixtureData('gemini')) if (check(d)) taken++
    expect(taken).toBeGreaterThan(3)
    expect(reader.read('{"candidates":[{"content":{"role":"model","parts":[{"text":"vertex"}]}}],"usageMetadata":{"trafficType":"ON_DEMAND"},"createTime":"2026-04-02T17:03:50Z"}')).toBe(true)
    expect([reader.text, JSON.parse(reader.usageText!).createTime]).toEqual(['vertex', '2026-04-02T17:03:50Z'])
  })

  test('leaves anything else to JSON.parse', () => {
    for (const d of [
      '{"candidates":[{"content":{"parts":[{"text":"x","thought":true}],"role":"model"},"index":0}]}',
      '{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":"STOP","index":0}]}',
      '{"candidates":[{"content":{"parts":[{"text":"x"},{"text":"y"}],"role":"model"},"index":0}]}',
      '{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"index":1}]}',
      '{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"index":0}],"error":{"code":500}}',
      '{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"index":0}],"usageMetadata":{',
      '{"candidates": [{"content": {"parts": [{"text": "x"}], "role": "model"}, "index": 0}]}',
    ])
      expect(reader.read(d)).toBe(false)
  })

  test('5,000 mutated chunks: whatever it accepts, JSON.parse reads the same', () => {
    const seeds = fixtureData('gemini').filter((d) => reader.read(d))
    expect(mutationRun(seeds, 17, check)).toBeGreaterThan(100)
  })
})

describe('whole streams decode the same with and without the fast paths', () => {
  /** the same JSON re-serialized with spaces: no fast path takes it */
  const spaced = (frames: SseFrame[]): SseFrame[] =>
    frames.map((f) => {
      const o = tryParse(f.data)
      return o === undefined ? f : { ...f, data: JSON.stringify(o, null, 1).replace(/\n/g, '') }
    })

  const framesOf = (dir: string, name: string): SseFrame[] => fixtureFrames(dir, name, { events: false })

  for (const [dir, decoder] of [
    ['openai-chat', chatDecoder],
    ['anthropic', anthropicDecoder],
    ['openai-responses', responsesDecoder],
    ['gemini', geminiDecoder],
  ] as const)
    for (const name of fixtureNames(dir).filter((n) => n.endsWith('.sse') || n.endsWith('.chunks.txt')))
      test(`${dir}/${name}`, () => {
        const frames = framesOf(dir, name)
        const fast = unquoted(runAll(decoder(), frames))
        const full = runAll(decoder(), spaced(frames))
        // Gemini's fast path reports the running usage when it is needed, not on every chunk
        if (dir === 'gemini') expect([withoutUsage(fast), finalUsage(fast)]).toEqual([withoutUsage(full), finalUsage(full)])
        else expect(fast).toEqual(full)
      })

  test('gemini: consecutive fast-path chunks, then a cut: the last running usage is still reported', () => {
    const chunk = (text: string, n: number) => ({
      data: `{"candidates":[{"content":{"parts":[{"text":${JSON.stringify(text)}}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":${n},"totalTokenCount":${9 + n}},"modelVersion":"g","responseId":"r"}`,
    })
    const events = unquoted(runAll(geminiDecoder(), [chunk('a', 1), chunk('b', 2), chunk('c', 3), chunk('d', 4)]))
    expect(events.filter((e) => e.type === 'text_delta').map((e) => (e as { text: string }).text)).toEqual(['a', 'b', 'c', 'd'])
    expect(finalUsage(events)).toEqual({ inputTokens: 9, outputTokens: 4 })
    // the usage comes before the error that reports the cut
    const types = events.map((e) => e.type)
    expect(types.lastIndexOf('usage')).toBeLessThan(types.indexOf('error'))
  })
})

const withoutUsage = (events: CanonEvent[]) => events.filter((e) => e.type !== 'usage')

/** the usage a consumer ends up with: later values win per field */
function finalUsage(events: CanonEvent[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const e of events) if (e.type === 'usage' || (e.type === 'start' && e.usage)) Object.assign(out, e.usage)
  return out
}
