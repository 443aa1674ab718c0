import type { CanonPart } from './request'
import type { CanonUsage } from './usage'

export type CanonFinish =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'stop_sequence'
  | 'content_filter'
  | 'refusal'
  | 'pause'
  | 'context_overflow'
  | 'error'

export interface CanonResponse {
  id: string
  model: string
  /** unix seconds */
  created: number
  /** assistant output in generation order: reasoning, text, tool_call … */
  parts: CanonPart[]
  finish: CanonFinish
  stopSequence?: string
  usage: CanonUsage
}
