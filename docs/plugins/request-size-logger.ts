// Example plugin: adds the prompt's size and the caller's address to every request log line, and
// counts requests per caller (afterResponse). Config:
//
//   logging: { remote_addr: true }     # the server then hands plugins the address too
//   plugins: [ ./request-size-logger.ts ]

const perCaller = new Map<string, number>()

export default {
  name: 'request-size-logger',
  log(record: { requestBytes?: number; remoteAddr?: string }) {
    return { prompt_bytes: record.requestBytes, client_addr: record.remoteAddr }
  },
  afterResponse(record: { key?: string }) {
    const who = record.key ?? 'anonymous'
    perCaller.set(who, (perCaller.get(who) ?? 0) + 1)
  },
  /** for tests: requests seen per caller */
  counts: () => Object.fromEntries(perCaller),
}
