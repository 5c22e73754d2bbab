using System.Runtime.CompilerServices;
using Polly;

namespace Wavelet.DataPlane.Resilience;

/// <summary>
/// Follows a stream that can end or fail (a feed's cursor, a file-change watch) by reopening it through a Polly retry
/// pipeline. Each item the consumer pulls is one pipeline execution, so the backoff starts over after every item that
/// arrives, and only consecutive failures without progress lengthen the wait.
/// </summary>
public static class ReopeningFollower
{
    /// <param name="open">Opens the stream; called again after each loss, once the backoff has passed.</param>
    /// <param name="onLost">Told of each loss (the exception, or null when the stream ended) and the wait before reopening, before that wait starts.</param>
    public static async IAsyncEnumerable<T> FollowAsync<T>(
        Func<CancellationToken, IAsyncEnumerable<T>> open,
        TimeSpan initialBackoff,
        TimeSpan maxBackoff,
        TimeProvider clock,
        Func<Exception?, TimeSpan, ValueTask> onLost,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var session = new Session<T>(open);
        var retry = JitteredBackoff.Options<Pulled<T>>(initialBackoff, maxBackoff);
        retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: OperationCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
            { Exception: not null } => true,
            { Result.Ended: true } => true,
            _ => false,
        });
        retry.OnRetry = async args =>
        {
            await session.CloseAsync();
            await onLost(args.Outcome.Exception, args.RetryDelay);
        };
        var pipeline = new ResiliencePipelineBuilder<Pulled<T>> { TimeProvider = clock }.AddRetry(retry).Build();
        try
        {
            while (true)
            {
                Pulled<T> next;
                try
                {
                    next = await pipeline.ExecuteAsync(static (s, token) => s.PullAsync(token), session, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    yield break;
                }

                if (next.Ended)
                {
                    yield break; // only when cancelled between the loss and the wait
                }

                yield return next.Item;
            }
        }
        finally
        {
            await session.CloseAsync();
        }
    }

    private readonly record struct Pulled<T>(bool Ended, T Item);

    private sealed class Session<T>(Func<CancellationToken, IAsyncEnumerable<T>> open)
    {
        private IAsyncEnumerator<T>? _current;

        public async ValueTask<Pulled<T>> PullAsync(CancellationToken ct)
        {
            _current ??= open(ct).GetAsyncEnumerator(ct);
            return await _current.MoveNextAsync() ? new Pulled<T>(false, _current.Current) : new Pulled<T>(true, default!);
        }

        public async ValueTask CloseAsync()
        {
            if (_current is { } current)
            {
                _current = null;
                await current.DisposeAsync();
            }
        }
    }
}
