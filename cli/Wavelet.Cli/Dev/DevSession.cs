using Wavelet.Cli.Dev.Console;
using Wavelet.Cli.Dev.Databases;
using Wavelet.DataPlane.Config;

namespace Wavelet.Cli.Dev;

/// <summary>
/// One `wavelet dev` run: find or start the database, sync the DDL, serve the data plane and the console, then follow
/// the project file. A change is validated, planned, synced and live-reloaded; an invalid file or a refused statement is
/// printed and the previous version keeps serving. Cancellation (Ctrl-C, SIGTERM) stops everything dev started and
/// removes its temporary directory.
/// </summary>
public sealed class DevSession
{
    private readonly CliContext _context;
    private readonly DevOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _clock;

    public DevSession(CliContext context, DevOptions options, ILoggerFactory loggers, TimeProvider clock)
    {
        _context = context;
        _options = options;
        _loggers = loggers;
        _clock = clock;
    }

    private TextWriter Out => _context.Output;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var path = _context.ResolvePath(_options.File);
        var shown = Path.GetRelativePath(_context.CurrentDirectory, path);
        var initialBytes = await ReadAsync(path, ct);
        var file = ProjectFile.Parse(Encoding.UTF8.GetString(initialBytes), path, _options.Project);

        var work = Directory.CreateTempSubdirectory("wavelet-dev-");
        IDevDatabase? database = null;
        DevDataPlane? dataPlane = null;
        try
        {
            var locator = new DevDatabaseLocator(_context, _loggers.CreateLogger("Wavelet.Engine"))
            {
                Engine = _options.Engine,
                EnginePort = _options.EnginePort,
                BarrierInterval = _options.BarrierInterval,
                Install = _options.Install,
            };
            database = await locator.FindAsync(_options.DatabaseUrl, file, ct);
            await Out.WriteLineAsync($"wavelet dev: database: {database.Description}");

            var sync = await SyncAsync(database, file, ct) ?? throw new CliException($"the first sync of {shown} failed (see above); fix the project and run wavelet dev again");
            var auth = DevAuth.For(file, _clock);
            var config = auth.Apply(DataPlaneConfigBuilder.Build(file.Project, sync));
            var console = new DevConsoleState(config, auth, _options.Claims, shown);
            dataPlane = await DevDataPlane.StartAsync(config, work.FullName, _options.Port, Environment(database, file, auth), console, ct);
            await PrintBannerAsync(shown, file, dataPlane, auth, work.FullName);

            await WatchAsync(path, shown, file, initialBytes, database, dataPlane, console, auth, ct);
            return ExitCodes.Ok;
        }
        finally
        {
            await Out.WriteLineAsync("wavelet dev: stopping");
            await StopAsync(dataPlane, database, work);
        }
    }

    private async Task WatchAsync(string path, string shown, ProjectFile current, byte[] initialBytes, IDevDatabase database, DevDataPlane dataPlane, DevConsoleState console, DevAuth auth, CancellationToken ct)
    {
        var watcher = new ProjectWatcher(path, new DirectoryChangeTriggers(), _clock, _options.PollInterval);
        watcher.NotificationsLost += reason => Out.WriteLine($"wavelet dev: {reason}; polling {shown} until they restart");
        try
        {
            await foreach (var bytes in watcher.ChangesAsync(ProjectWatcher.Checksum(initialBytes), ct))
            {
                // Parsing and validation run before anything is touched: an invalid file changes nothing.
                ProjectFile next;
                try
                {
                    next = ProjectFile.Parse(Encoding.UTF8.GetString(bytes), path, _options.Project);
                }
                catch (CliException e)
                {
                    await Out.WriteLineAsync($"wavelet dev: {shown} changed but is invalid; still serving the previous version:\n{e.Message}");
                    continue;
                }

                if (next.Schema != current.Schema)
                {
                    await Out.WriteLineAsync($"wavelet dev: {shown} changed the project's schema ({current.Schema} → {next.Schema}); restart wavelet dev to use it. Still serving the previous version.");
                    continue;
                }

                await Out.WriteLineAsync($"wavelet dev: {shown} changed: syncing");
                var sync = await SyncAsync(database, next, ct);
                if (sync is null)
                {
                    await Out.WriteLineAsync("wavelet dev: still serving the previous version of the queries");
                    continue;
                }

                var config = auth.Apply(DataPlaneConfigBuilder.Build(next.Project, sync));
                var outcome = await dataPlane.ApplyAsync(config, ct);
                if (outcome == ReloadOutcome.Failed)
                {
                    await Out.WriteLineAsync($"wavelet dev: the data plane rejected the new config; still serving the previous one: {dataPlane.LastConfigError}");
                    continue;
                }

                console.Config = config;
                current = next;
                await Out.WriteLineAsync($"wavelet dev: reloaded: queries {string.Join(", ", config.Queries.Select(q => q.Name))}; events {string.Join(", ", config.Events.Select(e => e.Name))}");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Plans and applies the DDL, printing the actions; null (after printing why) when the database refused.</summary>
    private async Task<DdlSyncResult?> SyncAsync(IDevDatabase database, ProjectFile file, CancellationToken ct)
    {
        try
        {
            await using var ddl = new DdlManager(_loggers.CreateLogger<DdlManager>());
            await ddl.ConnectAsync(PostgresUrl.ToConnectionString(database.Url), ct);
            var result = await ddl.SyncAsync(file.Project, file.SourceCredentials(), ct);
            await ActionTable.WriteAsync(Out, result.Schema, result.Actions, !result.Actions.Any(a => a.IsChange));
            if (result.HasBlocked)
            {
                await Out.WriteLineAsync("wavelet dev: the BLOCKED changes would lose data and were not applied; set spec.ddl.allowDestructiveChanges: true to apply them");
            }

            return result;
        }
        catch (DdlException e)
        {
            await Out.WriteLineAsync($"wavelet dev: sync failed ({e.Reason}): {e.Describe()}");
            return null;
        }
    }

    private Func<string, string?> Environment(IDevDatabase database, ProjectFile file, DevAuth auth)
    {
        var webhookSecrets = file.Project.Spec.Queries.Where(q => q.Webhook is not null).ToDictionary(
            q => DataPlaneEnvironment.WebhookSecret(q.Name),
            q => file.SecretValue(q.Webhook!.SecretRef) ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            StringComparer.Ordinal);
        return name => name switch
        {
            DataPlaneEnvironment.DatabaseUrl => database.Url,
            DataPlaneEnvironment.JwtSecret => auth.Key,
            _ when webhookSecrets.TryGetValue(name, out var secret) => secret,
            _ => _context.Environment(name),
        };
    }

    private async Task PrintBannerAsync(string shown, ProjectFile file, DevDataPlane dataPlane, DevAuth auth, string work)
    {
        var url = dataPlane.Address.ToString().TrimEnd('/');
        var firstQuery = file.Project.Spec.Queries.FirstOrDefault()?.Name ?? "<query>";
        var text = new StringBuilder();
        text.Append("wavelet dev: project ").Append(file.Project.Metadata.Name).Append(" from ").Append(shown).Append(" is live\n");
        text.Append("  data plane: ").Append(url).Append("  (queries: ").Append(string.Join(", ", file.Project.Spec.Queries.Select(q => q.Name)))
            .Append("; events: ").Append(string.Join(", ", file.Project.Spec.Events.Select(e => e.Name))).Append(")\n");
        text.Append("  console:    ").Append(url).Append(DevConsoleRoutes.ConsolePath).Append('\n');
        if (auth.Enabled)
        {
            var claims = _options.Claims.Count == 0 ? "sub=dev" : "sub=dev, " + string.Join(", ", _options.Claims.Select(c => $"{c.Key}={c.Value}"));
            text.Append("  dev token (").Append(claims).Append("; valid ").Append(DevAuth.TokenLifetime.TotalHours).Append(" h; signed with ").Append(auth.KeySource).Append("):\n");
            text.Append("    ").Append(auth.Mint(_options.Claims)).Append('\n');
            if (auth.ReplacedJwksUrl is not null)
            {
                text.Append("  note: the project trusts ").Append(auth.ReplacedJwksUrl).Append("; dev verifies dev tokens instead\n");
            }

            text.Append("  try: TOKEN=$(curl -s ").Append(url).Append(DevConsoleRoutes.TokenPath).Append(")\n");
            text.Append("       curl -s -H \"Authorization: Bearer $TOKEN\" ").Append(url).Append("/v1/queries/").Append(firstQuery).Append('\n');
        }
        else
        {
            text.Append("  no spec.auth.jwt: clients need no token\n");
            text.Append("  try: curl -s ").Append(url).Append("/v1/queries/").Append(firstQuery).Append('\n');
        }

        text.Append("  files:      ").Append(work).Append(" (the data plane's config.json; removed when dev stops)\n");
        text.Append("  watching ").Append(shown).Append(" for changes; Ctrl-C stops everything");
        await Out.WriteLineAsync(text.ToString());
    }

    private static async Task<byte[]> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message} (wavelet init creates a starter file)", e, ExitCodes.Failed);
        }
    }

    private async Task StopAsync(DevDataPlane? dataPlane, IDevDatabase? database, DirectoryInfo work)
    {
        if (dataPlane is not null)
        {
            await dataPlane.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException e)
        {
            await _context.Error.WriteLineAsync($"wavelet dev: could not remove {work.FullName}: {e.Message}");
        }
    }
}
