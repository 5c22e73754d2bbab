namespace Wavelet.Testing.RisingWave;

/// <summary>Real systems the suites run against when configured, instead of the harness.</summary>
public static class RealSystems
{
    public const string RisingWaveVariable = "WAVELET_TEST_RISINGWAVE_URL";

    /// <summary>postgres:// URL of a real RisingWave, or null.</summary>
    public static string? RisingWaveUrl => Environment.GetEnvironmentVariable(RisingWaveVariable) is { Length: > 0 } url ? url : null;

    public const string RisingWaveSkipMessage =
        "Needs a real RisingWave: set WAVELET_TEST_RISINGWAVE_URL=postgres://root@localhost:4566/dev (e.g. `risingwave playground` or the risingwavelabs/risingwave container) and run the tests again.";

    /// <summary>Converts a postgres:// URL into an Npgsql connection string.</summary>
    public static string ToConnectionString(string url)
    {
        if (!url.StartsWith("postgres://", StringComparison.Ordinal) && !url.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return url;
        }

        var uri = new Uri(url);
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "dev",
            Pooling = false,
        };
        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}
