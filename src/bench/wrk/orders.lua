-- wrk script: checkout's credit-line path. Each request is a decision for one of 1,000 buyers (round robin), for 100
-- EUR, without a balance (the line supplies it). ORDERS=1 gives each request its own order id, so each approval holds
-- credit (the line's row lock, the hold and its ledger entry, in the decision's own transaction); without it the
-- same requests are assessments (read the line, hold nothing, group commit). Same output line as decide.lua.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("TERMSGATE_API_KEY") or "demo-checkout"

local orders = os.getenv("ORDERS") == "1"
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local n = 0
request = function()
  n = n + 1
  local buyer = "B-" .. ((n * 7 + (tid or 0)) % 1000)
  local order = orders and ('"id":"O-' .. (tid or 0) .. '-' .. n .. '",') or ""
  local body = '{"customer":{"id":"' .. buyer .. '","country":"DE","industry":"MANUFACTURING","yearsInBusiness":7,'
    .. '"annualRevenue":20000000,"creditScore":70,"paymentHistory":{"invoicesPaid":24,"avgDaysBeyondTerms":4,'
    .. '"maxDaysPastDue":12},"flags":[]},"order":{' .. order .. '"amount":100,"currency":"EUR","requestedTermDays":60}}'
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT,%.0f,%.2f,%.2f,%.2f,%.2f,%d,%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, summary.errors.status, errors))
end
