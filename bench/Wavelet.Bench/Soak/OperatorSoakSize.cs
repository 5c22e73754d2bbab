using Wavelet.Bench.Cli;

namespace Wavelet.Bench.Soak;

/// <summary>
/// The operator soak's scale: how many projects churn (created, each changed once, a third deleted), how large a burst of
/// refused requests is, and how often the fault cycle runs. <c>ci</c> runs every fault once; <c>long</c> runs 100 projects.
/// </summary>
public sealed record OperatorSoakSize(int Projects, int Burst, TimeSpan FaultInterval, int Cycles, TimeSpan ConvergeDeadline)
{
    public static OperatorSoakSize For(BenchSize size) => size switch
    {
        BenchSize.Smoke => new(12, 15, TimeSpan.FromSeconds(1.5), 1, TimeSpan.FromMinutes(3)),
        BenchSize.Small => new(40, 40, TimeSpan.FromSeconds(3), 2, TimeSpan.FromMinutes(8)),
        _ => new(100, 100, TimeSpan.FromSeconds(4), 3, TimeSpan.FromMinutes(20)),
    };
}
