-- Shared prelude of every routing script: the same rules as routing/decide.ts, statement for statement
-- (parity.test.ts runs both on random event sequences). Prepended to each family script.
--
-- KEYS[1] = the key root `<prefix>{r}:` (one hash tag: every key below lives in one Cluster slot).
-- ARGV[1] = node id, ARGV[2] = time in ms ('' = Redis TIME; tests pass their clock), ARGV[3] = grace ms,
-- ARGV[4] = lease ms, ARGV[5] = the epoch this node last saw, ARGV[6] = JSON payload (the event).
local ROOT = KEYS[1]
local NODE = ARGV[1]
local GRACE = tonumber(ARGV[3])
local LEASE = tonumber(ARGV[4])
local EPOCH_SEEN = ARGV[5]
local PAYLOAD = cjson.decode(ARGV[6])

local NOW
if ARGV[2] ~= '' then
  NOW = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function K(name) return ROOT .. name end

-- Byte order, like JavaScript's for the ids we use; Lua's `<` on strings follows the C locale's collation.
local function lt(a, b)
  if a == b then return false end
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function sortedKeys(set)
  local out = {}
  for k in pairs(set) do out[#out + 1] = k end
  table.sort(out, lt)
  return out
end

local function contains(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

local function refuse(reason, message)
  return cjson.encode({ refused = reason, message = message })
end

-- Refuses a node whose lease expired (it was presumed dead and reaped). After a rebuild (new epoch) the
-- lease table was lost too: a node that had not seen the new epoch re-registers instead.
local function guard()
  local epoch = redis.call('GET', K('epoch'))
  if not epoch then return 'state_lost' end
  local exp = redis.call('ZSCORE', K('nodes'), NODE)
  if exp and tonumber(exp) > NOW then return nil, epoch end
  if not exp and epoch ~= EPOCH_SEEN then
    redis.call('ZADD', K('nodes'), NOW + LEASE, NODE)
    return nil, epoch
  end
  return 'lease_lost'
end

-- Operators -----------------------------------------------------------------------------------------------
local OPF = { 'scopes', 'capacity', 'chosen', 'active', 'status', 'load', 'idle', 'conns', 'grace', 'cscopes',
  'conline', 'ccap', 'aaway', 'auto' }
local opCache = {}

local function loadOp(id)
  if opCache[id] then return opCache[id] end
  local v = redis.call('HMGET', K('op:' .. id), unpack(OPF))
  if not v[1] then return nil end
  local o = {
    id = id, scopes = cjson.decode(v[1]), capacity = tonumber(v[2]), chosen = v[3], active = v[4] == '1',
    status = v[5], load = tonumber(v[6]), idle = tonumber(v[7]), conns = tonumber(v[8]),
    grace = v[9] ~= '' and tonumber(v[9]) or false, cscopes = cjson.decode(v[10]), conline = tonumber(v[11]),
    ccap = tonumber(v[12]), aaway = (v[13] and v[13] ~= '') and tonumber(v[13]) or false, auto = v[14] == '1',
  }
  opCache[id] = o
  return o
end

local RANK = { offline = 0, away = 1, online = 2 }

local function effective(o)
  if not o.active then return 'offline' end
  if o.conns > 0 then return o.chosen end
  if o.grace then
    if RANK[o.chosen] < RANK[o.status] then return o.chosen end
    return o.status
  end
  return 'offline'
end

local function takesChats(o) return o.active and o.conns > 0 and o.chosen == 'online' end

-- avail:<scope> orders operators by most free slots, then idle longest, then id (equal scores sort by
-- member): score = idleSince - free * 1e13 (exact in a double for free <= 800 and times before 2286).
local function availScore(o) return o.idle - math.min(o.capacity - o.load, 800) * 1e13 end

-- Per-event context: what changed, for the effects (decide.ts `Ctx`).
local ctx = { effects = {}, ops = {}, scopes = {}, drain = {} }

local function scopeCounts(s)
  local v = redis.call('HMGET', K('sc:' .. s), 'online', 'cap')
  return tonumber(v[1] or '0'), tonumber(v[2] or '0')
end

local function touchScope(s)
  local t = ctx.scopes[s]
  if not t then
    local online, cap = scopeCounts(s)
    t = { changed = false, online = online > 0, cap = cap }
    ctx.scopes[s] = t
  end
  return t
end

local function touchOp(o, reason)
  if not ctx.ops[o.id] then
    ctx.ops[o.id] = { status = o.status, chosen = o.chosen, load = o.load, capacity = o.capacity, reason = reason }
  end
  for _, s in ipairs(o.scopes) do touchScope(s) end
end

-- Re-derives the effective status, the scope indexes (operators, available, online count, routable
-- capacity) and writes the operator back. Every change to an operator ends here.
local function sameList(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end

local function refresh(o)
  local st = effective(o)
  if st == 'online' and o.status ~= 'online' then o.idle = NOW end
  o.status = st
  local routable = takesChats(o)
  local free = routable and o.load < o.capacity
  local conline = st == 'online' and 1 or 0
  local ccap = routable and o.capacity or 0
  if sameList(o.cscopes, o.scopes) then
    -- The usual case (load, status or connections changed): adjust the counters by the difference only.
    for _, s in ipairs(o.scopes) do
      if conline ~= o.conline then redis.call('HINCRBY', K('sc:' .. s), 'online', conline - o.conline) end
      if ccap ~= o.ccap then redis.call('HINCRBY', K('sc:' .. s), 'cap', ccap - o.ccap) end
      if free then redis.call('ZADD', K('avail:' .. s), availScore(o), o.id)
      else redis.call('ZREM', K('avail:' .. s), o.id) end
    end
  else
    for _, s in ipairs(o.cscopes) do
      redis.call('SREM', K('sops:' .. s), o.id)
      redis.call('ZREM', K('avail:' .. s), o.id)
      if o.conline ~= 0 then redis.call('HINCRBY', K('sc:' .. s), 'online', -o.conline) end
      if o.ccap ~= 0 then redis.call('HINCRBY', K('sc:' .. s), 'cap', -o.ccap) end
    end
    for _, s in ipairs(o.scopes) do
      redis.call('SADD', K('sops:' .. s), o.id)
      if free then redis.call('ZADD', K('avail:' .. s), availScore(o), o.id) end
      if conline ~= 0 then redis.call('HINCRBY', K('sc:' .. s), 'online', conline) end
      if ccap ~= 0 then redis.call('HINCRBY', K('sc:' .. s), 'cap', ccap) end
    end
  end
  if free then for _, s in ipairs(o.scopes) do ctx.drain[s] = true end end
  o.conline = conline
  o.ccap = ccap
  o.cscopes = o.scopes
  local scopesJson = cjson.encode(o.scopes)
  if #o.scopes == 0 then scopesJson = '[]' end
  redis.call('HSET', K('op:' .. o.id), 'scopes', scopesJson, 'capacity', o.capacity, 'chosen', o.chosen,
    'active', o.active and '1' or '0', 'status', o.status, 'load', o.load, 'idle', o.idle, 'conns', o.conns,
    'grace', o.grace or '', 'cscopes', scopesJson, 'conline', o.conline, 'ccap', o.ccap, 'aaway', o.aaway or '',
    'auto', o.auto and '1' or '0')
end

local function setGrace(o, at)
  o.grace = at
  if at then redis.call('ZADD', K('timers'), at, 'g:' .. o.id) else redis.call('ZREM', K('timers'), 'g:' .. o.id) end
end

-- Auto-away (decide-steps.ts `autoAwayMsOf`, `armAway`): the shortest non-zero period of the scopes.
local function autoAwayMsOf(o)
  local ms = 0
  for _, s in ipairs(o.scopes) do
    local v = tonumber(redis.call('HGET', K('sc:' .. s), 'aaway') or '0') or 0
    if v > 0 and (ms == 0 or v < ms) then ms = v end
  end
  return ms
end

local function armAway(o)
  local ms = autoAwayMsOf(o)
  if o.active and o.conns > 0 and o.chosen == 'online' and ms > 0 then
    o.aaway = NOW + ms
    redis.call('ZADD', K('timers'), o.aaway, 'a:' .. o.id)
  else
    o.aaway = false
    redis.call('ZREM', K('timers'), 'a:' .. o.id)
  end
end

-- Chats ---------------------------------------------------------------------------------------------------
local CF = { 'scope', 'status', 'op', 'at', 'rev', 'ring', 'pending', 'pnode' }
local chatCache = {}

local function loadChat(id)
  if chatCache[id] then return chatCache[id] end
  local v = redis.call('HMGET', K('chat:' .. id), unpack(CF))
  if not v[1] then return nil end
  local c = {
    id = id, scope = v[1], status = v[2], op = v[3] ~= '' and v[3] or false, at = tonumber(v[4]),
    rev = tonumber(v[5]), ring = v[6] ~= '' and tonumber(v[6]) or false, pending = v[7] == '1',
    pnode = v[8],
  }
  chatCache[id] = c
  return c
end

local function saveChat(c)
  redis.call('HSET', K('chat:' .. c.id), 'scope', c.scope, 'status', c.status, 'op', c.op or '', 'at', c.at,
    'rev', c.rev, 'ring', c.ring or '', 'pending', c.pending and '1' or '0', 'pnode', c.pnode)
end

local function setRing(c, at)
  c.ring = at
  if at then redis.call('ZADD', K('timers'), at, 'r:' .. c.id) else redis.call('ZREM', K('timers'), 'r:' .. c.id) end
end

local function setPending(c, node)
  if c.pending then redis.call('SREM', K('pend:' .. c.pnode), c.id) end
  c.pending = node ~= false
  c.pnode = node or ''
  if node then redis.call('SADD', K('pend:' .. node), c.id) end
end

local function queueOrderLt(a, b) return a.at < b.at or (a.at == b.at and lt(a.id, b.id)) end

-- Decisions -----------------------------------------------------------------------------------------------
local function changeLoad(o, delta, chatId)
  o.load = o.load + delta
  if delta > 0 then redis.call('SADD', K('opchats:' .. o.id), chatId)
  else redis.call('SREM', K('opchats:' .. o.id), chatId) end
  if o.load == 0 then o.idle = NOW end
  refresh(o)
end

local function assign(c, o, reason, prev)
  if c.status == 'queued' then
    redis.call('ZREM', K('q:' .. c.scope), c.id)
    touchScope(c.scope).changed = true
  end
  if prev then
    touchOp(prev, reason)
    changeLoad(prev, -1, c.id)
  end
  touchOp(o, reason)
  c.status = 'active'
  c.op = o.id
  c.rev = redis.call('INCR', K('rev'))
  setPending(c, NODE)
  local ringMs = tonumber(redis.call('HGET', K('sc:' .. c.scope), 'ring') or '0')
  if reason == 'route' and ringMs > 0 then setRing(c, NOW + ringMs) else setRing(c, false) end
  changeLoad(o, 1, c.id)
  saveChat(c)
  ctx.effects[#ctx.effects + 1] = {
    type = 'assigned', conversationId = c.id, scope = c.scope, operatorId = o.id,
    previousOperatorId = prev and prev.id or cjson.null, rev = c.rev, enqueuedAt = c.at, reason = reason,
  }
end

-- Back to the queue at its original position; reason false = an unclaim (no rev, no effect).
local function requeue(c, reason)
  local o = loadOp(c.op)
  touchOp(o, reason or 'unclaim')
  changeLoad(o, -1, c.id)
  setRing(c, false)
  c.status = 'queued'
  c.op = false
  setPending(c, false)
  redis.call('ZADD', K('q:' .. c.scope), c.at, c.id)
  touchScope(c.scope).changed = true
  ctx.drain[c.scope] = true
  if reason then
    c.rev = redis.call('INCR', K('rev'))
    ctx.effects[#ctx.effects + 1] = {
      type = 'requeued', conversationId = c.id, scope = c.scope, operatorId = o.id, rev = c.rev,
      enqueuedAt = c.at, reason = reason,
    }
  end
  saveChat(c)
end

local function requeueAll(o, reason)
  local chats = {}
  for _, id in ipairs(redis.call('SMEMBERS', K('opchats:' .. o.id))) do chats[#chats + 1] = loadChat(id) end
  table.sort(chats, queueOrderLt)
  for _, c in ipairs(chats) do requeue(c, reason) end
end

local function drain()
  local scopes = sortedKeys(ctx.drain)
  ctx.drain = {}
  while true do
    local pick = nil
    for _, s in ipairs(scopes) do
      local head = redis.call('ZRANGE', K('q:' .. s), 0, 0, 'WITHSCORES')
      if head[1] then
        local h = { id = head[1], at = tonumber(head[2]) }
        if not pick or queueOrderLt(h, pick) then
          local best = redis.call('ZRANGE', K('avail:' .. s), 0, 0)
          if best[1] then pick = { id = h.id, at = h.at, op = best[1] } end
        end
      end
    end
    if not pick then return end
    assign(loadChat(pick.id), loadOp(pick.op), 'route', false)
  end
end

local function applyChosen(o, chosen)
  o.chosen = chosen
  if chosen == 'online' then
    if o.conns > 0 then setGrace(o, false) end
  elseif o.load > 0 and not o.grace then
    setGrace(o, NOW + GRACE)
  end
end

-- `at`: when the session ended (a reaped node's lease expiry; NOW otherwise): the grace runs from then.
local function sessionClose(socketId, at)
  at = at or NOW
  local raw = redis.call('HGET', K('sock'), socketId)
  if not raw then return end
  local sk = cjson.decode(raw)
  redis.call('HDEL', K('sock'), socketId)
  redis.call('SREM', K('nsock:' .. sk.n), socketId)
  local o = loadOp(sk.o)
  if not o then return end
  touchOp(o, 'session_close')
  o.conns = o.conns - 1
  if o.conns == 0 and o.active and not o.grace then setGrace(o, at + GRACE) end
  if o.conns == 0 and o.aaway then armAway(o) end
  refresh(o)
end

-- A dead (or leaving) node: its console sessions close into grace, its unconfirmed claims are reported.
local function nodeDown(node, at)
  local socks = redis.call('SMEMBERS', K('nsock:' .. node))
  table.sort(socks, lt)
  for _, s in ipairs(socks) do sessionClose(s, at) end
  redis.call('DEL', K('nsock:' .. node))
  local claims = redis.call('SMEMBERS', K('pend:' .. node))
  table.sort(claims, lt)
  for _, id in ipairs(claims) do
    local c = loadChat(id)
    if c and c.pending and c.pnode == node then
      ctx.effects[#ctx.effects + 1] = { type = 'orphaned_claim', conversationId = id, operatorId = c.op, rev = c.rev }
    end
  end
end

-- Effects: decisions in order, then operator changes (by id), queue changes and availability (by scope).
local function finish(epoch)
  drain()
  for _, id in ipairs(sortedKeys(ctx.ops)) do
    local b = ctx.ops[id]
    local o = opCache[id]
    if b.status ~= o.status or b.chosen ~= o.chosen or b.load ~= o.load or b.capacity ~= o.capacity then
      ctx.effects[#ctx.effects + 1] = {
        type = 'operator', operatorId = id, status = o.status, previousStatus = b.status, chosen = o.chosen,
        load = o.load, capacity = o.capacity, reason = b.reason, since = b.since,
      }
    end
  end
  local scopes = sortedKeys(ctx.scopes)
  local after = {}
  for _, s in ipairs(scopes) do
    local online, cap = scopeCounts(s)
    after[s] = online > 0
    if ctx.scopes[s].changed or ctx.scopes[s].cap ~= cap then
      ctx.effects[#ctx.effects + 1] = { type = 'queue_changed', scope = s }
    end
  end
  for _, s in ipairs(scopes) do
    if after[s] ~= ctx.scopes[s].online then
      ctx.effects[#ctx.effects + 1] = { type = 'availability', scope = s, online = after[s] }
    end
  end
  if #ctx.effects == 0 then return '{"effects":[],"epoch":' .. cjson.encode(epoch or '') .. '}' end
  return cjson.encode({ effects = ctx.effects, epoch = epoch or '' })
end
