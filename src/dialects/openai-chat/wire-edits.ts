// How pass-through transforms edit a Chat Completions body (dialect.ts WireEdits).
import type { SystemEdit, WireEdits } from '../dialect'
import { isSystemRole, replaceInSystemMessages, replacements } from '../wire-edit'

type Body = Record<string, unknown>

function system(body: Body, out: Body, t: SystemEdit): void {
  const messages = body.messages
  if (!Array.isArray(messages)) return
  const pairs = replacements(t)
  let msgs: unknown[] = pairs ? replaceInSystemMessages(messages, pairs) : messages
  if (t.prepend || t.append) {
    if (msgs === messages) msgs = messages.slice()
    if (t.append) {
      // after the leading run of system messages (before the conversation), else at the very start
      let i = 0
      while (i < msgs.length && isSystemRole(msgs[i])) i++
      msgs.splice(i, 0, { role: 'system', content: t.append })
    }
    if (t.prepend) msgs.unshift({ role: 'system', content: t.prepend })
  }
  if (msgs !== messages) out.messages = msgs
}

export const chatWireEdits: WireEdits = {
  keys: { stop_sequences: 'stop', top_k: null },
  // an older body's max_tokens stays where the client put it
  maxTokensKey: (body) => (body.max_completion_tokens === undefined && body.max_tokens !== undefined ? 'max_tokens' : 'max_completion_tokens'),
  system,
}
