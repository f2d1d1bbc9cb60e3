-- Timers as data: every ring, grace and auto-away deadline due at NOW fires exactly once, in (deadline, key) order.
local err, epoch = guard()
if err then return refuse(err, err) end

local due = redis.call('ZRANGEBYSCORE', K('timers'), '-inf', NOW, 'WITHSCORES')
redis.call('ZREMRANGEBYSCORE', K('timers'), '-inf', NOW)
for i = 1, #due, 2 do
  local key, at = due[i], tonumber(due[i + 1])
  local id = string.sub(key, 3)
  if string.sub(key, 1, 2) == 'g:' then
    local o = loadOp(id)
    if o and o.grace == at then
      -- Grace over: without a console the operator is offline; not online → their chats go back.
      touchOp(o, 'grace_expired')
      ctx.ops[o.id].since = o.grace - GRACE
      setGrace(o, false)
      refresh(o)
      if o.status ~= 'online' then requeueAll(o, 'grace_expired') end
    end
  elseif string.sub(key, 1, 2) == 'a:' then
    local o = loadOp(id)
    if o and o.aaway == at then
      -- No console activity for the auto-away period: online becomes away (decide.ts `autoAwayDue`).
      touchOp(o, 'auto_away')
      o.aaway = false
      if o.active and o.conns > 0 and o.chosen == 'online' then
        o.auto = true
        applyChosen(o, 'away')
      end
      refresh(o)
    end
  else
    local c = loadChat(id)
    if c and c.status == 'active' and c.ring == at then
      -- Not answered in time: back in line, and the operator is set away (keeping other chats for grace).
      local o = loadOp(c.op)
      requeue(c, 'ring_timeout')
      o.auto = false
      applyChosen(o, 'away')
      armAway(o)
      refresh(o)
    end
  end
end
return finish(epoch)
