using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Wavelet.DataPlane.Tests;

/// <summary>The reload loop driven by injected notifications and a fake clock: no sleeps, no real timers.</summary>
public sealed class ConfigWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryMax = TimeSpan.FromMinutes(1);
    private readonly KubernetesConfigDirectory _files = new();
    private readonly CountingClock _clock = new();
    private readonly DataPlaneMetrics _metrics = new();
    private readonly ConfigStatus _status = new();
    // The supervisor publishes into the holder, so both are made once the initial config is read.
    private HubRegistry _hubs = null!;
    private FeedSupervisor _supervisor = null!;
    private ConfigHolder _holder = null!;
    private ConfigReloader _reloader = null!;
    private ConfigWatcher? _watcher;

    public async Task InitializeAsync()
    {
        _files.Write(Config("orders"));
        var (config, file) = await ConfigLoader.ReadFileAsync(_files.FilePath, CancellationToken.None);
        _holder = new ConfigHolder(config);
        _hubs = new HubRegistry(_holder);
        _supervisor = new FeedSupervisor(new IdleChangeSource(), _holder, _metrics, NullLogger<FeedSupervisor>.Instance);
        _supervisor.Apply(config);
        _reloader = new ConfigReloader(file, _holder, _supervisor, _hubs, _status, _metrics, NullLogger<ConfigReloader>.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_watcher is not null)
        {
            await _watcher.StopAsync(CancellationToken.None);
            _watcher.Dispose();
        }

        await _supervisor.DisposeAsync();
        _reloader.Dispose();
        _files.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task A_notification_applies_a_changed_file_added_query_included()
    {
        var triggers = new ManualTriggers();
        await StartAsync(triggers);

        _files.Write(Config("orders", "totals"));
        triggers.Fire();

        await Eventually.UntilAsync(async () => await ReloadsAsync("ok") == 1, "the new file was applied");
        Assert.Equal(["orders", "totals"], _holder.Current.Queries.Select(q => q.Name));
        Assert.NotNull(_hubs.Find("totals"));
        Assert.Null(_status.LastError);
    }

    [Fact]
    public async Task Every_reader_sees_a_config_with_exactly_the_hubs_of_its_queries_while_reloads_add_and_remove_one()
    {
        using var stop = new CancellationTokenSource();
        var mismatches = new List<string>();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var live = _holder.Live;
                var configured = live.Config.Queries.Select(q => q.Name).Order(StringComparer.Ordinal);
                var served = live.Hubs.Keys.Order(StringComparer.Ordinal);
                if (!configured.SequenceEqual(served))
                {
                    mismatches.Add($"config [{string.Join(", ", configured)}] with hubs [{string.Join(", ", served)}]");
                }

                Interlocked.Increment(ref reads);
            }
        });

        await Eventually.UntilAsync(() => Volatile.Read(ref reads) > 0, "the reader is running");
        for (var i = 0; i < 200; i++)
        {
            _supervisor.Apply(i % 2 == 0 ? Config("orders", "totals") : Config("orders"));
        }

        await Eventually.UntilAsync(() => Volatile.Read(ref reads) > 1000, "the reader ran through the reloads");
        await stop.CancelAsync();
        await reader;
        Assert.Empty(mismatches);
        Assert.Equal(["orders"], _hubs.All.Select(h => h.Name));
    }

    [Fact]
    public async Task A_notification_without_a_content_change_reloads_nothing()
    {
        var triggers = new ManualTriggers();
        await StartAsync(triggers);
        var running = _holder.Current;

        triggers.Fire();
        await Eventually.UntilAsync(() => _watcher!.Checks >= 2, "the notification was handled");

        Assert.Same(running, _holder.Current);
        Assert.Equal(0, await ReloadsAsync("ok") + await ReloadsAsync("failed"));
    }

    [Fact]
    public async Task Polling_picks_up_a_change_when_no_notification_comes()
    {
        await StartAsync(new ManualTriggers());
        _files.Write(Config("orders", "totals"));
        Assert.Equal(0, await ReloadsAsync("ok"));

        _clock.Advance(PollInterval);

        await Eventually.UntilAsync(async () => await ReloadsAsync("ok") == 1, "the poll found the new file");
        Assert.NotNull(_hubs.Find("totals"));
    }

    [Fact]
    public async Task An_invalid_file_keeps_the_running_config_reports_why_once_and_a_valid_file_clears_it()
    {
        var triggers = new ManualTriggers();
        await StartAsync(triggers);
        var running = _holder.Current;

        var invalid = Config("orders", "totals");
        invalid.Queries[1].FilterBy = "tenant";
        _files.Write(invalid);
        triggers.Fire();
        await Eventually.UntilAsync(async () => await ReloadsAsync("failed") == 1, "the invalid file was rejected");
        Assert.Contains("filterClaim", _status.LastError, StringComparison.Ordinal);
        Assert.Same(running, _holder.Current);
        Assert.Null(_hubs.Find("totals"));

        var checks = _watcher!.Checks;
        triggers.Fire();
        await Eventually.UntilAsync(() => _watcher.Checks > checks, "the repeated notification was handled");
        Assert.Equal(1, await ReloadsAsync("failed"));

        _files.Write(Config("orders", "totals"));
        triggers.Fire();
        await Eventually.UntilAsync(async () => await ReloadsAsync("ok") == 1, "the fixed file was applied");
        Assert.Null(_status.LastError);
        Assert.NotNull(_hubs.Find("totals"));
    }

    [Fact]
    public async Task A_changed_database_url_variable_is_rejected_because_the_connection_is_fixed_at_startup()
    {
        var triggers = new ManualTriggers();
        await StartAsync(triggers);

        var moved = Config("orders", "totals");
        moved.Database.UrlEnv = "OTHER_DATABASE_URL";
        _files.Write(moved);
        triggers.Fire();

        await Eventually.UntilAsync(async () => await ReloadsAsync("failed") == 1, "the file was rejected");
        Assert.Contains("restart the pods", _status.LastError, StringComparison.Ordinal);
        Assert.Null(_hubs.Find("totals"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_notification_source_that_ends_or_fails_is_restarted_only_after_a_backoff(bool fails)
    {
        var triggers = new EndingTriggers(fails);
        await StartAsync(triggers);

        // Parked: the poll timer and the backoff delay exist, and nothing but the clock can move the loop on.
        await Eventually.UntilAsync(() => _clock.TimersCreated == 2, "the loop waits out the backoff");
        Assert.Equal(1, triggers.Starts);
        Assert.Equal(1, _watcher!.SourceStarts);

        _clock.Advance(RetryMax);
        await Eventually.UntilAsync(() => _clock.TimersCreated == 3, "the loop restarted the source and waits again");
        Assert.Equal(2, triggers.Starts);
        Assert.True(_watcher.Checks <= 3, $"checks: {_watcher.Checks}");

        // Polling goes on while notifications are down.
        _files.Write(Config("orders", "totals"));
        _clock.Advance(PollInterval);
        await Eventually.UntilAsync(async () => await ReloadsAsync("ok") == 1, "the poll found the new file");
    }

    [Fact]
    public async Task Stopping_ends_the_loop_promptly_while_it_waits_for_notifications()
    {
        await StartAsync(new ManualTriggers());

        await _watcher!.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(_watcher.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Stopping_ends_the_loop_promptly_during_a_backoff()
    {
        await StartAsync(new EndingTriggers(fails: true));
        await Eventually.UntilAsync(() => _clock.TimersCreated == 2, "the loop waits out the backoff");

        await _watcher!.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(_watcher.ExecuteTask!.IsCompletedSuccessfully);
    }

    private static DataPlaneConfig Config(params string[] queries) => new()
    {
        Database = new DatabaseConfig { Schema = "app" },
        Queries = [.. queries.Select(q => new QueryConfig { Name = q, Subscription = "sub_" + q, SpecHash = "1" })],
    };

    private async Task StartAsync(IConfigChangeTriggers triggers)
    {
        var options = new DataPlaneOptions { ConfigPollInterval = PollInterval, ConfigWatchRetryInitial = TimeSpan.FromSeconds(1), ConfigWatchRetryMax = RetryMax };
        _watcher = new ConfigWatcher(_reloader, triggers, _clock, options, NullLogger<ConfigWatcher>.Instance);
        await _watcher.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(() => _watcher.Checks >= 1, "the start-up check ran");
    }

    /// <summary>Counts timers, so a test can tell the loop is parked on the clock.</summary>
    private sealed class CountingClock : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class ManualTriggers : IConfigChangeTriggers
    {
        private readonly Channel<string> _notifications = Channel.CreateUnbounded<string>();

        public void Fire() => _notifications.Writer.TryWrite("changed");

        public IAsyncEnumerable<string> WatchAsync(string path, CancellationToken ct) => _notifications.Reader.ReadAllAsync(ct);
    }

    /// <summary>A source that ends (or fails) at once, as a closed or broken watch would.</summary>
    private sealed class EndingTriggers(bool fails) : IConfigChangeTriggers
    {
        private int _starts;

        public int Starts => Volatile.Read(ref _starts);

        public async IAsyncEnumerable<string> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            Interlocked.Increment(ref _starts);
            await Task.CompletedTask;
            if (fails)
            {
                throw new IOException("watch broken");
            }

            yield break;
        }
    }

    /// <summary>A feed that has an empty snapshot and then no changes.</summary>
    private sealed class IdleChangeSource : IChangeSource
    {
        public async IAsyncEnumerable<FeedEvent> FollowAsync(string schema, QueryConfig query, Wavelet.DataPlane.State.ValueShape shape, [EnumeratorCancellation] CancellationToken ct)
        {
            yield return new SnapshotEvent([]);
            await new TaskCompletionSource().Task.WaitAsync(ct);
        }
    }

    private async Task<double> ReloadsAsync(string result) =>
        PrometheusText.Parse(await _metrics.Exposition.RenderAsync(CancellationToken.None)).Sum("wavelet_config_reloads_total", ("result", result));
}
