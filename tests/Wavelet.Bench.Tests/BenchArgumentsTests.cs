namespace Wavelet.Bench.Tests;

public class BenchArgumentsTests
{
    private static readonly string[] Known = ["fanout", "reads"];

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
}
