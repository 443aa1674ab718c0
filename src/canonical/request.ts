// The canonical request: every front dialect decodes into it, every upstream dialect encodes from it.
// Usage follows the OpenAI conventions for totals: input includes cached tokens, output includes reasoning.

export type CacheHint = { ttl?: '5m' | '1h' | '30m' }

export type ImageSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string }

/**
 * Whose reasoning state a part holds (signatures and encrypted state only mean something to their
 * producer): the `reasoningOrigin` a dialect declares on its registry entry (dialects/dialect.ts).
 * Both OpenAI dialects share one; a new dialect brings its own.
 */
export type ReasoningOrigin = string

export type CanonPart =
  | { type: 'text'; text: string; cache?: CacheHint }
  | { type: 'image'; source: ImageSource; detail?: 'auto' | 'low' | 'high'; cache?: CacheHint }
  | { type: 'file'; data?: string; mediaType?: string; url?: string; fileId?: string; filename?: string; cache?: CacheHint }
  | {
      type: 'tool_call'
      id: string
      name: string
      /** raw JSON text of the arguments ("" means {}) */
      argumentsJson: string
      /** Responses custom tools (Codex apply_patch): the call carries raw input, not JSON */
      custom?: boolean
      signature?: string
      cache?: CacheHint
    }
  | {
      type: 'tool_result'
      callId: string
      name?: string
      content: CanonPart[]
      isError?: boolean
      custom?: boolean
      cache?: CacheHint
    }
  | {
      type: 'reasoning'
      text: string
      signature?: string
      /** Anthropic redacted_thinking.data */
      redacted?: string
      /** OpenAI reasoning item encrypted_content */
      encrypted?: string
      itemId?: string
      origin: ReasoningOrigin
    }
  | { type: 'refusal'; text: string }

export interface CanonMessage {
  role: 'user' | 'assistant'
  parts: CanonPart[]
  name?: string
}

export interface CanonTool {
  name: string
  description?: string
  /** JSON Schema, type object */
  parameters: Record<string, unknown>
  strict?: boolean
  /** a Responses `custom` tool (free-form string input, optional grammar); other dialects get a one-string function */
  custom?: { format?: unknown }
  cache?: CacheHint
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string }

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string }

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max'

export interface CanonReasoning {
  effort?: ReasoningEffort
  budgetTokens?: number
  summary?: 'auto' | 'concise' | 'detailed'
  /** false when the client explicitly disabled thinking */
  enabled?: boolean
}

export interface CanonRequest {
  model: string
  /** all system/developer content, in order */
  system: CanonPart[]
  messages: CanonMessage[]
  tools?: CanonTool[]
  toolChoice?: ToolChoice
  parallelToolCalls?: boolean
  maxOutputTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  stop?: string[]
  seed?: number
  presencePenalty?: number
  frequencyPenalty?: number
  responseFormat?: ResponseFormat
  reasoning?: CanonReasoning
  /** end-user id (OpenAI user, Anthropic metadata.user_id) */
  user?: string
  metadata?: Record<string, string>
  stream: boolean
  /** false: a streaming Chat client that did not ask for the usage chunk (stream_options.include_usage) */
  streamUsage?: boolean
  n?: number
  /** built-in (server-side) tools the client asked for by type, e.g. web_search_20250305, web_search_preview */
  builtinTools?: string[]
  /** Responses: verbosity, prompt_cache_key, store… kept for same-family upstreams */
  extras?: Record<string, unknown>
}
