// Small order statistics over plain number arrays (sorted copies; inputs are bounded samples).

/** Nearest-rank percentile of `xs` (p in 0..100); NaN for an empty sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = Float64Array.from(xs).sort()
  const rank = Math.ceil((p / 100) * s.length)
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]
}

export const median = (xs: readonly number[]): number => percentile(xs, 50)

/** Median over runs of one field, ignoring runs that did not produce it. */
export function medianOf<T>(runs: readonly T[], pick: (r: T) => number): number {
  return median(runs.map(pick).filter((x) => Number.isFinite(x)))
}
