// Bedrock dialect tests: recordings → event-stream bytes → frames → canonical events.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CanonEvent } from '../../../../src/canonical/event'
import { bedrockDialect } from '../../../../src/dialects/bedrock'
import { EventStreamParser, type EventFrame } from '../../../../src/framing/aws-eventstream'
import { chunkMessage, eventMessage } from '../../../helpers/aws-eventstream'
import { runAll, unquoted } from '../../../helpers/translators'

export { assertWellFormed } from '../gemini/helpers'

const DIR = join(import.meta.dir, '../../../fixtures')

export const fixtureJson = (name: string): any => JSON.parse(readFileSync(join(DIR, 'bedrock', name), 'utf8'))

/** a ConverseStream recording (`{"<eventType>": payload}` per line, as the SDK decoded it) → wire messages */
export function converseRecording(name: string): Uint8Array[] {
  return readFileSync(join(DIR, 'bedrock', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const o = JSON.parse(l)
      const type = Object.keys(o)[0]
      return eventMessage(type, o[type])
    })
}

/** an Anthropic stream recording → InvokeModelWithResponseStream chunk messages */
export function invokeRecording(name: string): Uint8Array[] {
  return readFileSync(join(DIR, 'anthropic', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => chunkMessage(JSON.parse(l)))
}

export function framesOf(messages: Uint8Array[]): EventFrame[] {
  const out: EventFrame[] = []
  const p = new EventStreamParser((f) => out.push(f))
  for (const m of messages) p.feed(m)
  p.end()
  return out
}

export const decodeAll = (frames: EventFrame[], callEnd = true): CanonEvent[] => unquoted(runAll(bedrockDialect.decodeStream(), frames, callEnd))

export const of = <T extends CanonEvent['type']>(events: CanonEvent[], type: T) => events.filter((e): e is Extract<CanonEvent, { type: T }> => e.type === type)

/** each block's concatenated text (text, reasoning) or JSON (tool args) */
export function blockTexts(events: CanonEvent[]): string[] {
  const out: string[] = []
  for (const e of events) {
    if (e.type === 'text_delta' || e.type === 'reasoning_delta') out[e.index] = (out[e.index] ?? '') + e.text
    else if (e.type === 'tool_args_delta') out[e.index] = (out[e.index] ?? '') + e.json
  }
  return out
}
