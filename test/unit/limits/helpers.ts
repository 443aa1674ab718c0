// Shared by the limit tests: principals with limits, a fixed clock origin, a throwaway
// redis-server on a free port.
import type { Principal } from '../../../src/auth/principal'
import type { GroupConfig, Limits } from '../../../src/config/types'
import { GatewayError } from '../../../src/errors'
import { openRedis, type RedisConn } from '../../../src/limits/redis-conn'

/** 2026-11-29T12:00:00Z, a Sunday, on a minute boundary */
export const T0 = Date.UTC(2026, 10, 29, 12, 0, 0)

let seq = 0
/** names unique per run, so tests sharing one Redis never see each other's counters */
export const uid = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`

export function principal(opts: { name?: string; group?: string; key?: Limits; groupLimits?: Limits; secret?: string } = {}): Principal {
  const name = opts.name ?? uid('key')
  const group = opts.group ?? uid('group')
  const groupConfig: GroupConfig = { models: ['*'], providers: ['*'], ...opts.groupLimits }
  return { name, group, key: { key: opts.secret ?? `sk-${name}`, name, group, ...opts.key }, groupConfig }
}

export async function rejection(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p
  } catch (err) {
    if (err instanceof GatewayError) return err
    throw err
  }
  throw new Error('expected the promise to reject with a GatewayError')
}

export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, fetch: () => new Response() })
  const port = s.port!
  await s.stop(true)
  return port
}

export const hasRedisServer = (): boolean => Bun.which('redis-server') !== null

export interface TestRedis {
  url: string
  conn: RedisConn
  stop(): Promise<void>
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort()
  const proc = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdout: 'ignore',
    stderr: 'ignore',
  })
  const url = `redis://127.0.0.1:${port}`
  const conn = openRedis(url, { timeoutMs: 250, reconnectMs: 20 })
  const deadline = Date.now() + 5_000
  for (;;) {
    try {
      if ((await conn.send('PING', [])) === 'PONG') break
    } catch {
      if (Date.now() > deadline) {
        proc.kill()
        throw new Error(`redis-server did not answer PING on port ${port}`)
      }
      await Bun.sleep(25)
    }
  }
  return {
    url,
    conn,
    async stop() {
      conn.close()
      proc.kill()
      await proc.exited
    },
  }
}
