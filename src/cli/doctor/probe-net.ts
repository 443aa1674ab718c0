// Reachability probes for `llm-proxy doctor`: DNS, TCP connect, TLS handshake, each bounded by a
// timeout. I/O only; every probe resolves to a CheckResult, none throws.
import { lookup } from 'node:dns/promises'
import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

export interface CheckResult {
  name: string
  ok: boolean
  /** not run (and not a failure): why */
  skipped?: string
  ms?: number
  detail?: string
}

export class TimeoutError extends Error {}

/** Runs `fn` with a deadline; the result carries the elapsed time. */
export async function timed<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const ctl = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort()
      reject(new TimeoutError(`timed out after ${ms} ms`))
    }, ms)
  })
  try {
    const value = await Promise.race([fn(ctl.signal), deadline])
    return { value, ms: Math.round(performance.now() - started) }
  } finally {
    clearTimeout(timer)
  }
}

const failure = (name: string, err: unknown): CheckResult => ({ name, ok: false, detail: err instanceof Error ? err.message : String(err) })

export async function probeDns(host: string, timeoutMs: number): Promise<CheckResult> {
  try {
    const { value, ms } = await timed(timeoutMs, () => lookup(host))
    return { name: 'dns', ok: true, ms, detail: value.address }
  } catch (err) {
    return failure('dns', new Error(`${host}: ${err instanceof Error ? err.message : String(err)}`))
  }
}

/** Opens a socket with `open`, resolves on its ready event, always destroys it. */
function handshake(open: () => Socket, readyEvent: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = open()
    const done = (err?: Error) => {
      s.destroy()
      if (err) reject(err)
      else resolve(s)
    }
    s.once(readyEvent, () => done())
    s.once('error', (err) => done(err))
    signal.addEventListener('abort', () => s.destroy(), { once: true })
  })
}

export async function probeTcp(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  try {
    const { ms } = await timed(timeoutMs, (signal) => handshake(() => tcpConnect({ host, port }), 'connect', signal))
    return { name: 'tcp', ok: true, ms, detail: `${host}:${port}` }
  } catch (err) {
    return failure('tcp', err)
  }
}

export async function probeTls(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  try {
    const { ms } = await timed(timeoutMs, (signal) => handshake(() => tlsConnect({ host, port, servername: host }), 'secureConnect', signal))
    return { name: 'tls', ok: true, ms }
  } catch (err) {
    return failure('tls', err)
  }
}
