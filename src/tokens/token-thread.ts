// count_tokens off the event loop: a Worker (token-worker.ts) holds the tokenizer, so loading it
// (1–1.5 s) and counting large requests never stall other requests. When the worker cannot start
// (a build without its entry point) or dies, counting falls back to this thread's sliced count.
import type { CanonRequest } from '../canonical/request'
import { countRequestTokensAsync } from './count-tokens'

/** how long a count may take on the token thread before this thread counts instead */
const COUNT_TIMEOUT_MS = 10_000

type Reply = { id: number; tokens?: number; estimated?: boolean; error?: string }

let worker: Worker | undefined
let failed = false
let ready: Promise<boolean> | undefined
let nextId = 0
const waiting = new Map<number, (r: Reply) => void>()

/** In the compiled binary, the worker's path among the binary's entrypoints (src/ is their root);
 *  else this file's sibling on disk (as the dashboard's series worker does). */
function workerSpec(): string {
  const main = process.argv[1] ?? ''
  const compiled = main.startsWith('/$bunfs/') || main.startsWith('B:\\~BUN\\')
  return compiled ? './tokens/token-worker.ts' : new URL('./token-worker.ts', import.meta.url).href
}

/** Starts the worker (idempotent); resolves true once its tokenizer is loaded. */
export function startTokenThread(): Promise<boolean> {
  if (ready) return ready
  ready = new Promise<boolean>((resolve) => {
    try {
      worker = new Worker(workerSpec())
    } catch {
      failed = true
      return resolve(false)
    }
    worker.onmessage = (e: MessageEvent) => {
      const m = e.data as Reply & { ready?: boolean }
      if (m.ready) return resolve(true)
      waiting.get(m.id)?.(m)
      waiting.delete(m.id)
    }
    // an error or a silent exit: every waiting count falls back to this thread
    const die = () => {
      failed = true
      resolve(false)
      for (const done of waiting.values()) done({ id: -1, error: 'token worker failed' })
      waiting.clear()
    }
    worker.onerror = die
    worker.addEventListener('close', die)
    // never what keeps a process alive
    ;(worker as { unref?: () => void }).unref?.()
  })
  return ready
}

/** Input tokens of a request, counted on the token thread when it runs, else here in slices. */
export async function countTokensOffThread(req: CanonRequest): Promise<{ tokens: number; estimated: boolean }> {
  if (!failed && (await startTokenThread()) && worker) {
    const id = nextId++
    const reply = await new Promise<Reply>((resolve) => {
      // a reply that never comes (a count stuck on the other thread) is answered here instead
      const timer = setTimeout(() => {
        waiting.delete(id)
        resolve({ id, error: 'timeout' })
      }, COUNT_TIMEOUT_MS)
      waiting.set(id, (r) => {
        clearTimeout(timer)
        resolve(r)
      })
      worker!.postMessage({ id, request: req })
    })
    if (reply.tokens !== undefined) return { tokens: reply.tokens, estimated: reply.estimated ?? false }
  }
  return countRequestTokensAsync(req)
}

export function stopTokenThread(): void {
  worker?.terminate()
  worker = undefined
  ready = undefined
}
