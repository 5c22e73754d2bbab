using System.Globalization;

namespace Wavelet.Engine.Postgres;

/// <summary>Process facts from Linux's /proc: state, parent and start time, read from /proc/&lt;pid&gt;/stat.</summary>
internal static class ProcFs
{
    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name: [0] state, [1] parent PID, [19] start time.</summary>
    public static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the process exists and is not a zombie (a zombie has ended; only its exit status is left).</summary>
    public static bool IsRunning(int pid) => StatFields(pid) is [var state, ..] && state != "Z" && state != "X";

    /// <summary>The PIDs of the direct children of <paramref name="parent"/>.</summary>
    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StatFields(pid) is [_, var ppid, ..]
                && ppid == parent.ToString(CultureInfo.InvariantCulture))
            {
                children.Add(pid);
            }
        }

        return children;
    }
}
