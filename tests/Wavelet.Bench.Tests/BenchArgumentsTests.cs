namespace Wavelet.Bench.Tests;

public class BenchArgumentsTests
{
    private static readonly string[] Known = ["fanout", "reads"];
    private BenchSettings? _ran;

    [Fact]
    public void All_expands_to_every_scenario_once()
    {
        var settings = BenchArguments.Parse(["all", "fanout", "--size", "full", "--out", "r.md"], Known);

        Assert.Equal(Known, settings.Scenarios);
        Assert.Equal(BenchSize.Full, settings.Size);
        Assert.Equal("r.md", settings.OutputFile);
    }

    [Theory]
    [InlineData(new[] { "--size", "huge", "all" }, "--size 'huge' is not a size")]
    [InlineData(new[] { "fanuot" }, "unknown scenario or option 'fanuot'")]
    [InlineData(new[] { "--size" }, "--size needs a value")]
    [InlineData(new[] { "--size", "smoke" }, "name a scenario or all")]
    public void Bad_arguments_say_what_is_wrong(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchArguments.Parse(args, Known));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_scenarios_and_every_option_and_runs_nothing()
    {
        var (code, output, error) = await InvokeAsync("--help");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (var text in new[] { "fanout", "reads", "--size", "--dataplane", "--dataplane-cpus", "--out" })
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("fanout", "--bogus")]
    [InlineData("fanout", "--size", "huge")]
    [InlineData("fanout", "--out")]
    [InlineData("--size", "full")]
    public async Task A_bad_argument_is_one_line_on_stderr_and_exit_code_2(params string[] args)
    {
        var (code, output, error) = await InvokeAsync(args);

        Assert.Equal(BenchArguments.UsageExitCode, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("wavelet-bench: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_arguments_run_with_their_settings()
    {
        var (code, _, _) = await InvokeAsync("reads", "--size", "ci", "--dataplane", "dp.dll", "--dataplane-cpus", "1");

        Assert.Equal(0, code);
        Assert.Equal(["reads"], _ran!.Scenarios);
        Assert.Equal(BenchSize.Smoke, _ran.Size);
        Assert.Equal("dp.dll", _ran.DataPlaneDll);
        Assert.Equal("1", _ran.DataPlaneCpus);
        Assert.Equal(BenchSize.Small, BenchArguments.Parse(["fanout"], Known).Size); // the default size
    }

    private async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] args)
    {
        _ran = null;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BenchArguments.InvokeAsync(args, Known, (settings, _) =>
        {
            _ran = settings;
            return Task.FromResult(0);
        }, output, error);
        Assert.True(code == 0 || _ran is null, "a bad command line ran the bench");
        return (code, output.ToString(), error.ToString());
    }
}
