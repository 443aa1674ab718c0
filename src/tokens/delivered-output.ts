// Output a stream delivered to its client, counted locally for the rare stream whose upstream
// usage never arrives (client gone, upstream failed mid-stream). Cheap on the hot path: it adds
// string lengths and keeps a small sample of the text; tokens are counted only when asked.
import { countTextTokens, tokenizerLoaded } from './count-tokens'

/** text kept to measure tokens per character */
const SAMPLE_CHARS = 4096
/** without the BPE tables loaded (0.7 s to load; never on a request's path) */
const CHARS_PER_TOKEN = 4

/** `fill` runs once, before the first count, and add()s what the stream delivered (a
 *  pass-through tap decodes its sample only then). */
export function deferCount(d: DeliveredOutput, fill: () => void): void {
  d.defer(fill)
}

export class DeliveredOutput {
  /** characters of text, reasoning and tool arguments seen */
  chars = 0
  /** pass-through streams decode only a prefix of their events: seen bytes / decoded bytes */
  scale = 1
  private sample = ''
  /** a true private field: not part of the observation's value (tests compare those) */
  #fill: (() => void) | undefined

  defer(fill: () => void): void {
    this.#fill = fill
  }

  add(text: string): void {
    this.chars += text.length
    if (this.sample.length < SAMPLE_CHARS) this.sample += text.slice(0, SAMPLE_CHARS - this.sample.length)
  }

  /** estimated output tokens delivered */
  tokens(): number {
    const fill = this.#fill
    if (fill) {
      this.#fill = undefined
      fill()
    }
    const chars = this.chars * this.scale
    if (chars <= 0) return 0
    if (!tokenizerLoaded() || this.sample.length === 0) return Math.ceil(chars / CHARS_PER_TOKEN)
    const perChar = countTextTokens(this.sample) / this.sample.length
    return Math.max(1, Math.ceil(chars * perChar))
  }
}
