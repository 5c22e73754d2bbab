namespace Wavelet.Bench.Measure;

/// <summary>Reads Linux /proc: per-process CPU time and RSS, and machine-wide busy time.</summary>
public static class ProcFs
{
    /// <summary>USER_HZ; 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100.0;

    public static ProcessSample ReadProcess(int pid, TimeProvider clock)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessSample(ParseCpuTime(stat), ParseRssBytes(status), clock.GetUtcNow());
    }

    /// <summary>utime + stime (fields 14 and 15); the command name in field 2 may contain spaces, so count after its ')'.</summary>
    public static TimeSpan ParseCpuTime(string stat)
    {
        var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var user = long.Parse(afterName[11], CultureInfo.InvariantCulture);
        var system = long.Parse(afterName[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((user + system) / TicksPerSecond);
    }

    public static long ParseRssBytes(IEnumerable<string> statusLines)
    {
        var line = statusLines.FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("no VmRSS line in /proc/<pid>/status: the process has exited");
        var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kb * 1024;
    }

    /// <summary>Machine-wide (busy, total) jiffies from the first line of /proc/stat.</summary>
    public static (long Busy, long Total) ReadMachineJiffies()
    {
        var first = File.ReadLines("/proc/stat").First();
        return ParseMachineJiffies(first);
    }

    public static (long Busy, long Total) ParseMachineJiffies(string cpuLine)
    {
        var values = cpuLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        var total = values.Take(8).Sum();
        return (total - idle, total);
    }
}
