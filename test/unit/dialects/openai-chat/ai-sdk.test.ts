// The Vercel AI SDK (@ai-sdk/openai chat model + streamText) reading encodeStream output.
import { describe, expect, test } from 'bun:test'
import { createOpenAI } from '@ai-sdk/openai'
import { jsonSchema, streamText, tool } from 'ai'
import { decodeAll, encodeAll, fixtureFrames, sseText } from './helpers'

function model(body: string) {
  const provider = createOpenAI({
    apiKey: 'test',
    baseURL: 'http://proxy.test/v1',
    fetch: (async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } })) as unknown as typeof fetch,
  })
  return provider.chat('client-model')
}

const anyObject = jsonSchema<Record<string, unknown>>({ type: 'object', properties: {} })

describe('encodeStream: the Vercel AI SDK accepts the output', () => {
  test('recorded parallel tool calls: both calls, finish tool-calls, usage, no empty text part', async () => {
    const body = sseText(encodeAll(decodeAll(fixtureFrames('tool-calls-parallel.sse'))))
    const r = streamText({
      model: model(body),
      prompt: 'x',
      tools: { GetWeatherArgs: tool({ inputSchema: anyObject }), get_stock_price: tool({ inputSchema: anyObject }) },
    })
    const types: string[] = []
    for await (const p of r.fullStream) types.push(p.type)
    expect(types).not.toContain('text-start')
    expect(types).not.toContain('error')
    const calls = await r.toolCalls
    expect(calls.map((c) => [c.toolName, c.input])).toEqual([
      ['GetWeatherArgs', { city: 'Edinburgh', country: 'GB', units: 'c' }],
      ['get_stock_price', { ticker: 'AAPL', exchange: 'NASDAQ' }],
    ])
    expect(await r.finishReason).toBe('tool-calls')
    expect((await r.usage).inputTokens).toBe(149)
  })

  test('recorded text stream', async () => {
    const r = streamText({ model: model(sseText(encodeAll(decodeAll(fixtureFrames('text-plain.sse'))))), prompt: 'x' })
    expect(await r.text).toStartWith("I'm unable to provide real-time")
    expect(await r.finishReason).toBe('stop')
    expect((await r.usage).outputTokens).toBe(30)
  })
})
