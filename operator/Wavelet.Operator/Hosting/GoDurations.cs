using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Wavelet.Operator.Hosting;

/// <summary>
/// Lets duration settings be written the Kubernetes way (10m, 1h30m, 500ms) as well as .NET's 00:10:00: the chart and
/// kubectl users write Go durations, while the configuration binder only understands TimeSpan's format.
/// </summary>
public static partial class GoDurations
{
    public static readonly IReadOnlyList<string> OperatorKeys =
    [
        "Operator:ResyncPeriod", "Operator:LeaderElection:LeaseDuration", "Operator:LeaderElection:RenewDeadline",
        "Operator:LeaderElection:RetryPeriod",
    ];

    /// <summary>Overrides for the given keys whose values are Go durations, converted to TimeSpan's invariant format.</summary>
    public static Dictionary<string, string?> Normalize(IConfiguration configuration, IEnumerable<string> keys)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (configuration[key] is { } value && TryParse(value, out var duration))
            {
                overrides[key] = duration.ToString("c", CultureInfo.InvariantCulture);
            }
        }

        return overrides;
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = GoDuration().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h']);
            var amount = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                _ => TimeSpan.FromMilliseconds(amount),
            };
        }

        return true;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|h|m|s))+$")]
    private static partial Regex GoDuration();
}
