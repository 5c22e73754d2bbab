using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Wavelet.Engine.Postgres;

/// <summary>
/// Finds PostgreSQL server binaries (initdb and postgres) of version 15 or later: on PATH, in /usr/lib/postgresql/*/bin
/// (newest first), or where <c>pg_config --bindir</c> points. When there are none it names the one command that
/// installs them, and on Debian or Ubuntu, as root, it can run that command itself.
/// </summary>
public static partial class PostgresBinaries
{
    public const int MinimumMajorVersion = 15;

    /// <summary>The directory holding initdb and postgres of a usable version.</summary>
    public static string Find()
    {
        var rejected = new List<string>();
        foreach (var directory in Candidates().Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(directory, "initdb")) || !File.Exists(Path.Combine(directory, "postgres")))
            {
                continue;
            }

            var version = MajorVersion(directory);
            if (version >= MinimumMajorVersion)
            {
                return directory;
            }

            rejected.Add($"{directory} (version {version?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");
        }

        var found = rejected.Count == 0 ? "none found" : "found only older ones: " + string.Join(", ", rejected);
        throw new PostgresNotFoundException(
            $"PostgreSQL {MinimumMajorVersion}+ server binaries (initdb, postgres) are needed for the local engine; {found} " +
            $"(looked on PATH, in /usr/lib/postgresql/*/bin and at pg_config --bindir). Install them with: {InstallCommand()}");
    }

    /// <summary>The one command that installs the server binaries on this system.</summary>
    public static string InstallCommand()
    {
        if (OperatingSystem.IsMacOS())
        {
            return "brew install postgresql@17";
        }

        var prefix = Environment.UserName == "root" ? "" : "sudo ";
        if (IsDebianLike())
        {
            return $"{prefix}apt-get install -y postgresql";
        }

        return File.Exists("/etc/redhat-release") ? $"{prefix}dnf install -y postgresql-server" : "your system's PostgreSQL server package (version 15 or later)";
    }

    /// <summary>Installs the server binaries with apt (Debian or Ubuntu, as root), then finds them.</summary>
    public static async Task<string> InstallAsync(TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (!IsDebianLike() || Environment.UserName != "root")
        {
            throw new PostgresNotFoundException($"--install works on Debian or Ubuntu as root only; install PostgreSQL {MinimumMajorVersion}+ yourself: {InstallCommand()}");
        }

        await progress.WriteLineAsync("installing PostgreSQL: apt-get update && apt-get install -y --no-install-recommends postgresql");
        await RunAsync("apt-get", ["update", "-qq"], ct);
        await RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], ct);
        return Find();
    }

    private static IEnumerable<string> Candidates()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var version in Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(VersionOf))
            {
                yield return Path.Combine(version, "bin");
            }
        }

        if (Output("pg_config", "--bindir") is { Length: > 0 } bindir)
        {
            yield return bindir;
        }
    }

    private static int VersionOf(string directory) =>
        int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;

    private static int? MajorVersion(string directory)
    {
        // "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
        var text = Output(Path.Combine(directory, "postgres"), "--version");
        var match = text is null ? null : VersionText().Match(text);
        return match is { Success: true } && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : null;
    }

    private static bool IsDebianLike() => File.Exists("/etc/debian_version");

    private static string? Output(string file, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? text : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new PostgresNotFoundException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new PostgresNotFoundException($"{file} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {(await stderr).Trim()}{(await stdout).Trim()}");
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex VersionText();
}
