// The one loader for recorded upstream traffic in test/fixtures/<dialect>/. One format for all
// dialects:
//   name.sse         the stream as the upstream sent it (SSE text)
//   name.chunks.txt  the stream's data payloads, one per line (the `event:` line is the payload's
//                    `type`, when it has one; OpenAI Chat's closing `[DONE]` is left out)
//   name.json        a whole (non-streamed) response or error body
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatSse, parseSseText, type SseFrame } from '../../src/framing/sse'

export const FIXTURES_DIR = join(import.meta.dir, '..', 'fixtures')

/** the line a dialect's stream closes with, left out of `.chunks.txt` recordings */
const CLOSING: Record<string, string> = { 'openai-chat': '[DONE]' }

export const readFixture = (dialect: string, name: string): string => readFileSync(join(FIXTURES_DIR, dialect, name), 'utf8')

export const readJsonFixture = (dialect: string, name: string): Record<string, unknown> => JSON.parse(readFixture(dialect, name)) as Record<string, unknown>

/** the recordings of a dialect, by file-name ending ('.sse', '.chunks.txt', '.json') */
export const fixtureNames = (dialect: string, ending?: string): string[] =>
  readdirSync(join(FIXTURES_DIR, dialect))
    .filter((n) => !ending || n.endsWith(ending))
    .sort()

export interface FrameOptions {
  /** restore each chunk's `event:` line from its `type` (default true) */
  events?: boolean
  /** add the dialect's closing frame (OpenAI Chat's `[DONE]`) to a chunks recording (default true) */
  closing?: boolean
}

/** a recorded stream as SSE frames */
export function fixtureFrames(dialect: string, name: string, o: FrameOptions = {}): SseFrame[] {
  const text = readFixture(dialect, name)
  if (name.endsWith('.sse')) return parseSseText(text)
  const frames: SseFrame[] = text
    .split('\n')
    .filter((l) => l.trim())
    .map((data) => {
      const type = o.events === false ? undefined : (JSON.parse(data) as { type?: unknown }).type
      return typeof type === 'string' ? { event: type, data } : { data }
    })
  const closing = CLOSING[dialect]
  if (closing && o.closing !== false) frames.push({ data: closing })
  return frames
}

/** a recorded stream as the bytes its upstream sent (`.sse` files verbatim) */
export const fixtureWire = (dialect: string, name: string): string =>
  name.endsWith('.sse') ? readFixture(dialect, name) : fixtureFrames(dialect, name).map(formatSse).join('')

/**
 * An injected fetch that answers every upstream request with a recording: `pick` chooses it from
 * the request (or returns a Response of its own). Every request is kept, for assertions.
 */
export function replayFetch(pick: (req: { url: string; headers: Headers; body: any }) => { dialect: string; name: string; status?: number } | Response) {
  const requests: Array<{ url: string; headers: Headers; body: any }> = []
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = { url: String(input), headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined }
    requests.push(req)
    const chosen = pick(req)
    if (chosen instanceof Response) return chosen
    const { dialect, name, status = 200 } = chosen
    if (name.endsWith('.json')) return new Response(readFixture(dialect, name), { status, headers: { 'content-type': 'application/json' } })
    return new Response(fixtureWire(dialect, name), { status, headers: { 'content-type': 'text/event-stream' } })
  }
  return { fetch, requests }
}
