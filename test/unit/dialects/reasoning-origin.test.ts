// A dialect's registry entry declares the origin its reasoning parts carry (whose signatures and
// encrypted state they are); its decoders must tag reasoning with exactly that, or another
// dialect's encoder would replay foreign state to it (or drop its own).
import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../src/canonical/event'
import { DIALECTS, dialectEntry } from '../../../src/dialects'
import { fixtureFrames } from '../../helpers/fixtures'
import { runAll } from '../../helpers/translators'

const RECORDED: Array<[dialect: string, fixture: string]> = [
  ['anthropic', 'thinking-signature-text.chunks.txt'],
  ['gemini', 'text-thought-signature.chunks.txt'],
  ['openai-responses', 'reasoning-summary-function-calls-multistep.chunks.txt'],
]

const origins = (events: CanonEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'block_start' && e.block.kind === 'reasoning' ? [e.block.origin] : []))

describe('decoders tag reasoning with their entry\'s reasoningOrigin', () => {
  for (const [dialect, fixture] of RECORDED)
    test(`${dialect}: ${fixture}`, () => {
      const d = dialectEntry(dialect)!
      const seen = origins(runAll(d.decodeStream(), fixtureFrames(dialect, fixture)) as CanonEvent[])
      expect(seen.length).toBeGreaterThan(0)
      expect(new Set(seen)).toEqual(new Set([d.reasoningOrigin]))
    })

  test('openai-chat: reasoning_content in a stream and in a whole response', () => {
    const d = DIALECTS['openai-chat']
    const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { reasoning_content: 'hm' }, finish_reason: null }] }
    const seen = origins(runAll(d.decodeStream(), [{ data: JSON.stringify(chunk) }]) as CanonEvent[])
    expect(seen).toEqual([d.reasoningOrigin])
    const res = d.decodeResponse({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok', reasoning_content: 'hm' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    })
    expect(res.parts.flatMap((p) => (p.type === 'reasoning' ? [p.origin] : []))).toEqual([d.reasoningOrigin])
  })
})
