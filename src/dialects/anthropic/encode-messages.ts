// Upstream: canonical system and messages → Anthropic `system` and `messages`.
//
// Anthropic's rules (protocols/anthropic.md, pitfalls B7, C1, C4, D4): no empty or whitespace-only
// text blocks (a cache hint on a dropped block moves to the previous block); messages alternate
// (consecutive same-role turns are merged, empty ones dropped); tool results go into a user
// message, before anything else in it; tool ids match ^[a-zA-Z0-9_-]+$ (same mapping for a call
// and its result); thinking is replayed only when it came from Anthropic with its signature.
import { wrapCustomInput } from '../../canonical/custom-tools'
import type { CacheHint, CanonMessage, CanonPart } from '../../canonical/request'
import { blockFromPart, cacheTo } from './convert-content'
import { sanitizeToolId } from './tool-id'
import { isObject, type Json } from './wire'
import { argumentsObject } from '../wire-json'

const NON_BLANK = /\S/

export function encodeSystem(parts: CanonPart[]): Json[] | undefined {
  const out: Json[] = []
  for (const p of parts) if (p.type === 'text') pushText(out, p.text, p.cache)
  return out.length ? out : undefined
}

interface Pending {
  role: 'user' | 'assistant'
  /** tool_result blocks lead the user message they are in */
  results: Json[]
  blocks: Json[]
}

export function encodeMessages(messages: CanonMessage[]): Json[] {
  const pending: Pending[] = []
  for (const m of messages) {
    let cur = pending[pending.length - 1]
    const fresh = !cur || cur.role !== m.role
    if (fresh) cur = { role: m.role, results: [], blocks: [] }
    if (m.role === 'user') userParts(m.parts, cur)
    else assistantParts(m.parts, cur)
    // an empty message is dropped; the next one may then merge with the previous
    if (fresh && (cur.results.length || cur.blocks.length)) pending.push(cur)
  }
  const out: Json[] = new Array(pending.length)
  for (let i = 0; i < pending.length; i++) {
    const p = pending[i]
    out[i] = { role: p.role, content: p.results.length ? p.results.concat(p.blocks) : p.blocks }
  }
  return out
}

function userParts(parts: CanonPart[], into: Pending): void {
  for (const p of parts) {
    switch (p.type) {
      case 'text':
        pushText(into.blocks, p.text, p.cache)
        break
      case 'tool_result':
        into.results.push(toolResult(p))
        break
      case 'image':
      case 'file': {
        const b = blockFromPart(p)
        if (b) into.blocks.push(b)
        break
      }
      default:
        // tool calls and reasoning belong to assistant turns
        break
    }
  }
}

function assistantParts(parts: CanonPart[], into: Pending): void {
  const out = into.blocks
  for (const p of parts) {
    switch (p.type) {
      case 'text':
        pushText(out, p.text, p.cache)
        break
      case 'refusal':
        pushText(out, p.text)
        break
      case 'reasoning':
        // foreign signatures are invalid here, and unsigned thinking is rejected: drop both
        if (p.origin !== 'anthropic') break
        if (p.redacted) out.push({ type: 'redacted_thinking', data: p.redacted })
        else if (p.signature) out.push({ type: 'thinking', thinking: p.text, signature: p.signature })
        break
      case 'tool_call': {
        const block: Json = { type: 'tool_use', id: sanitizeToolId(p.id), name: p.name, input: p.custom ? JSON.parse(wrapCustomInput(p.argumentsJson)) : parseInput(p.argumentsJson) }
        if (p.cache) block.cache_control = cacheTo(p.cache)
        out.push(block)
        break
      }
      default:
        // images and files cannot be in an assistant turn; results belong to user turns
        break
    }
  }
}

function toolResult(p: Extract<CanonPart, { type: 'tool_result' }>): Json {
  const block: Json = { type: 'tool_result', tool_use_id: sanitizeToolId(p.callId) }
  const content: Json[] = []
  for (const c of p.content) {
    if (c.type === 'text') pushText(content, c.text, c.cache)
    else {
      const b = blockFromPart(c)
      if (b) content.push(b)
    }
  }
  // a lone text result goes as a string (the most widely accepted form)
  if (content.length === 1 && content[0].type === 'text' && !content[0].cache_control) block.content = content[0].text
  else if (content.length) block.content = content
  if (p.isError) block.is_error = true
  if (p.cache) block.cache_control = cacheTo(p.cache)
  return block
}

/** tool arguments text → the `input` object */
export const parseInput = argumentsObject

/** a text block, unless blank; a blank block's cache hint moves to the previous block */
function pushText(out: Json[], text: string, cache?: CacheHint): void {
  if (NON_BLANK.test(text)) {
    const b: Json = { type: 'text', text }
    if (cache) b.cache_control = cacheTo(cache)
    out.push(b)
  } else if (cache && out.length) out[out.length - 1].cache_control = cacheTo(cache)
}
