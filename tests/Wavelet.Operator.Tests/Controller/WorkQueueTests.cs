using Microsoft.Extensions.Time.Testing;
using Wavelet.Operator.Controller;

namespace Wavelet.Operator.Tests.Controller;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Duplicate_adds_are_deduplicated()
    {
        using var queue = new WorkQueue(_clock);
        queue.Add("a/x");
        queue.Add("a/x");
        queue.Add("a/y");
        Assert.Equal(2, queue.Depth);
        Assert.Equal("a/x", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("a/y", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Resync_keys_wait_behind_event_driven_keys()
    {
        using var queue = new WorkQueue(_clock);
        queue.AddBackground("a/old1");
        queue.AddBackground("a/old2");
        queue.Add("a/new");
        queue.AddBackground("a/new");
        Assert.Equal(3, queue.Depth);
        Assert.Equal("a/new", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("a/old1", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("a/old2", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task An_event_for_a_key_waiting_for_resync_moves_it_ahead_once()
    {
        using var queue = new WorkQueue(_clock);
        queue.AddBackground("a/x");
        queue.AddBackground("a/y");
        queue.Add("a/z");
        queue.Add("a/y");
        Assert.Equal(3, queue.Depth);
        Assert.Equal("a/z", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("a/y", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("a/x", await queue.GetAsync(CancellationToken.None));
        using var cts = new CancellationTokenSource();
        var none = queue.GetAsync(cts.Token);
        Assert.False(none.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => none);
    }

    [Fact]
    public async Task A_resync_of_a_key_in_processing_is_dropped()
    {
        using var queue = new WorkQueue(_clock);
        queue.Add("a/x");
        var key = await queue.GetAsync(CancellationToken.None);
        queue.AddBackground("a/x");
        queue.Done(key!);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task A_key_in_processing_is_not_handed_out_again_until_done()
    {
        using var queue = new WorkQueue(_clock);
        queue.Add("a/x");
        var key = await queue.GetAsync(CancellationToken.None);
        queue.Add("a/x");
        Assert.Equal(0, queue.Depth);
        using var cts = new CancellationTokenSource();
        var second = queue.GetAsync(cts.Token);
        Assert.False(second.IsCompleted);
        queue.Done(key!);
        Assert.Equal("a/x", await second);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_and_forget_resets()
    {
        using var queue = new WorkQueue(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("a/x"));
        Assert.Equal(0, queue.Depth);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Depth);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Depth);
        queue.Done((await queue.GetAsync(CancellationToken.None))!);

        Assert.Equal(TimeSpan.FromSeconds(2), queue.AddRateLimited("a/x"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        queue.Done((await queue.GetAsync(CancellationToken.None))!);
        Assert.Equal(TimeSpan.FromSeconds(4), queue.AddRateLimited("a/x"));
        _clock.Advance(TimeSpan.FromSeconds(4));
        queue.Done((await queue.GetAsync(CancellationToken.None))!);
        Assert.Equal(TimeSpan.FromSeconds(8), queue.AddRateLimited("a/x"));
        _clock.Advance(TimeSpan.FromSeconds(8));
        queue.Done((await queue.GetAsync(CancellationToken.None))!);
        Assert.Equal(TimeSpan.FromSeconds(10), queue.AddRateLimited("a/x"));

        queue.Forget("a/x");
        Assert.Equal(0, queue.Failures("a/x"));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, queue.Depth);
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("a/x"));
    }

    [Fact]
    public void The_earliest_delayed_add_wins()
    {
        using var queue = new WorkQueue(_clock);
        queue.AddAfter("a/x", TimeSpan.FromMinutes(5));
        queue.AddAfter("a/x", TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public async Task Shutdown_releases_waiting_workers()
    {
        using var queue = new WorkQueue(_clock);
        var waiting = queue.GetAsync(CancellationToken.None);
        queue.ShutDown();
        Assert.Null(await waiting);
    }
}
