// Before a reload reads the config file: wait until it stops changing (same size and mtime for
// `quietMs`), so a file written in several steps is read once it is whole. Bounded by `maxMs`.
import { stat } from 'node:fs/promises'

export async function waitUntilStable(path: string, quietMs = 200, maxMs = 5000, pollMs = 50): Promise<void> {
  const deadline = performance.now() + maxMs
  const sig = async () => {
    try {
      const s = await stat(path)
      return `${s.size}:${s.mtimeMs}`
    } catch {
      return 'missing'
    }
  }
  let last = await sig()
  let since = performance.now()
  while (performance.now() < deadline) {
    await Bun.sleep(pollMs)
    const now = await sig()
    if (now !== last) {
      last = now
      since = performance.now()
    } else if (performance.now() - since >= quietMs) return
  }
}
