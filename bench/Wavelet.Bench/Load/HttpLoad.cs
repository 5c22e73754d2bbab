using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Wavelet.Bench.Measure;

namespace Wavelet.Bench.Load;

/// <summary>
/// GET load against one URL: Debian's `wrk` when it is installed (its own C event loop costs far less CPU than a .NET
/// client on these shared cores), else a keep-alive HttpClient loop per connection.
/// </summary>
public sealed class HttpLoad
{
    private readonly ILogger _logger;

    public HttpLoad(ILogger logger) => _logger = logger;

    public static string? FindWrk() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    public async Task<HttpLoadResult> RunAsync(Uri url, string bearerToken, int connections, TimeSpan duration, CancellationToken ct)
    {
        if (FindWrk() is { } wrk)
        {
            return await RunWrkAsync(wrk, url, bearerToken, connections, duration, ct);
        }

        _logger.LogWarning("wrk is not installed (apt-get install wrk); measuring with the built-in HttpClient loop");
        return await RunLoopAsync(url, bearerToken, connections, duration, ct);
    }

    private static async Task<HttpLoadResult> RunWrkAsync(string wrk, Uri url, string token, int connections, TimeSpan duration, CancellationToken ct)
    {
        var info = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture),
                     "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{Math.Max(1, (int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s",
                     "--latency",
                     "-H", $"Authorization: Bearer {token}",
                     url.ToString(),
                 })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await stderr}");
            }

            return WrkOutput.Parse(await stdout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<HttpLoadResult> RunLoopAsync(Uri url, string token, int connections, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        using var client = new HttpClient(handler);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var latency = new LatencyHistogram();
        long failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(
            async () =>
            {
                while (watch.Elapsed < duration)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
                    latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            },
            ct)));
        return new HttpLoadResult("HttpClient loop", latency.Count, failures, latency.Count / watch.Elapsed.TotalSeconds, latency.PercentileMs(50), latency.PercentileMs(99), latency.MaxMs);
    }
}
