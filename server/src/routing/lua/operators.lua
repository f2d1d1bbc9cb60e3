-- Operator family: operator_upsert, scope_settings, status (decide.ts `upsert`, `applyChosen`).
local err, epoch = guard()
if err then return refuse(err, err) end
local ev = PAYLOAD

if ev.type == 'operator_upsert' then
  local d = ev.operator
  local o = loadOp(d.id)
  if not o then
    o = { id = d.id, scopes = d.scopes, capacity = d.capacity, chosen = d.chosen, active = d.active,
      status = 'offline', load = 0, idle = NOW, conns = 0, grace = false, cscopes = {}, conline = 0, ccap = 0 }
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
    setGrace(o, false)
    requeueAll(o, 'deactivated')
  elseif d.chosen ~= o.chosen then
    applyChosen(o, d.chosen)
  end
  refresh(o)
elseif ev.type == 'scope_settings' then
  redis.call('HSET', K('sc:' .. ev.scope), 'ring', ev.settings.ringTimeoutMs)
elseif ev.type == 'status' then
  local o = loadOp(ev.operatorId)
  if not o then return refuse('unknown_operator', 'unknown operator ' .. ev.operatorId) end
  touchOp(o, 'status')
  if type(ev.capacity) == 'number' then o.capacity = ev.capacity end
  applyChosen(o, ev.chosen)
  refresh(o)
end
return finish(epoch)
