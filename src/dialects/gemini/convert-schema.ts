// Front door: a Gemini `parameters` / `responseSchema` (OpenAPI 3.0 subset: upper-case `type`
// enum, `nullable`) → JSON Schema for other upstreams. `parametersJsonSchema` needs no conversion.
import { isObject, type Json } from './wire'

const NESTED_MAPS = ['properties', '$defs', 'definitions']
const NESTED_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems']

export function schemaFromGemini(s: Json): Json {
  const out: Json = {}
  for (const k in s) {
    const v = s[k]
    if (k === 'nullable' || k === 'propertyOrdering') continue
    if (k === 'type' && typeof v === 'string') out.type = v.toLowerCase()
    else if (k === 'items' && isObject(v)) out.items = schemaFromGemini(v)
    else if (NESTED_MAPS.includes(k) && isObject(v)) {
      const m: Json = {}
      for (const name in v) m[name] = isObject(v[name]) ? schemaFromGemini(v[name] as Json) : v[name]
      out[k] = m
    } else if (NESTED_LISTS.includes(k) && Array.isArray(v)) out[k] = v.map((x) => (isObject(x) ? schemaFromGemini(x) : x))
    else out[k] = v
  }
  // `nullable: true` is JSON Schema's type union with null
  if (s.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null']
  return out
}
