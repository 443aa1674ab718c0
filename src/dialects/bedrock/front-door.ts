// Bedrock is an upstream only: no client speaks to the proxy in Bedrock's wire format (its
// registry entry has no routes). These members of the dialect contract answer so if ever reached.
import { GatewayError } from '../../errors'

const notServed = (): never => {
  throw new GatewayError(501, 'Bedrock is an upstream dialect only; clients cannot call the proxy in the Bedrock wire format', { code: 'dialect_unsupported', retryable: false })
}

export const decodeRequest = notServed
export const encodeResponse = notServed
export const encodeStream = notServed
