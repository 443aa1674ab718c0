// Canonical stream events (docs/architecture.md, "The canonical form"). Guarantees renderers rely on:
// `start` first and `end` last, exactly once each; block indexes count from 0 without gaps in
// the order blocks open; every delta refers to an open block; `finish` once, after the last
// `block_stop`; `usage` may come several times (later values win per field), before or after
// `finish`; empty text blocks are never opened.
import type { ReasoningOrigin } from './request'
import type { CanonFinish } from './response'
import type { CanonUsage } from './usage'

export type BlockStart =
  | { kind: 'text' }
  | { kind: 'reasoning'; origin: ReasoningOrigin }
  | { kind: 'redacted_reasoning'; data: string }
  /** signature: Gemini's thoughtSignature on the call, to be replayed with it */
  | { kind: 'tool_call'; id: string; name: string; custom?: boolean; signature?: string }

export type CanonEvent =
  | { type: 'start'; id: string; model: string; usage?: Partial<CanonUsage> }
  | { type: 'block_start'; index: number; block: BlockStart }
  /** `quoted`, when a decoder has it: the text (json) as a valid JSON string literal (quotes included),
   *  straight from the upstream's frame, so an encoder can splice it in instead of re-escaping */
  | { type: 'text_delta'; index: number; text: string; quoted?: string }
  | { type: 'reasoning_delta'; index: number; text: string; quoted?: string }
  | { type: 'reasoning_signature'; index: number; signature: string }
  /** OpenAI reasoning item opaque state, kept for replay to OpenAI upstreams */
  | { type: 'reasoning_encrypted'; index: number; encrypted: string; itemId?: string }
  | { type: 'tool_args_delta'; index: number; json: string; quoted?: string }
  | { type: 'block_stop'; index: number }
  | { type: 'usage'; usage: Partial<CanonUsage> }
  | { type: 'finish'; finish: CanonFinish; stopSequence?: string }
  | { type: 'error'; status: number; kind: ErrorKind; message: string }
  | { type: 'end' }

type Quotable = Extract<CanonEvent, { quoted?: string }>

/** `ev` with its JSON literal attached, when the decoder has one */
export function withQuoted<E extends Quotable>(ev: E, quoted: string | undefined): E {
  if (quoted !== undefined) ev.quoted = quoted
  return ev
}

export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'overloaded'
  | 'timeout'
  | 'api_error'
