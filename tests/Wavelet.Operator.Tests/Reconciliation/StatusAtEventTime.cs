using System.Collections.Concurrent;
using Wavelet.Api;

namespace Wavelet.Operator.Tests.Reconciliation;

/// <summary>Records each Event with the project's stored status at the moment the operator sent it.</summary>
internal sealed class StatusAtEventTime(FakeKubernetesApiServer server) : IProjectEvents
{
    public ConcurrentQueue<(string Reason, JsonNode? Status)> Sent { get; } = new();

    public Task NormalAsync(WaveletProject project, string reason, string message, CancellationToken ct) => Record(project, reason);

    public Task WarningAsync(WaveletProject project, string reason, string message, CancellationToken ct) => Record(project, reason);

    private Task Record(WaveletProject project, string reason)
    {
        var stored = server.GetObject(WaveletGroup.Group, WaveletGroup.Plural, project.Metadata.NamespaceProperty, project.Metadata.Name);
        Sent.Enqueue((reason, stored?["status"]?.DeepClone()));
        return Task.CompletedTask;
    }
}
