// AWS errors → GatewayError. Non-streaming errors name their type in `x-amzn-errortype`
// (`ThrottlingException:http://internal.amazon.com/…` — the part before `:`), or in the body's
// `__type` / `code`; the message is `message` or `Message`. Stream exceptions name it in
// `:exception-type` (lower-camel). Statuses follow the failover rules: throttling and quota → 429
// (another key or target), bad or expired credentials → 401 and denied access → 403 (that key is
// benched), validation → 400 (never retried), a model not ready or a service down → 429/503.
import type { ErrorKind } from '../../canonical/event'
import { GatewayError, kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import { FRAMING_ERROR } from '../../framing/aws-eventstream'
import type { ErrorReply } from '../dialect'
import { retryAfterSeconds } from '../retry-headers'
import { asString, isObject } from '../anthropic/wire'

interface Mapped {
  status: number
  kind?: ErrorKind
  retryable?: boolean
}

/** by exception name with its first letter lower-cased (the stream spelling) */
const BY_TYPE: Record<string, Mapped> = {
  validationException: { status: 400 },
  conflictException: { status: 400 },
  serviceQuotaExceededException: { status: 429 },
  accessDeniedException: { status: 403 },
  unrecognizedClientException: { status: 401 },
  invalidSignatureException: { status: 401 },
  incompleteSignatureException: { status: 401 },
  signatureDoesNotMatch: { status: 401 },
  expiredTokenException: { status: 401 },
  missingAuthenticationTokenException: { status: 401 },
  resourceNotFoundException: { status: 404 },
  modelTimeoutException: { status: 408, kind: 'timeout' },
  modelErrorException: { status: 502, kind: 'api_error' },
  modelStreamErrorException: { status: 502, kind: 'api_error' },
  throttlingException: { status: 429 },
  modelNotReadyException: { status: 429, kind: 'overloaded' },
  internalServerException: { status: 500 },
  serviceUnavailableException: { status: 503, kind: 'overloaded' },
  [FRAMING_ERROR]: { status: 502, kind: 'api_error' },
}

const lowerFirst = (s: string): string => (s ? s[0].toLowerCase() + s.slice(1) : s)

/** `ThrottlingException:http://…`, `com.amazon.coral.service#ThrottlingException` → `throttlingException` */
export function normalizeType(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined
  let t = raw.split(':')[0]
  t = t.slice(t.lastIndexOf('#') + 1).trim()
  return t ? lowerFirst(t) : undefined
}

function messageOf(text: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isObject(parsed)) return undefined
  return asString(parsed.message) ?? asString(parsed.Message) ?? asString(parsed.originalMessage)
}

function typeOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as unknown
    if (isObject(parsed)) return normalizeType(asString(parsed.__type) ?? asString(parsed.code))
  } catch {
    // not JSON
  }
  return undefined
}

/** an upstream non-2xx answer → GatewayError */
export function decodeError(status: number, bodyText: string, headers: Headers): GatewayError {
  const type = normalizeType(headers.get('x-amzn-errortype')) ?? typeOf(bodyText)
  const mapped = type ? BY_TYPE[type] : undefined
  const finalStatus = mapped?.status ?? status
  const message = messageOf(bodyText) ?? (bodyText.trim().slice(0, 500) || `Bedrock returned HTTP ${status}`)
  const named = type ? `${type[0].toUpperCase()}${type.slice(1)}: ${message}` : message
  return new GatewayError(finalStatus, named, { kind: mapped?.kind ?? kindForStatus(finalStatus), retryAfter: retryAfterSeconds(headers), code: type })
}

/** a stream exception frame (`:exception-type`, payload `{"message"}`) → status, kind, message */
export function streamException(type: string, data: string): { status: number; kind: ErrorKind; message: string } {
  const t = normalizeType(type) ?? 'internalServerException'
  const mapped = BY_TYPE[t] ?? { status: 502 }
  const message = messageOf(data) ?? 'Bedrock stream error'
  return { status: mapped.status, kind: mapped.kind ?? kindForStatus(mapped.status), message: t === FRAMING_ERROR ? message : `${t[0].toUpperCase()}${t.slice(1)}: ${message}` }
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  429: 'ThrottlingException',
  503: 'ServiceUnavailableException',
}

const typeFor = (status: number): string => TYPE_BY_STATUS[status] ?? 'InternalServerException'

/** an error in Bedrock's own shape (a JSON `message` and `x-amzn-errortype`) */
export function encodeError(err: GatewayError): ErrorReply {
  return { status: err.status, body: { message: err.message }, headers: { 'x-amzn-errortype': typeFor(err.status) } }
}

/** the exception event an event-stream would carry (its `:exception-type` as the event name) */
export function streamErrorFrames(err: { status: number; message: string }): SseFrame[] {
  return [{ event: lowerFirst(typeFor(err.status)), data: JSON.stringify({ message: err.message }) }]
}
