-- wrk script for bench/rekey.sh: durable submissions (proof of work off);
-- rekey.sh stops wrk once the server has logged enough of them.
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

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
