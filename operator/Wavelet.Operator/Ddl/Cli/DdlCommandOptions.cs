namespace Wavelet.Operator.Ddl.Cli;

/// <summary>Parsed arguments of the ddl command; throws ArgumentException with what is wrong.</summary>
public sealed record DdlCommandOptions(string Command, string File, string Database, string? Project, bool Json, bool AlterRetention)
{
    public static DdlCommandOptions Parse(IReadOnlyList<string> args, string? databaseFromEnvironment)
    {
        if (args.Count == 0 || args[0] is not ("plan" or "sync"))
        {
            throw new ArgumentException("the first argument must be plan or sync");
        }

        string? file = null, database = databaseFromEnvironment, project = null;
        var json = false;
        var alterRetention = true;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--file" or "-f":
                    file = Value(args, ++i, "--file");
                    break;
                case "--database":
                    database = Value(args, ++i, "--database");
                    break;
                case "--project":
                    project = Value(args, ++i, "--project");
                    break;
                case "--json":
                    json = true;
                    break;
                case "--no-alter-retention":
                    alterRetention = false;
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (file is null)
        {
            throw new ArgumentException("--file <project.yaml> is required");
        }

        if (string.IsNullOrWhiteSpace(database))
        {
            throw new ArgumentException($"no database: pass --database <postgres://...> or set {DdlCommandLine.DatabaseVariable}");
        }

        return new DdlCommandOptions(args[0], file, database, project, json, alterRetention);
    }

    private static string Value(IReadOnlyList<string> args, int index, string name) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{name} needs a value");
}
