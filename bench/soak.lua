-- The soak's request mix for wrk: the repository list (plain and
-- filtered), repository pages and tag pages with a logged-in session, and
-- one valid login in every 50 requests. Set by bench/soak.rs:
--   SOAK_COOKIE  the session cookie (name=value)
--   SOAK_PATHS   comma-separated page paths
--   SOAK_LOGIN   a url-encoded login form for a valid account
--   SOAK_ORIGIN  http://host:port, for the login's Origin header
local cookie = os.getenv("SOAK_COOKIE")
local login = os.getenv("SOAK_LOGIN")
local origin = os.getenv("SOAK_ORIGIN")
local paths = {}
for p in string.gmatch(os.getenv("SOAK_PATHS"), "[^,]+") do
  paths[#paths + 1] = p
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  logins = 0
  lost = 0
  failed = 0
  math.randomseed(os.time() + #threads)
end

function request()
  n = n + 1
  if n % 50 == 0 then
    logins = logins + 1
    return wrk.format("POST", "/auth/login", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = origin,
      ["Sec-Fetch-Site"] = "same-origin",
    }, login)
  end
  return wrk.format("GET", paths[math.random(#paths)], {
    ["Cookie"] = cookie,
    ["Accept-Encoding"] = "br, gzip",
  })
end

function response(status, headers, body)
  local location = headers["location"] or headers["Location"] or ""
  -- A page that sends a logged-in session to the login page lost it.
  if status == 303 and string.find(location, "^/login") then
    lost = lost + 1
  end
  if status >= 400 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local l, f, g = 0, 0, 0
  for _, t in ipairs(threads) do
    l = l + t:get("lost")
    f = f + t:get("failed")
    g = g + t:get("logins")
  end
  io.write(string.format("soak: logins %d, sessions lost %d, 4xx/5xx %d\n", g, l, f))
end
