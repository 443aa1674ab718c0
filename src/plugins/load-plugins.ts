// Loads the config's `plugins:` modules (TypeScript or JavaScript files, also from the compiled
// binary) at start and on every reload; a changed file is imported afresh. A module that cannot be
// loaded, or exports no hook, is a config error like any other.
import { basename, dirname, isAbsolute, join } from 'node:path'
import { statSync } from 'node:fs'
import type { Plugin } from './plugin-api'

export interface PluginSpec {
  path: string
  options?: Record<string, unknown>
}

export interface LoadedPlugin extends Plugin {
  name: string
  path: string
}

const HOOKS = ['authenticate', 'beforeRequest', 'afterResponse', 'log'] as const

async function loadOne(spec: PluginSpec, baseDir: string): Promise<LoadedPlugin> {
  const full = isAbsolute(spec.path) ? spec.path : join(baseDir, spec.path)
  let mtime: number
  try {
    mtime = statSync(full).mtimeMs
  } catch {
    throw new Error(`file not found (resolved to ${full})`)
  }
  // the query makes a changed file a new module; an unchanged one comes from the module cache
  const mod = await import(`${full}?mtime=${Math.floor(mtime)}`)
  let made: unknown = mod.default ?? mod
  if (typeof made === 'function') made = await (made as (o: unknown) => unknown)(spec.options ?? {})
  if (made === null || typeof made !== 'object') throw new Error('its default export must be a plugin object or a function returning one')
  const p = made as Plugin
  const hooks = HOOKS.filter((h) => p[h] !== undefined)
  for (const h of hooks) if (typeof p[h] !== 'function') throw new Error(`${h} must be a function`)
  if (hooks.length === 0) throw new Error(`it gives none of the hooks ${HOOKS.join(', ')}`)
  return { ...p, name: typeof p.name === 'string' && p.name ? p.name : basename(full).replace(/\.[cm]?[jt]s$/, ''), path: full }
}

/** Problems are returned as `plugins[i]: …` lines (the caller reports them with the rest). */
export async function loadPlugins(specs: readonly PluginSpec[], configFile: string | undefined, cwd: string): Promise<{ plugins: LoadedPlugin[]; problems: string[] }> {
  const baseDir = configFile ? dirname(configFile) : cwd
  const plugins: LoadedPlugin[] = []
  const problems: string[] = []
  for (let i = 0; i < specs.length; i++) {
    try {
      plugins.push(await loadOne(specs[i], baseDir))
    } catch (err) {
      problems.push(`plugins[${i}] (${specs[i].path}): cannot load: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return { plugins, problems }
}
