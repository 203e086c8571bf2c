-- wrk script: POST one dunning decision service call per request (an overdue invoice of a grade E buyer), as a
-- collections system would. Prints one CSV line at the end, as decide.lua does.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("TERMSGATE_API_KEY") or "demo-client"
wrk.body = '{"Days Past Due": 35, "Amount": 7000.10, "Risk Grade": "E", "Reminders Sent": 2, "Disputed": false}'

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT,%.0f,%.2f,%.2f,%.2f,%.2f,%d,%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, summary.errors.status, errors))
end
