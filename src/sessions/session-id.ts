// Which agent session a request belongs to, from what the coding agents send: an explicit
// `x-session-id`, Codex's `session_id` header (and its `prompt_cache_key`, the conversation id),
// Claude Code's `metadata.user_id` (`user_…_session_<id>`, or a JSON object with `session_id`).
// Bounded: ids are at most 128 characters, else the request has no session.

const MAX = 128
const HEADERS = ['x-session-id', 'session_id', 'session-id', 'conversation_id']

const usable = (s: unknown): string | undefined => (typeof s === 'string' && s.length > 0 && s.length <= MAX ? s : undefined)

function fromUserId(user: string): string | undefined {
  if (user.startsWith('{')) {
    try {
      return usable((JSON.parse(user) as { session_id?: unknown }).session_id)
    } catch {
      return undefined
    }
  }
  const i = user.lastIndexOf('_session_')
  return i >= 0 ? usable(user.slice(i + 9)) : undefined
}

export function sessionIdOf(headers: Headers, body: Record<string, unknown>): string | undefined {
  for (const h of HEADERS) {
    const v = usable(headers.get(h))
    if (v) return v
  }
  const meta = body.metadata
  if (meta && typeof meta === 'object' && typeof (meta as Record<string, unknown>).user_id === 'string') {
    const s = fromUserId((meta as Record<string, string>).user_id)
    if (s) return s
  }
  if (typeof body.user === 'string' && body.user.includes('session')) {
    const s = fromUserId(body.user)
    if (s) return s
  }
  return usable(body.prompt_cache_key)
}
