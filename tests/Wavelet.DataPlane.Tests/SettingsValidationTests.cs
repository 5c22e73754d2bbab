using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Hosting;
using Wavelet.Testing.Tools;

namespace Wavelet.DataPlane.Tests;

/// <summary>
/// Process settings (section DataPlane) are checked at start by each options class's validator: a bad value stops the
/// process before anything listens, with one line naming every bad setting and exit code 2, like a bad config file.
/// </summary>
public sealed class SettingsValidationTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["WAVELET_DATABASE_URL"] = "postgres://wavelet@127.0.0.1:1/dev" };

    [Fact]
    public void Every_bad_setting_is_named_in_one_line_with_its_fix()
    {
        var error = Assert.Throws<InvalidConfigException>(() => Build(
            "--DataPlane:Webhooks:QueueCapacity", "0",
            "--DataPlane:Mcp:NotifyInterval", "00:00:00",
            "--DataPlane:Feed:FetchSize", "0",
            "--DataPlane:ConfigWatchRetryMax", "00:00:00.500",
            "--DataPlane:Egress:MaxJwksBytes", "0"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("invalid settings: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataPlane:Webhooks:QueueCapacity is 0; use at least 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataPlane:Mcp:NotifyInterval is 00:00:00; use more than 00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataPlane:Feed:FetchSize is 0; use at least 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataPlane:ConfigWatchRetryMax is 00:00:00.5000000; use at least DataPlane:ConfigWatchRetryInitial (00:00:01)", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataPlane:Egress:MaxJwksBytes is 0; use at least 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--DataPlane:DrainDelay", "soon", "DataPlane:DrainDelay")] // read before the host is built (it picks the listeners)
    [InlineData("--DataPlane:Webhooks:MaxAttempts", "many", "DataPlane:Webhooks:MaxAttempts")] // bound by the options at start
    public void A_value_of_the_wrong_type_names_the_setting(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidConfigException>(() => Build(key, value));
        Assert.StartsWith("invalid setting: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_settings_reach_the_components_that_take_them()
    {
        await using var app = Build("--DataPlane:Webhooks:QueueCapacity", "7", "--DataPlane:Feed:FetchSize", "3");
        Assert.Equal(7, app.Services.GetRequiredService<Webhooks.WebhookOptions>().QueueCapacity);
        var feed = app.Services.GetRequiredService<Feed.FeedOptions>();
        Assert.Equal(3, feed.FetchSize);
        Assert.Contains("127.0.0.1", feed.ConnectionString, StringComparison.Ordinal); // from the config file's database URL, not a setting
    }

    [Fact]
    public async Task The_process_prints_one_line_and_exits_2_for_a_bad_setting()
    {
        var directory = Directory.CreateTempSubdirectory("wavelet-settings-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.json");
            await File.WriteAllTextAsync(config, """{"version":1,"queries":[{"name":"orders","subscription":"s1"}]}""");
            var dataPlane = Path.Combine(AppContext.BaseDirectory, "Wavelet.DataPlane.dll");

            var run = await ToolRun.RunAsync("dotnet", [dataPlane, "--config", config, "--DataPlane:Webhooks:MaxAttempts", "0"], null, Variables);

            Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.Error}\n{run.Output}");
            Assert.Equal("wavelet-dataplane: invalid settings: DataPlane:Webhooks:MaxAttempts is 0; use at least 1", run.Error.Trim());
            Assert.Equal("", run.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static WebApplication Build(params string[] args)
    {
        var config = new DataPlaneConfig { Queries = [new QueryConfig { Name = "orders", Subscription = "s1" }] };
        return DataPlaneHost.Build(config, ["--urls", "http://127.0.0.1:0", .. args], name => Variables.GetValueOrDefault(name));
    }
}
