// Reasoning state a client cannot keep, keyed by the one id every client sends back: the tool
// call's. Gemini's thoughtSignature on a function call, and the encrypted reasoning items (OpenAI
// reasoning models through Responses) that came before a call, are remembered per call id as the
// answer passes; when a later request replays that call without them (a Chat or Anthropic client
// has no field for either), they are put back before the request is encoded. Pure: the cache is
// the caller's.
import type { CanonEvent } from '../canonical/event'
import type { CanonPart, CanonRequest } from '../canonical/request'

/** What one call carries: its signature, and the encrypted reasoning items before it. */
export interface Carried {
  /** the call's signature (Gemini thoughtSignature) */
  s?: string
  /** reasoning items: encrypted state, item id, origin */
  r?: Array<{ e: string; i?: string; o: string }>
}

export interface CarriedEntry {
  callId: string
  value: Carried
}

/** ids longer than this are not remembered (they reach cache keys) */
export const MAX_CALL_ID = 256

type Reasoning = { e: string; i?: string; o: string }

/** Reads a canonical stream as it passes; returns what to remember at each tool call. */
export class CarryRecorder {
  /** open reasoning blocks by index: origin, and encrypted state once seen */
  private readonly blocks = new Map<number, { o: string; e?: string; i?: string }>()
  /** encrypted reasoning of this step so far (cleared by nothing: a step's calls share it) */
  private readonly reasoning: Reasoning[] = []

  /** an entry when `ev` is a tool call with something to carry */
  push(ev: CanonEvent): CarriedEntry | undefined {
    if (ev.type === 'block_start') {
      const b = ev.block
      if (b.kind === 'reasoning') this.blocks.set(ev.index, { o: b.origin })
      else if (b.kind === 'tool_call') return entry(b.id, b.signature, this.reasoning)
    } else if (ev.type === 'reasoning_encrypted') {
      const blk = this.blocks.get(ev.index)
      if (blk) this.reasoning.push(ev.itemId ? { e: ev.encrypted, i: ev.itemId, o: blk.o } : { e: ev.encrypted, o: blk.o })
    }
    return undefined
  }
}

function entry(callId: string, signature: string | undefined, reasoning: Reasoning[]): CarriedEntry | undefined {
  if (!callId || callId.length > MAX_CALL_ID || (!signature && !reasoning.length)) return undefined
  const value: Carried = {}
  if (signature) value.s = signature
  if (reasoning.length) value.r = reasoning.slice()
  return { callId, value }
}

/** The same, over a whole answer's parts. */
export function carriedFromParts(parts: CanonPart[]): CarriedEntry[] {
  const out: CarriedEntry[] = []
  const reasoning: Reasoning[] = []
  for (const p of parts) {
    if (p.type === 'reasoning' && p.encrypted) reasoning.push(p.itemId ? { e: p.encrypted, i: p.itemId, o: p.origin } : { e: p.encrypted, o: p.origin })
    else if (p.type === 'tool_call') {
      const e = entry(p.id, p.signature, reasoning)
      if (e) out.push(e)
    }
  }
  return out
}

/** ids of replayed calls missing a signature or the encrypted reasoning before them */
export function callsToRestore(req: CanonRequest): string[] {
  const ids: string[] = []
  for (const m of req.messages) {
    if (m.role !== 'assistant') continue
    for (const p of m.parts) if (p.type === 'tool_call' && p.id && p.id.length <= MAX_CALL_ID && !p.signature) ids.push(p.id)
  }
  return ids
}

/**
 * Puts remembered state back: a call's signature on it, and its reasoning items before the first
 * call of its turn that had them (once per turn: parallel calls share one step's reasoning). A turn
 * that already holds encrypted reasoning of that origin keeps its own.
 */
export function restoreCarried(req: CanonRequest, found: Map<string, Carried>): number {
  let restored = 0
  for (const m of req.messages) {
    if (m.role !== 'assistant') continue
    const seen = new Set<string>()
    for (const p of m.parts) if (p.type === 'reasoning' && p.encrypted) seen.add(p.origin)
    const parts: CanonPart[] = []
    for (const p of m.parts) {
      const c = p.type === 'tool_call' && !p.signature ? found.get(p.id) : undefined
      if (c && p.type === 'tool_call') {
        for (const r of c.r ?? []) {
          if (seen.has(r.o)) continue
          const part: CanonPart = { type: 'reasoning', text: '', encrypted: r.e, origin: r.o }
          if (r.i) part.itemId = r.i
          parts.push(part)
          restored++
        }
        for (const r of c.r ?? []) seen.add(r.o)
        if (c.s) {
          p.signature = c.s
          restored++
        }
      }
      parts.push(p)
    }
    m.parts = parts
  }
  return restored
}
