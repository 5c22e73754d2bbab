using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wavelet.Cli.Dev;

/// <summary>
/// Signing and minting of dev tokens. The key is the project's own HS256 Secret when the file holds it (so tokens of
/// the app's backend work too), else a random key for this run. A project that trusts a JWKS URL gets the dev key in
/// its place: an identity provider cannot issue tokens on a laptop without network.
/// </summary>
public sealed class DevAuth
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(24);

    private readonly TimeProvider _clock;

    private DevAuth(string? key, string? keySource, string? issuer, string? audience, string? replacedJwks, TimeProvider clock)
    {
        Key = key;
        KeySource = keySource;
        Issuer = issuer;
        Audience = audience;
        ReplacedJwksUrl = replacedJwks;
        _clock = clock;
    }

    /// <summary>HS256 key the data plane verifies with; null when the project has no JWT settings (every client is anonymous).</summary>
    public string? Key { get; }

    public string? KeySource { get; }

    public string? Issuer { get; }

    public string? Audience { get; }

    public string? ReplacedJwksUrl { get; }

    public bool Enabled => Key is not null;

    public static DevAuth For(ProjectFile file, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(file);
        var jwt = file.Project.Spec.Auth?.Jwt;
        if (jwt is null)
        {
            return new DevAuth(null, null, null, null, null, clock);
        }

        var fromSecret = file.SecretValue(jwt.SecretRef);
        var key = fromSecret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var source = fromSecret is not null ? $"Secret {jwt.SecretRef!.Name} in the file" : "a random key for this run";
        return new DevAuth(key, source, jwt.Issuer, jwt.Audience, jwt.JwksUrl, clock);
    }

    /// <summary>The rendered config as dev serves it: HS256 with <see cref="Key"/> (from WAVELET_JWT_SECRET), no JWKS.</summary>
    public DataPlaneConfig Apply(DataPlaneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Enabled && config.Auth.Jwt is { } jwt)
        {
            jwt.SecretEnv = DataPlaneEnvironment.JwtSecret;
            jwt.JwksUrl = null;
        }

        return config;
    }

    /// <summary>A token with sub=dev and the given claims, signed with the dev key.</summary>
    public string Mint(IReadOnlyDictionary<string, string> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (Key is null)
        {
            throw new InvalidOperationException("the project has no spec.auth.jwt: clients need no token");
        }

        var now = _clock.GetUtcNow().UtcDateTime;
        var payload = new Dictionary<string, object>(StringComparer.Ordinal) { ["sub"] = "dev" };
        foreach (var (name, value) in claims)
        {
            payload[name] = value;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Claims = payload,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + TokenLifetime,
            Issuer = Issuer,
            Audience = Audience,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)), SecurityAlgorithms.HmacSha256),
        };
        try
        {
            return new JsonWebTokenHandler().CreateToken(descriptor);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliException($"cannot sign dev tokens with the key from {KeySource}: {e.Message} (HS256 needs at least 32 bytes)", e, ExitCodes.Failed);
        }
    }

    /// <summary>Parses `--claim name=value` options.</summary>
    public static IReadOnlyDictionary<string, string> ParseClaims(IEnumerable<string> options)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var cut = option.IndexOf('=', StringComparison.Ordinal);
            if (cut <= 0)
            {
                throw new CliException($"--claim \"{option}\": expected name=value, e.g. --claim tenant_id=acme", ExitCodes.Usage);
            }

            claims[option[..cut]] = option[(cut + 1)..];
        }

        return claims;
    }
}
