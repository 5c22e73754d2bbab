using Npgsql;

namespace Wavelet.Api.DataPlane;

/// <summary>
/// Turns the postgres:// URL of RisingWave (from the connection Secret or WAVELET_DATABASE_URL) into an Npgsql
/// connection string. Shared by the operator, the data plane and the CLI, so TLS settings mean the same everywhere.
/// Query parameters use libpq's names (sslmode=verify-full, sslrootcert, connect_timeout, …) and are mapped to Npgsql's;
/// an unknown parameter is an error rather than silently dropped (a dropped sslmode would turn TLS off). A string that
/// is not a URL is taken as an Npgsql connection string and checked.
/// </summary>
public static class PostgresUrl
{
    public const int DefaultPort = 4566;
    public const string DefaultUser = "root";
    public const string DefaultDatabase = "dev";

    private const string Example = "postgres://user:password@host:4566/dev?sslmode=verify-full";

    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> Parameters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = (b, v) => b.SslMode = SslMode(v),
        ["sslrootcert"] = (b, v) => b.RootCertificate = v == "system" ? null : v,
        ["sslcert"] = (b, v) => b.SslCertificate = v,
        ["sslkey"] = (b, v) => b.SslKey = v,
        ["sslpassword"] = (b, v) => b.SslPassword = v,
        ["channel_binding"] = (b, v) => b.ChannelBinding = v switch
        {
            "disable" => ChannelBinding.Disable,
            "prefer" => ChannelBinding.Prefer,
            "require" => ChannelBinding.Require,
            _ => throw Invalid("channel_binding", v, "disable, prefer, require"),
        },
        ["connect_timeout"] = (b, v) => b.Timeout = Seconds("connect_timeout", v),
        ["application_name"] = (b, v) => b.ApplicationName = v,
        ["options"] = (b, v) => b.Options = v,
        ["target_session_attrs"] = (b, v) => b.TargetSessionAttributes = v is "any" or "read-write" or "read-only" or "primary" or "standby" or "prefer-standby"
            ? v : throw Invalid("target_session_attrs", v, "any, read-write, read-only, primary, standby, prefer-standby"),
        ["keepalives"] = (b, v) => b.TcpKeepAlive = v switch
        {
            "1" => true,
            "0" => false,
            _ => throw Invalid("keepalives", v, "0, 1"),
        },
        ["keepalives_idle"] = (b, v) => b.TcpKeepAliveTime = Seconds("keepalives_idle", v),
        ["keepalives_interval"] = (b, v) => b.TcpKeepAliveInterval = Seconds("keepalives_interval", v),
        ["user"] = (b, v) => b.Username = v,
        ["password"] = (b, v) => b.Password = v,
        ["dbname"] = (b, v) => b.Database = v,
        ["host"] = (b, v) => b.Host = v,
        ["port"] = (b, v) => b.Port = int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port : throw Invalid("port", v, "a port number"),
    };

    /// <summary>The libpq parameter names a URL may carry.</summary>
    public static IReadOnlyCollection<string> SupportedParameters => Parameters.Keys;

    /// <exception cref="FormatException">The text is neither a valid postgres:// URL nor a valid connection string; the message says what is wrong.</exception>
    public static string ToConnectionString(string urlOrConnectionString)
    {
        ArgumentNullException.ThrowIfNull(urlOrConnectionString);
        var text = urlOrConnectionString.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal) is var end and > 0 ? text[..end] : null;
        if (scheme is null)
        {
            return CheckedConnectionString(text);
        }

        if (!scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"the database URL has the scheme \"{scheme}\"; RisingWave speaks the PostgreSQL protocol: use {Example}");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"the database URL is not a valid URL (check the host and that special characters in the password are percent-encoded); expected {Example}");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port > 0 ? uri.Port : DefaultPort,
            Username = userInfo[0].Length == 0 ? DefaultUser : Uri.UnescapeDataString(userInfo[0]),
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } database ? Uri.UnescapeDataString(database) : DefaultDatabase,
        };
        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
            if (!Parameters.TryGetValue(name, out var apply))
            {
                throw new FormatException(
                    $"the database URL has the parameter \"{name}\", which Wavelet does not know; supported (libpq names): {string.Join(", ", Parameters.Keys)}");
            }

            apply(builder, value);
        }

        return builder.ConnectionString;
    }

    private static Npgsql.SslMode SslMode(string value) => value switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        "verify-full" => Npgsql.SslMode.VerifyFull,
        _ => throw Invalid("sslmode", value, "disable, allow, prefer, require, verify-ca, verify-full"),
    };

    private static int Seconds(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : throw Invalid(name, value, "a whole number of seconds");

    private static FormatException Invalid(string name, string value, string expected) =>
        new($"the database URL has {name}={value}; expected {expected}");

    private static string CheckedConnectionString(string text)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new FormatException($"the database connection string names no host; use a URL like {Example}");
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"the database setting is neither a postgres:// URL nor a valid connection string ({e.Message}); use a URL like {Example}", e);
        }
    }
}
