using Polly.Retry;

namespace Wavelet.DataPlane.Resilience;

/// <summary>
/// Polly retry options with the data plane's one delay rule: exponential with "equal jitter" — retry n (from 0) waits a
/// uniform time in [c/2, c] where c = min(max, initial × 2^n). Polly's own jitter (decorrelated) can make the first wait
/// close to zero; this rule keeps a floor of half the ceiling, so a dead peer is never retried in a near-tight loop.
/// </summary>
public static class JitteredBackoff
{
    public static RetryStrategyOptions<T> Options<T>(TimeSpan initial, TimeSpan max, int maxRetries = int.MaxValue)
    {
        var options = new RetryStrategyOptions<T> { MaxRetryAttempts = maxRetries };
        options.DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(initial, max, args.AttemptNumber, options.Randomizer()));
        return options;
    }

    /// <param name="attempt">0 for the first retry.</param>
    /// <param name="random">A value in [0, 1).</param>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int attempt, double random)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random * ceiling / 2));
    }
}
