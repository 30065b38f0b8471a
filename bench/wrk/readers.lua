-- wrk script for bench/http: every request a new logged-out reader of the same item page (a
-- User-Agent of its own, so a visitor hash of its own): each view records a reader signal.
local n = 0
local thread_tag = tostring(math.random(1, 1000000000))
request = function()
  n = n + 1
  return wrk.format("GET", wrk.path, {["User-Agent"] = "bench-reader-" .. thread_tag .. "-" .. n})
end
