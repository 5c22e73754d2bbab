using System.Globalization;

namespace Wavelet.Engine.Postgres;

/// <summary>
/// Who a server's folder belongs to: the owning process's PID and start time (so a reused PID is not mistaken for the
/// owner) and the run label in WAVELET_RUN_ID, if any, so a CI run can tell its own folders from other runs' ones.
/// Written as the file "owner" in the folder.
/// </summary>
internal sealed record ServerOwner(int Pid, long StartTime, string Run)
{
    public const string FileName = "owner";
    public const string RunVariable = "WAVELET_RUN_ID";

    public static ServerOwner Current() =>
        new(Environment.ProcessId, StartTimeOf(Environment.ProcessId) ?? 0, Environment.GetEnvironmentVariable(RunVariable) ?? "");

    public static ServerOwner? Read(string directory)
    {
        try
        {
            var values = File.ReadAllLines(Path.Combine(directory, FileName))
                .Select(l => l.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            return int.TryParse(values.GetValueOrDefault("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(values.GetValueOrDefault("start"), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                ? new ServerOwner(pid, start, values.GetValueOrDefault("run") ?? "")
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), string.Create(CultureInfo.InvariantCulture, $"pid={Pid}\nstart={StartTime}\nrun={Run}\n"));

    /// <summary>Whether the owning process still runs (same PID and same start time, not a zombie).</summary>
    public bool IsAlive() => ProcFs.IsRunning(Pid) && (StartTime == 0 || StartTimeOf(Pid) == StartTime);

    private static long? StartTimeOf(int pid) =>
        ProcFs.StatFields(pid) is { Length: > 19 } fields && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
}
