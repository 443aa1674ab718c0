import { describe, expect, test } from 'bun:test'
import { durationMs, parseDuration, parseSize, sizeBytes } from '../../../src/config/units'

describe('parseDuration', () => {
  test('units and plain milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('5m')).toBe(300_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('7d')).toBe(604_800_000)
    expect(parseDuration('1.5s')).toBe(1_500)
    expect(parseDuration(1200)).toBe(1200)
  })
  test('rejects what is not a duration', () => {
    for (const bad of ['30', '30 secs', 's', '-5s', '5x', '']) expect(parseDuration(bad)).toBeUndefined()
    expect(parseDuration(-1)).toBeUndefined()
    expect(() => durationMs('nope')).toThrow()
  })
})

describe('parseSize', () => {
  test('binary and decimal units', () => {
    expect(parseSize('32MiB')).toBe(33_554_432)
    expect(parseSize('512KiB')).toBe(524_288)
    expect(parseSize('10MB')).toBe(10_000_000)
    expect(parseSize('1GiB')).toBe(1_073_741_824)
    expect(parseSize('100B')).toBe(100)
    expect(parseSize(4096)).toBe(4096)
  })
  test('rejects unknown units', () => {
    for (const bad of ['12XB', '10 mb', 'MiB', '10']) expect(parseSize(bad)).toBeUndefined()
    expect(() => sizeBytes('huge')).toThrow()
  })
})
