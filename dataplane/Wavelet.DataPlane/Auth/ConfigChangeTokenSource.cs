using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Wavelet.DataPlane.Config;

namespace Wavelet.DataPlane.Auth;

/// <summary>Tells the options monitor to rebuild the named options whenever a new config is published.</summary>
public sealed class ConfigChangeTokenSource<TOptions>(string name, ConfigHolder holder) : IOptionsChangeTokenSource<TOptions>
{
    public string Name => name;

    public IChangeToken GetChangeToken() => holder.GetChangeToken();
}
