using k8s.Models;

namespace Wavelet.Operator.Status;

public enum RolloutState
{
    Complete,
    InProgress,
    Failed,
}

/// <summary>A Deployment's rollout read the way <c>kubectl rollout status</c> reads it.</summary>
public sealed record RolloutStatus(RolloutState State, string Message)
{
    public static RolloutStatus Read(V1Deployment? deployment)
    {
        if (deployment?.Spec is null)
        {
            return new(RolloutState.InProgress, "waiting for the Deployment to be created");
        }

        var status = deployment.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < (deployment.Metadata.Generation ?? 0))
        {
            return new(RolloutState.InProgress, "waiting for the Deployment spec update to be observed");
        }

        var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
        {
            return new(RolloutState.Failed, $"Deployment {deployment.Metadata.Name} exceeded its progress deadline: {progressing.Message}. Check the data-plane pods (kubectl describe pods, kubectl logs) for image pull errors, crashes or failing /readyz.");
        }

        var updated = status.UpdatedReplicas ?? 0;
        var replicas = status.Replicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        if (deployment.Spec.Replicas is { } desired && updated < desired)
        {
            return new(RolloutState.InProgress, $"{updated} of {desired} updated replicas are available");
        }

        if (replicas > updated)
        {
            return new(RolloutState.InProgress, $"{replicas - updated} old replicas are pending termination");
        }

        if (available < updated)
        {
            return new(RolloutState.InProgress, $"{available} of {updated} updated replicas are available");
        }

        return new(RolloutState.Complete, $"{available} of {updated} replicas available");
    }
}
