-- wrk script: replays the requests bench/run.py prepared, one per line:
--   METHOD <tab> PATH <tab> COOKIE <tab> CSRF TOKEN (or empty) <tab> BODY (or empty)
-- Lines are dealt round-robin to wrk's threads; each thread cycles through its share, so the
-- load spreads over many signed-in parents. Arguments: FILE EXPECTED_STATUS THREADS.
-- At the end it prints one line "BENCH_JSON {...}" that bench/run.py reads.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local path, status, count = args[1], tonumber(args[2]), tonumber(args[3])
  expected = status
  unexpected = 0
  prepared = {}
  local line_number = 0
  for line in io.lines(path) do
    if line_number % count == id then
      local method, target, cookie, token, body =
        line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = { ["Cookie"] = cookie }
      if token ~= "" then
        headers["X-CSRFToken"] = token
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      if body == "" then body = nil end
      table.insert(prepared, wrk.format(method, target, headers, body))
    end
    line_number = line_number + 1
  end
  index = 0
end

function request()
  index = index % #prepared + 1
  return prepared[index]
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "unexpected_status": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes, wrong,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean
  ))
end
