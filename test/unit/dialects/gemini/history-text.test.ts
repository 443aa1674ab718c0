import { expect, test } from 'bun:test'
import { decodeRequest } from '../../../../src/dialects/gemini/decode-request'

const model = (...parts: unknown[]) => ({ role: 'model', parts })

test('a streamed turn kept as one content per chunk is one text block again; a signed part keeps its signature', () => {
  const req = decodeRequest({
    contents: [{ role: 'user', parts: [{ text: 'q' }] }, model({ text: 'Hel' }), model({ text: 'lo' }, { text: ' wor' }), model({ text: 'ld', thoughtSignature: 'SIG' }), { role: 'user', parts: [{ text: 'next' }] }],
  })
  expect(req.messages[1].parts).toEqual([
    { type: 'text', text: 'Hello wor' },
    { type: 'text', text: 'ld' },
    { type: 'reasoning', text: '', signature: 'SIG', origin: 'gemini' },
  ])
})

test('placeholder signatures from Gemini CLI are no signature', () => {
  const req = decodeRequest({
    contents: [
      { role: 'user', parts: [{ text: 'q' }] },
      model({ functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }),
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { output: 'ok' } } }] },
    ],
  })
  const call = req.messages[1].parts[0] as any
  expect(call.type).toBe('tool_call')
  expect(call.signature).toBeUndefined()
  expect((req.messages[2].parts[0] as any).callId).toBe(call.id)
})
