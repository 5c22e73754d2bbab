using System.CommandLine;
using Wavelet.Api.V1Alpha1;
using Wavelet.Cli.Database;
using Wavelet.Cli.Output;
using Wavelet.Cli.Project;
using Wavelet.Cli.Status;
using Wavelet.Ddl;

namespace Wavelet.Cli.Commands;

/// <summary>`wavelet status`: what the file declares, whether the database answers and is in sync, and a running data plane's readiness and lag.</summary>
public static class StatusCommand
{
    public static Command Build(CliContext context)
    {
        var file = CommonOptions.FileArgument();
        var project = CommonOptions.Project();
        var database = CommonOptions.DatabaseUrl();
        var json = CommonOptions.Json();
        var url = new Option<string?>("--url")
        {
            Description = "Base URL of a running data plane's /readyz and /metrics: the URL wavelet dev prints, or a deployed pod's management port (9090): its readiness and per-query lag are shown",
        };
        var command = new Command("status", $"Show what the project declares, whether its database is reachable and in sync, and (with --url) a running data plane's readiness and per-query lag. Exit code {ExitCodes.Failed} when something checked is unreachable or not ready")
        {
            file, project, database, url, json,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(context, async () =>
        {
            var loaded = ProjectFile.Load(context.ResolvePath(parse.GetValue(file)!), parse.GetValue(project));
            var report = new StatusReport
            {
                File = loaded.Path,
                Project = loaded.Project.Metadata.Name ?? "",
                Schema = loaded.Schema,
                Events = [.. loaded.Project.Spec.Events.Select(e => new DeclaredEvent(e.Name, [.. e.Columns.Select(c => $"{c.Name} {c.Type}")]))],
                Queries = [.. loaded.Project.Spec.Queries.Select(q => new DeclaredQuery(q.Name, string.IsNullOrEmpty(q.FilterBy) ? null : q.FilterBy, WaveletProjectDefaults.EffectiveFilterClaim(q)))],
                Database = await CheckDatabaseAsync(DatabaseUrl.Resolve(parse.GetValue(database), context, loaded), loaded, ct),
            };
            if (parse.GetValue(url) is { Length: > 0 } dataPlaneUrl)
            {
                report.DataPlane = await DataPlaneProbe.ReadAsync(dataPlaneUrl, ct);
            }

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Output, report);
            }
            else
            {
                await StatusPrinter.WriteAsync(context.Output, report);
            }

            return report.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static async Task<DatabaseStatus> CheckDatabaseAsync(DatabaseUrl? url, ProjectFile file, CancellationToken ct)
    {
        if (url is null)
        {
            return new DatabaseStatus { Configured = false };
        }

        var status = new DatabaseStatus { Configured = true, Url = url.Masked, Source = url.Source };
        try
        {
            await using var ddl = new DdlManager();
            await ddl.ConnectAsync(WithShortTimeout(url.ConnectionString), ct);
            status.Reachable = true;
            var plan = await ddl.PlanAsync(file.Project, ct);
            status.InSync = plan.InSync;
            status.PendingChanges = [.. ActionJson.From(plan.Actions.Where(a => a.Type != DdlActionTypes.Unchanged))];
        }
        catch (DdlException e)
        {
            status.Error = e.Describe();
        }

        return status;
    }

    private static string WithShortTimeout(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 }.ConnectionString;
}
