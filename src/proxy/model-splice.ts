// A same-dialect pass-through whose body changes only in its model sends the client's own JSON
// text with the model value replaced, instead of JSON.stringify of the parsed body: for a 200 KB
// coding-agent request that serialisation was ~170 µs of event loop per request (parse 150 µs,
// depth scan 48 µs, which stay). For the compact JSON SDKs send the bytes are the ones
// JSON.stringify would give (test/unit/proxy/model-splice.test.ts); for other spellings the same
// JSON value. A body whose keys are escaped or repeated is always re-serialised: the upstream
// must read the one value the proxy routed, limited and billed on.
import type { TopLevel } from './json-depth'

/** the client's request text and what the depth scan noted about its top level */
export interface RawBody {
  text: string
  top: TopLevel
}

/** `raw` with its model set to `model`, or undefined when only re-serialising is safe */
export function spliceModel(raw: RawBody, model: string): string | undefined {
  const span = raw.top.model
  if (!raw.top.plain || span === undefined) return undefined
  const value = JSON.stringify(model)
  const [start, end] = span
  // the client named the upstream model itself: its text goes as it came
  if (end - start === value.length && raw.text.startsWith(value, start)) return raw.text
  return raw.text.slice(0, start) + value + raw.text.slice(end)
}
