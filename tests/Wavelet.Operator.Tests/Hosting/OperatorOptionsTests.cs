using Wavelet.Operator.Hosting;

namespace Wavelet.Operator.Tests.Hosting;

public sealed class OperatorOptionsTests
{
    [Fact]
    public void Defaults_watch_all_namespaces_and_are_valid()
    {
        var options = new OperatorOptions();
        Assert.Equal([null], options.EffectiveNamespaces);
        Assert.True(new OperatorOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((8080, 8081, true), (options.MetricsPort, options.HealthPort, options.LeaderElection.Enabled));
    }

    [Fact]
    public void Watch_namespaces_flag_expands_into_a_list()
    {
        var (rest, extra) = CommandLineFlags.Split(["--watch-namespaces", "a, b", "--metrics-port", "9"]);
        Assert.Equal(["--metrics-port", "9"], rest);
        Assert.Equal("a", extra["Operator:WatchNamespaces:0"]);
        Assert.Equal("b", extra["Operator:WatchNamespaces:1"]);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new OperatorOptions { MetricsPort = 70000, ResyncPeriod = TimeSpan.Zero, DataPlaneImage = "" };
        options.LeaderElection.RenewDeadline = TimeSpan.FromSeconds(20);
        var result = new OperatorOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
    }
}
