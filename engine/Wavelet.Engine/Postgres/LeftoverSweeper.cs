using System.Diagnostics;
using System.Globalization;

namespace Wavelet.Engine.Postgres;

/// <summary>
/// Removes what owners that are gone left behind: a folder whose owner file names a process that no longer runs (and
/// whose watchdog did not finish, e.g. because it was killed too) has its server stopped and is deleted. Folders
/// without an owner file are left alone: they may be being created right now.
/// </summary>
internal static class LeftoverSweeper
{
    public const string FolderPrefix = "wavelet-pg-";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The folders removed.</summary>
    public static async Task<IReadOnlyList<string>> SweepAsync(CancellationToken ct)
    {
        var removed = new List<string>();
        if (!Directory.Exists("/proc"))
        {
            return removed; // liveness comes from /proc; elsewhere nothing is swept
        }

        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (ServerOwner.Read(directory) is not { } owner || owner.IsAlive())
            {
                continue;
            }

            if (await RemoveAsync(directory, ct))
            {
                removed.Add(directory);
            }
        }

        return removed;
    }

    /// <summary>Stops the folder's server if it still runs (immediately) and deletes the folder; false when it could not.</summary>
    public static async Task<bool> RemoveAsync(string directory, CancellationToken ct)
    {
        await StopPostmasterAsync(directory, ct);
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false; // another sweeper or the server's own watchdog removed it first
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // not ours to remove
        }
    }

    private static async Task StopPostmasterAsync(string directory, CancellationToken ct)
    {
        var data = Path.Combine(directory, "data");
        if (PostmasterPid(data) is not { } pid || !IsPostmasterOf(pid, data))
        {
            return;
        }

        // Stopped (T) processes cannot act on a shutdown request: continue them first, then ask for an immediate shutdown.
        int[] all = [pid, .. ProcFs.ChildrenOf(pid)];
        await SignalAsync("CONT", all, ct);
        await SignalAsync("QUIT", [pid], ct);
        var waited = Stopwatch.StartNew();
        while (ProcFs.IsRunning(pid) && waited.Elapsed < StopTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct); // allowed: polling a process we cannot wait on (not our child)
        }

        await SignalAsync("KILL", [.. all.Where(ProcFs.IsRunning)], ct);
    }

    /// <summary>The first line of postmaster.pid.</summary>
    private static int? PostmasterPid(string data)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(data, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the PID (which may have been reused) is a postgres running on this data folder.</summary>
    private static bool IsPostmasterOf(int pid, string data)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');
            return ProcFs.IsRunning(pid) && arguments.Contains(data, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task SignalAsync(string signal, int[] pids, CancellationToken ct)
    {
        if (pids.Length == 0)
        {
            return;
        }

        var info = new ProcessStartInfo("kill", ["-s", signal, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        using var kill = Process.Start(info);
        if (kill is not null)
        {
            await kill.StandardError.ReadToEndAsync(ct);
            await kill.WaitForExitAsync(ct);
        }
    }
}
