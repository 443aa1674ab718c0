// What `serve` does once it listens: say so when a public listener runs without client auth, and
// load the tokenizer in the background so no request pays for it (echo usage, count_tokens and
// tpm limits count tokens; loading the BPE tables takes ~0.5-1.7 s and ~45 MB).
import type { Config } from '../config/types'
import type { Logger } from '../observe/logger'
import { warmTokenizer } from '../tokens/count-tokens'
import { isLocal, registered } from '../dialects'
import { VERSION } from '../version'
import { publicListenWarning } from './public-listen'
import { bannerText } from './terminal'

export interface Listening {
  config: Config
  url: string
  log: Pick<Logger, 'info' | 'warn' | 'debug'>
}

export function afterListen(l: Listening, out: { isTTY?: boolean; write(s: string): unknown } = process.stdout): void {
  if (out.isTTY) out.write(bannerText(l.config, l.url, VERSION))
  const warning = publicListenWarning(l.config)
  if (warning) l.log.warn(warning)
  scheduleTokenizerWarmup(l.log, l.config)
}

/** Loading on the main thread blocks the event loop for its duration, so it waits a moment: the
 *  first health checks and readiness probes right after start answer at once. */
export const WARMUP_DELAY_MS = 300

const isLocalProvider = (p: Config['providers'][number]): boolean => {
  const d = registered(p.dialect)
  return d !== undefined && isLocal(d)
}

/**
 * count_tokens counts on the tokenizer's own thread, started by the first count (its 1–1.5 s load
 * happens there, not on this loop; started lazily because the tables cost ~70 MB, which an idle
 * proxy that is never asked to count should not carry). Only a config with a local provider (the
 * echo demo, which counts its usage inline) loads them on the main thread, a moment after start.
 */
export function scheduleTokenizerWarmup(log: Pick<Logger, 'debug'>, config: Config, warm: () => void = warmTokenizer, delayMs = WARMUP_DELAY_MS): void {
  if (!config.providers.some(isLocalProvider)) return
  const timer = setTimeout(() => {
    const t1 = performance.now()
    try {
      warm()
      log.debug('tokenizer ready', { ms: Math.round(performance.now() - t1) })
    } catch (err) {
      // a request that needs it will load it (and report the error) itself
      log.debug('tokenizer warm-up failed', { error: String(err) })
    }
  }, delayMs)
  // never what keeps a process alive
  timer.unref?.()
}
