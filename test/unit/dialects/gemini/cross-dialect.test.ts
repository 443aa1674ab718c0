// Gemini upstream → other front doors: the recorded Gemini streams, decoded here and encoded by
// the sibling dialects, parsed by the official client libraries.
import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import type { CanonEvent } from '../../../../src/canonical/event'
import { anthropicDialect } from '../../../../src/dialects/anthropic'
import type { Dialect } from '../../../../src/dialects/dialect'
import { openaiChatDialect } from '../../../../src/dialects/openai-chat'
import type { SseFrame } from '../../../../src/framing/sse'
import { decodeAll, fixtureFrames, sseText, testCtx } from './helpers'

function render(dialect: Dialect, events: CanonEvent[]): string {
  const out: SseFrame[] = []
  const enc = dialect.encodeStream(testCtx())
  for (const e of events) enc.push(e, (f) => out.push(f))
  enc.end((f) => out.push(f))
  return sseText(out)
}

const respond = (body: string) => async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } })

function anthropicFinal(name: string) {
  const client = new Anthropic({ apiKey: 't', baseURL: 'http://proxy.test', maxRetries: 0, fetch: respond(render(anthropicDialect, decodeAll(fixtureFrames(name)))) })
  return client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
}

function chatFinal(name: string) {
  const client = new OpenAI({ apiKey: 't', baseURL: 'http://proxy.test/v1', maxRetries: 0, fetch: respond(render(openaiChatDialect, decodeAll(fixtureFrames(name)))) })
  return client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
}

describe('Gemini stream → Anthropic client (@anthropic-ai/sdk MessageStream)', () => {
  test('text with a signature: one text block, no empty or foreign thinking block, usage', async () => {
    const m = await anthropicFinal('text-thought-signature.chunks.txt')
    expect(m.content).toHaveLength(1)
    expect(m.content[0]).toMatchObject({ type: 'text', text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y' })
    expect(m.stop_reason).toBe('end_turn')
    expect(m.usage.input_tokens).toBe(9)
    expect(m.usage.output_tokens).toBe(208)
  })

  test('tool call: tool_use with parsed input, stop_reason tool_use', async () => {
    const m = await anthropicFinal('tool-call.chunks.txt')
    expect(m.content).toHaveLength(1)
    expect(m.content[0]).toMatchObject({ type: 'tool_use', id: 'call_b36LacjwM668nsEP2tbsgQQ_0', name: 'weather', input: { location: 'San Francisco' } })
    expect(m.stop_reason).toBe('tool_use')
  })

  test('Vertex thought + four calls: thinking block (unsigned) then four tool_use blocks', async () => {
    const m = await anthropicFinal('vertex-thought-parallel-calls.chunks.txt')
    expect(m.content.map((b) => b.type)).toEqual(['thinking', 'tool_use', 'tool_use', 'tool_use', 'tool_use'])
    expect(m.content[0]).toMatchObject({ signature: '' })
    expect(m.content.slice(1).map((b) => (b.type === 'tool_use' ? b.input : null))).toEqual([{}, { id: 'A' }, { id: 'B' }, { id: 'C' }])
    expect(m.stop_reason).toBe('tool_use')
    expect(m.usage.output_tokens).toBe(241)
  })

  test('Vertex streamed arguments: two complete calls', async () => {
    const m = await anthropicFinal('vertex-stream-args-parallel.chunks.txt')
    expect(m.content.map((b) => (b.type === 'tool_use' ? b.input : b.type))).toEqual([{ location: 'Boston' }, { location: 'San Francisco' }])
  })
})

describe('Gemini stream → OpenAI Chat client (openai ChatCompletionStream)', () => {
  test('text', async () => {
    const c = await chatFinal('reasoning-no-thoughts.chunks.txt')
    expect(c.choices[0].message.content).toBe('There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.')
    expect(c.choices[0].finish_reason).toBe('stop')
    expect(c.usage?.completion_tokens).toBe(285)
    expect(c.usage?.completion_tokens_details?.reasoning_tokens).toBe(256)
  })

  test('parallel streamed calls: two tool_calls with ids and JSON arguments', async () => {
    const c = await chatFinal('vertex-stream-args-parallel.chunks.txt')
    const calls = c.choices[0].message.tool_calls ?? []
    expect(calls.map((t) => (t.type === 'function' ? [t.id, t.function.name, JSON.parse(t.function.arguments)] : null))).toEqual([
      ['call_dqHOab6xGLzWodAPkPuViA4_0', 'getWeather', { location: 'Boston' }],
      ['call_dqHOab6xGLzWodAPkPuViA4_1', 'getWeather', { location: 'San Francisco' }],
    ])
    expect(c.choices[0].finish_reason).toBe('tool_calls')
  })
})
