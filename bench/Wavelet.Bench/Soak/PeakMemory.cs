using Wavelet.Bench.Measure;

namespace Wavelet.Bench.Soak;

/// <summary>Samples the data plane's RSS four times a second (following restarts through the pid callback) and keeps the peak.</summary>
public sealed class PeakMemory
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Func<int> _pid;
    private long _peak;

    public PeakMemory(Func<int> pid) => _pid = pid;

    public long PeakBytes => Interlocked.Read(ref _peak);

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    var rss = ProcFs.ReadProcess(_pid(), TimeProvider.System).RssBytes;
                    if (rss > _peak)
                    {
                        Interlocked.Exchange(ref _peak, rss);
                    }
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    // between a SIGTERM and the restart there is no process to read
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
