namespace Wavelet.Testing.Tools;

/// <summary>The repository root (the folder holding Wavelet.Operator.sln), found from the test's output directory.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Wavelet.Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Wavelet.Operator.sln above {AppContext.BaseDirectory}.");
    }
}
