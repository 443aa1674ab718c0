// An upstream's non-2xx body → GatewayError, the part every dialect shares: parse the JSON, keep
// a bounded snippet of anything else (HTML pages and plain text from proxies in front of the
// upstream), honour the retry headers. Each dialect only reads its own error object (`read`).
import { GatewayError } from '../errors'
import { retryAfterSeconds, shouldRetryHeader } from './retry-headers'

const SNIPPET = 500

export const noMessage = (status: number): string => `upstream returned HTTP ${status}`

/**
 * `read` gets the parsed body (undefined when it is not JSON) and the snippet, and returns the
 * dialect's error, or undefined when the body is not its error shape (the snippet then becomes
 * the message).
 */
export function decodeErrorBody(
  status: number,
  bodyText: string,
  headers: Headers,
  read: (parsed: unknown, snippet: string) => GatewayError | undefined,
): GatewayError {
  let parsed: unknown
  try {
    parsed = JSON.parse(bodyText)
  } catch {
    // not JSON: the snippet is all there is
  }
  const snippet = bodyText.trim().slice(0, SNIPPET)
  return (
    read(parsed, snippet) ??
    new GatewayError(status, snippet || noMessage(status), { retryAfter: retryAfterSeconds(headers), retryable: shouldRetryHeader(headers) })
  )
}
