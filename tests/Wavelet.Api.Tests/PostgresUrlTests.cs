using Npgsql;
using Wavelet.Api.DataPlane;

namespace Wavelet.Api.Tests;

/// <summary>The one postgres:// URL parser the operator, the data plane and the CLI share: libpq names, nothing dropped.</summary>
public sealed class PostgresUrlTests
{
    private static NpgsqlConnectionStringBuilder Parse(string url) => new(PostgresUrl.ToConnectionString(url));

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Every_libpq_sslmode_is_kept(string sslmode, SslMode expected) =>
        Assert.Equal(expected, Parse($"postgres://u:p@rw.example:4566/dev?sslmode={sslmode}").SslMode);

    [Fact]
    public void Tls_files_timeouts_and_names_map_to_npgsql()
    {
        var b = Parse("postgresql://app%40x:p%2Fw%3A1@[::1]:5433/db%20one?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
            + "&sslcert=/c.pem&sslkey=/k.pem&connect_timeout=7&application_name=wavelet%20op&target_session_attrs=read-write"
            + "&keepalives=1&keepalives_idle=30&channel_binding=require");

        Assert.Equal(("app@x", "p/w:1", "::1", 5433, "db one"), (b.Username, b.Password, b.Host, b.Port, b.Database));
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
        Assert.Equal("/etc/ca.pem", b.RootCertificate);
        Assert.Equal(("/c.pem", "/k.pem"), (b.SslCertificate, b.SslKey));
        Assert.Equal(7, b.Timeout);
        Assert.Equal("wavelet op", b.ApplicationName);
        Assert.Equal("read-write", b.TargetSessionAttributes);
        Assert.True(b.TcpKeepAlive);
        Assert.Equal(30, b.TcpKeepAliveTime);
        Assert.Equal(ChannelBinding.Require, b.ChannelBinding);
    }

    [Fact]
    public void Defaults_are_risingwaves()
    {
        var b = Parse("postgres://rw.example");

        Assert.Equal((PostgresUrl.DefaultUser, PostgresUrl.DefaultPort, PostgresUrl.DefaultDatabase), (b.Username, b.Port, b.Database));
    }

    [Theory]
    [InlineData("postgres://u@h/dev?sslmode=verify_full", "sslmode=verify_full")]
    [InlineData("postgres://u@h/dev?ssl=true", "\"ssl\", which Wavelet does not know")]
    [InlineData("postgres://u@h/dev?sslmode=require&sslfactory=x", "\"sslfactory\"")]
    [InlineData("postgres://u@h/dev?connect_timeout=soon", "connect_timeout=soon")]
    [InlineData("mysql://u@h/dev", "scheme \"mysql\"")]
    [InlineData("https://rw.example/dev", "scheme \"https\"")]
    [InlineData("postgres://", "not a valid URL")]
    [InlineData("Host=h;Bogus Key=1", "neither a postgres:// URL nor a valid connection string")]
    [InlineData("just some text", "neither a postgres:// URL nor a valid connection string")]
    public void Anything_not_understood_is_a_clear_error(string url, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PostgresUrl.ToConnectionString(url));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_passes_through_checked() =>
        Assert.Equal("h", Parse("Host=h;Port=4566;Username=root;SSL Mode=VerifyFull").Host);
}
