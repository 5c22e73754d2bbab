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

    /// <summary>
    /// The local process listening on TCP <paramref name="port"/> (any address), found through the socket's inode in
    /// /proc/net/tcp{,6} and the processes' descriptors; null when none is local or /proc does not show it.
    /// </summary>
    public static int? ListeningPid(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (File.Exists(table))
            {
                inodes.UnionWith(File.ReadLines(table).Skip(1).Select(line => ListeningInode(line, port)).OfType<string>());
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a process that exited or is not ours to read
            }
        }

        return null;
    }

    /// <summary>The inode of a /proc/net/tcp line in state LISTEN (0A) on <paramref name="port"/>, else null.</summary>
    public static string? ListeningInode(string line, int port)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[3] != "0A")
        {
            return null;
        }

        var local = fields[1];
        var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return localPort == port ? fields[9] : null;
    }

    /// <summary>
    /// Which garbage collector a .NET process runs, from its threads' names: server GC has one ".NET Server GC" thread
    /// per heap; workstation GC has none. (Pinned to one CPU, DOTNET_gcServer=1 is ignored: this shows what really ran.)
    /// Null for a process that is not .NET or not readable.
    /// </summary>
    public static string? GcOf(int pid)
    {
        try
        {
            var names = Directory.EnumerateDirectories($"/proc/{pid}/task")
                .Select(task => File.ReadAllText(Path.Combine(task, "comm")).Trim())
                .ToList();
            return DescribeGc(names);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string? DescribeGc(IReadOnlyCollection<string> threadNames)
    {
        var serverHeaps = threadNames.Count(n => n.StartsWith(".NET Server GC", StringComparison.Ordinal));
        if (serverHeaps > 0)
        {
            return $"server GC ({serverHeaps.ToString(CultureInfo.InvariantCulture)} heaps)";
        }

        return threadNames.Any(n => n.StartsWith(".NET", StringComparison.Ordinal)) ? "workstation GC" : null;
    }

    /// <summary>The CPUs a process may run on (Cpus_allowed_list of /proc/&lt;pid&gt;/status), e.g. "0-1".</summary>
    public static string? AllowedCpus(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?["Cpus_allowed_list:".Length..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The first three fields of /proc/loadavg: how shared the machine was.</summary>
    public static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
