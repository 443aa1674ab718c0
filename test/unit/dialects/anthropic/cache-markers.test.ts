import { describe, expect, test } from 'bun:test'
import { addCacheMarkers, countBreakpoints, MAX_BREAKPOINTS } from '../../../../src/dialects/anthropic/cache-markers'

const CC = { type: 'ephemeral' }
type B = Record<string, unknown>

function body(): B {
  return Object.freeze({
    model: 'claude',
    max_tokens: 100,
    system: 'You are helpful.',
    tools: Object.freeze([{ name: 'a', input_schema: { type: 'object' } }, { name: 'b', input_schema: { type: 'object' } }]),
    messages: Object.freeze([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: [{ type: 'text', text: 'r1' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] },
      { role: 'assistant', content: 'r2' },
      { role: 'user', content: [{ type: 'text', text: 'three' }, { type: 'image', source: { type: 'url', url: 'u' } }] },
      { role: 'assistant', content: 'r3' },
      { role: 'user', content: 'four' },
    ]),
  })
}

const msgs = (b: B) => b.messages as B[]
const marked = (b: B) => countBreakpoints(b)

describe('addCacheMarkers', () => {
  test('tools_only marks the last tool only', () => {
    const b = body()
    const out = addCacheMarkers(b, 'tools_only')
    expect((out.tools as B[])[1]).toEqual({ name: 'b', input_schema: { type: 'object' }, cache_control: CC })
    expect((out.tools as B[])[0]).toBe((b.tools as B[])[0])
    expect(out.system).toBe(b.system)
    expect(out.messages).toBe(b.messages)
    expect(marked(out)).toBe(1)
  })

  test('system_and_tools: a string system becomes one marked block', () => {
    const out = addCacheMarkers(body(), 'system_and_tools')
    expect(out.system).toEqual([{ type: 'text', text: 'You are helpful.', cache_control: CC }])
    expect((out.tools as B[])[1].cache_control).toEqual(CC)
    expect(marked(out)).toBe(2)
  })

  test('system blocks: the last non-empty text block is marked', () => {
    const b = { ...body(), system: [{ type: 'text', text: 'S1' }, { type: 'text', text: '  ' }] }
    const out = addCacheMarkers(b, 'system_and_tools')
    expect(out.system).toEqual([{ type: 'text', text: 'S1', cache_control: CC }, { type: 'text', text: '  ' }])
  })

  test('last_user_message: string content becomes a marked block; also system and tools', () => {
    const b = body()
    const out = addCacheMarkers(b, 'last_user_message')
    expect(msgs(out)[6]).toEqual({ role: 'user', content: [{ type: 'text', text: 'four', cache_control: CC }] })
    for (let i = 0; i < 6; i++) expect(msgs(out)[i]).toBe(msgs(b)[i])
    expect(marked(out)).toBe(3)
  })

  test('last_2_user_messages marks the last block of each, images included', () => {
    const out = addCacheMarkers(body(), 'last_2_user_messages')
    const m4 = msgs(out)[4].content as B[]
    expect(m4[0].cache_control).toBeUndefined()
    expect(m4[1].cache_control).toEqual(CC)
    expect(marked(out)).toBe(4)
  })

  test('last_3_user_messages stays within 4 breakpoints: the tools marker gives way', () => {
    const b = body()
    const out = addCacheMarkers(b, 'last_3_user_messages')
    expect(marked(out)).toBe(MAX_BREAKPOINTS)
    expect((msgs(out)[2].content as B[])[0].cache_control).toEqual(CC) // tool_result block
    expect((out.system as B[])[0].cache_control).toEqual(CC)
    expect((out.tools as B[])[1].cache_control).toBeUndefined()
    expect(msgs(out)[0]).toBe(msgs(b)[0])
  })

  test('3 user messages and no system: tools fill the 4th slot', () => {
    const { system: _, ...b } = body()
    const out = addCacheMarkers(b, 'last_3_user_messages')
    expect(marked(out)).toBe(4)
    expect((out.tools as B[])[1].cache_control).toEqual(CC)
    expect('system' in out).toBe(false)
  })

  test('any client marker: nothing added (messages, tools, system, nested tool_result, top level)', () => {
    const variants: B[] = [
      { ...body(), messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: CC }] }] },
      { ...body(), tools: [{ name: 'a', input_schema: {}, cache_control: CC }] },
      { ...body(), system: [{ type: 'text', text: 'S', cache_control: CC }] },
      { ...body(), messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'r', cache_control: CC }] }] }] },
      { ...body(), cache_control: CC },
    ]
    for (const v of variants) {
      expect(countBreakpoints(v)).toBe(1)
      for (const p of ['tools_only', 'system_and_tools', 'last_user_message', 'last_3_user_messages'] as const) expect(addCacheMarkers(v, p)).toBe(v)
    }
  })

  test('never marks an empty text block: the previous block, or an earlier user message', () => {
    const b: B = {
      model: 'm',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'a' },
        { role: 'user', content: [{ type: 'text', text: 'real' }, { type: 'text', text: '' }] },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: '   ' },
      ],
    }
    const out = addCacheMarkers(b, 'last_2_user_messages')
    expect(msgs(out)[4]).toBe(msgs(b)[4])
    expect(msgs(out)[2].content).toEqual([{ type: 'text', text: 'real', cache_control: CC }, { type: 'text', text: '' }])
    expect(msgs(out)[0].content).toEqual([{ type: 'text', text: 'first', cache_control: CC }])
  })

  test('an empty string system gets no marker', () => {
    const b: B = { model: 'm', system: '', messages: [] }
    expect(addCacheMarkers(b, 'system_and_tools')).toBe(b)
  })

  test('nothing to mark returns the same body', () => {
    const b: B = { model: 'm', messages: [{ role: 'assistant', content: 'x' }] }
    expect(addCacheMarkers(b, 'last_user_message')).toBe(b)
    expect(addCacheMarkers(b, 'tools_only')).toBe(b)
  })

  test('the input is never mutated', () => {
    const b = body()
    const before = JSON.stringify(b)
    addCacheMarkers(b, 'last_3_user_messages')
    expect(JSON.stringify(b)).toBe(before)
  })
})
