// Upstream: canonical system and messages → Gemini `systemInstruction` and `contents`.
//
// Gemini's rules (gemini.md, pitfalls C4, C6, D2, D4):
// - roles are user/model and should alternate: consecutive same-role turns are merged, empty
//   ones dropped, and a conversation that opens with a model turn gets a user turn before it;
// - no empty text parts (Gemini rejects them);
// - all results of a turn go in ONE user content, as leading functionResponse parts in call
//   order; each needs the function NAME, recovered from the earlier call by id; images in results
//   follow as inlineData parts of the same content;
// - thoughtSignature rides on the part it came with. Canonical form (what our decoders produce):
//   a functionCall's signature is the tool_call's `signature`; a thought part is a gemini
//   reasoning part with text; a signature that came on a text part is a text-less gemini
//   reasoning part right AFTER that part. Foreign reasoning is dropped.
// - Gemini 3 rejects history whose first functionCall of a step has no signature; calls that
//   crossed another dialect (or a stream, where the canonical events cannot carry it) get Google's
//   documented placeholder instead.
// - a custom (free-form) tool call carries its raw input as args {input} (canonical/custom-tools.ts).
import type { CanonMessage, CanonPart } from '../../canonical/request'
import { mediaToGemini } from './convert-content'
import { isObject, type Json } from './wire'
import { argumentsObject } from '../wire-json'

/** Google's documented value that skips thought-signature validation (thought-signatures FAQ) */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator'
/** what a conversation opening with a model turn gets before it */
const OPENING_USER_TEXT = '(continue)'

interface Pending {
  role: 'user' | 'model'
  /** functionResponse parts, then media from tool results, then the rest */
  results: Json[]
  resultMedia: Json[]
  parts: Json[]
}

export function encodeSystem(parts: CanonPart[]): Json | undefined {
  const out: Json[] = []
  for (const p of parts) if (p.type === 'text' && p.text.length) out.push({ text: p.text })
  return out.length ? { parts: out } : undefined
}

export function encodeContents(messages: CanonMessage[]): Json[] {
  const pending: Pending[] = []
  /** call id → function name, and its position in its model turn (results go in call order) */
  const names = new Map<string, string>()
  const order = new Map<string, number>()
  for (const m of messages) {
    const role = m.role === 'user' ? 'user' : 'model'
    let cur = pending[pending.length - 1]
    const fresh = !cur || cur.role !== role
    if (fresh) cur = { role, results: [], resultMedia: [], parts: [] }
    if (role === 'user') userParts(m.parts, cur, names)
    else modelParts(m.parts, cur, names, order)
    if (fresh && (cur.results.length || cur.resultMedia.length || cur.parts.length)) pending.push(cur)
  }
  const out: Json[] = []
  if (pending.length && pending[0].role === 'model') out.push({ role: 'user', parts: [{ text: OPENING_USER_TEXT }] })
  for (const p of pending) {
    if (p.role === 'model') {
      signFirstCall(p.parts)
      out.push({ role: 'model', parts: p.parts })
      continue
    }
    if (p.results.length > 1) p.results.sort((a, b) => rank(a, order) - rank(b, order))
    const parts = p.results.length ? p.results.concat(p.resultMedia, p.parts) : p.resultMedia.length ? p.resultMedia.concat(p.parts) : p.parts
    out.push({ role: 'user', parts })
  }
  return out
}

function userParts(parts: CanonPart[], into: Pending, names: Map<string, string>): void {
  for (const p of parts) {
    switch (p.type) {
      case 'text':
        if (p.text.length) into.parts.push({ text: p.text })
        break
      case 'image':
      case 'file': {
        const g = mediaToGemini(p)
        if (g) into.parts.push(g)
        break
      }
      case 'tool_result':
        into.results.push(functionResponse(p, names, into.resultMedia))
        break
      default:
        // calls and reasoning belong to model turns
        break
    }
  }
}

function functionResponse(p: Extract<CanonPart, { type: 'tool_result' }>, names: Map<string, string>, media: Json[]): Json {
  let text = ''
  for (const c of p.content) {
    if (c.type === 'text') text += text ? `\n${c.text}` : c.text
    else {
      const g = mediaToGemini(c)
      if (g) media.push(g)
    }
  }
  const fr: Json = { name: p.name || names.get(p.callId) || p.callId }
  if (p.callId) fr.id = p.callId
  fr.response = p.isError ? { error: text } : { output: text }
  return { functionResponse: fr }
}

function modelParts(parts: CanonPart[], into: Pending, names: Map<string, string>, order: Map<string, number>): void {
  let calls = 0
  for (let i = 0; i < into.parts.length; i++) if (into.parts[i].functionCall) calls++
  modelPartsToGemini(parts, into.parts, false, (p) => {
    names.set(p.id, p.name)
    order.set(p.id, calls++)
  })
}

/**
 * Canonical assistant parts → Gemini model parts, appended to `out` (also the front door's
 * response). Reasoning of another origin is dropped, or with `foreignThoughts` kept as thought
 * text without its signature (a Gemini client may show it; it never comes back signed).
 */
export function modelPartsToGemini(parts: CanonPart[], out: Json[], foreignThoughts: boolean, onCall?: (p: Extract<CanonPart, { type: 'tool_call' }>) => void): void {
  /** a text-less signature that found no earlier part: it goes on the next one */
  let carry: string | undefined
  const push = (part: Json) => {
    if (carry !== undefined && part.thoughtSignature === undefined) part.thoughtSignature = carry
    carry = undefined
    out.push(part)
  }
  for (const p of parts) {
    switch (p.type) {
      case 'text':
      case 'refusal':
        if (p.text.length) push({ text: p.text })
        break
      case 'reasoning': {
        // signatures are only valid where they were made
        const own = p.origin === 'gemini'
        if (!own && !foreignThoughts) break
        if (p.text.length) {
          const part: Json = { text: p.text, thought: true }
          if (own && p.signature) part.thoughtSignature = p.signature
          push(part)
        } else if (own && p.signature) {
          const prev = out[out.length - 1]
          if (prev && prev.thoughtSignature === undefined && carry === undefined) prev.thoughtSignature = p.signature
          else carry = p.signature
        }
        break
      }
      case 'tool_call': {
        onCall?.(p)
        const call: Json = { name: p.name, args: p.custom ? { input: p.argumentsJson } : parseArgs(p.argumentsJson) }
        if (p.id) call.id = p.id
        const part: Json = { functionCall: call }
        if (p.signature) part.thoughtSignature = p.signature
        push(part)
        break
      }
      default:
        // images and files cannot be in a model turn; results belong to user turns
        break
    }
  }
  // a trailing signature whose part had a signature already: the last unsigned part takes it
  if (carry !== undefined) {
    for (let i = out.length - 1; i >= 0; i--)
      if (out[i].thoughtSignature === undefined) {
        out[i].thoughtSignature = carry
        break
      }
  }
}

/** the first functionCall of a model turn must be signed (Gemini 3); parallel ones need not */
function signFirstCall(parts: Json[]): void {
  for (const part of parts) {
    if (!part.functionCall) continue
    if (part.thoughtSignature === undefined) part.thoughtSignature = SKIP_SIGNATURE
    return
  }
}

const rank = (part: Json, order: Map<string, number>): number => {
  const id = (part.functionResponse as Json).id
  return (typeof id === 'string' ? order.get(id) : undefined) ?? Number.MAX_SAFE_INTEGER
}

/** tool arguments text → the `args` object */
export const parseArgs = argumentsObject
