-- wrk: every request a POST /translate of one sentence, taken in turn from a fixed list.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local sentences = {
  "Ich muss zum Arzt.", "Morgen fahre ich nach Berlin.", "Das Wetter ist heute schön.",
  "Wir essen um sieben Uhr zu Abend.", "Kannst du mir bitte helfen?", "Der Zug hat Verspätung.",
  "Meine Schwester wohnt in Hamburg.", "Ich habe meinen Schlüssel verloren.",
}
local i = 0
request = function()
  i = i % #sentences + 1
  return wrk.format(nil, "/translate", nil, '{"text": "' .. sentences[i] .. '"}')
end
