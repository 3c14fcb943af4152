/**
 * Lua scripts for limits shared by every worker process. They read the clock with Redis TIME,
 * so machines with skewed clocks still agree.
 */
const NOW_MS = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Lua: true when the process owning `token` (`<process id>|…`) still beats. Keys beyond KEYS are
 * reached by name, which a single Redis (as Bull itself needs) allows.
 */
export const OWNER_ALIVE = `
local function ownerAlive(heartbeatPrefix, token)
  local owner = string.match(token, '^([^|]+)|')
  return owner == nil or redis.call('EXISTS', heartbeatPrefix .. owner) == 1
end`;

/**
 * KEYS[1] holders zset, KEYS[2] heartbeat key prefix, KEYS[3] rate counter prefix.
 * ARGV: max in flight, ttlMs, token, max per second (0: no limit).
 * Takes a permit and this second's first rate token together. Returns 1 when taken, 0 when every
 * permit is held, or minus the ms until the next second when this one's rate is spent. At
 * capacity, permits of processes that stopped beating are reclaimed first.
 */
export const ACQUIRE_PERMIT = `${NOW_MS}
${OWNER_ALIVE}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  for _, holder in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if not ownerAlive(KEYS[2], holder) then redis.call('ZREM', KEYS[1], holder) end
  end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
local rps = tonumber(ARGV[4])
if rps > 0 then
  local counter = KEYS[3] .. ':' .. math.floor(now / 1000)
  local used = tonumber(redis.call('GET', counter) or '0')
  if used >= rps then return -(1000 - (now % 1000)) end
  redis.call('INCR', counter)
  redis.call('PEXPIRE', counter, 2000)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`;

/** KEYS[1] counter prefix. ARGV: max per second. Returns 0, or ms to wait for the next second. */
export const TAKE_RATE_TOKEN = `${NOW_MS}
local second = math.floor(now / 1000)
local key = KEYS[1] .. ':' .. second
local count = redis.call('INCR', key)
if count == 1 then redis.call('PEXPIRE', key, 2000) end
if count <= tonumber(ARGV[1]) then return 0 end
return 1000 - (now % 1000)`;

/**
 * KEYS[1] breaker hash. ARGV: threshold, baseCooldownMs, maxCooldownMs.
 * Counts a target failure; opens the circuit at the threshold, or again after a failed probe.
 */
export const BREAKER_FAILURE = `${NOW_MS}
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local cooldown = tonumber(redis.call('HGET', KEYS[1], 'cooldown') or ARGV[2])
if state == 'half_open' then
  cooldown = math.min(cooldown * 2, tonumber(ARGV[3]))
  redis.call('HSET', KEYS[1], 'state', 'open', 'until', now + cooldown, 'cooldown', cooldown)
  redis.call('HINCRBY', KEYS[1], 'opened', 1)
  return 'open'
elseif state == 'closed' and failures >= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'state', 'open', 'until', now + cooldown, 'cooldown', cooldown, 'since', now)
  redis.call('HINCRBY', KEYS[1], 'opened', 1)
  return 'open'
end
return state`;

/** KEYS[1] breaker hash. ARGV: baseCooldownMs. Closes the circuit after any success. */
export const BREAKER_SUCCESS = `
local failures = redis.call('HGET', KEYS[1], 'failures')
local state = redis.call('HGET', KEYS[1], 'state')
if (failures and failures ~= '0') or (state and state ~= 'closed') then
  redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0, 'cooldown', ARGV[1])
  redis.call('HDEL', KEYS[1], 'until', 'since')
  return 1
end
return 0`;

/**
 * KEYS[1] breaker hash. ARGV: probe lease ms, token. Returns 'closed' (go), 'closed:failing' (go;
 * failures are being counted), 'probe' (go, as the one request that tests the target),
 * 'refused' (the target refused the credentials: nothing goes), or the ms to wait.
 */
export const BREAKER_CHECK = `${NOW_MS}
if redis.call('EXISTS', KEYS[1] .. ':refused') == 1 then return 'refused' end
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if state == 'closed' then
  if tonumber(redis.call('HGET', KEYS[1], 'failures') or '0') > 0 then return 'closed:failing' end
  return 'closed'
end
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'until') or 0)
if state == 'open' and now < untilMs then return tostring(untilMs - now) end
local probe = KEYS[1] .. ':probe'
if redis.call('SET', probe, ARGV[2], 'NX', 'PX', ARGV[1]) then
  redis.call('HSET', KEYS[1], 'state', 'half_open')
  return 'probe'
end
return tostring(math.min(500, redis.call('PTTL', probe)))`;
