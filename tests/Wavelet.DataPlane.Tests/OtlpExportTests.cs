using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Metrics;

namespace Wavelet.DataPlane.Tests;

/// <summary>
/// Optional OTLP export: with OTEL_EXPORTER_OTLP_ENDPOINT set (here as configuration, which is where the host reads the
/// environment variable from) the data plane posts its meter to the collector over OTLP/HTTP; without it nothing is set up.
/// </summary>
public sealed class OtlpExportTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public async Task With_an_endpoint_the_data_plane_posts_its_metrics_to_the_collector()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var server = await DataPlaneServer.StartAsync(rw, args:
        [
            "--OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url.ToString(), "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "--OTEL_METRIC_EXPORT_INTERVAL", "200",
        ]);
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await client.ReceiveTypeAsync("snapshot");

        await Eventually.UntilAsync(() => collector.Paths.Any(), "the data plane posts to the collector", TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync(() => collector.Contains("wavelet_messages_sent_total"), $"an export carries the data plane's counters (posts to: {string.Join(", ", collector.Paths)})");
        Assert.Equal(["/v1/metrics"], collector.Paths.Distinct());
        Assert.True(collector.Contains("wavelet-dataplane"), "the resource names the service");
    }

    [Fact]
    public async Task Without_an_endpoint_no_exporter_is_set_up()
    {
        await using var server = await DataPlaneServer.StartAsync(rw);

        Assert.Null(server.App.Services.GetService<MeterProvider>());
    }

    /// <summary>An OTLP/HTTP receiver that keeps the path and body of every request.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<(string Path, byte[] Body)> _requests = [];

        private OtlpCollector(WebApplication app) => _app = app;

        public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        public IEnumerable<string> Paths
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests.Select(r => r.Path)];
                }
            }
        }

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                lock (collector._requests)
                {
                    collector._requests.Add((context.Request.Path.Value ?? "", body.ToArray()));
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await app.StartAsync();
            return collector;
        }

        /// <summary>Whether any request body holds <paramref name="text"/> (protobuf keeps strings as UTF-8 bytes).</summary>
        public bool Contains(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            lock (_requests)
            {
                return _requests.Any(r => r.Body.AsSpan().IndexOf(bytes) >= 0);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
