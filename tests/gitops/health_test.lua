-- Runs the Argo CD health check against sample WaveletProject objects.
-- Usage: lua5.4 tests/gitops/health_test.lua [path/to/waveletproject-health.lua]
local script = arg[1] or "examples/gitops/argocd/waveletproject-health.lua"

local function check(obj)
  local chunk = assert(loadfile(script, "t", { obj = obj, ipairs = ipairs, pairs = pairs }))
  return chunk()
end

local function cond(kind, status, reason, message)
  return { type = kind, status = status, reason = reason, message = message or "" }
end

local cases = {
  {
    name = "ready",
    want = "Healthy",
    obj = { metadata = { generation = 3 }, spec = {}, status = { observedGeneration = 3, conditions = {
      cond("Ready", "True", "Available", "2/2 replicas ready"), cond("Reconciling", "False", "Available"),
      cond("Stalled", "False", "Available") } } },
  },
  {
    name = "rolling out",
    want = "Progressing",
    obj = { metadata = { generation = 3 }, spec = {}, status = { observedGeneration = 3, conditions = {
      cond("Ready", "False", "RollingOut", "1/2 replicas updated"), cond("Reconciling", "True", "RollingOut") } } },
  },
  {
    name = "ddl failed",
    want = "Degraded",
    obj = { metadata = { generation = 2 }, spec = {}, status = { observedGeneration = 2, conditions = {
      cond("Ready", "False", "DdlFailed", "column \"tenant\" does not exist"), cond("DdlSynced", "False", "DdlFailed") } } },
  },
  {
    name = "stalled",
    want = "Degraded",
    obj = { metadata = { generation = 5 }, spec = {}, status = { observedGeneration = 5, conditions = {
      cond("Ready", "False", "InvalidSpec"), cond("Stalled", "True", "InvalidSpec", "spec.queries[0].sql: must not be empty") } } },
  },
  {
    name = "suspended by spec",
    want = "Suspended",
    obj = { metadata = { generation = 4 }, spec = { suspend = true }, status = { observedGeneration = 4, conditions = {
      cond("Ready", "True", "Available") } } },
  },
  {
    name = "suspended by condition",
    want = "Suspended",
    obj = { metadata = { generation = 4 }, spec = {}, status = { observedGeneration = 4, conditions = {
      cond("Ready", "False", "Suspended", "reconcile paused by annotation") } } },
  },
  {
    name = "deleting",
    want = "Progressing",
    obj = { metadata = { generation = 4, deletionTimestamp = "2026-12-02T10:00:00Z" }, spec = {},
      status = { observedGeneration = 4, conditions = { cond("Ready", "True", "Available") } } },
  },
  {
    name = "no status yet",
    want = "Progressing",
    obj = { metadata = { generation = 1 }, spec = {} },
  },
  {
    name = "stale observedGeneration",
    want = "Progressing",
    obj = { metadata = { generation = 7 }, spec = {}, status = { observedGeneration = 6, conditions = {
      cond("Ready", "True", "Available") } } },
  },
  {
    name = "secret missing (transient)",
    want = "Progressing",
    obj = { metadata = { generation = 1 }, spec = {}, status = { observedGeneration = 1, conditions = {
      cond("Ready", "False", "SecretNotFound", "secret leaderboard-db not found") } } },
  },
}

local failed = 0
for _, c in ipairs(cases) do
  local hs = check(c.obj)
  if hs.status ~= c.want then
    failed = failed + 1
    print(string.format("FAIL %s: want %s, got %s (%s)", c.name, c.want, tostring(hs.status), tostring(hs.message)))
  elseif hs.message == nil or hs.message == "" then
    failed = failed + 1
    print(string.format("FAIL %s: empty message", c.name))
  else
    print(string.format("ok   %s -> %s: %s", c.name, hs.status, hs.message))
  end
end
print(string.format("%d cases, %d failed", #cases, failed))
os.exit(failed == 0 and 0 or 1)
