using k8s.Models;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Status;

namespace Wavelet.Operator.Reconciliation;

/// <summary>Fills the five conditions consistently for each situation the reconciler ends in (kstatus semantics).</summary>
public sealed class ProjectStatusBuilder(WaveletProjectStatus status, long? generation, DateTimeOffset now)
{
    public WaveletProjectStatus Status => status;

    public void ObservedGeneration() => status.ObservedGeneration = generation;

    public void Set(string type, string conditionStatus, string reason, string message) =>
        ConditionSet.Set(status.Conditions, type, conditionStatus, reason, message, generation, now);

    /// <summary>Needs a spec change: Stalled=True, not Reconciling.</summary>
    public void Stalled(string reason, string message, bool ddl = false)
    {
        Set(ConditionTypes.Stalled, ConditionStatus.True, reason, message);
        Set(ConditionTypes.Reconciling, ConditionStatus.False, reason, "stalled until the spec changes");
        Set(ConditionTypes.Ready, ConditionStatus.False, reason, message);
        if (ddl)
        {
            Set(ConditionTypes.DdlSynced, ConditionStatus.False, reason, message);
        }
    }

    /// <summary>A failure being retried: Reconciling=True with the reason, Ready=False.</summary>
    public void Retrying(string reason, string message, bool ddl)
    {
        Set(ConditionTypes.Reconciling, ConditionStatus.True, reason, message);
        Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, "retrying with backoff");
        Set(ConditionTypes.Ready, ConditionStatus.False, reason, message);
        if (ddl)
        {
            Set(ConditionTypes.DdlSynced, ConditionStatus.False, reason, message);
        }

        if (ConditionSet.Find(status.Conditions, ConditionTypes.DataPlaneAvailable) is null)
        {
            Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.WaitingForDdl, "the data plane is created after the first successful DDL sync");
        }
    }
}
