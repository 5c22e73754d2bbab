namespace Wavelet.Cli.Dev;

/// <summary>Which database `wavelet dev` may use (--engine).</summary>
public static class DevEngine
{
    /// <summary>A reachable URL, else `risingwave playground`, else Docker, else the local engine.</summary>
    public const string Auto = "auto";

    /// <summary>Only `risingwave playground` (a binary on PATH).</summary>
    public const string RisingWave = "risingwave";

    /// <summary>Only RisingWave in Docker.</summary>
    public const string Docker = "docker";

    /// <summary>Only the embedded local engine.</summary>
    public const string Local = "local";

    public static readonly string[] All = [Auto, RisingWave, Docker, Local];
}
