namespace Wavelet.Cli.Dev.Console;

/// <summary>What the dev console shows: the config being served, the dev auth and the default claims. Swapped whole on reload.</summary>
public sealed class DevConsoleState
{
    private volatile DataPlaneConfig _config;

    public DevConsoleState(DataPlaneConfig config, DevAuth auth, IReadOnlyDictionary<string, string> claims, string file)
    {
        _config = config;
        Auth = auth;
        Claims = claims;
        File = file;
    }

    public DataPlaneConfig Config
    {
        get => _config;
        set => _config = value;
    }

    public DevAuth Auth { get; }

    /// <summary>Claims of the dev token printed at start (from --claim), the console's default view.</summary>
    public IReadOnlyDictionary<string, string> Claims { get; }

    public string File { get; }
}
