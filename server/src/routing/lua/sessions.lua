-- Session family: session_open (idempotent per socket), session_close (the last one starts grace).
local err, epoch = guard()
if err then return refuse(err, err) end
local ev = PAYLOAD

if ev.type == 'session_open' then
  local o = loadOp(ev.operatorId)
  if not o then return refuse('unknown_operator', 'unknown operator ' .. ev.operatorId) end
  if redis.call('HEXISTS', K('sock'), ev.socketId) == 0 then
    touchOp(o, 'session_open')
    redis.call('HSET', K('sock'), ev.socketId, cjson.encode({ o = o.id, n = NODE }))
    redis.call('SADD', K('nsock:' .. NODE), ev.socketId)
    o.conns = o.conns + 1
    if o.chosen == 'online' then setGrace(o, false) end
    if not o.aaway then armAway(o) end
    refresh(o)
  end
elseif ev.type == 'session_close' then
  sessionClose(ev.socketId)
end
return finish(epoch)
