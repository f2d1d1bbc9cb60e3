-- Chat family: enqueue, leave, pick, transfer, move, answered, confirm, unclaim. Refusals come before any write.
local err, epoch = guard()
if err then return refuse(err, err) end
local ev = PAYLOAD

-- The operator, if they may take a chat of this scope right now (pick and transfer).
local function available(id, scope)
  local o = loadOp(id)
  if not o then return nil, refuse('unknown_operator', 'unknown operator ' .. id) end
  if not takesChats(o) or not contains(o.scopes, scope) then
    return nil, refuse('operator_unavailable', id .. ' cannot take chats of ' .. scope .. ' now')
  end
  if o.load >= o.capacity then return nil, refuse('over_capacity', id .. ' is at capacity') end
  return o
end

if ev.type == 'enqueue' then
  if redis.call('EXISTS', K('chat:' .. ev.conversationId)) == 0 then
    local c = { id = ev.conversationId, scope = ev.scope, status = 'queued', op = false, at = ev.enqueuedAt, rev = 0,
      ring = false, pending = false, pnode = '' }
    saveChat(c)
    redis.call('ZADD', K('q:' .. c.scope), c.at, c.id)
    touchScope(c.scope).changed = true
    ctx.drain[c.scope] = true
  end
elseif ev.type == 'leave' then
  local c = loadChat(ev.conversationId)
  if c then
    if c.status == 'queued' then
      redis.call('ZREM', K('q:' .. c.scope), c.id)
      touchScope(c.scope).changed = true
    else
      local o = loadOp(c.op)
      touchOp(o, 'leave')
      setRing(c, false)
      changeLoad(o, -1, c.id)
    end
    setPending(c, false)
    redis.call('DEL', K('chat:' .. c.id))
  end
elseif ev.type == 'pick' then
  local c = loadChat(ev.conversationId)
  if not c then return refuse('not_queued', ev.conversationId .. ' is not queued') end
  if c.status ~= 'queued' then return refuse('already_assigned', c.id .. ' is assigned') end
  local o, refusal = available(ev.operatorId, c.scope)
  if not o then return refusal end
  assign(c, o, 'pick', false)
elseif ev.type == 'transfer' then
  local c = loadChat(ev.conversationId)
  if not c or c.status ~= 'active' then return refuse('not_active', ev.conversationId .. ' is not active') end
  if c.op == ev.toOperatorId then return refuse('already_assigned', c.id .. ' is already theirs') end
  local o, refusal = available(ev.toOperatorId, c.scope)
  if not o then return refusal end
  assign(c, o, 'transfer', loadOp(c.op))
elseif ev.type == 'move' then
  local c = loadChat(ev.conversationId)
  if not c then return refuse('not_active', ev.conversationId .. ' is not open') end
  if c.scope == ev.scope then return refuse('already_assigned', c.id .. ' is there') end
  local from = c.scope
  local prev = false
  if c.status == 'active' then
    prev = loadOp(c.op)
    touchOp(prev, 'transfer')
    changeLoad(prev, -1, c.id)
    setRing(c, false)
    c.status = 'queued'
    c.op = false
    setPending(c, false)
  else
    redis.call('ZREM', K('q:' .. from), c.id)
  end
  touchScope(from).changed = true
  c.scope = ev.scope
  redis.call('ZADD', K('q:' .. c.scope), c.at, c.id)
  touchScope(c.scope).changed = true
  ctx.drain[c.scope] = true
  c.rev = redis.call('INCR', K('rev'))
  saveChat(c)
  ctx.effects[#ctx.effects + 1] = {
    type = 'moved', conversationId = c.id, scope = c.scope, fromScope = from,
    operatorId = prev and prev.id or cjson.null, rev = c.rev, enqueuedAt = c.at,
  }
elseif ev.type == 'answered' then
  local c = loadChat(ev.conversationId)
  if c and c.ring then
    setRing(c, false)
    saveChat(c)
  end
elseif ev.type == 'confirm' then
  local c = loadChat(ev.conversationId)
  if c and c.rev == ev.rev and c.pending then
    setPending(c, false)
    saveChat(c)
  end
elseif ev.type == 'unclaim' then
  local c = loadChat(ev.conversationId)
  if c and c.rev == ev.rev and c.pending and c.status == 'active' then requeue(c, false) end
end
return finish(epoch)
