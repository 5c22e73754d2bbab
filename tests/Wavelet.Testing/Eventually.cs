using System.Diagnostics;

namespace Wavelet.Testing;

/// <summary>
/// The one way tests wait for something that happens asynchronously: poll a condition until it holds or a deadline passes.
/// Never sleep for a fixed time instead.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static Task UntilAsync(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), because, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#}s waiting until {because}.");
            }

            await Task.Delay(PollInterval); // allowed: the shared polling helper's interval between checks
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a non-null value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string because, TimeSpan? timeout = null)
        where T : class
    {
        T? result = null;
        await UntilAsync(async () => (result = await probe()) is not null, because, timeout);
        return result!;
    }
}
