using System.CommandLine;
using Wavelet.Api.V1Alpha1;
using Wavelet.Cli.Database;
using Wavelet.Cli.Output;
using Wavelet.Cli.Project;
using Wavelet.Ddl;

namespace Wavelet.Cli.Commands;

/// <summary>`wavelet push` (apply the DDL) and `wavelet plan` (dry run): the operator's DDL sync without Kubernetes.</summary>
public static class SyncCommands
{
    public static Command Push(CliContext context) => Build(context, "push",
        "Sync the project's events and queries into RisingWave (tables, materialized views, subscriptions) and print what changed", apply: true);

    public static Command Plan(CliContext context) => Build(context, "plan",
        $"Show what push would change, changing nothing. Exit code {ExitCodes.ChangesPending} when changes are pending, {ExitCodes.Blocked} when some would be blocked", apply: false);

    private static Command Build(CliContext context, string name, string description, bool apply)
    {
        var file = CommonOptions.FileArgument();
        var project = CommonOptions.Project();
        var database = CommonOptions.DatabaseUrl();
        var json = CommonOptions.Json();
        var noAlterRetention = CommonOptions.NoAlterRetention();
        var command = new Command(name, description) { file, project, database, json, noAlterRetention };
        command.SetAction((parse, ct) => CliRunner.RunAsync(context, async () =>
        {
            var loaded = ProjectFile.Load(context.ResolvePath(parse.GetValue(file)!), parse.GetValue(project));
            var url = DatabaseUrl.Resolve(parse.GetValue(database), context, loaded)
                ?? throw new CliException($"no database: pass --database-url postgres://..., set {DatabaseUrl.Variable}, or put the connection Secret in the file (or use wavelet dev, which starts one)", ExitCodes.Usage);
            await using var ddl = new DdlManager { SupportsAlterSubscriptionRetention = !parse.GetValue(noAlterRetention) };
            await ddl.ConnectAsync(url.ConnectionString, ct);
            return apply
                ? await PushAsync(context, ddl, loaded, parse.GetValue(json), ct)
                : await PlanAsync(context, ddl, loaded, parse.GetValue(json), ct);
        }));
        return command;
    }

    private static async Task<int> PlanAsync(CliContext context, DdlManager ddl, ProjectFile file, bool json, CancellationToken ct)
    {
        var plan = await ddl.PlanAsync(file.Project, ct);
        var schema = WaveletProjectDefaults.EffectiveSchema(file.Project);
        if (json)
        {
            await CliJson.WriteAsync(context.Output, new { schema, plan.InSync, actions = ActionJson.From(plan.Actions) });
        }
        else
        {
            await ActionTable.WriteAsync(context.Output, schema, plan.Actions, plan.InSync);
        }

        return plan.Blocked.Any() ? ExitCodes.Blocked : plan.InSync ? ExitCodes.Ok : ExitCodes.ChangesPending;
    }

    private static async Task<int> PushAsync(CliContext context, DdlManager ddl, ProjectFile file, bool json, CancellationToken ct)
    {
        var result = await ddl.SyncAsync(file.Project, file.SourceCredentials(), ct);
        var inSync = !result.Actions.Any(a => a.IsChange);
        if (json)
        {
            await CliJson.WriteAsync(context.Output, new
            {
                schema = result.Schema,
                inSync,
                actions = ActionJson.From(result.Actions),
                queries = result.Queries.Select(q => new { q.Name, q.Subscription, q.Columns }),
            });
        }
        else
        {
            await ActionTable.WriteAsync(context.Output, result.Schema, result.Actions, inSync);
        }

        if (result.HasBlocked)
        {
            await context.Error.WriteLineAsync("wavelet: some changes were blocked because they would lose data (see the BLOCKED actions); set spec.ddl.allowDestructiveChanges: true to apply them");
            return ExitCodes.Blocked;
        }

        return ExitCodes.Ok;
    }
}
