// Input tokens of a request whose upstream never said (a stream cut before its usage): the
// tokenizer when it is loaded and the body is small, else body bytes / 4 (a JSON body
// over-counts its text). Never loads the BPE tables on a request's path.
import type { CanonRequest } from '../canonical/request'
import { countRequestTokens, tokenizerLoaded } from './count-tokens'

/** beyond this, exact counting could block the event loop for milliseconds */
const EXACT_MAX_BYTES = 256 * 1024

export function requestInputTokens(bodySize: number, canonical: () => CanonRequest): number {
  const rough = Math.max(1, Math.ceil(bodySize / 4))
  if (!tokenizerLoaded() || bodySize > EXACT_MAX_BYTES) return rough
  try {
    return Math.max(1, countRequestTokens(canonical()))
  } catch {
    return rough
  }
}
