// This dialect's wire JSON readers: the shared ones (../wire-json.ts), plus `field`: Gemini
// accepts proto (snake_case) names on input as well as camelCase.
import type { Json } from '../wire-json'

export * from '../wire-json'

/** o[camel] ?? o[snake] (what a Gemini client may send; responses are always camelCase) */
export const field = (o: Json, camel: string, snake: string): unknown => (o[camel] !== undefined ? o[camel] : o[snake])
