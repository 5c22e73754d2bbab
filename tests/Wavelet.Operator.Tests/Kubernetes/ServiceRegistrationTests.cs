using k8s;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task The_registered_client_talks_to_the_configured_server()
    {
        await using var server = await FakeKubernetesApiServer.StartAsync();
        var services = new ServiceCollection().AddLogging().AddKubernetesClient(() => server.CreateClientConfiguration());
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IKubernetes>();
        Assert.Null(await new ResourceApi<V1ConfigMap>(client).GetAsync("default", "x", CancellationToken.None));
        Assert.Equal("/api/v1/namespaces/default/configmaps/x", Assert.Single(server.Requests.All).Path);
    }
}
