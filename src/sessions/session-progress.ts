// A small progress record per agent session (turns, tool calls by name, files edited, tokens and
// cost so far, time since the first request), kept in a bounded LRU with a TTL, and the short
// "session progress" block the proxy can add to the system prompt. The conversation facts come
// from the request's own history (stateless clients resend it whole), so a record is never
// double-counted; tokens and cost are added as each request finishes.
import type { CanonPart, CanonRequest } from '../canonical/request'

export interface SessionRecord {
  firstSeen: number
  lastSeen: number
  requests: number
  inputTokens: number
  outputTokens: number
  costUsd: number
}

export interface HistoryFacts {
  turns: number
  toolCalls: Map<string, number>
  files: string[]
}

const MAX_FILES = 20

/** edit/write tools name their file in one of these arguments; apply_patch in its patch text */
const FILE_ARGS = ['file_path', 'path', 'filePath', 'filename', 'notebook_path']
const EDIT_TOOL = /edit|write|patch|create|replace|notebook/i
const PATCH_FILE = /^\*\*\* (?:Update|Add|Delete) File: (.+)$/gm

function filesOf(part: Extract<CanonPart, { type: 'tool_call' }>, into: Set<string>): void {
  if (!EDIT_TOOL.test(part.name)) return
  if (part.custom || part.argumentsJson.includes('*** Begin Patch')) {
    const text = part.custom ? part.argumentsJson : part.argumentsJson.replace(/\\n/g, '\n')
    for (const m of text.matchAll(PATCH_FILE)) into.add(m[1].trim().slice(0, 200))
    return
  }
  let args: Record<string, unknown>
  try {
    args = JSON.parse(part.argumentsJson || '{}')
  } catch {
    return
  }
  for (const k of FILE_ARGS) if (typeof args[k] === 'string') into.add((args[k] as string).slice(0, 200))
}

/** What the conversation so far shows (the request's own history). */
export function historyFacts(req: CanonRequest): HistoryFacts {
  const toolCalls = new Map<string, number>()
  const files = new Set<string>()
  let turns = 0
  for (const m of req.messages) {
    if (m.role === 'user' && m.parts.some((p) => p.type === 'text')) turns++
    if (m.role !== 'assistant') continue
    for (const p of m.parts) {
      if (p.type !== 'tool_call') continue
      toolCalls.set(p.name, (toolCalls.get(p.name) ?? 0) + 1)
      filesOf(p, files)
    }
  }
  return { turns, toolCalls, files: [...files].slice(-MAX_FILES) }
}

const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`)

/** The block added to the system prompt: short, factual, stable in shape. */
export function progressBlock(facts: HistoryFacts, rec: SessionRecord | undefined, now: number): string {
  const calls = [...facts.toolCalls].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ×${c}`)
  const lines = [
    '## Session progress (from the gateway)',
    `- turns so far: ${facts.turns}`,
    `- tool calls: ${calls.length ? calls.join(', ') : 'none yet'}`,
    `- files edited or written: ${facts.files.length ? facts.files.join(', ') : 'none yet'}`,
  ]
  if (rec) {
    lines.push(`- tokens so far: ${rec.inputTokens} in, ${rec.outputTokens} out${rec.costUsd > 0 ? ` (≈ $${rec.costUsd.toFixed(4)})` : ''}`)
    lines.push(`- elapsed: ${minutes(now - rec.firstSeen)} over ${rec.requests} request${rec.requests === 1 ? '' : 's'}`)
  }
  return lines.join('\n')
}

/** Bounded memory: at most `max` sessions, each forgotten `ttlMs` after its last request. */
export class SessionProgress {
  private readonly records = new Map<string, SessionRecord>()
  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = 6 * 3_600_000,
  ) {}

  get size(): number {
    return this.records.size
  }

  get(id: string, now: number): SessionRecord | undefined {
    const r = this.records.get(id)
    if (r && now - r.lastSeen > this.ttlMs) {
      this.records.delete(id)
      return undefined
    }
    return r
  }

  /** a request of the session began: its clock starts at the first one */
  start(id: string, now: number): void {
    if (!this.get(id, now)) this.add(id, now, undefined, 0, false)
  }

  /** a finished request of the session */
  add(id: string, now: number, usage: { inputTokens: number; outputTokens: number } | undefined, costUsd: number, finished = true): void {
    let r = this.get(id, now)
    if (r) this.records.delete(id) // re-insert: Map order is the LRU order
    else r = { firstSeen: now, lastSeen: now, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }
    r.lastSeen = now
    if (finished) r.requests++
    r.inputTokens += usage?.inputTokens ?? 0
    r.outputTokens += usage?.outputTokens ?? 0
    r.costUsd += costUsd
    this.records.set(id, r)
    while (this.records.size > this.max) this.records.delete(this.records.keys().next().value!)
  }
}

/** The entry with the progress block appended to its system prompt (both translated and pass-through paths use it). */
export function entryWithProgress<E extends { system?: { replace?: Record<string, string>; prepend?: string; append?: string } }>(entry: E, block: string): E {
  const append = entry.system?.append ? `${entry.system.append}\n\n${block}` : block
  return { ...entry, system: { ...entry.system, append } }
}
