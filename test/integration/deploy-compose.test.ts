// deploy/docker-compose.yml (docker cannot run here): it parses, wires the proxy to Redis and
// Postgres, mounts a config that exists, and that config passes check with the compose environment.
import { describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { parseConfigText } from '../../src/config/parse-file'
import { resolveConfig } from '../../src/config/resolve'
import { startProxy } from '../helpers/proxy'

const DEPLOY = join(import.meta.dir, '..', '..', 'deploy')

describe('deploy/docker-compose.yml', () => {
  const compose = YAML.parse(readFileSync(join(DEPLOY, 'docker-compose.yml'), 'utf8'))
  test('proxy + Redis + Postgres, the config mounted, the Dockerfile present', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['llm-proxy', 'postgres', 'redis'])
    const proxy = compose.services['llm-proxy']
    expect(Object.keys(proxy.depends_on).sort()).toEqual(['postgres', 'redis'])
    expect(existsSync(join(DEPLOY, '..', proxy.build.dockerfile))).toBe(true)
    const [from, to] = proxy.volumes[0].split(':')
    expect(existsSync(join(DEPLOY, from))).toBe(true)
    expect(proxy.command).toEqual(['serve', '--config', to])
  })
  test('the mounted config is valid with the environment compose gives it', () => {
    const env = { REDIS_URL: 'redis://redis:6379', DATABASE_URL: 'postgres://llm_proxy:pw@postgres:5432/llm_proxy' }
    const text = readFileSync(join(DEPLOY, 'compose.config.yaml'), 'utf8')
    const c = resolveConfig(parseConfigText(text, 'compose.config.yaml'), env)
    expect(c.state.redis).toBe('redis://redis:6379')
    expect(c.usage.store).toStartWith('postgres://')
  })
})

describe('/health', () => {
  test('does not count its own request as in flight', async () => {
    const p = await startProxy({ providers: { demo: { dialect: 'echo' } } })
    try {
      const h = await (await fetch(`${p.url}/health`)).json()
      expect(h.in_flight).toBe(0)
    } finally {
      p.stop()
    }
  })
})
