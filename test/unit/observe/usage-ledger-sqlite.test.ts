import { afterAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createUsageStore, parseUsageStoreSpec } from '../../../src/observe/usage-store'
import { ledgerSuite } from './helpers/ledger-suite'
import { usageRow } from './helpers/usage-rows'

const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-usage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const freshSpec = () => `sqlite:${join(dir, `usage-${++n}.db`)}`

describe('usage ledger on SQLite', () => {
  ledgerSuite(async () => {
    const spec = freshSpec()
    const writer = await createUsageStore(spec) // creates the file and schema
    await writer.close()
    return { spec, open: () => createUsageStore(spec) }
  })
})

describe('SQLite store', () => {
  test('WAL journal, table and indexes on time, key and model', async () => {
    const spec = freshSpec()
    const store = await createUsageStore(spec)
    await store.insert([usageRow()])
    await store.close()
    const path = spec.slice('sqlite:'.length)
    const db = new Database(path, { readonly: true })
    expect(db.query<{ journal_mode: string }, []>('PRAGMA journal_mode').get()?.journal_mode).toBe('wal')
    const idx = db.query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE type = 'index'").all().map((r) => r.sql)
    expect(idx.some((s) => /\(time\)/.test(s))).toBe(true)
    expect(idx.some((s) => /\(key_name, time\)/.test(s))).toBe(true)
    expect(idx.some((s) => /\(model_upstream, time\)/.test(s))).toBe(true)
    const row = db.query<Record<string, unknown>, []>('SELECT * FROM usage_ledger').get()
    expect(row).toMatchObject({ key_name: 'alice', client_disconnected: 0, ttft_ms: 120, error: null })
    db.close()
  })

  test('read-only mode refuses writes and does not create a missing file', async () => {
    const spec = freshSpec()
    await expect(createUsageStore(spec, { readonly: true })).rejects.toThrow()
    const w = await createUsageStore(spec)
    await w.insert([usageRow()])
    const r = await createUsageStore(spec, { readonly: true })
    await expect(r.insert([usageRow()])).rejects.toThrow(/read-only/)
    expect((await r.query({ since: 0, by: 'all' }))[0].requests).toBe(1)
    await r.close()
    await w.close()
  })

  test('store specs', () => {
    expect(parseUsageStoreSpec('sqlite:./llm-proxy.db')).toEqual({ kind: 'sqlite', path: './llm-proxy.db' })
    expect(parseUsageStoreSpec('sqlite:///var/lib/u.db')).toEqual({ kind: 'sqlite', path: '/var/lib/u.db' })
    expect(parseUsageStoreSpec('postgres://u:p@h/db')).toEqual({ kind: 'postgres', url: 'postgres://u:p@h/db' })
    expect(parseUsageStoreSpec('postgresql://h/db').kind).toBe('postgres')
    expect(parseUsageStoreSpec('none')).toEqual({ kind: 'none' })
    expect(() => parseUsageStoreSpec('mysql://x')).toThrow(/usage.store/)
    expect(() => parseUsageStoreSpec('sqlite:')).toThrow()
  })
})
