// The key store and the operations on it, on SQLite and (when LLM_PROXY_TEST_POSTGRES names a
// server) on Postgres: the same migrations, the same behaviour.
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SQL } from 'bun'
import { resolveConfig } from '../../../src/config/load'
import { openKeyDirectory } from '../../../src/keys/key-directory'
import { createKey, KeyInputError, rotateKey, showKey, specToPatch } from '../../../src/keys/key-operations'
import { KeyConflict, openKeyStore, type KeyStore } from '../../../src/keys/key-store'
import { sha256Hex } from '../../../src/auth/hash-key'
import { parseKeysArgs, runKeys } from '../../../src/cli/keys-command'
import { createUsageStore } from '../../../src/observe/usage-store'
import { usageRow } from '../observe/helpers/usage-rows'

const cfg = resolveConfig({ usage: { store: 'none' }, auth: { keys: [{ key: 'config-key', name: 'ops' }], groups: { dev: { models: ['gpt-*'] } } } }, {})
const NOW = Date.UTC(2026, 11, 3, 12)

function suite(kind: string, fresh: () => Promise<string>) {
  describe(`key store on ${kind}`, () => {
    let store: KeyStore | undefined
    afterEach(async () => {
      await store?.close()
      store = undefined
    })

    test('create, list, show with spend, update, disable, rotate, delete; the revision moves on every write', async () => {
      const spec = await fresh()
      store = await openKeyStore(spec)
      const r0 = await store.revision()
      const { key, record } = await createKey(store, cfg, { name: 'alice', group: 'dev', models: ['gpt-4o*'], rpm: 10, budget: '50/month', expires: '30d' }, NOW)
      expect(key).toMatch(/^sk-llmp-[A-Za-z0-9]{40}$/)
      expect(record.keySha256).toBe(sha256Hex(key))
      expect(record.expiresAt).toBe(NOW + 30 * 86_400_000)
      const r1 = await store.revision()
      expect(r1).toBeGreaterThan(r0)
      const got = (await store.get('alice'))!
      expect(got).toEqual(record)
      expect(JSON.stringify(got)).not.toContain(key)
      expect((await store.list()).map((k) => k.name)).toEqual(['alice'])

      // spend comes from the ledger in the same database
      const ledger = await createUsageStore(spec)
      await ledger.insert([usageRow({ key_name: 'alice', cost_usd: 1.25, time: NOW - 1000 }), usageRow({ key_name: 'bob', cost_usd: 9, time: NOW - 1000 }), usageRow({ key_name: 'alice', cost_usd: 7, time: Date.UTC(2026, 10, 30) })])
      await ledger.close()
      const shown = await showKey(store, got, NOW)
      expect(shown).toMatchObject({ name: 'alice', group: 'dev', budget: '50/month', spent_usd: 1.25, status: 'active', models: ['gpt-4o*'], rpm: 10 })

      await store.update('alice', specToPatch(cfg, { rpm: null, tpm: 500 }, NOW), NOW + 1)
      expect(await store.get('alice')).toMatchObject({ tpm: 500, updatedAt: NOW + 1 })
      expect((await store.get('alice'))!.rpm).toBeUndefined()
      await store.update('alice', { disabled: true }, NOW + 2)
      expect((await store.get('alice'))!.disabled).toBe(true)

      const rotated = (await rotateKey(store, 'alice', NOW + 3))!
      expect(rotated.key).not.toBe(key)
      expect((await store.get('alice'))!.keySha256).toBe(sha256Hex(rotated.key))
      expect(await rotateKey(store, 'nobody', NOW)).toBeUndefined()

      const r2 = await store.revision()
      expect(await store.delete('alice')).toBe(true)
      expect(await store.delete('alice')).toBe(false)
      expect(await store.revision()).toBeGreaterThan(r2)
      expect(await store.list()).toEqual([])
    })

    test('names are unique; bad input is refused with a reason', async () => {
      store = await openKeyStore(await fresh())
      await createKey(store, cfg, { name: 'bob' }, NOW)
      await expect(createKey(store, cfg, { name: 'bob' }, NOW)).rejects.toBeInstanceOf(KeyConflict)
      await expect(createKey(store, cfg, { name: 'ops' }, NOW)).rejects.toThrow('already used by a key in the config file')
      await expect(createKey(store, cfg, { name: 'x', group: 'nope' }, NOW)).rejects.toThrow('group "nope" is not defined')
      await expect(createKey(store, cfg, { name: 'bad name!' }, NOW)).rejects.toBeInstanceOf(KeyInputError)
      await expect(createKey(store, cfg, { name: 'y', budget: 'lots' }, NOW)).rejects.toThrow('budget must look like 50/month')
      await expect(createKey(store, cfg, { name: 'y', expires: 'soon' }, NOW)).rejects.toThrow('expires must be')
      await expect(createKey(store, cfg, { name: 'y', rpm: 0 }, NOW)).rejects.toThrow('rpm must be a whole number')
    })

    test('a directory sees creations, changes and deletions within a poll', async () => {
      const spec = await fresh()
      store = await openKeyStore(spec)
      const other = await openKeyStore(spec) // another process, or another replica
      const dir = await openKeyDirectory(other, { intervalMs: 50 })
      const { key } = await createKey(store, cfg, { name: 'carol' }, NOW)
      const seen = async (pred: () => boolean) => {
        const t0 = performance.now()
        while (!pred()) {
          if (performance.now() - t0 > 2000) throw new Error('not seen within 2 s')
          await Bun.sleep(10)
        }
        return performance.now() - t0
      }
      const tCreate = await seen(() => dir.byHash(sha256Hex(key)) !== undefined)
      await store.update('carol', { disabled: true }, NOW)
      await seen(() => dir.byHash(sha256Hex(key))?.disabled === true)
      await store.delete('carol')
      await seen(() => dir.byHash(sha256Hex(key)) === undefined)
      expect(tCreate).toBeLessThan(1000)
      await dir.close()
    })
  })
}

