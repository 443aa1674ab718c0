// Debug lines for upstream attempts (`logging.level: debug` / LLM_PROXY_DEBUG=1): one line per
// upstream call (provider, URL without secrets, status, timings) and one per retry decision.
// Built only when debug is on; the logger redacts registered keys from every line on top of this.

type DebugLog = { debug(msg: string, fields?: Record<string, unknown>): void; enabled?(level: 'debug'): boolean }

/** Query parameters whose value is a credential (Gemini's ?key=, SAS tokens, signed URLs). */
const SECRET_PARAM = /key|token|secret|sig|signature|auth|credential|password|session/i
/** Longest URL kept in a log line (bounded: upstream URLs are built from config and model names). */
const MAX_URL = 512

/** The URL with userinfo removed and credential-like query values replaced; never throws. */
export function safeUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return '(unparsable url)'
  }
  u.username = ''
  u.password = ''
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, 'REDACTED')
  const s = u.toString()
  return s.length > MAX_URL ? s.slice(0, MAX_URL) + '…' : s
}

const on = (log: DebugLog) => log.enabled?.('debug') ?? true

export interface UpstreamCallLine {
  provider: string
  url: string
  /** undefined when no answer came (unreachable, timeout, client gone) */
  status?: number
  /** from sending to the response headers (or to the failure) */
  headersMs: number
  error?: string
}

export function logUpstreamCall(log: DebugLog | undefined, c: UpstreamCallLine): void {
  if (!log || !on(log)) return
  log.debug('upstream call', {
    provider: c.provider,
    url: safeUrl(c.url),
    status: c.status,
    headers_ms: Math.round(c.headersMs),
    error: c.error,
  })
}

export interface AttemptDecisionLine {
  requestId: string
  attempt: number
  target: string
  status: number
  error: string
  /** what happens next: next key, retry in N ms, fail over, give up (why) */
  decision: string
  elapsedMs: number
}

export function logAttemptDecision(log: DebugLog | undefined, d: AttemptDecisionLine): void {
  if (!log || !on(log)) return
  log.debug('upstream attempt failed', {
    request_id: d.requestId,
    attempt: d.attempt,
    target: d.target,
    status: d.status,
    error: d.error.length > 300 ? d.error.slice(0, 300) + '…' : d.error,
    decision: d.decision,
    elapsed_ms: Math.round(d.elapsedMs),
  })
}
