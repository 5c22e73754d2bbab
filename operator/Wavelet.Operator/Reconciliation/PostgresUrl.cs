using Npgsql;

namespace Wavelet.Operator.Reconciliation;

/// <summary>Turns the postgres:// URL users keep in their Secret into an Npgsql connection string.</summary>
public static class PostgresUrl
{
    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trimmed = url.Trim();
        if (!trimmed.StartsWith("postgres://", StringComparison.Ordinal) && !trimmed.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("the RisingWave URL is not a valid postgres:// URL; use postgres://user:password@host:4566/dev");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 4566 : uri.Port,
            Username = userInfo[0].Length == 0 ? "root" : Uri.UnescapeDataString(userInfo[0]),
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "dev",
        };
        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}
