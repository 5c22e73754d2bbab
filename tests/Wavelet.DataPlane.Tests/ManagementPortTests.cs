namespace Wavelet.DataPlane.Tests;

/// <summary>With a management port, the operations routes answer only there and the client routes only on the client port.</summary>
public sealed class ManagementPortTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public async Task Metrics_and_probes_answer_on_the_management_port_and_404_on_the_client_port()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, args: ["--DataPlane:ManagementPort", "0"]);
        Assert.NotSame(server.Http, server.Management);
        Assert.NotEqual(server.BaseUri.Port, server.Management.BaseAddress!.Port);

        foreach (var path in new[] { "/metrics", "/readyz", "/healthz", "/livez" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Management.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }

        Assert.Contains("wavelet_connections", await server.Management.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        // The client routes stay on the client port and are not reachable through the management port.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/queries/totals");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DataPlaneServer.Token("a"));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Management.GetAsync(new Uri("/v1/queries/totals", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Without_a_management_port_the_probes_stay_on_the_client_port()
    {
        await using var server = await DataPlaneServer.StartAsync(rw);
        Assert.Same(server.Http, server.Management);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(null, "9090", 9090)]
    [InlineData(0, "9090", 0)]
    [InlineData(9191, null, 9191)]
    public void The_setting_wins_over_the_environment_variable(int? setting, string? variable, int? expected)
    {
        var options = new DataPlaneOptions { ManagementPort = setting };
        Assert.Equal(expected, ManagementListener.Resolve(options, name => name == DataPlaneEnvironment.ManagementPort ? variable : null));
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("70000")]
    [InlineData("-1")]
    public void A_bad_port_in_the_environment_is_refused_with_the_fix(string variable)
    {
        var error = Assert.Throws<InvalidConfigException>(() => ManagementListener.Resolve(new DataPlaneOptions(), _ => variable));
        Assert.Contains(DataPlaneEnvironment.ManagementPort, error.Message, StringComparison.Ordinal);
        Assert.Contains("0-65535", error.Message, StringComparison.Ordinal);
    }
}
