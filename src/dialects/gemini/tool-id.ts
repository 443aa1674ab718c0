// The Gemini API usually sends function calls without an `id`. Other dialects need one, unique in
// the conversation (clients key tool results by it): it is derived from the response id and the
// call's position, so it is deterministic and distinct across turns. The result's function name
// is recovered from the history when the id comes back (encode-contents.ts).

const UNSAFE = /[^a-zA-Z0-9_-]/g

/** `call_<responseId>_<n>`, safe for Anthropic's ^[a-zA-Z0-9_-]+$ */
export function callId(responseId: string, n: number): string {
  return responseId ? `call_${responseId.replace(UNSAFE, '')}_${n}` : `call_${n}`
}
