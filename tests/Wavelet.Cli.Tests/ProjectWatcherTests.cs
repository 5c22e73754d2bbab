using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Wavelet.Cli.Dev;
using Wavelet.DataPlane.Config;

namespace Wavelet.Cli.Tests;

/// <summary>The project-file watcher of wavelet dev: changes by checksum, and notifications restarted without spinning.</summary>
public sealed class ProjectWatcherTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_notification_yields_the_new_content_once_and_a_touch_with_the_same_content_yields_nothing()
    {
        var path = _directory.Write("wavelet.yaml", "a");
        var triggers = new ScriptedTriggers();
        var watcher = new ProjectWatcher(path, triggers, new FakeTimeProvider(), TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        var changes = Channel.CreateUnbounded<string>();
        var loop = Task.Run(async () =>
        {
            await foreach (var bytes in watcher.ChangesAsync(ProjectWatcher.Checksum(Encoding.UTF8.GetBytes("a")), stop.Token))
            {
                await changes.Writer.WriteAsync(Encoding.UTF8.GetString(bytes));
            }
        });

        await File.WriteAllTextAsync(path, "b");
        triggers.Notify();
        Assert.Equal("b", await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        triggers.Notify(); // same content: no change
        await File.WriteAllTextAsync(path, "c");
        triggers.Notify();
        Assert.Equal("c", await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        await stop.CancelAsync();
        await loop;
        Assert.False(changes.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Failed_or_ended_notifications_restart_only_after_the_backoff_never_in_a_tight_loop(bool fail)
    {
        var path = _directory.Write("wavelet.yaml", "a");
        var clock = new FakeTimeProvider();
        var triggers = new EndingTriggers(fail);
        var watcher = new ProjectWatcher(path, triggers, clock, TimeSpan.FromHours(1));
        var lost = 0;
        watcher.NotificationsLost += _ => Interlocked.Increment(ref lost);
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            await foreach (var _ in watcher.ChangesAsync(ProjectWatcher.Checksum(Encoding.UTF8.GetBytes("a")), stop.Token))
            {
            }
        });

        await Eventually.UntilAsync(() => Volatile.Read(ref lost) == 1, "the first source ended");
        Assert.Equal(1, watcher.SourceStarts);
        Assert.Equal(1, triggers.Starts); // no restart while the (fake) clock stands still

        // Losses are reported just before the backoff timer is armed, so the clock moves until that timer has fired.
        await Eventually.UntilAsync(() => triggers.Starts == 2 || AdvancePastLargestBackoff(clock), "notifications restarted after the backoff");
        Assert.Equal(2, watcher.SourceStarts);

        await stop.CancelAsync();
        await loop;
    }

    private static bool AdvancePastLargestBackoff(FakeTimeProvider clock)
    {
        clock.Advance(TimeSpan.FromSeconds(31));
        return false;
    }

    /// <summary>Notifications on demand.</summary>
    private sealed class ScriptedTriggers : IConfigChangeTriggers
    {
        private readonly Channel<string> _notifications = Channel.CreateUnbounded<string>();

        public void Notify() => _notifications.Writer.TryWrite("changed");

        public async IAsyncEnumerable<string> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var n in _notifications.Reader.ReadAllAsync(ct))
            {
                yield return n;
            }
        }
    }

    /// <summary>A source that fails, or ends, as soon as it starts.</summary>
    private sealed class EndingTriggers(bool fail) : IConfigChangeTriggers
    {
        private int _starts;

        public int Starts => Volatile.Read(ref _starts);

        public async IAsyncEnumerable<string> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
        {
            Interlocked.Increment(ref _starts);
            await Task.Yield();
            if (fail)
            {
                throw new IOException("inotify limit reached");
            }

            yield break;
        }
    }
}
