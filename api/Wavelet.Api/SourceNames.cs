using System.Security.Cryptography;
using System.Text;

namespace Wavelet.Api;

/// <summary>Name rules for CDC sources: replication slots, publications, upstream tables and connection fields.</summary>
public static partial class SourceNames
{
    /// <summary>PostgreSQL's rule for replication slot names: lowercase letters, digits and underscores, at most 63.</summary>
    public const string SlotPattern = "^[a-z0-9_]{1,63}$";

    /// <summary>schema.table of the source database, each part an identifier.</summary>
    public const string UpstreamTablePattern = "^[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}$";

    /// <summary>A host name or address: no spaces, quotes or characters with a meaning in a connection string.</summary>
    public const string HostPattern = "^[A-Za-z0-9._:\\[\\]-]+$";

    /// <summary>Database and user names: printable, without quotes, spaces or backslashes.</summary>
    public const string PlainNamePattern = "^[A-Za-z0-9_.$-]+$";

    public static bool IsValidSlot(string? name) => name is not null && SlotRegex().IsMatch(name);

    public static bool IsValidUpstreamTable(string? name) => name is not null && UpstreamTableRegex().IsMatch(name);

    public static bool IsValidHost(string? host) => host is not null && HostRegex().IsMatch(host);

    public static bool IsPlainName(string? name) => name is not null && PlainNameRegex().IsMatch(name);

    /// <summary>
    /// A slot name unique to namespace, project and source: wavelet_&lt;namespace&gt;_&lt;project&gt;_&lt;source&gt; with every other
    /// character turned into '_', cut to 54 characters plus '_' and 8 hex digits of a hash of the full name when longer than 63.
    /// The hash keeps two long names that share a prefix apart.
    /// </summary>
    public static string DefaultSlot(string @namespace, string project, string source)
    {
        var full = $"wavelet_{@namespace}_{project}_{source}";
        var slot = new StringBuilder(full.Length);
        foreach (var c in full.ToLowerInvariant())
        {
            slot.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (slot.Length <= WaveletNames.MaxIdentifierLength && slot.ToString() == full)
        {
            return full;
        }

        // Names with characters replaced could collide with names that had '_' there: the hash tells them apart.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8];
        var head = slot.ToString();
        return (head.Length > 54 ? head[..54] : head) + "_" + hash;
    }

    [GeneratedRegex(SlotPattern, RegexOptions.CultureInvariant)]
    private static partial Regex SlotRegex();

    [GeneratedRegex(UpstreamTablePattern, RegexOptions.CultureInvariant)]
    private static partial Regex UpstreamTableRegex();

    [GeneratedRegex(HostPattern, RegexOptions.CultureInvariant)]
    private static partial Regex HostRegex();

    [GeneratedRegex(PlainNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex PlainNameRegex();
}
