// Child process for the crash test: records rows, lets the ledger flush, records more, then dies
// by SIGKILL (no close, no exit handlers). Usage: bun record-then-crash.ts STORE FLUSHED UNFLUSHED
import { createUsageLedger } from '../../../../src/observe/usage-ledger'
import { createUsageStore } from '../../../../src/observe/usage-store'
import { usageRow } from './usage-rows'

const [spec, flushed, unflushed] = process.argv.slice(2)
const ledger = createUsageLedger(await createUsageStore(spec))
for (let i = 0; i < Number(flushed); i++) ledger.record(usageRow({ key_name: 'before-crash' }))
// The interval timer is unref'd; keep the process alive past it.
await Bun.sleep(1500)
for (let i = 0; i < Number(unflushed); i++) ledger.record(usageRow({ key_name: 'lost' }))
process.kill(process.pid, 'SIGKILL')
