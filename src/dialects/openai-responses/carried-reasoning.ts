// Another provider's reasoning state, carried through a Responses client in `encrypted_content`.
// A Responses client that keeps its own history (Codex with store:false, the AI SDK) replays
// reasoning items' encrypted_content untouched, so the proxy parks state there, under a prefix no
// OpenAI value has, and restores it when the item comes back. Only for clients that asked for
// `include: ["reasoning.encrypted_content"]`, as OpenAI does. Two kinds:
// - Claude's thinking (pitfall D4): with thinking on, Claude requires the previous tool turn's
//   thinking block back verbatim with its signature;
// - Gemini's thoughtSignature on a function call: Gemini 3 wants it back on that call (without
//   it, Google's placeholder goes up and the model loses its reasoning context). It rides in a
//   summary-less reasoning item just before the call and goes back onto the call that follows it.
// Only the proxy reads these values: restored parts are never sent to an OpenAI upstream
// (encode-input.ts keeps origin openai only), and pass-through bodies are stripped of them.
import type { CanonPart, CanonRequest } from '../../canonical/request'
import { ANTHROPIC_ORIGIN } from '../anthropic/origin'

const PREFIX = 'llmproxy.anthropic.v1:'
const GEMINI_CALL = 'llmproxy.gemini-call.v1:'
const INCLUDE = 'reasoning.encrypted_content'

type Reasoning = Extract<CanonPart, { type: 'reasoning' }>

/** the client asked for reasoning state it can replay */
export function wantsCarriedReasoning(req: CanonRequest | undefined): boolean {
  const include = req?.extras?.include
  return Array.isArray(include) && include.includes(INCLUDE)
}

/**
 * A Responses body going to an OpenAI upstream as it is (pass-through, e.g. Codex switched from a
 * Claude model to a GPT one): reasoning items holding a value we packed are dropped, since OpenAI
 * would refuse to decrypt them. The body is returned untouched when it has none.
 */
export function dropCarriedReasoning(body: Record<string, unknown>): Record<string, unknown> {
  const input = body.input
  if (!Array.isArray(input) || !input.some(isCarried)) return body
  return { ...body, input: input.filter((item) => !isCarried(item)) }
}

const isCarried = (item: unknown): boolean => {
  if (typeof item !== 'object' || item === null) return false
  const { type, encrypted_content: e } = item as { type?: unknown; encrypted_content?: unknown }
  return type === 'reasoning' && typeof e === 'string' && (e.startsWith(PREFIX) || e.startsWith(GEMINI_CALL))
}

/** Gemini's signature on a function call → the opaque value of the item carried before the call */
export const packGeminiCallSignature = (signature: string): string => GEMINI_CALL + Buffer.from(signature).toString('base64')

/** a value packGeminiCallSignature made → the signature; undefined for anything else */
export function unpackGeminiCallSignature(encrypted: string): string | undefined {
  if (!encrypted.startsWith(GEMINI_CALL)) return undefined
  const signature = Buffer.from(encrypted.slice(GEMINI_CALL.length), 'base64').toString('utf8')
  return signature || undefined
}

/** signed or redacted Anthropic thinking → the opaque value; undefined when there is nothing to replay */
export function packAnthropicReasoning(text: string, signature: string | undefined, redacted?: string): string | undefined {
  if (!signature && !redacted) return undefined
  const state = redacted ? { r: redacted } : { t: text, s: signature }
  return PREFIX + Buffer.from(JSON.stringify(state)).toString('base64')
}

/** an encrypted_content value the proxy packed → the Anthropic reasoning part; undefined for anything else */
export function unpackAnthropicReasoning(encrypted: string): Reasoning | undefined {
  if (!encrypted.startsWith(PREFIX)) return undefined
  try {
    const v = JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), 'base64').toString('utf8')) as { t?: unknown; s?: unknown; r?: unknown }
    if (typeof v.r === 'string' && v.r) return { type: 'reasoning', text: '', redacted: v.r, origin: ANTHROPIC_ORIGIN }
    if (typeof v.s === 'string' && v.s) return { type: 'reasoning', text: typeof v.t === 'string' ? v.t : '', signature: v.s, origin: ANTHROPIC_ORIGIN }
  } catch {
    // damaged by the client: treat as absent
  }
  return undefined
}
