using System.Text.RegularExpressions;

namespace Wavelet.Engine.Cdc;

/// <summary>RisingWave's postgres-cdc statements as the engine recognises them.</summary>
internal static partial class CdcStatements
{
    private const string Name = @"(?:""(?:[^""]|"""")+""|[A-Za-z_][A-Za-z0-9_$]*)";
    private const string QualifiedName = Name + @"(?:\s*\.\s*" + Name + ")?";

    /// <summary>schema and name of a possibly qualified, possibly quoted name; unqualified names are in public.</summary>
    public static (string Schema, string Name) Split(string qualified)
    {
        var parts = NamePart().Matches(qualified).Select(m => SqlText.Unquote(m.Value)).ToList();
        return parts.Count > 1 ? (parts[0], parts[1]) : ("public", parts[0]);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Quote((string Schema, string Name) name) => Quote(name.Schema) + "." + Quote(name.Name);

    /// <summary>WITH options: key = 'value' pairs, keys may be dotted (database.name); null when the list is malformed.</summary>
    public static Dictionary<string, string>? Options(string text)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        while (position < text.Length)
        {
            var m = Option().Match(text, position);
            if (!m.Success || m.Index != position)
            {
                return string.IsNullOrWhiteSpace(text[position..]) ? options : null;
            }

            options[m.Groups["key"].Value] = m.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            position = m.Index + m.Length;
        }

        return options;
    }

    [GeneratedRegex(@"^CREATE\s+SOURCE\s+(?<ine>IF\s+NOT\s+EXISTS\s+)?(?<name>" + QualifiedName + @")\s+WITH\s*\((?<options>.*)\)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    public static partial Regex CreateSource();

    [GeneratedRegex(@"^DROP\s+SOURCE\s+(?<ie>IF\s+EXISTS\s+)?(?<name>" + QualifiedName + @")(\s+CASCADE)?$", RegexOptions.IgnoreCase)]
    public static partial Regex DropSource();

    [GeneratedRegex(@"^CREATE\s+TABLE\s+(?<ine>IF\s+NOT\s+EXISTS\s+)?(?<name>" + QualifiedName + @")\s*\((?<defs>.*)\)\s*FROM\s+(?<source>" + QualifiedName + @")\s+TABLE\s+'(?<upstream>(?:[^']|'')*)'$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    public static partial Regex CreateTableFromSource();

    [GeneratedRegex(@"^DROP\s+TABLE\s+(?<ie>IF\s+EXISTS\s+)?(?<name>" + QualifiedName + @")(\s+CASCADE)?$", RegexOptions.IgnoreCase)]
    public static partial Regex DropTable();

    [GeneratedRegex(@"\s*(?<key>[A-Za-z_][A-Za-z0-9_.]*)\s*=\s*'(?<value>(?:[^']|'')*)'\s*(,|$)", RegexOptions.Singleline)]
    private static partial Regex Option();

    [GeneratedRegex(Name)]
    private static partial Regex NamePart();
}
