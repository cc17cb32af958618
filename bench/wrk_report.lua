-- wrk script of bench/load.py: an optional form POST (WRK_BODY), an optional list of paths
-- requested in turn (WRK_PATHS: a file, one path a line; thread t of n takes the paths
-- WRK_OFFSET + t, + t + n, ... so that no path is requested twice while the list lasts), and
-- one line of JSON at the end with the counts, the latency percentiles (microseconds) and the
-- errors.
local body = os.getenv("WRK_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local paths = nil
local file = os.getenv("WRK_PATHS")
if file and file ~= "" then
  paths = {}
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end
local sent = 0

init = function(args)
  step = tonumber(os.getenv("WRK_THREADS") or "1")
  offset = tonumber(os.getenv("WRK_OFFSET") or "0")
end

if paths ~= nil then  -- otherwise wrk sends its one pre-built request, as without a script
  request = function()
    local index = (offset + (tid or 0) + sent * step) % #paths + 1
    sent = sent + 1
    return wrk.format(nil, paths[index])
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
