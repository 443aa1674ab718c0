// Which target of an alias goes first. Pure: the random source and counters are passed in.
import type { ModelEntry } from '../config/types'

/** anything with a weight (config targets or compiled ones) */
export interface Weighted {
  weight: number
}

/** Index of the first target for this strategy. `counter` is the alias's round-robin count. */
export function pickFirst(strategy: ModelEntry['strategy'], targets: readonly Weighted[], random: () => number, counter: () => number): number {
  const n = targets.length
  if (n <= 1) return 0
  switch (strategy) {
    case 'fallback':
      return 0
    case 'round_robin':
      return counter() % n
    case 'random':
      return Math.min(n - 1, Math.floor(random() * n))
    case 'weighted':
      return pickWeighted(targets, random())
  }
}

/** Weighted pick: r in [0,1) scaled over the total weight; zero-weight targets are never first. */
export function pickWeighted(targets: readonly Weighted[], r: number): number {
  let total = 0
  for (const t of targets) total += Math.max(0, t.weight)
  if (total <= 0) return 0
  let x = r * total
  for (let i = 0; i < targets.length; i++) {
    x -= Math.max(0, targets[i].weight)
    if (x < 0) return i
  }
  return targets.length - 1
}

/** A small seeded PRNG (mulberry32) for reproducible distributions in tests and benchmarks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
