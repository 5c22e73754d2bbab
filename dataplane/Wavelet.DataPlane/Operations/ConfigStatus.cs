namespace Wavelet.DataPlane.Operations;

/// <summary>Why the last config reload failed (null when the running config is the file's), for /readyz.</summary>
public sealed class ConfigStatus
{
    private volatile string? _lastError;

    public string? LastError
    {
        get => _lastError;
        set => _lastError = value;
    }
}
