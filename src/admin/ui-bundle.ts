// A macro (imported `with { type: 'macro' }`): runs when the code is bundled, by `bun build
// --compile` as by `bun src/main.ts`, and inlines the dashboard's files as strings. The client
// TypeScript is bundled for the browser by the bun CLI (Bun.build cannot run inside a macro).
// So the binary carries the whole dashboard: no file on disk, no CDN.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface UiFiles {
  html: string
  css: string
  js: string
}

export function uiBundle(): UiFiles {
  const dir = join(import.meta.dir, '../ui')
  const r = Bun.spawnSync([process.execPath, 'build', join(dir, 'client/main.ts'), '--format=esm', '--minify', '--target=browser'], {
    stderr: 'pipe',
    env: { ...process.env, NO_COLOR: '1' },
  })
  if (!r.success) throw new Error(`bundling the dashboard failed:\n${r.stderr.toString()}`)
  return { html: readFileSync(join(dir, 'index.html'), 'utf8'), css: readFileSync(join(dir, 'style.css'), 'utf8'), js: r.stdout.toString() }
}
