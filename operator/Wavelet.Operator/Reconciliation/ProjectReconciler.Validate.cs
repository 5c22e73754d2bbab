using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Api.Validation;
using Wavelet.Operator.Children;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Status;
using k8s.Models;

namespace Wavelet.Operator.Reconciliation;

public sealed partial class ProjectReconciler
{
    /// <summary>Validate phase: the spec, suspension and the image policy. Null when the pass goes on to DDL.</summary>
    private async Task<ReconcileResult?> ValidateAsync(ReconcilePass pass, CancellationToken ct)
    {
        var project = pass.Project;
        var problems = WaveletProjectValidator.Validate(project);
        if (problems.Count > 0)
        {
            return StallOnSpec(pass, ConditionReasons.InvalidSpec,
                $"the spec is invalid: {string.Join("; ", problems)}. Fix the spec; the operator retries when it changes.");
        }

        if (WaveletProjectDefaults.IsSuspended(project))
        {
            return await SuspendAsync(pass, ct);
        }

        var image = DeploymentBuilder.EffectiveImage(project, _options.DataPlaneImage);
        if (!_images.IsAllowed(image))
        {
            return StallOnSpec(pass, ConditionReasons.ImageNotAllowed,
                $"spec.dataPlane.image \"{image}\" is not allowed by the operator's image policy (allowed: {string.Join(", ", _images.Allowed)}). " +
                "Use an allowed image or remove spec.dataPlane.image; the installer can widen the policy with the chart value dataPlane.allowedImages.");
        }

        return null;
    }

    /// <summary>Stalled until the spec changes; the Warning is sent once per generation, not on every resync.</summary>
    private static ReconcileResult StallOnSpec(ReconcilePass pass, string reason, string message)
    {
        var known = ConditionSet.Find(pass.Status.Status.Conditions, ConditionTypes.Stalled) is { Reason: var seenReason } seen
            && seenReason == reason && seen.ObservedGeneration == pass.Project.Metadata.Generation;
        pass.Status.Stalled(reason, message);
        if (!known)
        {
            pass.Warning(reason, message);
        }

        return ReconcileResult.StalledBy(reason);
    }

    private async Task<ReconcileResult> SuspendAsync(ReconcilePass pass, CancellationToken ct)
    {
        var project = pass.Project;
        var ns = project.Namespace();
        var name = ChildNames.Workload(project);
        var deployments = new ResourceApi<V1Deployment>(_client);
        var deployment = await deployments.GetAsync(ns, name, ct);
        if (deployment?.Spec is { Replicas: not 0 })
        {
            await deployments.MergePatchAsync(ns, name, new { spec = new { replicas = 0 } }, ct);
        }

        await _children.DeleteIfOwnedAsync<V2HorizontalPodAutoscaler>(ns, name, project.Uid(), ct);
        const string message = "spec.suspend is true: DDL is not applied and the data plane is scaled to zero; RisingWave objects are kept. Set spec.suspend: false to resume.";
        var status = pass.Status;
        status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Suspended, message);
        status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.Suspended, message);
        status.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Suspended, message);
        status.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, message);
        status.Status.Replicas = 0;
        status.Status.ReadyReplicas = 0;
        return ReconcileResult.Done;
    }
}
