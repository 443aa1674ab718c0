// Runs the dashboard's SQLite queries on a thread of their own: bun:sqlite is synchronous, and a
// week of a busy ledger takes a second or more to aggregate, which must not stall the requests
// the proxy is serving. Built into the binary as a second entrypoint (Makefile).
import { Database } from 'bun:sqlite'

declare const self: Worker

export interface SeriesQuery {
  id: number
  path: string
  sql: string
  params: Array<string | number>
}

let db: Database | undefined

self.onmessage = (e: MessageEvent<SeriesQuery>) => {
  const { id, path, sql, params } = e.data
  try {
    if (!db) {
      db = new Database(path, { readonly: true })
      db.run('PRAGMA busy_timeout = 5000')
    }
    postMessage({ id, rows: db.query<Record<string, unknown>, Array<string | number>>(sql).all(...params) })
  } catch (err) {
    postMessage({ id, error: String(err) })
  }
}
