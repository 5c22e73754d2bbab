namespace Wavelet.Testing.Tools;

/// <summary>The repository root (the folder holding Wavelet.Operator.sln), found from the running program's directory.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string?> Found = new(() => TryFind(AppContext.BaseDirectory));

    /// <summary>The root; throws when the program does not run from inside a checkout.</summary>
    public static string Path => Found.Value ?? throw new InvalidOperationException($"No Wavelet.Operator.sln above {AppContext.BaseDirectory}.");

    /// <summary>The root, or null when the program does not run from inside a checkout.</summary>
    public static string? OrNull => Found.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The text of a file named relative to the root.</summary>
    public static string ReadAllText(params string[] parts) => File.ReadAllText(Combine(parts));

    private static string? TryFind(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Wavelet.Operator.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
