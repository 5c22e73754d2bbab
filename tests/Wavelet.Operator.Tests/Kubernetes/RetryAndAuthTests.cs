using Wavelet.Api.Meta;
using Wavelet.Operator.Kubernetes;
using Wavelet.Testing;
using Wavelet.Testing.Kubernetes;
using Ks = Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class RetryAndAuthTests : FakeClusterTestBase
{
    private ResourceClient<V1ConfigMap> ConfigMaps => Client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps);

    [Fact]
    public async Task Plain_text_429_with_Retry_After_is_retried_after_the_requested_wait()
    {
        Server.Faults.FailNext(2, 429, "Too many requests, please try again later.\n", TimeSpan.FromSeconds(3), plainText: true);
        var mark = Server.Requests.Mark();
        var start = Clock.GetUtcNow();

        var get = ConfigMaps.GetAsync(Ns, "absent");
        await EventuallyWithClockAsync(() => get.IsCompleted, TimeSpan.FromMilliseconds(500), "the throttled GET is retried");

        Assert.Null(await get);
        Assert.Equal(3, Server.Requests.Since(mark).Count);
        Assert.True(Clock.GetUtcNow() - start >= TimeSpan.FromSeconds(6), "each retry waits Retry-After on the client's clock");
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_plain_text_body_becomes_the_message()
    {
        using var client = new Ks.Kubernetes(new KubernetesClientConfiguration { Host = Server.Url, MaxRetries = 2 }, null, Clock);
        Server.Faults.FailNext(10, 429, "slow down", TimeSpan.FromSeconds(1), plainText: true);

        var get = client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync(Ns, "x");
        await EventuallyWithClockAsync(() => get.IsCompleted, TimeSpan.FromMilliseconds(500), "the retries run out");

        var error = await Assert.ThrowsAsync<KubernetesException>(() => get);
        Assert.True(error.IsTooManyRequests);
        Assert.Equal("slow down", error.Status.Message);
        Assert.Equal(3, Server.Requests.Count(r => r.Faulted));
    }

    [Fact]
    public async Task A_5xx_without_Retry_After_is_not_retried_and_is_typed()
    {
        Server.Faults.FailNext(1, 503, "etcd leader changed");
        var error = await Assert.ThrowsAsync<KubernetesException>(() => ConfigMaps.GetAsync(Ns, "x"));
        Assert.True(error.IsServerError);
        Assert.Equal("ServiceUnavailable", error.Reason);
        Assert.Single(Server.Requests.All);
    }

    [Fact]
    public async Task A_401_refreshes_credentials_once_and_retries()
    {
        var tokens = new RotatingTokens("expired", "fresh");
        using var client = new Ks.Kubernetes(new KubernetesClientConfiguration { Host = Server.Url, TokenProvider = tokens }, null, Clock);
        Server.RequireToken("fresh");

        var result = await client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync(Ns, "x");

        Assert.Null(result);
        Assert.Equal(1, tokens.ForcedRefreshes);
        Assert.Equal(["expired", "fresh"], Server.Requests.All.Select(r => r.BearerToken));
    }

    [Fact]
    public async Task A_second_401_after_refresh_is_thrown_as_Unauthorized()
    {
        var tokens = new RotatingTokens("bad", "still-bad");
        using var client = new Ks.Kubernetes(new KubernetesClientConfiguration { Host = Server.Url, TokenProvider = tokens }, null, Clock);
        Server.RequireToken("good");

        var error = await Assert.ThrowsAsync<KubernetesException>(() => client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync(Ns, "x"));
        Assert.True(error.IsUnauthorized);
        Assert.Equal(2, Server.Requests.All.Count);
    }

    [Fact]
    public async Task Forbidden_and_not_found_statuses_are_typed()
    {
        Server.Faults.FailNext(1, 403, "configmaps is forbidden: User \"system:serviceaccount:x:y\" cannot list resource");
        var forbidden = await Assert.ThrowsAsync<KubernetesException>(() => ConfigMaps.ListAsync(Ns));
        Assert.True(forbidden.IsForbidden);
        Assert.Contains("cannot list", forbidden.Message, StringComparison.Ordinal);

        var notFound = await Assert.ThrowsAsync<KubernetesException>(() => ConfigMaps.PatchMergeAsync(Ns, "absent", new { data = new { a = "b" } }));
        Assert.True(notFound.IsNotFound);
    }

    [Fact]
    public async Task A_server_url_with_a_path_prefix_keeps_the_prefix()
    {
        using var client = new Ks.Kubernetes(new KubernetesClientConfiguration { Host = Server.Url + "/k8s/clusters/c-1/" }, null, Clock);
        await client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync(Ns, "x");
        Assert.Equal("/k8s/clusters/c-1/api/v1/namespaces/team-a/configmaps/x", Assert.Single(Server.Requests.All).Path);
    }

    private sealed class RotatingTokens(params string[] tokens) : ITokenProvider
    {
        private int _index;

        public int ForcedRefreshes { get; private set; }

        public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            if (forceRefresh)
            {
                ForcedRefreshes++;
                _index = Math.Min(_index + 1, tokens.Length - 1);
            }

            return ValueTask.FromResult<string?>(tokens[_index]);
        }
    }
}
