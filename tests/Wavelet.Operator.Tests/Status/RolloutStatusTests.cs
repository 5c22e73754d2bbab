using Wavelet.Operator.Status;

namespace Wavelet.Operator.Tests.Status;

public sealed class RolloutStatusTests
{
    private static V1Deployment Deployment(long generation, long observed, int desired, int replicas, int updated, int available, string? progressingReason = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "d", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = desired },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed, Replicas = replicas, UpdatedReplicas = updated, AvailableReplicas = available,
            Conditions = progressingReason is null ? null : [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = progressingReason, Message = "took too long" }],
        },
    };

    [Theory]
    [InlineData(2, 1, 2, 2, 2, 2, RolloutState.InProgress)]
    [InlineData(2, 2, 2, 2, 1, 1, RolloutState.InProgress)]
    [InlineData(2, 2, 2, 3, 2, 2, RolloutState.InProgress)]
    [InlineData(2, 2, 2, 2, 2, 1, RolloutState.InProgress)]
    [InlineData(2, 2, 2, 2, 2, 2, RolloutState.Complete)]
    [InlineData(3, 3, 0, 0, 0, 0, RolloutState.Complete)]
    public void Reads_rollout_like_kubectl(long generation, long observed, int desired, int replicas, int updated, int available, RolloutState expected) =>
        Assert.Equal(expected, RolloutStatus.Read(Deployment(generation, observed, desired, replicas, updated, available)).State);

    [Fact]
    public void Progress_deadline_exceeded_fails_with_a_hint()
    {
        var status = RolloutStatus.Read(Deployment(1, 1, 2, 2, 1, 0, "ProgressDeadlineExceeded"));
        Assert.Equal(RolloutState.Failed, status.State);
        Assert.Contains("progress deadline", status.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl logs", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_deployment_is_in_progress() => Assert.Equal(RolloutState.InProgress, RolloutStatus.Read(null).State);
}
