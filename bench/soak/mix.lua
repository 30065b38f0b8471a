-- wrk script: the soak's request mix. 60% front page, 20% item pages, 10% API list (all
-- logged out), 10% authenticated API votes that alternate up and withdraw.
local token = os.getenv("GUILD_TOKEN")
local items = tonumber(os.getenv("GUILD_ITEMS") or "240")
local n = 0
request = function()
  n = n + 1
  local r = n % 10
  local item = (n * 7919) % items + 1
  if r < 6 then
    return wrk.format("GET", "/")
  elseif r < 8 then
    return wrk.format("GET", "/i/" .. item)
  elseif r < 9 then
    return wrk.format("GET", "/api/v1/items?limit=30")
  end
  local body = '{"value":' .. (math.floor(n / 10) % 2) .. '}'
  return wrk.format("POST", "/api/v1/items/" .. item .. "/vote",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
