using Wavelet.Bench.Cli;

namespace Wavelet.Bench.Soak;

/// <summary>
/// The soak's scale. <c>ci</c> (the smoke size) runs every fault once in seconds; <c>long</c> (full) runs the fault cycle
/// repeatedly for minutes with thousands of clients.
/// </summary>
public sealed record SoakSize(
    int Tenants,
    int FilteredClients,
    int UnfilteredClients,
    int ExtraClients,
    int SlowConsumers,
    int Writers,
    TimeSpan WriteInterval,
    TimeSpan FaultInterval,
    int Cycles)
{
    public static SoakSize For(BenchSize size) => size switch
    {
        BenchSize.Smoke => new(4, 24, 8, 4, 2, 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1.5), 1),
        BenchSize.Small => new(10, 200, 40, 20, 5, 4, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(3), 2),
        _ => new(50, 2000, 200, 100, 20, 8, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), 6),
    };

    public int Clients => FilteredClients + UnfilteredClients;
}
