-- wrk script for scripts/wrk-load.ts: cycles through the request paths in $WRK_PATHS (one a line),
-- each connection from its own place in the list, with $WRK_SUFFIX appended (e.g. "&engine=knn") and
-- Accept-Encoding: gzip unless $WRK_IDENTITY is set (browsers and phones ask for gzip).
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local suffix = os.getenv("WRK_SUFFIX") or ""
local headers = {}
if not os.getenv("WRK_IDENTITY") then headers["Accept-Encoding"] = "gzip" end
local i = 0
function init(args)
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i] .. suffix, headers)
end
