using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.DataPlane.Operations;

/// <summary>Rejects process settings the data plane cannot run with (the management port is checked with its variable, in <see cref="ManagementListener"/>).</summary>
public sealed class DataPlaneOptionsValidator : IValidateOptions<DataPlaneOptions>
{
    public ValidateOptionsResult Validate(string? name, DataPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new SettingProblems(DataPlaneOptions.Section);
        problems.NotNegative(nameof(options.DrainDelay), options.DrainDelay);
        problems.NotNegative(nameof(options.KeepAliveInterval), options.KeepAliveInterval);
        problems.NotNegative(nameof(options.ConfigPollInterval), options.ConfigPollInterval);
        problems.Positive(nameof(options.ConfigWatchRetryInitial), options.ConfigWatchRetryInitial);
        problems.NotBelow(nameof(options.ConfigWatchRetryMax), options.ConfigWatchRetryMax, nameof(options.ConfigWatchRetryInitial), options.ConfigWatchRetryInitial);
        return problems.Result;
    }
}
