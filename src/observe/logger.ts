// Structured logger: one line per call, JSON or pretty, to stdout (or an injected sink) and
// optionally appended to a file. Disabled levels are no-op functions, so a filtered call costs
// one call; build expensive fields only behind `logger.enabled(level)`.
import { openSync } from 'node:fs'
import type { FileSink } from 'bun'
import type { LoggingConfig } from '../config/types'
import { redact } from './redact'

export type LogLevel = LoggingConfig['level']
export type LogFields = Record<string, unknown>
export type LogFn = (msg: string, fields?: LogFields) => void
/** Receives each finished line, without the trailing newline. */
export type LogSink = (line: string) => void

export interface Logger {
  readonly level: LogLevel
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  enabled(level: LogLevel): boolean
  /** Flushes and closes the log file, if any. */
  close(): Promise<void>
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
const PRETTY_LEVEL: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' }
const FILE_FLUSH_MS = 1000
/** Fields may not overwrite the envelope. */
const RESERVED = new Set(['time', 'level', 'msg'])

const noop: LogFn = () => {}
const stdoutSink: LogSink = (line) => {
  process.stdout.write(line + '\n')
}

/** Errors serialise as `{}`; give them their message (and code when they have one). */
function plain(v: unknown): unknown {
  if (v instanceof Error) {
    const code = (v as { code?: unknown }).code
    return code === undefined ? `${v.name}: ${v.message}` : `${v.name} (${String(code)}): ${v.message}`
  }
  return typeof v === 'bigint' ? v.toString() : v
}

export function formatJson(time: string, level: LogLevel, msg: string, fields?: LogFields): string {
  let line = `{"time":"${time}","level":"${level}","msg":${JSON.stringify(msg)}`
  if (fields) {
    for (const k in fields) {
      const v = fields[k]
      if (v === undefined) continue
      const key = RESERVED.has(k) ? `field_${k}` : k
      line += `,${JSON.stringify(key)}:${safeStringify(plain(v))}`
    }
  }
  return line + '}'
}

export function formatPretty(time: string, level: LogLevel, msg: string, fields?: LogFields): string {
  let line = `${time} ${PRETTY_LEVEL[level]} ${msg.includes('\n') ? JSON.stringify(msg) : msg}`
  if (fields) {
    for (const k in fields) {
      const v = plain(fields[k])
      if (v === undefined) continue
      const s = typeof v === 'string' ? v : safeStringify(v)
      line += ` ${k}=${/^[^\s"=]*$/.test(s) && s !== '' ? s : JSON.stringify(s)}`
    }
  }
  return line
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null'
  } catch {
    return JSON.stringify(String(v))
  }
}

export function createLogger(cfg: Pick<LoggingConfig, 'level' | 'format' | 'file'>, sink: LogSink = stdoutSink): Logger {
  const min = RANK[cfg.level]
  const format = cfg.format === 'pretty' ? formatPretty : formatJson
  let file: FileSink | undefined
  let flushTimer: ReturnType<typeof setInterval> | undefined
  if (cfg.file) {
    // Append, never truncate: the file outlives restarts.
    file = Bun.file(openSync(cfg.file, 'a')).writer({ highWaterMark: 64 * 1024 })
    flushTimer = setInterval(() => file?.flush(), FILE_FLUSH_MS)
    flushTimer.unref()
  }

  const emitter = (level: LogLevel): LogFn => {
    if (RANK[level] < min) return noop
    return (msg, fields) => {
      // Redact the finished line: one scan covers msg, every field and nested values.
      const line = redact(format(new Date().toISOString(), level, msg, fields))
      sink(line)
      if (file) file.write(line + '\n')
    }
  }

  return {
    level: cfg.level,
    debug: emitter('debug'),
    info: emitter('info'),
    warn: emitter('warn'),
    error: emitter('error'),
    enabled: (level) => RANK[level] >= min,
    async close() {
      if (flushTimer) clearInterval(flushTimer)
      flushTimer = undefined
      const f = file
      file = undefined
      if (f) await f.end()
    },
  }
}
