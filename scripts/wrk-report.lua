-- Prints one JSON line with the run's figures (latencies in milliseconds).
-- `extra` (optional) adds fields, e.g. the orders a run placed.
function report(summary, latency, extra)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    '{"requests":%d,"rps":%.1f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"errors":%d,'
      .. '"errors_by_kind":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}%s}\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors,
    e.connect, e.read, e.write, e.status, e.timeout,
    extra or ""))
end

done = function(summary, latency, requests)
  report(summary, latency)
end
