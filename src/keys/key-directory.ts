// The running proxy's view of the database keys: loaded at start, then reloaded whenever the
// store's revision changes. Polled every 500 ms (one indexed one-row read) rather than notified:
// it works the same on SQLite, on Postgres and across replicas with or without Redis, and a
// created, disabled, rotated or deleted key takes effect everywhere within a second.
import type { KeyStore } from './key-store'
import type { VirtualKey } from './virtual-key'

export interface KeyDirectory {
  /** the key whose SHA-256 (hex) this is, whatever its status */
  byHash(hex: string): VirtualKey | undefined
  /** reload now if the store changed (the poller calls this; tests and the admin API too) */
  refresh(): Promise<void>
  close(): Promise<void>
}

export interface DirectoryOptions {
  intervalMs?: number
  /** told once per failure streak (the store is down, the file is locked…) */
  onError?: (err: unknown) => void
}

export async function openKeyDirectory(store: KeyStore, o: DirectoryOptions = {}): Promise<KeyDirectory> {
  let index = new Map<string, VirtualKey>()
  let rev = -1
  let failing = false
  let busy: Promise<void> | undefined

  async function load(): Promise<void> {
    const r = await store.revision()
    if (r === rev) return
    const keys = await store.list()
    index = new Map(keys.map((k) => [k.keySha256, k]))
    rev = r
  }

  const refresh = (): Promise<void> =>
    (busy ??= load()
      .then(() => void (failing = false))
      .catch((err) => {
        // keep serving the last good view: a flaky database must not lock every key out
        if (!failing) o.onError?.(err)
        failing = true
      })
      .finally(() => (busy = undefined)))

  await load()
  const timer = setInterval(() => void refresh(), o.intervalMs ?? 500)
  ;(timer as { unref?: () => void }).unref?.()

  return {
    byHash: (hex) => index.get(hex),
    refresh,
    async close() {
      clearInterval(timer)
      await busy
      await store.close()
    },
  }
}