suite('SQLite', async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'llm-proxy-keys-')), 'db.sqlite')}`)

const pg = process.env.LLM_PROXY_TEST_POSTGRES
if (pg) {
  let n = 0
  suite('Postgres', async () => {
    // a database per test: the stores create their tables on open
    const admin = new SQL(pg, { max: 1 })
    const name = `llm_proxy_keys_${process.pid}_${n++}`
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`)
    await admin.unsafe(`CREATE DATABASE ${name}`)
    await admin.close()
    const u = new URL(pg)
    u.pathname = `/${name}`
    return u.toString()
  })
} else test.skip('key store on Postgres: needs LLM_PROXY_TEST_POSTGRES=postgres://…', () => {})

describe('keys command line', () => {
  test('arguments', () => {
    expect(parseKeysArgs(['create', '--name', 'alice', '--group', 'dev', '--models', 'gpt-4o*, claude-*', '--rpm', '10', '--budget', '50/month', '--expires', '30d', '--json'])).toEqual({
      sub: 'create',
      name: 'alice',
      spec: { group: 'dev', models: ['gpt-4o*', 'claude-*'], rpm: 10, budget: '50/month', expires: '30d' },
      json: true,
      config: undefined,
      env: undefined,
    })
    expect(parseKeysArgs(['update', 'alice', '--rpm=none']).spec).toEqual({ rpm: null })
    expect(parseKeysArgs(['disable', 'alice', '--config', 'c.yaml'])).toMatchObject({ sub: 'disable', name: 'alice', config: 'c.yaml' })
    expect(() => parseKeysArgs(['make'])).toThrow('keys needs one of create')
    expect(() => parseKeysArgs(['show'])).toThrow('needs a NAME')
    expect(() => parseKeysArgs(['disable', 'a', '--rpm', '3'])).toThrow('takes only a NAME')
    expect(() => parseKeysArgs(['create', 'a', '--rpm', 'x'])).toThrow('--rpm must be a whole number')
    expect(() => parseKeysArgs(['create', 'a', '--color', 'x'])).toThrow('unknown flag --color')
  })

  test('create prints the key once; list and show never do', async () => {
    const spec = `sqlite:${join(mkdtempSync(join(tmpdir(), 'llm-proxy-keys-')), 'db.sqlite')}`
    const c = { ...cfg, usage: { store: spec } }
    const created = JSON.parse(await runKeys(c, parseKeysArgs(['create', '--name', 'dave', '--group', 'dev', '--json']), NOW))
    expect(created.key).toMatch(/^sk-llmp-/)
    expect(created.name).toBe('dave')
    const listed = await runKeys(c, parseKeysArgs(['list']), NOW)
    expect(listed).toContain('dave')
    expect(listed).toContain(created.key.slice(0, 12))
    expect(listed).not.toContain(created.key)
    const shown = await runKeys(c, parseKeysArgs(['show', 'dave']), NOW)
    expect(shown).toContain('status: active')
    expect(shown).not.toContain(created.key)
    expect(await runKeys(c, parseKeysArgs(['disable', 'dave']), NOW)).toBe('key dave disabled\n')
    expect(await runKeys(c, parseKeysArgs(['show', 'dave']), NOW)).toContain('status: disabled')
    await expect(runKeys(c, parseKeysArgs(['show', 'erin']), NOW)).rejects.toThrow('no database key named erin')
  })
})
