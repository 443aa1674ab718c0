// A Redis connection that never hangs the request path: every call is bounded by a short
// timeout, commands are never queued while disconnected (a queued admission could run long after
// its request gave up), and reconnection is ours, at most once per `reconnectMs`.
import { RedisClient } from 'bun'

export interface LuaScript {
  source: string
  sha: string
}

export const luaScript = (source: string): LuaScript => ({
  source,
  sha: new Bun.CryptoHasher('sha1').update(source).digest('hex'),
})

export interface RedisConn {
  send(command: string, args: string[]): Promise<unknown>
  /** EVALSHA, falling back to EVAL (which also caches the script) after a restart or failover */
  evalScript(script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown>
  close(): void
}

export interface RedisConnOptions {
  /** bound on each call, connecting included (ms) */
  timeoutMs?: number
  /** pause between reconnection attempts while Redis is down (ms) */
  reconnectMs?: number
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError'
}

export function openRedis(url: string, opts: RedisConnOptions = {}): RedisConn {
  const timeoutMs = opts.timeoutMs ?? 250
  const reconnectMs = opts.reconnectMs ?? 1000
  const client = new RedisClient(url, { connectionTimeout: timeoutMs, autoReconnect: false, enableOfflineQueue: false })
  let connecting: Promise<void> | undefined
  let lastAttempt = -Infinity
  let closed = false

  const connect = () => {
    lastAttempt = performance.now()
    connecting = client.connect().then(
      () => {},
      () => {},
    )
    connecting.finally(() => (connecting = undefined))
  }
  connect()

  const send = async (command: string, args: string[]): Promise<unknown> => {
    if (closed) throw new RedisUnavailableError('redis connection closed')
    const deadline = performance.now() + timeoutMs
    if (!client.connected) {
      if (!connecting && performance.now() - lastAttempt >= reconnectMs) connect()
      if (!connecting) throw new RedisUnavailableError('redis unreachable (waiting to reconnect)')
      await bounded(connecting, deadline)
      if (!client.connected) throw new RedisUnavailableError('redis unreachable')
    }
    return bounded(client.send(command, args), deadline)
  }

  return {
    send,
    async evalScript(script, keys, args) {
      const n = String(keys.length)
      try {
        return await send('EVALSHA', [script.sha, n, ...keys, ...args])
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
        return send('EVAL', [script.source, n, ...keys, ...args])
      }
    },
    close() {
      closed = true
      client.close()
    },
  }
}

function bounded<T>(p: Promise<T>, deadline: number): Promise<T> {
  const ms = deadline - performance.now()
  if (ms <= 0) return Promise.reject(new RedisUnavailableError('redis timed out'))
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(`redis did not answer within ${Math.round(ms)} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}
