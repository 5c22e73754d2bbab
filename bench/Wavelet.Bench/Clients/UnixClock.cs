namespace Wavelet.Bench.Clients;

/// <summary>Wall-clock microseconds since the Unix epoch: the unit of the rows' write-timestamp column.</summary>
public static class UnixClock
{
    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
