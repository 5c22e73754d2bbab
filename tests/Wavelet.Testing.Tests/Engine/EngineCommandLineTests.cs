using Wavelet.Engine;
using Wavelet.Testing.Tests.Postgres;

namespace Wavelet.Testing.Tests.Engine;

/// <summary>The standalone engine's flags: generated help, one line and exit 2 for a bad flag, values reaching the options.</summary>
public sealed class EngineCommandLineTests
{
    private LocalEngineOptions? _ran;

    [Fact]
    public async Task Help_prints_every_flag_and_runs_nothing()
    {
        var (code, output, error) = await InvokeAsync("--help");

        Assert.Equal(0, code);
        Assert.Null(_ran);
        Assert.Equal("", error);
        foreach (var flag in new[] { "--port", "--postgres", "--barrier-ms", "--help" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "--bogus")]
    [InlineData(new[] { "--port", "many" }, "many")]
    [InlineData(new[] { "--port", "70000" }, "--port must be between 0 and 65535")]
    [InlineData(new[] { "--barrier-ms", "0" }, "--barrier-ms must be a positive number")]
    [InlineData(new[] { "--postgres", "postgres://h:5432/db?sslmode=sometimes" }, "--postgres:")]
    [InlineData(new[] { "--port" }, "--port")]
    public async Task A_bad_flag_is_one_line_on_stderr_and_exit_code_2(string[] args, string expected)
    {
        var (code, output, error) = await InvokeAsync(args);

        Assert.Equal(EngineCommandLine.UsageExitCode, code);
        Assert.Null(_ran);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("wavelet-engine: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_set_the_engine_options_and_defaults_stay_as_before()
    {
        Assert.Equal(0, (await InvokeAsync()).Code);
        Assert.Equal(EngineCommandLine.DefaultPort, _ran!.Port);
        Assert.Null(_ran.PostgresConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(1), _ran.BarrierInterval);

        Assert.Equal(0, (await InvokeAsync("--port", "0", "--barrier-ms", "250", "--postgres", "postgres://u:p@db.example:5432/wavelet")).Code);
        Assert.Equal(0, _ran.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(250), _ran.BarrierInterval);
        Assert.Contains("Host=db.example", _ran.PostgresConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_engine_answers_a_bad_flag_with_exit_code_2_and_no_stack_trace()
    {
        await using var engine = EngineProcess.Start("--no-such-flag");

        Assert.Equal(2, await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("wavelet-engine: ", engine.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", engine.Output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] args)
    {
        _ran = null;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EngineCommandLine.InvokeAsync(args, (options, _) =>
        {
            _ran = options;
            return Task.FromResult(0);
        }, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
