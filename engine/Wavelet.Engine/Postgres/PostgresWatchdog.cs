using System.Diagnostics;

namespace Wavelet.Engine.Postgres;

/// <summary>
/// Runs postgres under a small sh script whose stdin is a pipe the owner holds. When the owner closes its end — on
/// disposal, or because it ended in any way, SIGKILL included, since the kernel closes a dead process's pipes — the
/// script asks postgres for a fast shutdown, waits for it and removes the server's folder. The script runs in a session
/// of its own, so a terminal's Ctrl-C reaches only the owner, which then stops the server in order.
/// </summary>
internal sealed class PostgresWatchdog : IDisposable
{
    // $1 folder, $2 bin directory, then postgres's arguments. fd 3 keeps the owner's pipe for the watcher only; postgres
    // gets neither it nor a stdout the owner reads, so it never writes to a closed pipe. SIGPIPE is ignored so that the
    // closing message to a dead owner cannot stop the script before it removes the folder.
    private const string Script = """
        dir=$1 bin=$2
        shift 2
        trap '' PIPE
        exec 3<&0 </dev/null
        "$bin/postgres" -D "$dir/data" "$@" >"$dir/postgres.log" 2>&1 3<&- &
        pg=$!
        (cat <&3 >/dev/null; kill -INT "$pg" 2>/dev/null) &
        watcher=$!
        exec 3<&-
        wait "$pg"
        code=$?
        kill "$watcher" 2>/dev/null
        if [ "$code" -ne 0 ]; then echo "postgres exited with code $code:"; tail -n 20 "$dir/postgres.log"; fi >&2
        rm -rf "$dir"
        """;

    private static readonly string[] SetsidLocations = ["/usr/bin/setsid", "/bin/setsid"];
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private PostgresWatchdog(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>What the script reported (postgres's exit and the end of its log when it ended by itself).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    public static PostgresWatchdog Start(string directory, string binDirectory, IReadOnlyList<string> postgresArgs, bool asPostgresUser)
    {
        string[] command = ["sh", "-c", Script, "sh", directory, binDirectory, .. postgresArgs];
        if (asPostgresUser)
        {
            command = ["runuser", "-u", "postgres", "--", .. command];
        }

        if (SetsidPath() is { } setsid)
        {
            command = [setsid, "--wait", .. command];
        }

        var info = new ProcessStartInfo(command[0], command[1..])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the PostgreSQL watchdog (sh).");
        var watchdog = new PostgresWatchdog(process);
        process.ErrorDataReceived += (_, e) => watchdog.Add(e.Data);
        process.OutputDataReceived += (_, e) => watchdog.Add(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return watchdog;
    }

    /// <summary>Closes the owner's end of the pipe: the script shuts postgres down (fast) and removes the folder.</summary>
    public void Release()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Waits until the script has stopped postgres and removed the folder; false when the timeout passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose() => _process.Dispose();

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_errors)
            {
                _errors.Add(line);
            }
        }
    }

    private static string? SetsidPath() => SetsidLocations.FirstOrDefault(File.Exists);
}
