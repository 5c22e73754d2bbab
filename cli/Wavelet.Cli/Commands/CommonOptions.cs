using System.CommandLine;
using Wavelet.Cli.Project;

namespace Wavelet.Cli.Commands;

/// <summary>Arguments and options several commands share, so they are spelled and described the same everywhere.</summary>
public static class CommonOptions
{
    public static Argument<string> FileArgument() => new("file")
    {
        Description = $"WaveletProject manifest (YAML; other documents such as Secrets may sit beside it). Relative to the current directory",
        DefaultValueFactory = _ => ProjectFile.DefaultFileName,
    };

    public static Option<string?> Project() => new("--project")
    {
        Description = "Which WaveletProject to use when the file holds several (its metadata.name)",
    };

    public static Option<string?> DatabaseUrl() => new("--database-url", "--database")
    {
        Description = $"postgres://user[:password]@host:port/db of RisingWave. Default: ${Database.DatabaseUrl.Variable}, else the project's connection Secret when the file holds it",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the result as JSON (for scripts)",
    };

    public static Option<bool> NoAlterRetention() => new("--no-alter-retention")
    {
        Description = "For RisingWave releases without ALTER SUBSCRIPTION ... SET (retention): retention changes recreate the subscription",
    };
}
