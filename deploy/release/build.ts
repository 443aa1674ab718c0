#!/usr/bin/env bun
// The one place that knows how llm-proxy binaries are built and packed (Makefile, Dockerfile and
// the release workflow all call it, so the flags cannot drift apart).
//
//   bun deploy/release/build.ts binary [--target T] [--out FILE]   one binary (default: this machine, dist/llm-proxy)
//   bun deploy/release/build.ts all                                dist/llm-proxy-<target>[.exe] for every target
//   bun deploy/release/build.ts release [--targets a,b,…]          dist/release/llm-proxy-<version>-<target>.tar.gz
//                                                                  (.zip for windows) + dist/release/SHA256SUMS
//
// Every binary is built with Bun's autoload of ./.env, ./.env.local and ./bunfig.toml switched
// off: a compiled binary would otherwise read them from its working directory before our code
// runs, and a bunfig.toml `preload` there (e.g. /var/lib/llm-proxy under systemd, which the
// service can write) would run arbitrary code. The proxy reads ./.env itself, as documented.
import { $ } from 'bun'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dir, '..', '..')

export const COMPILE_FLAGS = [
  '--compile',
  '--minify',
  '--sourcemap',
  '--bytecode',
  '--no-compile-autoload-dotenv',
  '--no-compile-autoload-bunfig',
  '--no-compile-autoload-tsconfig',
  '--no-compile-autoload-package-json',
] as const

/** Release targets: <os>-<arch>[-musl], as Bun's --target=bun-<target> names them. */
export const TARGETS = ['linux-x64', 'linux-arm64', 'linux-x64-musl', 'linux-arm64-musl', 'darwin-x64', 'darwin-arm64', 'windows-x64'] as const
/** The files every archive holds next to the binary. */
export const ARCHIVE_FILES = ['README.md', 'LICENSE', 'config.example.yaml'] as const

export const version = (): string => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version

/** This machine as a release target name (linux-x64, darwin-arm64, …; musl when the libc is). */
export function hostTarget(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64'
  const musl = os === 'linux' && !(process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime
  return `${os}-${arch}${musl ? '-musl' : ''}`
}

const exe = (target: string) => (target.startsWith('windows') ? '.exe' : '')

/** src/main.ts, the worker the dashboard's SQLite queries run on and the tokenizer's thread (a worker's file must be an
 *  entrypoint of its own to be in the binary) */
export const ENTRYPOINTS = ['src/main.ts', 'src/observe/usage-series-worker.ts', 'src/tokens/token-worker.ts'] as const

export async function buildBinary(out: string, target?: string): Promise<void> {
  const t = target ? [`--target=bun-${target}`] : []
  await $`bun build ${COMPILE_FLAGS} ${t} ${ENTRYPOINTS.map((e) => join(ROOT, e))} --outfile ${out}`.cwd(ROOT).quiet()
}

async function sha256(file: string): Promise<string> {
  const h = new Bun.CryptoHasher('sha256')
  const stream = Bun.file(file).stream()
  for await (const chunk of stream) h.update(chunk)
  return h.digest('hex')
}

export async function buildRelease(targets: readonly string[], dir = join(ROOT, 'dist/release')): Promise<string[]> {
  const v = version()
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const archives: string[] = []
  for (const target of targets) {
    const name = `llm-proxy-${v}-${target}`
    const stage = join(dir, '.stage', name)
    mkdirSync(stage, { recursive: true })
    await buildBinary(join(stage, `llm-proxy${exe(target)}`), target)
    rmSync(join(stage, `llm-proxy${exe(target)}.map`), { force: true })
    copyFileSync(join(ROOT, 'README.md'), join(stage, 'README.md'))
    copyFileSync(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'))
    copyFileSync(join(ROOT, 'config/config.example.yaml'), join(stage, 'config.example.yaml'))
    const files = [`llm-proxy${exe(target)}`, ...ARCHIVE_FILES]
    // flat archives: `tar -xzf` / unzip put the four files where the user is (install.sh relies on it)
    const archive = target.startsWith('windows') ? `${name}.zip` : `${name}.tar.gz`
    if (archive.endsWith('.zip')) await $`zip -q -9 -X ${join(dir, archive)} ${files}`.cwd(stage)
    else await $`tar --owner=0 --group=0 -czf ${join(dir, archive)} ${files}`.cwd(stage)
    archives.push(archive)
    console.log(`packed dist/release/${archive}`)
  }
  rmSync(join(dir, '.stage'), { recursive: true, force: true })
  const sums = await Promise.all(archives.map(async (a) => `${await sha256(join(dir, a))}  ${a}`))
  writeFileSync(join(dir, 'SHA256SUMS'), sums.join('\n') + '\n')
  return archives
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

if (import.meta.main) {
  const [command = 'binary', ...args] = process.argv.slice(2)
  if (command === 'binary') {
    const target = flag(args, '--target')
    const out = flag(args, '--out') ?? join(ROOT, 'dist', 'llm-proxy' + exe(target ?? hostTarget()))
    await buildBinary(out, target)
    console.log(`built ${out}`)
  } else if (command === 'all') {
    for (const t of TARGETS) {
      const out = join(ROOT, 'dist', `llm-proxy-${t}${exe(t)}`)
      await buildBinary(out, t)
      console.log(`built ${out}`)
    }
  } else if (command === 'release') {
    const list = flag(args, '--targets')?.split(',').filter(Boolean) ?? [...TARGETS]
    const unknown = list.filter((t) => !(TARGETS as readonly string[]).includes(t))
    if (unknown.length) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.join(', ')}`)
    await buildRelease(list)
    console.log('wrote dist/release/SHA256SUMS')
  } else {
    console.error(`unknown command ${command}: binary | all | release`)
    process.exit(2)
  }
}
