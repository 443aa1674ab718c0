// Where lanes put their numbers: one value per (metric, target) per round, medians on read, and
// error tallies kept with the first message as evidence.
import { median } from './stats'

export interface ErrorTally {
  count: number
  first?: string
}

export class Recorder {
  readonly values = new Map<string, number[]>()
  readonly errors = new Map<string, ErrorTally>()

  add(metric: string, target: string, v: number): void {
    if (!Number.isFinite(v)) return
    const key = `${metric}|${target}`
    const xs = this.values.get(key)
    if (xs) xs.push(v)
    else this.values.set(key, [v])
  }

  /** Median over rounds; NaN when never measured. */
  med(metric: string, target: string): number {
    return median(this.values.get(`${metric}|${target}`) ?? [])
  }

  addErrors(where: string, count: number, first?: string): void {
    if (count === 0) return
    const e = this.errors.get(where)
    if (e) (e.count += count), (e.first ??= first)
    else this.errors.set(where, { count, first })
  }
}
