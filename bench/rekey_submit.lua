-- wrk script for bench/rekey.sh: durable submissions (proof of work off)
-- until each thread has had its share of 2xx answers, then it stops; the
-- number wanted comes after "--" on the wrk command line.
-- Every body has words of its own, as real reports do, so that the
-- duplicate finder sees 100,000 different complaints.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  local w = {}
  for i = 1, 60 do w[i] = string.format("kata%06x", math.random(0, 16777215)) end
  return wrk.format(nil, nil, nil, '{"kind":"complaint",' ..
    '"title":"Jalan rusak di depan sekolah","body":"' ..
    table.concat(w, " ") .. '"}')
end

local want, got = 0, 0
function init(args)
  want = tonumber(args[1]) or 1000
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
function response(status, headers, body)
  if status == 201 then got = got + 1 end
  if got >= want then wrk.thread:stop() end
end
