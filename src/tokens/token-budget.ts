// Counting under a work bound. BPE costs up to ~1 ms per KB of text (CJK, base64) on one thread:
// 1 MB counted exactly froze the event loop for seconds. A request's texts are counted exactly
// until `exactChars` are spent; beyond that a text is estimated from evenly spaced samples (its
// own tokens-per-character), and once the sample budget is spent too, from the ratio seen so far.
// The work is a generator of small steps (one ≤ 2 KB piece each), so an async driver can yield
// to the event loop between steps and a sync driver can simply run it through.

/** one step's text: BPE merging is quadratic in a whitespace-free run, pieces keep it linear */
export const PIECE = 2048
/** samples per estimated text */
const SAMPLES = 8

export interface TokenBudget {
  /** characters counted exactly, over the whole request */
  exactChars: number
  /** characters tokenized as samples for estimates, over the whole request */
  sampleChars: number
}

export interface Tally {
  left: TokenBudget
  /** tokens and characters actually tokenized (the ratio for estimates) */
  seenTokens: number
  seenChars: number
  /** true once any text was estimated rather than counted */
  estimated: boolean
}

export const newTally = (b: TokenBudget): Tally => ({ left: { ...b }, seenTokens: 0, seenChars: 0, estimated: false })

/** `text` cut into pieces of ≤ PIECE characters, at a space where one is near the end */
export function* pieces(text: string): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + PIECE)
    if (end < text.length) {
      const ws = text.lastIndexOf(' ', end)
      if (ws > i + PIECE / 2) end = ws
    }
    yield text.slice(i, end)
    i = end
  }
}

/** tokens of `text` under the tally's budget; yields after every tokenized piece */
export function* countSteps(text: string, tally: Tally, count: (piece: string) => number): Generator<void, number> {
  if (text.length === 0) return 0
  if (text.length <= tally.left.exactChars) {
    tally.left.exactChars -= text.length
    let n = 0
    for (const p of pieces(text)) {
      n += count(p)
      yield
    }
    tally.seenTokens += n
    tally.seenChars += text.length
    return n
  }
  tally.estimated = true
  const sampleLen = Math.min(PIECE, Math.floor(text.length / SAMPLES))
  if (tally.left.sampleChars >= sampleLen * SAMPLES && sampleLen > 0) {
    tally.left.sampleChars -= sampleLen * SAMPLES
    let n = 0
    const stride = Math.floor(text.length / SAMPLES)
    for (let s = 0; s < SAMPLES; s++) {
      n += count(text.slice(s * stride, s * stride + sampleLen))
      yield
    }
    tally.seenTokens += n
    tally.seenChars += sampleLen * SAMPLES
    return Math.ceil((n / (sampleLen * SAMPLES)) * text.length)
  }
  const ratio = tally.seenChars > 0 ? tally.seenTokens / tally.seenChars : 0.25
  return Math.ceil(ratio * text.length)
}

/** runs the steps to the end on this thread (bounded by the budget) */
export function runSync<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** runs the steps, giving the event loop a turn whenever a slice of work passed `sliceMs` */
export async function runAsync<T>(steps: Generator<void, T>, sliceMs = 4): Promise<T> {
  let sliceStart = performance.now()
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop()
      sliceStart = performance.now()
    }
  }
}
