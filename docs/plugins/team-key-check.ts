// Example plugin: lets in callers with a team key from a list of its own (kept, say, in another
// system), and maps each to a name and a group of the config. Config:
//
//   plugins:
//     - path: ./team-key-check.ts
//       options: { header: x-team-key, keys: { "tk-alpha-123": { name: alpha, group: dev } } }
//
// A request without the header falls through to the config's own keys.

interface Options {
  header?: string
  keys?: Record<string, { name: string; group?: string }>
}

export default function teamKeyCheck(options: Options) {
  const header = (options.header ?? 'x-team-key').toLowerCase()
  const keys = new Map(Object.entries(options.keys ?? {}))
  return {
    name: 'team-key-check',
    authenticate(request: { headers: Headers }) {
      const presented = request.headers.get(header)
      if (!presented) return undefined
      const who = keys.get(presented)
      // a wrong team key is refused here rather than tried against the config's keys
      if (!who) throw Object.assign(new Error('unknown team key'), { name: 'PluginRejection', status: 401 })
      return who
    },
  }
}
