using System.Globalization;
using Wavelet.Bench.Measure;

namespace Wavelet.Bench.Harness;

/// <summary>
/// The server a scenario's clients connect to: its HTTP base URL, its local process when there is one (for CPU, RSS and
/// the GC it runs) and the CPUs it was pinned to by the driver.
/// </summary>
public sealed record BenchServer(Uri BaseUri, int? Pid, string? PinnedCpus)
{
    /// <summary>A server the driver did not start: ws(s):// becomes http(s)://, and its process is found by its listening port when it is local.</summary>
    public static BenchServer Target(Uri url)
    {
        var builder = new UriBuilder(url) { Scheme = url.Scheme switch { "ws" => "http", "wss" => "https", _ => url.Scheme } };
        if (url.IsDefaultPort)
        {
            builder.Port = -1;
        }

        var baseUri = builder.Uri;
        var pid = baseUri.IsLoopback || baseUri.Host is "0.0.0.0" ? ProcFs.ListeningPid(baseUri.Port) : null;
        return new BenchServer(baseUri, pid, null);
    }

    /// <summary>"pid 123, server GC (2 heaps), CPUs 0" or what of it is known; the driver's CPUs beside it.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"server {BaseUri}" };
        if (Pid is { } pid)
        {
            parts.Add($"pid {pid.ToString(CultureInfo.InvariantCulture)}");
            parts.Add(ProcFs.GcOf(pid) ?? "not a .NET process (no GC threads)");
            parts.Add($"allowed CPUs {ProcFs.AllowedCpus(pid) ?? "?"}" + (PinnedCpus is null ? "" : " (pinned by the driver)"));
        }
        else
        {
            parts.Add("not a local process: its CPU is not measured");
        }

        return $"{string.Join(", ", parts)}; driver (clients, simulator proxy) on CPUs {ProcFs.AllowedCpus(Environment.ProcessId) ?? "?"}";
    }
}
