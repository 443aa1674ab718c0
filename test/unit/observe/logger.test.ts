import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '../../../src/observe/logger'
import { clearSecrets, REDACTED, registerSecret } from '../../../src/observe/redact'

const collect = () => {
  const lines: string[] = []
  return { lines, sink: (l: string) => void lines.push(l) }
}

afterEach(clearSecrets)

describe('levels', () => {
  test('lines below the level are dropped, the rest kept', () => {
    const { lines, sink } = collect()
    const log = createLogger({ level: 'warn', format: 'json', file: '' }, sink)
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['warn', 'error'])
    expect(log.level).toBe('warn')
    expect(log.enabled('info')).toBe(false)
    expect(log.enabled('error')).toBe(true)
  })

  test('a filtered call does not touch its fields', () => {
    const { lines, sink } = collect()
    const log = createLogger({ level: 'info', format: 'json', file: '' }, sink)
    let touched = false
    const fields = {
      get heavy() {
        touched = true
        return 1
      },
    }
    log.debug('x', fields)
    expect(touched).toBe(false)
    expect(lines).toEqual([])
  })
})

describe('json format', () => {
  test('one JSON object per line with time, level, msg and the fields', () => {
    const { lines, sink } = collect()
    const log = createLogger({ level: 'debug', format: 'json', file: '' }, sink)
    log.info('request done', { status: 200, model: 'gpt-4o', nested: { a: [1, 2] }, skip: undefined })
    expect(lines).toHaveLength(1)
    expect(lines[0]).not.toContain('\n')
    const o = JSON.parse(lines[0])
    expect(Object.keys(o)).toEqual(['time', 'level', 'msg', 'status', 'model', 'nested'])
    expect(new Date(o.time).toISOString()).toBe(o.time)
    expect(o).toMatchObject({ level: 'info', msg: 'request done', status: 200, model: 'gpt-4o', nested: { a: [1, 2] } })
  })

  test('errors keep their message; fields cannot overwrite the envelope; bigint and cycles do not throw', () => {
    const { lines, sink } = collect()
    const log = createLogger({ level: 'debug', format: 'json', file: '' }, sink)
    const cyc: Record<string, unknown> = {}
    cyc.self = cyc
    log.error('boom', { error: new TypeError('bad thing'), level: 'fake', n: 10n, cyc })
    const o = JSON.parse(lines[0])
    expect(o.level).toBe('error')
    expect(o.field_level).toBe('fake')
    expect(o.error).toBe('TypeError: bad thing')
    expect(o.n).toBe('10')
    expect(o.cyc).toBe('[object Object]')
  })
})

describe('pretty format', () => {
  test('a readable single line; values with spaces are quoted', () => {
    const { lines, sink } = collect()
    const log = createLogger({ level: 'info', format: 'pretty', file: '' }, sink)
    log.warn('slow upstream', { provider: 'openai', note: 'took a while', ms: 1234 })
    log.info('multi\nline')
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  slow upstream provider=openai note="took a while" ms=1234$/)
    expect(lines[1]).toEndWith('INFO  "multi\\nline"')
  })
})

describe('redaction', () => {
  test('a registered secret never appears, in msg, fields, nested values or errors', () => {
    const secret = 'sk-test-RECOGNISABLE-0123456789'
    registerSecret(secret)
    for (const format of ['json', 'pretty'] as const) {
      const { lines, sink } = collect()
      const log = createLogger({ level: 'debug', format, file: '' }, sink)
      log.info(`using ${secret}`, {
        header: `Bearer ${secret}`,
        nested: { deep: [secret] },
        error: new Error(`upstream rejected ${secret}`),
      })
      const out = lines.join('\n')
      expect(out).not.toContain(secret)
      expect(out.split(REDACTED).length - 1).toBe(4)
      if (format === 'json') expect(() => JSON.parse(lines[0])).not.toThrow()
    }
  })
})

describe('file output', () => {
  let dir = ''
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = ''
  })

  test('appends to the file (never truncates) and flushes on close', async () => {
    dir = mkdtempSync(join(tmpdir(), 'llm-proxy-log-'))
    const path = join(dir, 'proxy.log')
    writeFileSync(path, 'earlier line\n')
    registerSecret('sk-file-SECRET-999999')
    const { lines, sink } = collect()
    const log = createLogger({ level: 'info', format: 'json', file: path }, sink)
    log.info('one', { k: 'sk-file-SECRET-999999' })
    log.debug('hidden')
    log.error('two')
    await log.close()
    const text = readFileSync(path, 'utf8')
    const fileLines = text.trimEnd().split('\n')
    expect(fileLines[0]).toBe('earlier line')
    expect(fileLines.slice(1)).toEqual(lines)
    expect(fileLines.slice(1).map((l) => JSON.parse(l).msg)).toEqual(['one', 'two'])
    expect(text).not.toContain('sk-file-SECRET-999999')
  })

  test('lines reach the file within the periodic flush without close', async () => {
    dir = mkdtempSync(join(tmpdir(), 'llm-proxy-log-'))
    const path = join(dir, 'proxy.log')
    const log = createLogger({ level: 'info', format: 'pretty', file: path }, () => {})
    log.info('periodic')
    await Bun.sleep(1300)
    expect(readFileSync(path, 'utf8')).toContain('periodic')
    await log.close()
  })
})
