// The few checks the pass-through path needs before forwarding (the translated path decodes fully).
import { GatewayError } from '../errors'
import { checkModelName } from '../canonical/model-name'

export function requireModelField(body: Record<string, unknown>): string | undefined {
  const m = body.model
  if (m === undefined || m === null) return undefined
  if (typeof m !== 'string') throw new GatewayError(400, `"model" must be a string, got ${Array.isArray(m) ? 'array' : typeof m}`, { param: 'model', code: 'invalid_request' })
  if (m.trim() === '') return undefined
  return checkModelName(m)
}

/** `field` must be present with one of the given JSON kinds */
export function requireField(body: Record<string, unknown>, field: string, kinds: Array<'array' | 'string' | 'object'>): void {
  const v = body[field]
  if (v === undefined || v === null) throw new GatewayError(400, `"${field}" is required`, { param: field, code: 'invalid_request' })
  const kind = Array.isArray(v) ? 'array' : typeof v
  if (!kinds.includes(kind as never))
    throw new GatewayError(400, `"${field}" must be ${kinds.map((k) => (k === 'array' ? 'an array' : `a ${k}`)).join(' or ')}, got ${kind}`, {
      param: field,
      code: 'invalid_request',
    })
}
