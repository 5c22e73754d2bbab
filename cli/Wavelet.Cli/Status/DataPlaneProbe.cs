using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wavelet.Cli.Status;

/// <summary>Reads a running data plane's /readyz and /metrics.</summary>
public static partial class DataPlaneProbe
{
    public static async Task<DataPlaneStatus> ReadAsync(string baseUrl, CancellationToken ct)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--url \"{baseUrl}\" is not an http(s) URL, e.g. http://127.0.0.1:8080", ExitCodes.Usage);
        }

        var status = new DataPlaneStatus { Url = root.ToString().TrimEnd('/') };
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative), ct);
            if (ready.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                status.Reachable = true;
                status.Error = $"{root}readyz answered 404: this is a client port. A deployed data plane serves /readyz and /metrics on its management port "
                    + $"({Wavelet.Api.DataPlane.DataPlaneEnvironment.DefaultManagementPort}): kubectl port-forward deploy/<project>-wavelet {Wavelet.Api.DataPlane.DataPlaneEnvironment.DefaultManagementPort} "
                    + $"and pass --url http://127.0.0.1:{Wavelet.Api.DataPlane.DataPlaneEnvironment.DefaultManagementPort}";
                return status;
            }

            var body = await ready.Content.ReadFromJsonAsync<JsonElement>(ct);
            status.Reachable = true;
            status.Ready = body.TryGetProperty("ready", out var r) && r.GetBoolean();
            status.Draining = body.TryGetProperty("draining", out var d) && d.GetBoolean();
            status.Loading = body.TryGetProperty("loading", out var l) && l.ValueKind == JsonValueKind.Array ? [.. l.EnumerateArray().Select(e => e.GetString() ?? "")] : [];
            status.ConfigError = body.TryGetProperty("configError", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            status.Queries = Lags(await http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            status.Error = $"cannot read {root}readyz: {e.Message}";
        }

        return status;
    }

    /// <summary>Per query: wavelet_feed_lag_seconds and wavelet_connections from the Prometheus text.</summary>
    internal static IReadOnlyList<QueryLag> Lags(string metrics)
    {
        var lag = new Dictionary<string, double>(StringComparer.Ordinal);
        var connections = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match match in Sample().Matches(metrics))
        {
            var query = match.Groups["query"].Value;
            if (!double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            if (match.Groups["name"].Value == "wavelet_feed_lag_seconds")
            {
                lag[query] = value;
            }
            else
            {
                connections[query] = (long)value;
            }
        }

        return [.. lag.Keys.Union(connections.Keys).Order(StringComparer.Ordinal)
            .Select(q => new QueryLag(q, lag.TryGetValue(q, out var s) ? s : null, connections.GetValueOrDefault(q)))];
    }

    [GeneratedRegex("""^(?<name>wavelet_feed_lag_seconds|wavelet_connections)\{query="(?<query>[^"]*)"\} (?<value>\S+)""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
