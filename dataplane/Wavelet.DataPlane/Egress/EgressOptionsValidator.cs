using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.DataPlane.Egress;

public sealed class EgressOptionsValidator : IValidateOptions<EgressOptions>
{
    public ValidateOptionsResult Validate(string? name, EgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new SettingProblems(EgressOptions.Section);
        problems.AtLeast(nameof(options.MaxJwksBytes), options.MaxJwksBytes, 1);
        return problems.Result;
    }
}
