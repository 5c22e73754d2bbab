using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.DataPlane;
using Wavelet.Api.V1Alpha1;
using Wavelet.Cli.Database;
using Wavelet.Cli.Generate;
using Wavelet.Cli.Output;
using Wavelet.Cli.Project;
using Wavelet.Ddl;

namespace Wavelet.Cli.Commands;

/// <summary>
/// `wavelet generate`: typed clients from the queries' result columns as the database reports them. With a database
/// URL the columns are read from its catalog (the project must have been pushed); without one the project is synced
/// into a throwaway local engine first, so no RisingWave is needed.
/// </summary>
public static class GenerateCommand
{
    public const string DefaultDirectory = ".wavelet";

    public static Command Build(CliContext context)
    {
        var file = CommonOptions.FileArgument();
        var project = CommonOptions.Project();
        var database = new Option<string?>("--database-url", "--database")
        {
            Description = $"Read the query columns from this RisingWave's catalog (after wavelet push). Default: ${DatabaseUrl.Variable}; when neither is set the project is synced into a throwaway local engine and read from there",
        };
        var lang = new Option<string>("--lang")
        {
            Description = "ts: a TypeScript client in the upstream Wavelet SDK's generated-client shape; csharp: C# records",
            DefaultValueFactory = _ => "ts",
        };
        lang.AcceptOnlyFromAmong("ts", "csharp");
        var output = new Option<string>("--out")
        {
            Description = "Directory to write the client to (created when missing)",
            DefaultValueFactory = _ => DefaultDirectory,
        };
        var @namespace = new Option<string>("--namespace")
        {
            Description = "Namespace of the C# records",
            DefaultValueFactory = _ => "Wavelet.Generated",
        };
        var json = CommonOptions.Json();
        var command = new Command("generate", $"Generate a typed client ({TypeScriptClientGenerator.FileName} or {CSharpClientGenerator.FileName}) from the project's queries and events")
        {
            file, project, database, lang, output, @namespace, json,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(context, async () =>
        {
            var loaded = ProjectFile.Load(context.ResolvePath(parse.GetValue(file)!), parse.GetValue(project));
            var explicitUrl = parse.GetValue(database) is { Length: > 0 } given ? new DatabaseUrl(given, "--database-url")
                : context.Environment(DatabaseUrl.Variable) is { Length: > 0 } env ? new DatabaseUrl(env, "$" + DatabaseUrl.Variable) : null;
            var (queries, from) = explicitUrl is null
                ? (await ColumnsFromLocalEngineAsync(context, loaded, ct), "a throwaway local engine")
                : (await ColumnsFromDatabaseAsync(context, loaded, explicitUrl, ct), explicitUrl.ToString());

            var model = new ClientModel(
                loaded.Project.Metadata.Name ?? "",
                Path.GetFileName(loaded.Path),
                [.. loaded.Project.Spec.Queries.Select(q => new ClientQuery(q.Name,
                    queries.TryGetValue(q.Name, out var columns) ? [.. columns.Select(c => new ClientColumn(c.Name, c.Type))] : []))],
                [.. loaded.Project.Spec.Events.Select(e => new ClientEvent(e.Name, [.. e.Columns.Select(c => new ClientColumn(c.Name, c.Type))]))],
                loaded.Project.Spec.DataPlane?.ValueShape ?? ValueShapes.Upstream);

            var csharp = parse.GetValue(lang) == "csharp";
            var directory = context.ResolvePath(parse.GetValue(output)!);
            var path = Path.Combine(directory, csharp ? CSharpClientGenerator.FileName : TypeScriptClientGenerator.FileName);
            var code = csharp ? CSharpClientGenerator.Generate(model, parse.GetValue(@namespace)!) : TypeScriptClientGenerator.Generate(model);
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(path, code, ct);

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Output, new { file = path, columnsFrom = from, model.Queries, model.Events });
            }
            else
            {
                await context.Output.WriteLineAsync($"Generated {Path.GetRelativePath(context.CurrentDirectory, path)} ({model.Queries.Count} queries, {model.Events.Count} events; query columns from {from})");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<Dictionary<string, IReadOnlyList<ActualColumn>>> ColumnsFromDatabaseAsync(CliContext context, ProjectFile file, DatabaseUrl url, CancellationToken ct)
    {
        await using var ddl = new DdlManager();
        await ddl.ConnectAsync(url.ConnectionString, ct);
        var described = await ddl.DescribeAsync(file.Project, ct);
        if (described.Stale.Count > 0)
        {
            await context.Error.WriteLineAsync($"wavelet: warning: {string.Join(", ", described.Stale)}: not in the database or built from other SQL (run wavelet push first); their rows are typed as Record<string, unknown>");
        }

        return described.Current.ToDictionary(q => q.Name, q => q.Columns, StringComparer.Ordinal);
    }

    private static async Task<Dictionary<string, IReadOnlyList<ActualColumn>>> ColumnsFromLocalEngineAsync(CliContext context, ProjectFile file, CancellationToken ct)
    {
        await using var engine = await LocalEngineHost.StartAsync(0, TimeSpan.FromSeconds(1), install: false, context.Error, NullLogger.Instance, ct);
        await using var ddl = new DdlManager();
        await ddl.ConnectAsync(PostgresUrl.ToConnectionString(engine.Url), ct);
        var result = await ddl.SyncAsync(file.Project, file.SourceCredentials(), ct);
        return result.Queries.ToDictionary(q => q.Name, q => q.Columns, StringComparer.Ordinal);
    }
}
