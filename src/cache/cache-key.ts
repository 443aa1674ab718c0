// The response cache's pure half: which requests may be answered from it, the exact-match key,
// and a whole answer as the canonical events a stream would have carried (what is stored).
import type { CanonEvent } from '../canonical/event'
import type { CanonRequest } from '../canonical/request'
import type { CanonResponse } from '../canonical/response'
import type { ResponseCacheSettings } from '../config/types'

/** a sampled answer is not the answer: temperature > 0 only when the config says so; n > 1 never */
export function cacheable(req: CanonRequest, s: ResponseCacheSettings): boolean {
  if (req.n !== undefined && req.n > 1) return false
  return s.any_temperature || req.temperature === undefined || req.temperature <= 0
}

/**
 * sha256 over the owner, the requested model and the canonical request without `stream` and
 * `streamUsage` (a streamed and a whole answer are the same answer): model, system, messages, tools, parameters.
 */
export function cacheKey(owner: string, requested: string, req: CanonRequest): string {
  // how the answer is delivered (streamed, with a usage chunk) is not part of the question
  const { stream: _s, streamUsage: _u, ...rest } = req
  return new Bun.CryptoHasher('sha256').update(JSON.stringify([owner, requested, rest])).digest('hex')
}

/** A whole answer as the events of its stream (start, blocks, usage, finish, end). */
export function eventsOf(res: CanonResponse): CanonEvent[] {
  const out: CanonEvent[] = [{ type: 'start', id: res.id, model: res.model }]
  let index = 0
  for (const p of res.parts) {
    if (p.type === 'text' || p.type === 'refusal') {
      if (!p.text) continue
      out.push({ type: 'block_start', index, block: { kind: 'text' } }, { type: 'text_delta', index, text: p.text }, { type: 'block_stop', index })
    } else if (p.type === 'reasoning') {
      if (p.redacted) out.push({ type: 'block_start', index, block: { kind: 'redacted_reasoning', data: p.redacted } })
      else {
        out.push({ type: 'block_start', index, block: { kind: 'reasoning', origin: p.origin } })
        if (p.text) out.push({ type: 'reasoning_delta', index, text: p.text })
        if (p.signature) out.push({ type: 'reasoning_signature', index, signature: p.signature })
        if (p.encrypted) out.push({ type: 'reasoning_encrypted', index, encrypted: p.encrypted, ...(p.itemId && { itemId: p.itemId }) })
      }
      out.push({ type: 'block_stop', index })
    } else if (p.type === 'tool_call') {
      const block = { kind: 'tool_call' as const, id: p.id, name: p.name, ...(p.custom && { custom: true }), ...(p.signature && { signature: p.signature }) }
      out.push({ type: 'block_start', index, block })
      if (p.argumentsJson) out.push({ type: 'tool_args_delta', index, json: p.argumentsJson })
      out.push({ type: 'block_stop', index })
    } else continue
    index++
  }
  out.push({ type: 'usage', usage: res.usage }, { type: 'finish', finish: res.finish, ...(res.stopSequence && { stopSequence: res.stopSequence }) }, { type: 'end' })
  return out
}

/** the most a recorded answer may take (bytes, roughly): larger ones are not cached */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024

/** Collects a stream's events for the cache, up to a size; `complete` once it ended cleanly. */
export class EventRecorder {
  readonly events: CanonEvent[] = []
  private bytes = 0
  private over = false
  private finished = false
  private failed = false
  private ended = false

  constructor(private readonly maxBytes: number) {}

  push(ev: CanonEvent): void {
    if (this.over) return
    if (ev.type === 'error') this.failed = true
    else if (ev.type === 'finish') this.finished = true
    else if (ev.type === 'end') this.ended = true
    // the upstream's literal is not needed to replay: it would only double the size
    let copy = ev
    if ('quoted' in ev && ev.quoted !== undefined) {
      const { quoted: _, ...rest } = ev
      copy = rest as CanonEvent
    }
    this.bytes += approxSize(copy)
    if (this.bytes > this.maxBytes) {
      this.over = true
      this.events.length = 0
      return
    }
    this.events.push(copy)
  }

  /** a whole, clean answer within the size cap */
  get complete(): boolean {
    return !this.over && !this.failed && this.finished && this.ended
  }
}

const approxSize = (ev: CanonEvent): number => {
  switch (ev.type) {
    case 'text_delta':
    case 'reasoning_delta':
      return 48 + ev.text.length
    case 'tool_args_delta':
      return 48 + ev.json.length
    case 'reasoning_encrypted':
      return 64 + ev.encrypted.length
    case 'reasoning_signature':
      return 64 + ev.signature.length
    default:
      return 128
  }
}
