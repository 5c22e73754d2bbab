using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.DataPlane.Webhooks;

public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new SettingProblems(WebhookOptions.Section);
        problems.AtLeast(nameof(options.QueueCapacity), options.QueueCapacity, 1);
        problems.AtLeast(nameof(options.MaxAttempts), options.MaxAttempts, 1);
        problems.Positive(nameof(options.RequestTimeout), options.RequestTimeout);
        problems.Positive(nameof(options.RetryInitial), options.RetryInitial);
        problems.NotBelow(nameof(options.RetryMax), options.RetryMax, nameof(options.RetryInitial), options.RetryInitial);
        return problems.Result;
    }
}
