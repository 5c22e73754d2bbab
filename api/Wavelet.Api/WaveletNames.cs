namespace Wavelet.Api;

/// <summary>Rules for the identifiers Wavelet creates in RisingWave (schemas, tables, views, columns, subscriptions).</summary>
public static partial class WaveletNames
{
    /// <summary>Lowercase letters, digits and underscores, starting with a letter or underscore, at most 63 characters (PostgreSQL's limit).</summary>
    public const string IdentifierPattern = "^[a-z_][a-z0-9_]{0,62}$";

    public const int MaxIdentifierLength = 63;

    /// <summary>Prefix of the objects Wavelet keeps for itself inside a project's schema (e.g. its metadata table).</summary>
    public const string ReservedPrefix = "_wavelet";

    /// <summary>Prefix of the subscription that follows each query.</summary>
    public const string SubscriptionPrefix = "wavelet_sub_";

    /// <summary>The longest query name whose subscription name still fits in an identifier.</summary>
    public const int MaxQueryNameLength = MaxIdentifierLength - 12;

    public static bool IsValidIdentifier(string? name) => name is not null && IdentifierRegex().IsMatch(name);

    public static bool IsReserved(string? name) => name is not null && name.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    /// <summary>Schema names Wavelet refuses to own: the system catalogs of PostgreSQL and RisingWave.</summary>
    public static bool IsSystemSchema(string name) =>
        name.StartsWith("pg_", StringComparison.Ordinal) || name is "public" or "information_schema" or "rw_catalog";

    /// <summary>A double-quoted SQL identifier; throws for anything <see cref="IsValidIdentifier"/> rejects.</summary>
    public static string Quote(string name)
    {
        if (!IsValidIdentifier(name))
        {
            throw new ArgumentException($"\"{name}\" is not a valid identifier; use lowercase letters, digits and underscores, starting with a letter or underscore, at most 63 characters", nameof(name));
        }

        return "\"" + name + "\"";
    }

    [GeneratedRegex(IdentifierPattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierRegex();
}
