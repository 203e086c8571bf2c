-- wrk script: POST one credit decision request (the policy's first worked example) per call, as checkout would.
-- Prints one CSV line at the end: requests/s, latency percentiles in ms, non-2xx answers, socket errors.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("TERMSGATE_API_KEY") or "demo-checkout"
wrk.body = '{"customer":{"id":"EX-01","country":"DE","industry":"MANUFACTURING","yearsInBusiness":7,"annualRevenue":20000000,"creditScore":70,"paymentHistory":{"invoicesPaid":24,"avgDaysBeyondTerms":4,"maxDaysPastDue":12},"outstandingBalance":50000,"flags":[]},"order":{"amount":25000,"currency":"EUR","requestedTermDays":60}}'

-- PACE_MS=n: each connection waits n ms before each request (after its previous answer), so that 32 connections at
-- PACE_MS=20 offer about 1,500 requests/s: the latency at a chosen rate rather than at saturation.
local pace = tonumber(os.getenv("PACE_MS") or "")
if pace then
  delay = function() return pace end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT,%.0f,%.2f,%.2f,%.2f,%.2f,%d,%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, summary.errors.status, errors))
end
