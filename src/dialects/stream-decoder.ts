// What every upstream stream decoder shares: how a stream ends when it stops early or fails.
// Either way the client still gets a well-formed canonical stream: `start` (if nothing came yet),
// every open block closed, one `error`, `end`. A decoder supplies its own `start` and `closeAll`.
import type { CanonEvent, ErrorKind } from '../canonical/event'
import type { SseFrame } from '../framing/sse'
import type { StreamTranslator } from './dialect'
import { isObject, type Json } from './wire-json'

type Emit = (e: CanonEvent) => void

export abstract class StreamDecoder implements StreamTranslator<SseFrame, CanonEvent> {
  protected started = false
  /** the stream ended, failed or sent bad JSON: end was emitted, nothing more is read */
  protected done = false
  /** the upstream reported the message complete (a finish was emitted) */
  protected finished = false

  abstract push(frame: SseFrame, emit: Emit): void

  /** emit `start` from what the stream said so far (undefined: nothing) */
  protected abstract start(from: undefined, emit: Emit): void

  /** close every open block */
  protected abstract closeAll(emit: Emit): void

  /** the upstream's bytes ended: a stream that never completed ends with an error */
  end(emit: Emit): void {
    if (this.done) return
    this.done = true
    this.begin(emit)
    this.closeAll(emit)
    if (!this.finished) emit({ type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' })
    emit({ type: 'end' })
  }

  protected begin(emit: Emit): void {
    if (!this.started) this.start(undefined, emit)
  }

  protected fail(emit: Emit, status: number, kind: ErrorKind, message: string): void {
    this.begin(emit)
    this.closeAll(emit)
    this.done = true
    emit({ type: 'error', status, kind, message })
    emit({ type: 'end' })
  }

  protected badJson(emit: Emit, data: string): void {
    this.fail(emit, 502, 'api_error', `upstream sent invalid JSON in its stream: ${data.slice(0, 200)}`)
  }

  /** a frame's JSON object; undefined for anything else (bad JSON also fails the stream) */
  protected parseObject(data: string, emit: Emit): Json | undefined {
    let v: unknown
    try {
      v = JSON.parse(data)
    } catch {
      this.badJson(emit, data)
      return undefined
    }
    return isObject(v) ? v : undefined
  }
}
