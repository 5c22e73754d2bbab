using Wavelet.Api.DataPlane;
using Wavelet.Ddl;
using System.Text.Json;
using Wavelet.Api.Serialization;
using Wavelet.Api.Validation;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Ddl.Cli;

/// <summary>
/// `ddl plan|sync --file project.yaml --database url [--json]`: the upstream `wavelet push` for users and CI pipelines.
/// Exit codes: 0 in sync or applied, 1 failed, 2 usage error, 3 changes blocked as destructive.
/// </summary>
public static class DdlCommandLine
{
    public const string DatabaseVariable = "WAVELET_DATABASE_URL";

    public const string Usage = """
        usage: ddl plan|sync --file <project.yaml> [--database <postgres://...>] [--project <name>] [--json] [--no-alter-retention]
          plan    show what sync would change; changes nothing
          sync    apply the changes
          --database defaults to $WAVELET_DATABASE_URL
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        DdlCommandOptions options;
        try
        {
            options = DdlCommandOptions.Parse(args, Environment.GetEnvironmentVariable(DatabaseVariable));
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"error: {e.Message}\n{Usage}");
            return 2;
        }

        try
        {
            var project = LoadProject(options);
            await using var ddl = new DdlManager { SupportsAlterSubscriptionRetention = options.AlterRetention };
            await ddl.ConnectAsync(PostgresUrl.ToConnectionString(options.Database), ct);
            if (options.Command == "plan")
            {
                var plan = await ddl.PlanAsync(project, ct);
                await WriteAsync(output, options.Json, WaveletProjectDefaults.EffectiveSchema(project), plan.Actions, null, plan.InSync);
                return plan.Blocked.Any() ? 3 : 0;
            }

            var result = await ddl.SyncAsync(project, ct);
            await WriteAsync(output, options.Json, result.Schema, result.Actions, result.Queries, !result.Actions.Any(a => a.IsChange));
            if (result.HasBlocked)
            {
                await error.WriteLineAsync("error: some changes were blocked because they would lose data (see the blocked actions); set spec.ddl.allowDestructiveChanges: true to apply them");
                return 3;
            }

            return 0;
        }
        catch (DdlException e)
        {
            await error.WriteLineAsync($"error ({e.Reason}): {e.Describe()}");
            return 1;
        }
        catch (Exception e) when (e is ManifestException or WaveletValidationException or FormatException or IOException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static WaveletProject LoadProject(DdlCommandOptions options)
    {
        var manifests = ManifestLoader.LoadFile(options.File);
        var candidates = manifests.Projects.Where(p => options.Project is null || p.Metadata.Name == options.Project).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new FormatException(options.Project is null
                ? $"{options.File} holds no WaveletProject"
                : $"{options.File} holds no WaveletProject named {options.Project}"),
            _ => throw new FormatException($"{options.File} holds {candidates.Count} WaveletProjects; choose one with --project <name>"),
        };
    }

    private static async Task WriteAsync(TextWriter output, bool json, string schema, IReadOnlyList<DdlAction> actions, IReadOnlyList<SyncedQuery>? queries, bool inSync)
    {
        if (json)
        {
            var document = new
            {
                schema,
                inSync,
                actions = actions.Select(a => new { a.Type, a.Resource, a.Name, a.Detail }),
                queries = queries?.Select(q => new { q.Name, q.Subscription, columns = q.Columns.Select(c => new { c.Name, c.Type }) }),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(document, KubernetesJson.Options));
            return;
        }

        await output.WriteLineAsync($"schema {schema}: {(inSync ? "in sync" : "changes")}");
        var rows = actions.Select(a => new[] { a.Type.ToUpperInvariant(), a.Resource, a.Name, a.Detail ?? "" }).ToList();
        string[] header = ["ACTION", "RESOURCE", "NAME", "DETAIL"];
        var widths = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            await output.WriteLineAsync($"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3]}".TrimEnd());
        }
    }
}
