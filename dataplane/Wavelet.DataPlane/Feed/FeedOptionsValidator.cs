using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.DataPlane.Feed;

public sealed class FeedOptionsValidator : IValidateOptions<FeedOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new SettingProblems(FeedOptions.Section);
        problems.AtLeast(nameof(options.FetchSize), options.FetchSize, 1);
        problems.AtLeast(nameof(options.FetchTimeoutSeconds), options.FetchTimeoutSeconds, 1);
        problems.Positive(nameof(options.InitialBackoff), options.InitialBackoff);
        problems.NotBelow(nameof(options.MaxBackoff), options.MaxBackoff, nameof(options.InitialBackoff), options.InitialBackoff);
        return problems.Result;
    }
}
