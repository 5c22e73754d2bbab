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
        var settings = OperatorCommandLine.Parse(["--watch-namespaces", "a, b", "--metrics-port", "9"]);
        Assert.Equal("9", settings["Operator:MetricsPort"]);
        Assert.Equal("a", settings["Operator:WatchNamespaces:0"]);
        Assert.Equal("b", settings["Operator:WatchNamespaces:1"]);
        Assert.Equal(3, settings.Count);
    }

    [Fact]
    public void An_unknown_flag_is_refused_with_the_parser_message()
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorCommandLine.Parse(["--metrics-prot", "9"]));
        Assert.Contains("--metrics-prot", error.Message, StringComparison.Ordinal);
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
