using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Config;

/// <summary>The current immutable config snapshot; readers take it once per request or connection, reload swaps it whole.</summary>
public sealed class ConfigHolder
{
    private volatile DataPlaneConfig _current;

    public ConfigHolder(DataPlaneConfig initial) => _current = initial;

    public DataPlaneConfig Current => _current;

    public void Swap(DataPlaneConfig next) => _current = next;
}
