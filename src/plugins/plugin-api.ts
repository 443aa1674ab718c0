// The hooks a plugin may give, as documented in docs/plugins.md. A plugin module's default export
// is a Plugin, or a function that takes the config's `options` and returns one (maybe async).

/** Who a plugin says is calling; `group` must be one of auth.groups (or "default"). */
export interface PluginPrincipal {
  name: string
  group?: string
}

/** The incoming HTTP request, read-only. */
export interface PluginHttpRequest {
  method: string
  url: string
  headers: Headers
  /** the client's IP address, when the server knows it */
  remoteAddr?: string
}

/** A generation request about to be routed. `body` is the client's JSON and may be changed. */
export interface PluginGenerateRequest {
  requestId: string
  /** the client's dialect: openai-chat, openai-responses, anthropic, … */
  front: string
  model: string
  body: Record<string, unknown>
  headers: Headers
  remoteAddr?: string
  principal: PluginPrincipal
}

/** What a finished request looked like (the same facts as its log line and ledger row). */
export interface PluginRecord {
  requestId: string
  method: string
  path: string
  front: string
  status: number
  stream: boolean
  modelRequested?: string
  provider?: string
  modelUpstream?: string
  key?: string
  group?: string
  attempts: number
  inputTokens?: number
  outputTokens?: number
  costUsd: number
  durationMs: number
  ttftMs?: number
  error?: string
  remoteAddr?: string
  /** bytes of the client's request body */
  requestBytes?: number
}

export interface Plugin {
  /** shown in errors and logs; default: the module's file name */
  name?: string
  /** a principal to let in, or undefined to leave the decision to the config's keys */
  authenticate?(request: PluginHttpRequest): PluginPrincipal | undefined | Promise<PluginPrincipal | undefined>
  /** may change `body`; throw a PluginRejection to refuse the request with its status */
  beforeRequest?(request: PluginGenerateRequest): void | Promise<void>
  /** after the response ended (streams included); cannot change it */
  afterResponse?(record: PluginRecord): void | Promise<void>
  /** extra fields for the request's log line */
  log?(record: PluginRecord): Record<string, unknown> | undefined
}

/** Thrown by a hook to refuse a request with a status and a message the client sees. */
export class PluginRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}
