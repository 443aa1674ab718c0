// Runs the shared ledger suite against Postgres when LLM_PROXY_TEST_POSTGRES names a server
// (e.g. postgres://postgres@127.0.0.1:5432/postgres). It works in a scratch database it creates
// and drops, so the named database itself is never touched.
import { afterAll, beforeAll, describe, test } from 'bun:test'
import { SQL } from 'bun'
import { createUsageStore } from '../../../src/observe/usage-store'
import { ledgerSuite } from './helpers/ledger-suite'

const url = process.env.LLM_PROXY_TEST_POSTGRES

if (!url) {
  console.warn('usage-ledger-postgres: LLM_PROXY_TEST_POSTGRES is not set; skipping the Postgres ledger tests')
  describe('usage ledger on Postgres', () => {
    test.skip('needs LLM_PROXY_TEST_POSTGRES=postgres://…', () => {})
  })
} else {
  const scratch = `llm_proxy_test_${process.pid}_${Date.now()}`
  const scratchUrl = (() => {
    const u = new URL(url)
    u.pathname = `/${scratch}`
    return u.toString()
  })()
  const admin = new SQL(url, { max: 1 })

  beforeAll(async () => {
    await admin.unsafe(`CREATE DATABASE ${scratch}`)
  })
  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)
    await admin.close()
  })

  describe('usage ledger on Postgres', () => {
    ledgerSuite(async () => {
      const s = await createUsageStore(scratchUrl) // creates the schema
      const sql = new SQL(scratchUrl, { max: 1 })
      await sql`TRUNCATE usage_ledger`
      await sql.close()
      await s.close()
      return { spec: scratchUrl, open: () => createUsageStore(scratchUrl) }
    })
  })
}
