-- GETs the URL with a different price cap on every request, so each asks a
-- listing no earlier request asked (no cached answer: the listing's cost).
-- Reports like wrk-report.lua.
dofile("scripts/wrk-report.lua")

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

request = function()
  -- Caps from 3,000.00 to 8,000.00 in kopecks: 500,001 different listings.
  local cap = string.format("price_max=%.2f", math.random(300000, 800000) / 100)
  return wrk.format("GET", (wrk.path:gsub("price_max=[%d.]+", cap)))
end
