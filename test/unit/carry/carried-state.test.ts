import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../src/canonical/event'
import type { CanonRequest } from '../../../src/canonical/request'
import { callsToRestore, carriedFromParts, CarryRecorder, restoreCarried, type Carried } from '../../../src/carry/carried-state'

describe('carried state', () => {
  test('the recorder pairs each call with its signature and the encrypted reasoning before it', () => {
    const r = new CarryRecorder()
    const events: CanonEvent[] = [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'o1' } },
      { type: 'reasoning_encrypted', index: 0, encrypted: 'E1', itemId: 'rs_1' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'c1', name: 'f' } },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'c2', name: 'f', signature: 'S2' } },
      { type: 'block_start', index: 3, block: { kind: 'text' } },
    ]
    const out = events.map((e) => r.push(e)).filter(Boolean)
    expect(out).toEqual([
      { callId: 'c1', value: { r: [{ e: 'E1', i: 'rs_1', o: 'o1' }] } },
      { callId: 'c2', value: { s: 'S2', r: [{ e: 'E1', i: 'rs_1', o: 'o1' }] } },
    ])
  })

  test('nothing to carry, nothing remembered; whole answers read the same way', () => {
    expect(new CarryRecorder().push({ type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'c', name: 'f' } })).toBeUndefined()
    expect(carriedFromParts([{ type: 'tool_call', id: 'c', name: 'f', argumentsJson: '{}', signature: 'S' }])).toEqual([{ callId: 'c', value: { s: 'S' } }])
  })

  test('restore: signatures onto calls, reasoning once per turn before its first call, own state kept', () => {
    const req: CanonRequest = {
      model: 'm',
      system: [],
      stream: false,
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'text', text: 'calling' },
            { type: 'tool_call', id: 'c1', name: 'f', argumentsJson: '{}' },
            { type: 'tool_call', id: 'c2', name: 'f', argumentsJson: '{}' },
          ],
        },
        { role: 'assistant', parts: [{ type: 'reasoning', text: '', encrypted: 'OWN', origin: 'o1' }, { type: 'tool_call', id: 'c3', name: 'f', argumentsJson: '{}' }] },
      ],
    }
    expect(callsToRestore(req)).toEqual(['c1', 'c2', 'c3'])
    const shared = [{ e: 'E1', i: 'rs_1', o: 'o1' }]
    const found = new Map<string, Carried>([
      ['c1', { s: 'S1', r: shared }],
      ['c2', { r: shared }],
      ['c3', { r: [{ e: 'E3', o: 'o1' }] }],
    ])
    expect(restoreCarried(req, found)).toBe(2)
    expect(req.messages[1].parts.map((p) => p.type)).toEqual(['text', 'reasoning', 'tool_call', 'tool_call'])
    expect(req.messages[1].parts[1]).toEqual({ type: 'reasoning', text: '', encrypted: 'E1', itemId: 'rs_1', origin: 'o1' })
    expect(req.messages[1].parts[2]).toMatchObject({ id: 'c1', signature: 'S1' })
    expect(req.messages[2].parts.map((p) => p.type)).toEqual(['reasoning', 'tool_call'])
  })
})
