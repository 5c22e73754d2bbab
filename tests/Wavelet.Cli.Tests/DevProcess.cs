namespace Wavelet.Cli.Tests;

/// <summary>
/// `wavelet dev` as a real process (the built wavelet.dll), in its own process group so a test can press Ctrl-C the way
/// a terminal does (SIGINT to the group). Records the processes it started and the folders they use, by PID and path.
/// </summary>
internal sealed partial class DevProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly HashSet<int> _seen = [];

    private DevProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Output => string.Join('\n', Lines);

    public Uri? Url { get; private set; }

    public string? WorkDirectory { get; private set; }

    public static DevProcess Start(string directory, params string[] args)
    {
        var wavelet = Path.Combine(AppContext.BaseDirectory, "wavelet.dll");
        var info = new ProcessStartInfo("setsid", ["dotnet", wavelet, .. args])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.Environment.Remove("WAVELET_DATABASE_URL");
        var process = Process.Start(info)!;
        var dev = new DevProcess(process);
        process.OutputDataReceived += (_, e) => dev.Add(e.Data);
        process.ErrorDataReceived += (_, e) => dev.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dev;
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    /// <summary>Waits for the banner and reads the data plane's URL and dev's folder from it.</summary>
    public async Task WaitUntilLiveAsync()
    {
        await WaitForLineAsync(l => l.Contains("is live", StringComparison.Ordinal), "wavelet dev prints that the project is live", TimeSpan.FromSeconds(90));
        await WaitForLineAsync(l => l.TrimStart().StartsWith("watching ", StringComparison.Ordinal), "the banner is complete");
        Url = new Uri(Lines.Select(l => DataPlaneLine().Match(l)).First(m => m.Success).Groups[1].Value);
        WorkDirectory = Lines.Select(l => FilesLine().Match(l)).First(m => m.Success).Groups[1].Value;
    }

    /// <summary>Waits for a line after the first <paramref name="skip"/> lines; returns its index.</summary>
    public async Task<int> WaitForLineAsync(Func<string, bool> predicate, string because, TimeSpan? timeout = null, int skip = 0)
    {
        var index = -1;
        await Eventually.UntilAsync(() =>
        {
            if (_process.HasExited && !Lines.Skip(skip).Any(predicate))
            {
                throw new InvalidOperationException($"wavelet dev exited with code {_process.ExitCode} before {because}:\n{Output}");
            }

            var lines = Lines;
            index = Enumerable.Range(skip, Math.Max(0, lines.Count - skip)).Where(i => predicate(lines[i])).DefaultIfEmpty(-1).First();
            return index >= 0;
        }, because + "\n" + Output, timeout);
        return index;
    }

    /// <summary>Every process below dev (runuser, PostgreSQL and its workers), from /proc.</summary>
    public IReadOnlyList<int> Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var stat in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)))
        {
            try
            {
                var text = File.ReadAllText($"/proc/{stat}/stat");
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                parents[int.Parse(stat!, System.Globalization.CultureInfo.InvariantCulture)] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([Pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                result.Add(child);
                frontier.Enqueue(child);
            }
        }

        lock (_seen)
        {
            _seen.UnionWith(result);
        }

        return result;
    }

    /// <summary>The PostgreSQL data folders (…/wavelet-pg-*/) of dev's descendants, from their command lines.</summary>
    public IReadOnlyList<string> PostgresFolders(IEnumerable<int> pids) =>
        [.. pids.Select(pid => Cmdline(pid)).Select(c => DataDirectory().Match(c)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct()];

    public static bool IsRunning(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Ctrl-C in a terminal: SIGINT to dev's whole process group.</summary>
    public Task PressCtrlCAsync() => KillAsync("-INT", "--", $"-{Pid}");

    public Task SignalAsync(string signal) => KillAsync(signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    private static async Task KillAsync(params string[] args)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", args) { RedirectStandardError = true })!;
        await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
    }

    private static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>After a failed test: ends whatever dev or its children left running and removes their folders.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Descendants();
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        int[] seen;
        lock (_seen)
        {
            seen = [.. _seen];
        }

        var folders = PostgresFolders(seen);
        foreach (var pid in seen.Where(IsRunning))
        {
            await KillAsync("-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var folder in folders.Append(WorkDirectory).OfType<string>().Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"data plane: (http://\S+)")]
    private static partial Regex DataPlaneLine();

    [GeneratedRegex(@"files:\s+(\S+)")]
    private static partial Regex FilesLine();

    [GeneratedRegex(@" -D (/\S+)/data")]
    private static partial Regex DataDirectory();
}
