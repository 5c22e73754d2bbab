using System.Globalization;
using System.Text.RegularExpressions;

namespace Wavelet.Testing.Tests.Postgres;

/// <summary>
/// The standalone local engine (the built Wavelet.Engine.dll) as a child process that owns a PostgreSQL server, so a
/// test can stop it any way it likes, SIGKILL included, and check by PID and path what it leaves behind.
/// </summary>
internal sealed partial class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private EngineProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static EngineProcess Start(params string[] args)
    {
        // The engine's own build output (its deps.json resolves its packages); same configuration and framework as this test.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var engine = Tools.RepositoryRoot.Combine("engine", "Wavelet.Engine", "bin", output.Parent!.Name, output.Name, "Wavelet.Engine.dll");
        var info = new ProcessStartInfo("dotnet", [engine, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var child = new EngineProcess(process);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the engine listens; returns its PostgreSQL folder.</summary>
    public async Task<string> WaitUntilListeningAsync()
    {
        Match? folder = null;
        await Eventually.UntilAsync(() =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the engine exited with code {_process.ExitCode} before it listened:\n{Output}");
            }

            folder = FolderLine().Match(Output);
            return folder.Success && Output.Contains("wavelet-engine: connect with", StringComparison.Ordinal);
        }, "the engine listens", TimeSpan.FromSeconds(90));
        return folder!.Groups[1].Value;
    }

    /// <summary>The folders whose owner file names this process.</summary>
    public IReadOnlyList<string> OwnedFolders() =>
        [.. Directory.EnumerateDirectories(Path.GetTempPath(), "wavelet-pg-*").Where(d => ServerOwner.Read(d)?.Pid == Pid)];

    /// <summary>The postmaster of the server in <paramref name="folder"/> and its children (checkpointer, writers, backends).</summary>
    public static IReadOnlyList<int> PostgresPids(string folder)
    {
        var first = File.ReadLines(Path.Combine(folder, "data", "postmaster.pid")).First();
        var postmaster = int.Parse(first, CultureInfo.InvariantCulture);
        return [postmaster, .. ProcFs.ChildrenOf(postmaster)];
    }

    public static bool IsRunning(int pid) => ProcFs.IsRunning(pid);

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, Pid.ToString(CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // SIGKILL of the engine only: its server's watchdog removes the rest
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    [GeneratedRegex(@"folder (\S+) \(removed on exit\)")]
    private static partial Regex FolderLine();
}
