namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Base of the suites that talk to a fresh fake API server per test over HTTP.</summary>
public abstract class FakeApiTest : IAsyncLifetime
{
    protected FakeApi Api { get; } = new();

    public virtual Task InitializeAsync() => Api.InitializeAsync();

    public virtual Task DisposeAsync() => Api.DisposeAsync();
}
