-- wrk script for a cross-check of loadgen: cycles over the demo's account
-- ids like loadgen does. Usage:
--   wrk -t2 -c200 -d10s --latency -s examples/service/cmd/loadgen/health.lua http://127.0.0.1:8080
local i = 0
request = function()
  i = i % 300 + 1
  return wrk.format("GET", string.format("/v1/accounts/acct-%04d/health", i))
end
