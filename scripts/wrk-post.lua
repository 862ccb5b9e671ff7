-- POSTs BENCH_BODY as JSON (a server function call) and reports like wrk-report.lua.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
dofile("scripts/wrk-report.lua")
