-- wrk script for bench/http: the write mix, alternating an API vote (up, then withdrawn on
-- the next visit) and an API comment, spread over the benchmark guild's links.
local token = os.getenv("GUILD_TOKEN")
local items = tonumber(os.getenv("GUILD_ITEMS") or "20000")
local n = 0
request = function()
  n = n + 1
  local item = (n * 7919) % (items - 1) + 2
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  if n % 2 == 0 then
    local body = '{"value":' .. (math.floor(n / 2) % 2) .. '}'
    return wrk.format("POST", "/api/v1/items/" .. item .. "/vote", headers, body)
  end
  return wrk.format("POST", "/api/v1/items/" .. item .. "/comments", headers,
    '{"body":"Benchmark comment ' .. n .. ': the pricing page matters more than the deck."}')
end
