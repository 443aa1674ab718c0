// Model names come from clients and end up in upstream URLs, response headers, log lines and
// metric labels. Checked once, before routing: no control characters (they cannot be header
// values and split log lines) and a sane length. Where a name becomes part of a URL it must be
// exactly one path segment (modelPathSegment): `gemini-flash/../gemini-2.5-pro` once reached
// `models/gemini-2.5-pro` past a group allowed only `gemini-flash*`.
import { GatewayError } from '../errors'

/** longer than any real model or deployment name; it reaches logs and labels */
export const MAX_MODEL_NAME = 256

// C0 controls, DEL, C1 controls, and lone surrogates (not encodable as UTF-8)
const BAD_CHARS = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const invalid = (message: string) => new GatewayError(400, message, { param: 'model', code: 'invalid_model' })

/** a printable, bounded model name, shown in messages as JSON so nothing in it is interpreted */
export function checkModelName(name: string): string {
  if (name.length > MAX_MODEL_NAME) throw invalid(`model name is longer than ${MAX_MODEL_NAME} characters`)
  if (BAD_CHARS.test(name)) throw invalid(`model name ${JSON.stringify(name)} contains control characters`)
  return name
}

// what a URL or a server would read as structure: separators, query, fragment, escapes
const NOT_IN_SEGMENT = /[/\\?#%:\u0000-\u0020\u007f-\u009f]/

/** `name` as one encoded path segment of an upstream URL (`where`: e.g. "provider az"), or a 400 naming why it cannot be one */
export function modelPathSegment(name: string, where: string): string {
  const bad = name === '' || name === '.' || name === '..' || NOT_IN_SEGMENT.test(name)
  if (bad)
    throw invalid(
      `model name ${JSON.stringify(name)} cannot be sent to ${where}: it goes into the URL as one path segment, which may not be empty, "." or "..", or contain / \\ ? # % : spaces or control characters`,
    )
  return encodeURIComponent(name)
}

/** `name` as one path segment for an API whose ids hold `:` and `/` (Bedrock ids and ARNs): all of
 *  it percent-encoded, and refused only when no encoding keeps it one segment (empty, `.`, `..`)
 *  or it holds control characters */
export function encodedPathSegment(name: string, where: string): string {
  if (name === '' || name === '.' || name === '..' || /[\u0000-\u001f\u007f-\u009f]/.test(name))
    throw invalid(`model name ${JSON.stringify(name)} cannot be sent to ${where}: it goes into the URL as one path segment, which may not be empty, "." or "..", or contain control characters`)
  return encodeURIComponent(name)
}

/** a header value that is always valid: printable ASCII as is, anything else percent-encoded */
export const headerValue = (v: string): string => (/^[\x20-\x7e]*$/.test(v) ? v : encodeURIComponent(v))
