-- wrk script: durable submissions of a 2 KiB report with an identity that
-- the server seals to the escrow key (proof of work off in the bench).
local words = "Jalan rusak di depan sekolah dasar negeri membuat anak-anak " ..
  "terjatuh setiap pagi dan warga sudah melapor ke kelurahan tanpa hasil. "
local body = ""
while #body < 1900 do body = body .. words end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind":"complaint","title":"Jalan rusak di depan sekolah",' ..
  '"body":"' .. body .. '","visibility":"confidential",' ..
  '"identity":{"name":"Siti Aminah","phone":"081234567890",' ..
  '"email":"siti@example.test"}}'
