-- The place-order path (CHK-4): every request is a new shopper's one-unit
-- cash order through the checkout server function, with its own idempotency
-- key, spread over the variants in BENCH_VARIANTS (ids, comma-separated).
-- Reports like wrk-report.lua plus "placed" (answers that placed an order)
-- and "placed_per_s".
dofile("scripts/wrk-report.lua")

local variants = {}
for v in string.gmatch(os.getenv("BENCH_VARIANTS"), "%d+") do
  variants[#variants + 1] = v
end
local template = '{"key":"wrk-%d-%03d-%010d","cart":{"version":2,"lines":[{"variant_id":%s,"quantity":1}]},'
  .. '"choices":{"promo_code":null,"delivery":"courier","instalment_months":null},'
  .. '"form":{"name":"Bench Buyer","phone":"+795%08d","email":"buyer%d@example.com",'
  .. '"delivery":"courier","city":"Москва","address":"ул. Примерная, 1","postcode":"",'
  .. '"pickup_point":null,"payment":"cash_on_delivery","comment":""},"lang":"Ru"}'
local threads = {}

setup = function(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

init = function(args)
  -- Keys stay unique across runs on the same database (no idempotent replays).
  run = os.time()
  sent = 0
  placed = 0
  headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["Origin"] = os.getenv("BENCH_ORIGIN"),
  }
end

request = function()
  sent = sent + 1
  local n = id * 10000000 + sent
  local body = string.format(template, run, id, sent, variants[n % #variants + 1], n % 100000000, n)
  return wrk.format("POST", nil, headers, body)
end

response = function(status, headers, body)
  if status == 200 and string.find(body, '"Placed"', 1, true) then
    placed = placed + 1
  end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("placed")
  end
  report(summary, latency, string.format(',"placed":%d,"placed_per_s":%.1f',
    total, total / (summary.duration / 1e6)))
end
