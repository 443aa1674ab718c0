// Content-aware routing conditions, compiled once per config into predicates over a request's
// features. Features are computed lazily and at most once per request, so a rule on the model
// name never pays for decoding the body or counting tokens.
import type { CanonRequest } from '../canonical/request'
import { globMatcher } from './glob'
import { requestFeatures, type RequestFeatures } from './request-features'

/** The `when:` map as written in the config; several keys in one map must all hold. */
export interface WhenFile {
  model?: string | string[]
  input_tokens_gt?: number
  thinking?: boolean
  images?: boolean
  tools?: boolean
  web_search?: boolean
  front?: string | string[]
  header?: Record<string, string>
  metadata?: Record<string, string>
  group?: string | string[]
  key?: string | string[]
  all?: WhenFile[]
  any?: WhenFile[]
  not?: WhenFile
}

/** What a rule may look at. Everything costly is a thunk. */
export interface RuleInput {
  /** the model name the client asked for */
  model: string
  /** the client's dialect */
  front: string
  headers: Headers
  keyName?: string
  group?: string
  /** the decoded request (decoded once, shared with the rest of the pipeline) */
  request: () => CanonRequest
  /** estimated input tokens (the admission estimate, or the tokenizer under its time bound) */
  inputTokens: () => number
}

/** Memoises the per-request facts so ten rules cost one body walk. */
export class RuleFacts {
  private features?: RequestFeatures
  private tokens?: number
  constructor(readonly input: RuleInput) {}
  get feat(): RequestFeatures {
    return (this.features ??= requestFeatures(this.input.request()))
  }
  get inputTokens(): number {
    return (this.tokens ??= this.input.inputTokens())
  }
}

export interface Verdict {
  ok: boolean
  /** why, in words, for `check --resolve` and debug logs */
  why: string
}

export type Condition = (f: RuleFacts) => Verdict

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v])

function anyGlob(patterns: string[]): (s: string | undefined) => boolean {
  const ms = patterns.map(globMatcher)
  return (s) => s !== undefined && ms.some((m) => m(s))
}

const verdict = (ok: boolean, what: string): Verdict => ({ ok, why: ok ? what : `not ${what}` })

function flag(name: string, want: boolean, read: (f: RuleFacts) => boolean): Condition {
  return (f) => {
    const has = read(f)
    return { ok: has === want, why: `${name} ${has ? 'present' : 'absent'}` }
  }
}

function mapMatch(name: string, spec: Record<string, string>, read: (f: RuleFacts, k: string) => string | undefined): Condition {
  const entries = Object.entries(spec).map(([k, v]) => [k, globMatcher(v), v] as const)
  return (f) => {
    for (const [k, m, v] of entries) {
      const got = read(f, k)
      if (got === undefined || !m(got)) return { ok: false, why: `${name} ${k} does not match ${v}` }
    }
    return { ok: true, why: `${name} ${entries.map(([k, , v]) => `${k}=${v}`).join(', ')}` }
  }
}

/** Compiles one `when:` map; throws a message naming the key for an unknown or ill-typed one. */
export function compileWhen(w: WhenFile): Condition {
  const parts: Condition[] = []
  if (w.model !== undefined) {
    const m = anyGlob(list(w.model))
    parts.push((f) => verdict(m(f.input.model), `model ${f.input.model} matches ${list(w.model!).join(' | ')}`))
  }
  if (w.input_tokens_gt !== undefined) {
    const n = w.input_tokens_gt
    parts.push((f) => {
      const t = f.inputTokens
      return { ok: t > n, why: `~${t} input tokens ${t > n ? '>' : '<='} ${n}` }
    })
  }
  if (w.thinking !== undefined) parts.push(flag('thinking', w.thinking, (f) => f.feat.thinking))
  if (w.images !== undefined) parts.push(flag('images', w.images, (f) => f.feat.images))
  if (w.tools !== undefined) parts.push(flag('tools', w.tools, (f) => f.feat.tools))
  if (w.web_search !== undefined) parts.push(flag('web search tool', w.web_search, (f) => f.feat.webSearch))
  if (w.front !== undefined) {
    const fronts = new Set(list(w.front))
    parts.push((f) => verdict(fronts.has(f.input.front), `front door ${f.input.front} in ${[...fronts].join(' | ')}`))
  }
  if (w.header) parts.push(mapMatch('header', lower(w.header), (f, k) => f.input.headers.get(k) ?? undefined))
  if (w.metadata) parts.push(mapMatch('metadata', w.metadata, (f, k) => f.feat.metadata[k]))
  if (w.group !== undefined) {
    const m = anyGlob(list(w.group))
    parts.push((f) => verdict(m(f.input.group), `group ${f.input.group ?? '(none)'} matches ${list(w.group!).join(' | ')}`))
  }
  if (w.key !== undefined) {
    const m = anyGlob(list(w.key))
    parts.push((f) => verdict(m(f.input.keyName), `key ${f.input.keyName ?? '(none)'} matches ${list(w.key!).join(' | ')}`))
  }
  if (w.all) parts.push(all(w.all.map(compileWhen)))
  if (w.any) parts.push(any(w.any.map(compileWhen)))
  if (w.not) {
    const inner = compileWhen(w.not)
    parts.push((f) => {
      const v = inner(f)
      return { ok: !v.ok, why: `not (${v.why})` }
    })
  }
  return all(parts)
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))

function all(cs: Condition[]): Condition {
  if (cs.length === 1) return cs[0]
  return (f) => {
    const whys: string[] = []
    for (const c of cs) {
      const v = c(f)
      if (!v.ok) return v
      whys.push(v.why)
    }
    return { ok: true, why: whys.join(' and ') || 'always' }
  }
}

function any(cs: Condition[]): Condition {
  return (f) => {
    const whys: string[] = []
    for (const c of cs) {
      const v = c(f)
      if (v.ok) return v
      whys.push(v.why)
    }
    return { ok: false, why: whys.join(' and ') || 'no alternative' }
  }
}
