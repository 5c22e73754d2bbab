using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.DataPlane.Mcp;

public sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new SettingProblems(McpOptions.Section);
        problems.Positive(nameof(options.NotifyInterval), options.NotifyInterval);
        problems.AtLeast(nameof(options.DefaultReadLimit), options.DefaultReadLimit, 1);
        problems.NotBelow(nameof(options.MaxReadLimit), options.MaxReadLimit, nameof(options.DefaultReadLimit), options.DefaultReadLimit);
        return problems.Result;
    }
}
