using Wavelet.DataPlane.Events;

namespace Wavelet.DataPlane.Tests;

/// <summary>Stopping the host (the path SIGTERM takes) drains: not ready, no new sockets, 1001 after the delay, writes finish.</summary>
public sealed class DrainTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stopping_fails_readiness_refuses_sockets_closes_clients_with_1001_after_the_delay_and_finishes_writes()
    {
        var clock = new DrainClock(DateTimeOffset.UtcNow);
        await using var writer = new GatedEventWriter(new NpgsqlEventWriter(PostgresUrl.ToConnectionString(rw.Url)));
        await using var server = await DataPlaneServer.StartAsync(rw, args: ["--DataPlane:DrainDelay", "00:00:30"], services: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IEventWriter>(writer);
        });
        var ordersBefore = await server.OrderCountAsync();
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await client.ReceiveTypeAsync("snapshot");

        var write = PostAsync(server, "/v1/events/orders", "{\"item\":\"late\",\"qty\":1}");
        await writer.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var stopped = server.App.StopAsync();
        await Eventually.UntilAsync(async () => (await server.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable, "readiness fails as soon as the stop begins");
        var readiness = await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Contains("ok", readiness, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync("per_item", DataPlaneServer.Token("a")));
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);

        // Within the drain delay the connected client is still served.
        var closed = client.ReceiveAsync(TimeSpan.FromSeconds(40));
        Assert.False(closed.IsCompleted, "the socket stays open until the drain delay has passed");
        Assert.Equal(1, server.App.Services.GetRequiredService<HubRegistry>().SubscriberCount);

        await clock.DrainTimerArmed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        clock.Advance(DrainDelay - TimeSpan.FromSeconds(1));
        Assert.False(closed.IsCompleted, "not closed a second before the drain delay ends");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await closed);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        Assert.Equal(FeedHost.DrainReason, client.Socket.CloseStatusDescription);
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        Assert.False(stopped.IsCompleted, "the host waits for the in-flight write");
        writer.Release.SetResult();
        var response = await write;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ordersBefore + 1, await server.OrderCountAsync());
    }

    private static Task<HttpResponseMessage> PostAsync(DataPlaneServer server, string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DataPlaneServer.Token("a"));
        return server.Http.SendAsync(request);
    }

    /// <summary>A fake clock that tells when the drain's delay timer is armed, so the test advances past it exactly once.</summary>
    private sealed class DrainClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public TaskCompletionSource DrainTimerArmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == DrainDelay)
            {
                DrainTimerArmed.TrySetResult();
            }

            return timer;
        }
    }

    /// <summary>Holds each write until released, then writes it for real: an HTTP write in flight while the host stops.</summary>
    private sealed class GatedEventWriter(NpgsqlEventWriter inner) : IEventWriter, IAsyncDisposable
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task InsertAsync(string schema, string table, IReadOnlyList<TypedColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(ct);
            await inner.InsertAsync(schema, table, columns, rows, ct);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
