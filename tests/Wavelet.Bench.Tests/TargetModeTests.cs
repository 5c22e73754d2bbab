using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Harness;
using Wavelet.Engine;

namespace Wavelet.Bench.Tests;

/// <summary>Target mode: the driver drives servers it did not start, all following one engine, and puts them side by side.</summary>
public class TargetModeTests
{
    [Fact]
    public async Task Target_mode_drives_data_planes_started_separately_on_the_same_engine_and_reports_their_ratio()
    {
        var ct = CancellationToken.None;
        await using var engine = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromHours(1) }, ct);
        var builder = new NpgsqlDataSourceBuilder(engine.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        await using (var database = builder.Build())
        {
            // Twice: a target's engine may already hold the schema from an earlier run.
            await BenchEnvironment.EnsureSchemaAsync(database, ct);
            await BenchEnvironment.EnsureSchemaAsync(database, ct);
        }

        const string secret = "target-mode-secret-of-at-least-32-bytes";
        var environment = new Dictionary<string, string> { ["WAVELET_DATABASE_URL"] = engine.Url, [BenchEnvironment.SecretEnv] = secret };
        var config = BenchSchema.Config(BenchEnvironment.SecretEnv, 4 * 1024 * 1024);
        var dll = DataPlaneLocator.Locate(null);
        await using var first = await DataPlaneProcess.StartAsync(dll, config, environment, NullLogger.Instance, ct);
        await using var second = await DataPlaneProcess.StartAsync(dll, config, environment, NullLogger.Instance, ct);
        var firstWs = new UriBuilder(first.BaseUri) { Scheme = "ws" }.Uri;

        var settings = BenchArguments.Parse(
            ["fanout", "--size", "smoke", "--engine-url", engine.Url, "--target-url", firstWs.ToString(), "--target-url", second.BaseUri.ToString(), "--target-secret", secret, "--target-claim", BenchSchema.TenantColumn],
            BenchRunner.Names);
        var report = (await BenchRunner.RunAsync(settings, NullLogger.Instance, _ => { }, ct)).Single();
        var markdown = report.ToMarkdown();

        Assert.True(report.Figures["target1_max_sustained_messages_per_second"] > 0, markdown);
        Assert.True(report.Figures["target2_max_sustained_messages_per_second"] > 0, markdown);
        Assert.InRange(report.Figures["ratio_max_sustained_messages_per_second"], 0.05, 20);
        // Each target's process was found by its port, so its CPU and GC are reported beside its figures.
        Assert.Contains($"pid {first.Pid}", markdown, StringComparison.Ordinal);
        Assert.Contains($"pid {second.Pid}", markdown, StringComparison.Ordinal);
        Assert.Contains("GC", markdown, StringComparison.Ordinal);
        Assert.Contains("second / first", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "fanout", "--target-url", "ws://127.0.0.1:1" }, "--target-url needs --engine-url")]
    [InlineData(new[] { "writes", "--target-url", "ws://127.0.0.1:1", "--engine-url", "postgres://x@h/db", "--target-secret", "s" }, "scenario 'writes' cannot run against a --target-url")]
    [InlineData(new[] { "fanout", "--target-url", "ftp://h" }, "is not a ws://")]
    [InlineData(new[] { "fanout", "--target-url", "ws://a:1", "--target-url", "ws://b:1", "--target-url", "ws://c:1", "--engine-url", "postgres://x@h/db", "--target-secret", "s" }, "at most two --target-url")]
    public void Target_mode_arguments_say_what_is_missing(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchArguments.Parse(args, BenchRunner.Names));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_core_runs_the_per_core_scenarios_with_the_data_plane_on_cpu_0_unless_told()
    {
        var settings = BenchArguments.Parse(["per-core", "--size", "full"], BenchRunner.Names);
        Assert.Equal(["fanout", "broadcast", "connect-storm", "idle-memory", "writes"], settings.Scenarios);
        Assert.Equal("0", settings.DataPlaneCpus);

        Assert.Equal("1", BenchArguments.Parse(["--dataplane-cpus", "1", "per-core"], BenchRunner.Names).DataPlaneCpus);
    }
}
