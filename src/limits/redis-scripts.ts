// The Lua scripts that make admission and release atomic across replicas. The admission test
// mirrors `violates` in limiter.ts formula for formula (integer arithmetic, exact in both).
import { luaScript } from './redis-conn'

/** Keys per scope: rpm cur, rpm prev, tpm cur, tpm prev, concurrency zset, budget spend,
 *  budget reservations zset (members `ticket|usd`, scored by lease end).
 *  ARGV: now, estimate, ticket id, lease ms, scope count, cost estimate usd, then per scope rpm,
 *  tpm, max concurrent, budget usd (-1: no such limit).
 *  Returns {ok, then per scope rpmCur, rpmPrev, tpmCur, tpmPrev, active, spent, reserved} as seen
 *  before counting this request. */
export const ADMIT = luaScript(`
local W = 60000
local now = tonumber(ARGV[1])
local est = tonumber(ARGV[2])
local lease = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local member = ARGV[3] .. '|' .. ARGV[6]
local e = now % W
local out = {1}
local ok = true
for i = 0, n - 1 do
  local k, a = i * 7, 6 + i * 4
  local rpm, tpm, conc, usd = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local rc, rp, tc, tp, active, spent, reserved = 0, 0, 0, 0, 0, 0, 0
  if rpm >= 0 then
    rc = tonumber(redis.call('GET', KEYS[k + 1]) or '0')
    rp = tonumber(redis.call('GET', KEYS[k + 2]) or '0')
    if rp * (W - e) + rc * W + W > rpm * W then ok = false end
  end
  if tpm >= 0 then
    tc = tonumber(redis.call('GET', KEYS[k + 3]) or '0')
    tp = tonumber(redis.call('GET', KEYS[k + 4]) or '0')
    if tp * (W - e) + tc * W + math.max(1, math.min(est, tpm)) * W > tpm * W then ok = false end
  end
  if conc >= 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 5], '-inf', now)
    active = redis.call('ZCARD', KEYS[k + 5])
    if active >= conc then ok = false end
  end
  if usd >= 0 then
    spent = tonumber(redis.call('GET', KEYS[k + 6]) or '0')
    -- reservations of a crashed replica end with their lease
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 7], '-inf', now)
    for _, m in ipairs(redis.call('ZRANGE', KEYS[k + 7], 0, -1)) do
      reserved = reserved + (tonumber(string.match(m, '|(.*)$')) or 0)
    end
    if spent + reserved >= usd then ok = false end
  end
  out[#out + 1] = rc
  out[#out + 1] = rp
  out[#out + 1] = tc
  out[#out + 1] = tp
  out[#out + 1] = active
  out[#out + 1] = tostring(spent)
  out[#out + 1] = tostring(reserved)
end
if not ok then
  out[1] = 0
  return out
end
local ttl = 2 * W + 5000
for i = 0, n - 1 do
  local k, a = i * 7, 6 + i * 4
  if tonumber(ARGV[a + 1]) >= 0 then
    redis.call('INCR', KEYS[k + 1])
    redis.call('PEXPIRE', KEYS[k + 1], ttl)
  end
  if tonumber(ARGV[a + 2]) >= 0 and est > 0 then
    redis.call('INCRBY', KEYS[k + 3], est)
    redis.call('PEXPIRE', KEYS[k + 3], ttl)
  end
  if tonumber(ARGV[a + 3]) >= 0 then
    redis.call('ZADD', KEYS[k + 5], now + lease, ARGV[3])
    redis.call('PEXPIRE', KEYS[k + 5], lease + 5000)
  end
  if tonumber(ARGV[a + 4]) >= 0 and tonumber(ARGV[6]) > 0 then
    redis.call('ZADD', KEYS[k + 7], now + lease, member)
    redis.call('PEXPIRE', KEYS[k + 7], lease + 5000)
  end
end
return out
`)

/** Keys per scope: tpm bucket of the admission window, tpm bucket now, concurrency zset, budget
 *  spend now, budget reservations zset; then one last key: this ticket's settled marker.
 *  ARGV: ticket id, estimate, tokens, cost usd, scope count, reservation member, then per scope
 *  has-tpm (1/0), has-concurrency (1/0), budget key ttl ms (-1: no budget).
 *  Runs once per ticket (the marker), so a settle retried after a timeout never counts twice.
 *  The marker lives an hour: one small key per request (≈ 30 MB at 100 requests/s), long enough
 *  for a settle whose reply was lost to be retried.
 *  Returns 1, or 0 when the ticket was already settled. */
export const RELEASE = luaScript(`
if not redis.call('SET', KEYS[#KEYS], '1', 'NX', 'PX', 3600000) then return 0 end
local est = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
for i = 0, n - 1 do
  local k, a = i * 5, 6 + i * 3
  if ARGV[a + 1] == '1' then
    if est > 0 and redis.call('EXISTS', KEYS[k + 1]) == 1 then
      if redis.call('DECRBY', KEYS[k + 1], est) < 0 then redis.call('SET', KEYS[k + 1], 0, 'KEEPTTL') end
    end
    if tokens > 0 then
      redis.call('INCRBY', KEYS[k + 2], tokens)
      redis.call('PEXPIRE', KEYS[k + 2], 125000)
    end
  end
  if ARGV[a + 2] == '1' then redis.call('ZREM', KEYS[k + 3], ARGV[1]) end
  local ttl = tonumber(ARGV[a + 3])
  if ttl >= 0 then
    redis.call('ZREM', KEYS[k + 5], ARGV[6])
    if cost > 0 then
      redis.call('INCRBYFLOAT', KEYS[k + 4], ARGV[4])
      redis.call('PEXPIRE', KEYS[k + 4], ttl)
    end
  end
end
return 1
`)

/** INCR with a TTL refreshed on every use (round-robin positions). */
export const COUNTER = luaScript(`
local v = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return v
`)
