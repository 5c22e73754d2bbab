namespace Wavelet.Bench.Measure;

/// <summary>
/// CPU use over a measurement window: the data plane's, the driver's own (it shares the cores) and the whole machine's
/// (other work running at the same time), each in percent of one core; plus the data plane's peak RSS.
/// </summary>
public sealed class CpuWindow : IAsyncDisposable
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);
    private readonly int? _pid;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly ProcessSample _dataPlaneStart;
    private readonly TimeSpan _driverStart;
    private readonly (long Busy, long Total) _machineStart;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly Task _sampler;
    private long _peakRss;

    private CpuWindow(int? pid, TimeProvider clock)
    {
        _pid = pid;
        _clock = clock;
        _dataPlaneStart = pid is { } p ? ProcFs.ReadProcess(p, clock) : default;
        _peakRss = _dataPlaneStart.RssBytes;
        _driverStart = Process.GetCurrentProcess().TotalProcessorTime;
        _machineStart = ProcFs.ReadMachineJiffies();
        _sampler = SampleAsync(_stop.Token);
    }

    /// <summary>Without a pid (target mode, a server that is not a local process) its CPU is NaN and its RSS 0.</summary>
    public static CpuWindow Start(int? dataPlanePid, TimeProvider? clock = null) => new(dataPlanePid, clock ?? TimeProvider.System);

    public CpuFigures Stop()
    {
        _stop.Cancel();
        var seconds = _elapsed.Elapsed.TotalSeconds;
        var end = _pid is { } pid ? ProcFs.ReadProcess(pid, _clock) : default;
        var driver = Process.GetCurrentProcess().TotalProcessorTime - _driverStart;
        var machine = ProcFs.ReadMachineJiffies();
        var machineBusy = (double)(machine.Busy - _machineStart.Busy) / Math.Max(1, machine.Total - _machineStart.Total);
        return new CpuFigures(
            DataPlaneCpuPercent: _pid is null ? double.NaN : 100 * (end.CpuTime - _dataPlaneStart.CpuTime).TotalSeconds / seconds,
            DriverCpuPercent: 100 * driver.TotalSeconds / seconds,
            MachineBusyPercent: 100 * machineBusy * Environment.ProcessorCount,
            DataPlanePeakRssBytes: Math.Max(Interlocked.Read(ref _peakRss), end.RssBytes),
            DataPlaneEndRssBytes: end.RssBytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampler;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SampleInterval, _clock);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                if (_pid is not { } pid)
                {
                    return;
                }

                var rss = ProcFs.ReadProcess(pid, _clock).RssBytes;
                if (rss > Interlocked.Read(ref _peakRss))
                {
                    Interlocked.Exchange(ref _peakRss, rss);
                }
            }
            catch (IOException)
            {
                return; // the process exited; Stop reports what was seen
            }
        }
    }
}

/// <summary>CPU in percent of one core (200 = both cores of this machine busy).</summary>
public sealed record CpuFigures(double DataPlaneCpuPercent, double DriverCpuPercent, double MachineBusyPercent, long DataPlanePeakRssBytes, long DataPlaneEndRssBytes)
{
    /// <summary>Machine CPU used by neither the data plane nor the driver: the simulator, PostgreSQL and other people's work.</summary>
    public double OtherCpuPercent => Math.Max(0, MachineBusyPercent - (double.IsNaN(DataPlaneCpuPercent) ? 0 : DataPlaneCpuPercent) - DriverCpuPercent);
}
