using Microsoft.Extensions.Time.Testing;

namespace Wavelet.Operator.Tests.Kubernetes;

/// <summary>A fresh fake API server and a KubernetesClient for it per test; the code under test runs on a <see cref="FakeTimeProvider"/>.</summary>
public abstract class FakeClusterTestBase : IAsyncLifetime
{
    protected const string Ns = "team-a";

    protected FakeKubernetesApiServer Server { get; private set; } = null!;
    protected k8s.Kubernetes Client { get; private set; } = null!;
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 7, 24, 14, 0, 0, TimeSpan.Zero));

    public virtual async Task InitializeAsync()
    {
        Server = await FakeKubernetesApiServer.StartAsync();
        Server.CreateNamespace(Ns);
        Server.CreateNamespace("team-b");
        Client = Server.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>
    /// Polls <paramref name="condition"/>, moving the fake clock forward by <paramref name="step"/> after each miss while the
    /// fake server is not answering a request (so request latency never counts as elapsed time), so code
    /// that waits on the clock (backoff, lease expiry) makes progress without real waiting.
    /// </summary>
    protected Task EventuallyWithClockAsync(Func<bool> condition, TimeSpan step, string because) =>
        Eventually.UntilAsync(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                if (Server.InFlightRequests == 0)
                {
                    Clock.Advance(step);
                }

                return false;
            },
            because);
}
