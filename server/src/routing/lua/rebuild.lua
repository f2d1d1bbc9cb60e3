-- Rebuild from the store's snapshot (routing state lost): wipe every routing key but the rebuild lock, load
-- operators and open chats (state.ts `fromSnapshot`), then mark the state complete with a new epoch.
-- Nodes are not guarded here: the lease table is part of what was lost.
if redis.call('GET', K('rebuild')) ~= PAYLOAD.token then return cjson.encode({ ok = false }) end

local pattern = string.gsub(ROOT, '([%*%?%[%]\\])', '\\%1') .. '*'
local cursor = '0'
repeat
  local r = redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)
  cursor = r[1]
  for _, key in ipairs(r[2]) do
    if key ~= K('rebuild') then redis.call('DEL', key) end
  end
until cursor == '0'

local snap = PAYLOAD.snapshot
for scope, st in pairs(snap.settings) do
  redis.call('HSET', K('sc:' .. scope), 'ring', st.ringTimeoutMs, 'aaway', tonumber(st.autoAwayMs) or 0)
end

-- Every active operator keeps their status and chats for the grace period while nodes re-announce sessions.
local order = {}
for _, d in ipairs(snap.operators) do
  local o = { id = d.id, scopes = d.scopes, capacity = d.capacity, chosen = d.chosen, active = d.active,
    status = d.active and (type(d.status) == 'string' and d.status or d.chosen) or 'offline', load = 0, idle = NOW,
    conns = 0,
    grace = d.active and (NOW + PAYLOAD.graceMs) or false, cscopes = {}, conline = 0, ccap = 0, aaway = false,
    auto = false }
  opCache[d.id] = o
  order[#order + 1] = o
  redis.call('SADD', K('ops'), d.id)
  if o.grace then redis.call('ZADD', K('timers'), o.grace, 'g:' .. o.id) end
end

local rev = 0
for _, s in ipairs(snap.chats) do
  if s.rev > rev then rev = s.rev end
  local owner = type(s.operatorId) == 'string' and opCache[s.operatorId] or nil
  local active = s.status == 'active' and owner ~= nil
  local c = { id = s.conversationId, scope = s.scope, status = active and 'active' or 'queued',
    op = active and owner.id or false, at = s.enqueuedAt, rev = s.rev, ring = false, pending = false, pnode = '' }
  saveChat(c)
  if active then
    owner.load = owner.load + 1
    redis.call('SADD', K('opchats:' .. owner.id), c.id)
  else
    redis.call('ZADD', K('q:' .. c.scope), c.at, c.id)
  end
end
redis.call('SET', K('rev'), rev)
for _, o in ipairs(order) do refresh(o) end
redis.call('SET', K('epoch'), PAYLOAD.epoch)
redis.call('DEL', K('rebuild'))
return cjson.encode({ ok = true, epoch = PAYLOAD.epoch })
