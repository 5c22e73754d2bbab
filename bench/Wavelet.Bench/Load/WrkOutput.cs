using System.Globalization;
using System.Text.RegularExpressions;

namespace Wavelet.Bench.Load;

/// <summary>Parses the text `wrk --latency` prints.</summary>
public static partial class WrkOutput
{
    public static HttpLoadResult Parse(string output)
    {
        var rps = RequestsPerSecond().Match(output);
        var total = TotalRequests().Match(output);
        if (!rps.Success || !total.Success)
        {
            throw new FormatException($"wrk output has no request totals:{Environment.NewLine}{output}");
        }

        var failures = NonSuccess().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output);
        if (errors.Success)
        {
            failures += errors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }

        return new HttpLoadResult(
            "wrk",
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            failures,
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50"),
            Percentile(output, "99"),
            MaxLatency().Match(output) is { Success: true } m ? ToMs(m.Groups[1].Value, m.Groups[2].Value) : double.NaN);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, @"^\s*" + percent + @"%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        return match.Success ? ToMs(match.Groups[1].Value, match.Groups[2].Value) : double.NaN;
    }

    private static double ToMs(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            _ => throw new FormatException($"unknown wrk time unit '{unit}'"),
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"^\s*Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s|m)", RegexOptions.Multiline)]
    private static partial Regex MaxLatency();
}
