using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Wavelet.Cli.Status;

namespace Wavelet.Cli.Tests;

/// <summary>`status --url` pointed at a client port (which answers 404 for /readyz) says to use the management port.</summary>
public sealed class DataPlaneProbeTests
{
    [Fact]
    public async Task A_client_port_answering_404_for_readyz_is_reported_with_the_management_port_to_use()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapFallback(() => Results.NotFound());
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var status = await DataPlaneProbe.ReadAsync(url, CancellationToken.None);

        Assert.True(status.Reachable);
        Assert.False(status.Ready);
        Assert.Contains("management port (9090)", status.Error, StringComparison.Ordinal);
        Assert.Contains("kubectl port-forward", status.Error, StringComparison.Ordinal);
        await app.StopAsync();
    }
}
