-- wrk script: durable submissions of the report of submit.lua with an
-- identity the client sealed itself (as `bisik submit` and the JavaScript
-- page do), one body a line from the file BENCH_SEALED_BODIES made by
-- bench/sealed_bodies.c: every line a fresh R, since the server refuses an
-- R filed before. Past the file's end the lines come round again and are
-- refused (409), which wrk counts as non-2xx.
local path = os.getenv("BENCH_SEALED_BODIES")
local f = assert(io.open(path, "r"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local line = f:read("*l")
  if line == nil then
    f:seek("set", 0)
    line = f:read("*l")
  end
  return wrk.format(nil, nil, nil, line)
end
