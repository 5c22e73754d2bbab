namespace Wavelet.Api;

/// <summary>A subscription retention such as 30s, 15m, 24h or 7d: a positive whole number and one unit.</summary>
public readonly partial record struct Retention(long Amount, char Unit)
{
    /// <summary>The accepted form (also used by the CRD's schema).</summary>
    public const string Pattern = "^[1-9][0-9]{0,5}[smhdSMHD]$";

    public static readonly Retention Default = new(24, 'h');

    public TimeSpan Duration => Unit switch
    {
        's' => TimeSpan.FromSeconds(Amount),
        'm' => TimeSpan.FromMinutes(Amount),
        'h' => TimeSpan.FromHours(Amount),
        _ => TimeSpan.FromDays(Amount),
    };

    public long TotalSeconds => (long)Duration.TotalSeconds;

    /// <summary>The literal for <c>WITH (retention = '...')</c>, e.g. <c>24h</c>.</summary>
    public string ToRisingWave() => Amount.ToString(CultureInfo.InvariantCulture) + Unit;

    public override string ToString() => ToRisingWave();

    public static bool TryParse(string? text, out Retention retention)
    {
        retention = default;
        if (text is null || !RetentionRegex().IsMatch(text))
        {
            return false;
        }

        var amount = long.Parse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
        retention = new Retention(amount, char.ToLowerInvariant(text[^1]));
        return true;
    }

    public static Retention Parse(string text) =>
        TryParse(text, out var retention)
            ? retention
            : throw new FormatException($"\"{text}\" is not a valid retention; use a whole number and a unit s, m, h or d, e.g. 30m, 24h or 7d");

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex RetentionRegex();
}
