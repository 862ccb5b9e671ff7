-- GETs the URL with a query parameter no earlier request sent, so no page
-- is served from the one-second page cache: the cost of rendering it.
-- Reports like wrk-report.lua.
dofile("scripts/wrk-report.lua")

local prefix

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  prefix = tostring(math.random(1, 1000000000))
end

local counter = 0

request = function()
  counter = counter + 1
  local separator = wrk.path:find("?", 1, true) and "&" or "?"
  return wrk.format("GET", wrk.path .. separator .. "fresh=" .. prefix .. "-" .. counter)
end
