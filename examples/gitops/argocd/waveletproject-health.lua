-- Argo CD health check for wavelet.risingwave.com/WaveletProject.
-- Install under resource.customizations.health.wavelet.risingwave.com_WaveletProject (see argocd-cm-health.yaml).
-- Mirrors kstatus: deleting and stale observedGeneration are Progressing, Stalled is Degraded, Ready is Healthy.
local hs = {}

local function condition(status, kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

-- Reasons that will not clear without a change from the user (spec, Secret or database).
local degradedReasons = {
  DdlFailed = true,
  SchemaOwnedElsewhere = true,
  SchemaNotEmpty = true,
  InvalidConnectionUrl = true,
  ReadOutsideSchema = true,
  DestructiveChangeBlocked = true,
  FilterColumnMissing = true,
  ProgressDeadlineExceeded = true,
  InvalidSpec = true,
  ImageNotAllowed = true,
}

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: the operator is releasing the project's resources"
  return hs
end

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "spec.suspend is true: the operator leaves this project as it is"
  return hs
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile this project"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "The operator has not yet observed the latest spec"
  return hs
end

local stalled = condition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = (stalled.reason or "Stalled") .. ": " .. (stalled.message or "")
  return hs
end

local ready = condition(status, "Ready")
if ready ~= nil and ready.reason == "Suspended" then
  hs.status = "Suspended"
  hs.message = ready.message or "Suspended"
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

if ready ~= nil and ready.status == "False" and degradedReasons[ready.reason or ""] then
  hs.status = "Degraded"
  hs.message = ready.reason .. ": " .. (ready.message or "")
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = (ready.reason or "Reconciling") .. ": " .. (ready.message or "")
else
  hs.message = "Reconciling"
end
return hs
