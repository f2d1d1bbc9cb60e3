-- Operator family: operator_upsert, scope_settings, status, activity (decide.ts `upsert`, `activity`).
local err, epoch = guard()
if err then return refuse(err, err) end
local ev = PAYLOAD

if ev.type == 'operator_upsert' then
  local d = ev.operator
  local o = loadOp(d.id)
  if not o then
    o = { id = d.id, scopes = d.scopes, capacity = d.capacity, chosen = d.chosen, active = d.active,
      status = 'offline', load = 0, idle = NOW, conns = 0, grace = false, cscopes = {}, conline = 0, ccap = 0,
      aaway = false, auto = false }
    opCache[d.id] = o
    redis.call('SADD', K('ops'), d.id)
  end
  touchOp(o, 'operator_upsert')
  for _, s in ipairs(d.scopes) do touchScope(s) end
  o.scopes = d.scopes
  o.capacity = d.capacity
  o.active = d.active
  if not d.active then
    o.chosen = d.chosen
    o.auto = false
    setGrace(o, false)
    requeueAll(o, 'deactivated')
    armAway(o)
  elseif d.chosen ~= o.chosen and not (o.auto and d.chosen == 'online') then
    o.auto = false
    applyChosen(o, d.chosen)
    armAway(o)
  end
  refresh(o)
elseif ev.type == 'scope_settings' then
  redis.call('HSET', K('sc:' .. ev.scope), 'ring', ev.settings.ringTimeoutMs, 'aaway',
    tonumber(ev.settings.autoAwayMs) or 0)
elseif ev.type == 'status' then
  local o = loadOp(ev.operatorId)
  if not o then return refuse('unknown_operator', 'unknown operator ' .. ev.operatorId) end
  touchOp(o, 'status')
  if type(ev.capacity) == 'number' then o.capacity = ev.capacity end
  o.auto = false
  applyChosen(o, ev.chosen)
  armAway(o)
  refresh(o)
elseif ev.type == 'activity' then
  local o = loadOp(ev.operatorId)
  if not o then return refuse('unknown_operator', 'unknown operator ' .. ev.operatorId) end
  touchOp(o, 'activity')
  if o.auto and o.chosen == 'away' then
    o.auto = false
    applyChosen(o, 'online')
  end
  armAway(o)
  refresh(o)
end
return finish(epoch)
