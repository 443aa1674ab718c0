import { expect, test } from 'bun:test'
import { resolveConfig } from '../../../src/config/load'
import { describeAuthChanges, reloadRefusals } from '../../../src/config/reload-policy'

const base = {
  providers: { p: { dialect: 'echo' } },
  models: { '*': 'p/echo' },
  auth: { keys: [{ key: 'key-aaaaaaaaaaaa', name: 'alice', group: 'team' }], groups: { team: { models: ['*'], rpm: 10 } } },
}
const cfg = (raw: Record<string, unknown>) => resolveConfig(raw, {}, {})

test('a reload that drops auth, or empties providers or models, is refused unless the file says so', () => {
  const prev = cfg(base)
  expect(reloadRefusals(prev, cfg({ providers: base.providers, models: base.models }))[0]).toContain('auth: { mode: none }')
  expect(reloadRefusals(prev, cfg({ ...base, auth: { mode: 'none' } }))).toEqual([])
  expect(reloadRefusals(prev, cfg({}))).toHaveLength(3)
  expect(reloadRefusals(prev, cfg({ ...base, providers: {}, models: {} }))).toEqual([])
  expect(reloadRefusals(cfg({ providers: base.providers, models: base.models }), cfg({ providers: base.providers, models: base.models }))).toEqual([])
})

test('auth.mode none cannot be combined with keys', () => {
  expect(() => cfg({ ...base, auth: { mode: 'none', keys: base.auth.keys } })).toThrow('auth.mode')
})

test('the reload description names auth, key, group and limit changes, never a key', () => {
  const prev = cfg(base)
  const next = cfg({
    ...base,
    auth: {
      keys: [
        { key: 'key-bbbbbbbbbbbb', name: 'alice', group: 'team' },
        { key: 'key-cccccccccccc', name: 'bob', group: 'team', rpm: 5 },
      ],
      groups: { team: { models: ['gpt-*'], rpm: 20 } },
    },
  })
  const d = describeAuthChanges(prev, next)
  expect(d).toEqual({ keys_added: ['bob'], keys_changed: ['alice'], groups_changed: ['team'], limits_changed: ['group team'] })
  expect(JSON.stringify(d)).not.toContain('key-')
  expect(describeAuthChanges(prev, cfg({ ...base, auth: { mode: 'none' } }))).toMatchObject({ auth: 'keys → none', keys_removed: ['alice'] })
})
