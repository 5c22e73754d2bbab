using k8s.Autorest;
using k8s.Models;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Ddl;
using Wavelet.Operator.Children;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Status;

namespace Wavelet.Operator.Reconciliation;

public sealed partial class ProjectReconciler
{
    private static readonly TimeSpan RolloutPoll = TimeSpan.FromSeconds(30);

    /// <summary>Children phase: each child is applied only when the live object (from the informer cache) differs from the intent.</summary>
    private async Task<(ReconcileResult? Result, V1Deployment? Deployment)> ApplyChildrenAsync(ReconcilePass pass, SyncedSchema synced, CancellationToken ct)
    {
        var project = pass.Project;
        var config = DataPlaneConfigBuilder.Build(project, synced.Sync);
        try
        {
            await _children.ApplyAsync(ConfigMapBuilder.Build(project, config), ct);
            var deployment = await _children.ApplyAsync(DeploymentBuilder.Build(project, _options.DataPlaneImage, synced.Secrets.ResourceVersions, _options.DataPlaneAllowPrivateEgress), ct);
            await _children.ApplyAsync(ServiceBuilder.Build(project), ct);
            await ApplyOptionalAsync(project, ct);
            return (null, deployment);
        }
        catch (HttpOperationException e) when (e.IsRefusal())
        {
            // Conflicts and server errors go back to the queue untouched; a refusal is the user's or the installer's to fix.
            var message = $"the Kubernetes API refused a data-plane object: {e.Status().Message}. Check spec.dataPlane (invalid values) or the operator's RBAC (forbidden).";
            pass.Status.Retrying(ConditionReasons.ApplyFailed, message, ddl: false);
            pass.Warning(ConditionReasons.ApplyFailed, message);
            return (ReconcileResult.RetryFor(ConditionReasons.ApplyFailed), null);
        }
    }

    private async Task ApplyOptionalAsync(WaveletProject project, CancellationToken ct)
    {
        var ns = project.Namespace();
        var name = ChildNames.Workload(project);
        if (PodDisruptionBudgetBuilder.Build(project) is { } pdb)
        {
            await _children.ApplyAsync(pdb, ct);
        }
        else
        {
            await _children.DeleteIfOwnedAsync<V1PodDisruptionBudget>(ns, name, project.Uid(), ct);
        }

        if (HorizontalPodAutoscalerBuilder.Build(project) is { } hpa)
        {
            await _children.ApplyAsync(hpa, ct);
        }
        else
        {
            await _children.DeleteIfOwnedAsync<V2HorizontalPodAutoscaler>(ns, name, project.Uid(), ct);
        }
    }

    /// <summary>Rollout phase: the Deployment's progress becomes DataPlaneAvailable, Reconciling and Ready.</summary>
    private static ReconcileResult Rollout(ReconcilePass pass, V1Deployment deployment, DdlSyncResult sync)
    {
        var project = pass.Project;
        var status = pass.Status;
        var s = status.Status;
        var rollout = RolloutStatus.Read(deployment);
        s.Endpoint = ChildNames.Endpoint(project, ServiceBuilder.Port(project));
        s.Replicas = deployment.Status?.Replicas ?? 0;
        s.ReadyReplicas = deployment.Status?.ReadyReplicas ?? 0;
        var ddlOk = !sync.HasBlocked;
        switch (rollout.State)
        {
            case RolloutState.Complete:
                status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.True, ConditionReasons.Available, rollout.Message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Converged, "the data plane runs the current spec");
                if (ddlOk)
                {
                    status.Set(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.Available, $"schema synced and data plane available at {s.Endpoint}");
                }
                else
                {
                    status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.DestructiveChangeBlocked, "the data plane runs, but destructive schema changes are blocked (see DdlSynced)");
                }

                return ReconcileResult.Done;
            case RolloutState.Failed:
                status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                status.Set(ConditionTypes.Stalled, ConditionStatus.True, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                return ReconcileResult.Done;
            default:
                status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.RollingOut, rollout.Message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.True, ConditionReasons.RollingOut, rollout.Message);
                status.Set(ConditionTypes.Ready, ConditionStatus.False, ddlOk ? ConditionReasons.RollingOut : ConditionReasons.DestructiveChangeBlocked, $"data plane rolling out: {rollout.Message}");
                return ReconcileResult.After(RolloutPoll);
        }
    }
}
