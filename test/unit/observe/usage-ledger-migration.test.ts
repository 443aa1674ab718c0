// A ledger created before `usage_estimated` existed gains the column at open, old rows read 0.
import { expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrationStatements } from '../../../src/observe/usage-sql'
import { openSqliteStore } from '../../../src/observe/usage-store-sqlite'
import { USAGE_COLUMNS } from '../../../src/observe/usage-record'

test('sqlite: an older ledger file gains usage_estimated; new rows carry it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'llm-proxy-mig-')), 'old.db')
  const old = new Database(path, { create: true })
  const oldCols = USAGE_COLUMNS.filter((c) => c !== 'usage_estimated')
  old.run(`CREATE TABLE usage_ledger (${oldCols.map((c) => `${c} ${c === 'time' ? 'INTEGER NOT NULL' : 'TEXT'}`).join(', ')})`)
  old.run(`INSERT INTO usage_ledger (time, request_id) VALUES (1, 'old')`)
  old.close()
  const store = openSqliteStore(path, false)
  await store.insert([
    { time: 2, request_id: 'new', key_name: '', group_name: '', front: 'openai-chat', model_requested: 'm', provider: 'p', model_upstream: 'm', attempts: 1, status: 200, input_tokens: 1, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0, ttft_ms: null, duration_ms: 1, client_disconnected: true, error: null, usage_estimated: true },
  ])
  await store.close()
  const db = new Database(path, { readonly: true })
  const rows = db.query('SELECT request_id, usage_estimated FROM usage_ledger ORDER BY time').all()
  db.close()
  expect(rows).toEqual([
    { request_id: 'old', usage_estimated: 0 },
    { request_id: 'new', usage_estimated: 1 },
  ])
  // reopening does not try to add it twice
  const again = openSqliteStore(path, false)
  await again.close()
})

test('postgres: the columns are added with IF NOT EXISTS (safe on every start)', () => {
  expect(migrationStatements('postgres')).toEqual([
    'ALTER TABLE usage_ledger ADD COLUMN IF NOT EXISTS usage_estimated BOOLEAN DEFAULT FALSE',
    'ALTER TABLE usage_ledger ADD COLUMN IF NOT EXISTS rule TEXT DEFAULT NULL',
  ])
  expect(migrationStatements('sqlite', new Set(['usage_estimated', 'rule']))).toEqual([])
  // a ledger from before the rule column gains only that one
  expect(migrationStatements('sqlite', new Set(['usage_estimated']))).toEqual(['ALTER TABLE usage_ledger ADD COLUMN rule TEXT DEFAULT NULL'])
})
