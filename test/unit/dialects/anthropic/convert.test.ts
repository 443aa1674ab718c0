import { describe, expect, test } from 'bun:test'
import { canonUsage, readUsage, usageFromAnthropic, usageToAnthropic, type RawUsage } from '../../../../src/dialects/anthropic/convert-usage'
import { finishFromAnthropic, finishToAnthropic } from '../../../../src/dialects/anthropic/map-finish-reason'
import { sanitizeToolId } from '../../../../src/dialects/anthropic/tool-id'

describe('usage conversion', () => {
  test('input_tokens excludes cache: canonical total = input + read + write, and back', () => {
    const c = usageFromAnthropic({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 9, output_tokens_details: { thinking_tokens: 4 } })
    expect(c).toEqual({ inputTokens: 125, cacheReadTokens: 100, cacheWriteTokens: 20, outputTokens: 9, reasoningTokens: 4 })
    expect(usageToAnthropic(c)).toEqual({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 9 })
    expect(usageFromAnthropic(undefined)).toEqual({ inputTokens: 0, outputTokens: 0 })
    expect(usageToAnthropic({ inputTokens: 10, cacheReadTokens: 50 }).input_tokens).toBe(0)
  })

  test('stream reports overwrite, never add up', () => {
    const raw: RawUsage = {}
    readUsage({ input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 }, raw)
    readUsage({ output_tokens: 30 }, raw)
    expect(canonUsage(raw)).toEqual({ inputTokens: 15, cacheReadTokens: 5, outputTokens: 30 })
    readUsage({ input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 31 }, raw)
    expect(canonUsage(raw)).toEqual({ inputTokens: 15, cacheReadTokens: 5, outputTokens: 31 })
    expect(canonUsage({})).toEqual({})
  })
})

describe('stop reasons', () => {
  test('both directions', () => {
    const pairs: Array<[string, string]> = [
      ['end_turn', 'stop'],
      ['max_tokens', 'length'],
      ['tool_use', 'tool_calls'],
      ['stop_sequence', 'stop_sequence'],
      ['refusal', 'refusal'],
      ['pause_turn', 'pause'],
      ['model_context_window_exceeded', 'context_overflow'],
    ]
    for (const [a, c] of pairs) {
      expect(finishFromAnthropic(a, false)).toBe(c as never)
      expect(finishToAnthropic(c as never, a === 'tool_use')).toBe(a as never)
    }
    expect(finishToAnthropic('content_filter', false)).toBe('refusal')
    expect(finishToAnthropic('error', false)).toBe('end_turn')
    expect(finishToAnthropic(undefined, true)).toBe('tool_use')
    expect(finishToAnthropic('stop', true)).toBe('tool_use')
    // a tool_calls finish without any call emitted would make Claude Code wait for nothing
    expect(finishToAnthropic('tool_calls', false)).toBe('end_turn')
    expect(finishToAnthropic('length', true)).toBe('max_tokens')
    expect(finishFromAnthropic('end_turn', true)).toBe('tool_calls')
    expect(finishFromAnthropic(null, false)).toBe('stop')
  })
})

describe('tool ids', () => {
  test('valid ids untouched; others sanitized deterministically; long ones hashed', () => {
    expect(sanitizeToolId('toolu_01-AbC')).toBe('toolu_01-AbC')
    expect(sanitizeToolId('call_x|fc_y.z:1')).toBe('call_x_fc_y_z_1')
    expect(sanitizeToolId('')).toBe('toolu_empty')
    const long1 = `call_${'a'.repeat(80)}`
    const long2 = `call_${'a'.repeat(79)}b`
    expect(sanitizeToolId(long1)).toMatch(/^[a-zA-Z0-9_-]{64}$/)
    expect(sanitizeToolId(long1)).toBe(sanitizeToolId(long1))
    expect(sanitizeToolId(long1)).not.toBe(sanitizeToolId(long2))
  })
})
