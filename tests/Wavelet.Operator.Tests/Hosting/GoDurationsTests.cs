using Microsoft.Extensions.Configuration;

namespace Wavelet.Operator.Tests.Hosting;

public sealed class GoDurationsTests
{
    [Theory]
    [InlineData("10m", 600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("2.5s", 2_500)]
    public void Kubernetes_style_durations_parse(string text, long milliseconds)
    {
        Assert.True(GoDurations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("00:10:00")]
    [InlineData("ten minutes")]
    [InlineData("10")]
    public void Other_text_is_left_for_the_binder(string text) => Assert.False(GoDurations.TryParse(text, out _));

    [Fact]
    public void Chart_style_settings_bind_to_operator_options()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Operator:ResyncPeriod"] = "10m", ["Operator:LeaderElection:RetryPeriod"] = "00:00:03" })
            .Build();
        var withOverrides = new ConfigurationBuilder().AddConfiguration(configuration)
            .AddInMemoryCollection(GoDurations.Normalize(configuration, GoDurations.OperatorKeys)).Build();

        var options = withOverrides.GetSection(OperatorOptions.SectionName).Get<OperatorOptions>()!;

        Assert.Equal(TimeSpan.FromMinutes(10), options.ResyncPeriod);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaderElection.RetryPeriod);
    }
}
