-- Node liveness: join, renew (heartbeat), sweep (reap expired nodes, each exactly once), leave.
local mode = PAYLOAD.mode
local epoch = redis.call('GET', K('epoch'))

if mode == 'renew' then
  local exp = redis.call('ZSCORE', K('nodes'), NODE)
  -- Alive, or the state was lost/rebuilt since this node last looked (it was not reaped): renew.
  if (exp and tonumber(exp) > NOW) or (not exp and (not epoch or epoch ~= EPOCH_SEEN)) then
    redis.call('ZADD', K('nodes'), NOW + LEASE, NODE)
    return cjson.encode({ ok = true, epoch = epoch or '' })
  end
  return cjson.encode({ ok = false, epoch = epoch or '' })
elseif mode == 'join' then
  -- A node id that comes back first reaps what its previous life left behind (effects: next sweep).
  redis.call('ZREM', K('nodes'), NODE)
  if epoch then nodeDown(NODE) end
  redis.call('ZADD', K('nodes'), NOW + LEASE, NODE)
  return finish(epoch)
end

local err
err, epoch = guard()
-- Nothing to reap or leave in a lost state (the leases went with it); the shell goes on to rebuild it.
if err == 'state_lost' then return '{"effects":[],"epoch":""}' end
if err then return refuse(err, err) end
if mode == 'sweep' then
  local raw = redis.call('ZRANGEBYSCORE', K('nodes'), '-inf', NOW, 'WITHSCORES')
  local dead, expired = {}, {}
  for i = 1, #raw, 2 do
    dead[#dead + 1] = raw[i]
    expired[raw[i]] = tonumber(raw[i + 1])
  end
  table.sort(dead, lt)
  for _, node in ipairs(dead) do
    -- Removed first, inside this script: whoever sweeps first reaps it; nobody reaps it twice. Its consoles'
    -- grace runs from its lease expiry, so a cluster that was down as a whole does not count as covered.
    redis.call('ZREM', K('nodes'), node)
    nodeDown(node, math.min(expired[node], NOW))
  end
elseif mode == 'leave' then
  nodeDown(NODE)
  redis.call('ZREM', K('nodes'), NODE)
end
return finish(epoch)
