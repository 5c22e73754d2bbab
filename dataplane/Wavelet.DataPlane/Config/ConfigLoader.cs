using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Config;

/// <summary>Reads and validates the data-plane config file; an invalid file is an exception with a message saying what to fix.</summary>
public static partial class ConfigLoader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private static readonly HashSet<string> EventTypes = ["string", "int", "float", "boolean", "timestamp", "json"];

    public static async Task<DataPlaneConfig> LoadFileAsync(string path, CancellationToken ct) => (await ReadFileAsync(path, ct)).Config;

    /// <summary>Reads, checksums and validates the file; the checksum lets the reload watcher tell a real change from a touch.</summary>
    public static async Task<(DataPlaneConfig Config, ConfigFile File)> ReadFileAsync(string path, CancellationToken ct)
    {
        var bytes = await ReadBytesAsync(path, ct);
        return (Parse(Encoding.UTF8.GetString(bytes), path), new ConfigFile(path, ConfigFile.ChecksumOf(bytes)));
    }

    public static async Task<byte[]> ReadBytesAsync(string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidConfigException($"cannot read config file '{path}': {e.Message}");
        }
    }

    public static DataPlaneConfig Parse(string json, string source = "config")
    {
        DataPlaneConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<DataPlaneConfig>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidConfigException($"{source} is not valid JSON: {e.Message}");
        }

        if (config is null)
        {
            throw new InvalidConfigException($"{source} is empty: expected a JSON object with queries, events and auth");
        }

        Validate(config, source);
        return config;
    }

    private static void Validate(DataPlaneConfig config, string source)
    {
        if (config.Version != DataPlaneConfig.CurrentVersion)
        {
            throw new InvalidConfigException($"{source}: version {config.Version} is not supported (expected {DataPlaneConfig.CurrentVersion})");
        }

        RequireIdentifier(config.Database.Schema, $"{source}: database.schema");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in config.Queries)
        {
            RequireIdentifier(query.Name, $"{source}: query name");
            RequireIdentifier(query.Subscription, $"{source}: query '{query.Name}' subscription");
            if (!seen.Add(query.Name))
            {
                throw new InvalidConfigException($"{source}: query '{query.Name}' is defined twice");
            }

            if (query.FilterBy is not null)
            {
                RequireIdentifier(query.FilterBy, $"{source}: query '{query.Name}' filterBy");
                if (string.IsNullOrEmpty(query.FilterClaim))
                {
                    throw new InvalidConfigException($"{source}: query '{query.Name}' has filterBy '{query.FilterBy}' but no filterClaim: set the JWT claim that selects the rows");
                }
            }

            foreach (var column in query.Columns)
            {
                RequireIdentifier(column.Name, $"{source}: query '{query.Name}' column");
            }

            if (query.Webhook is { } webhook)
            {
                if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    throw new InvalidConfigException($"{source}: query '{query.Name}' webhook.url '{webhook.Url}' is not an absolute http(s) URL");
                }

                if (string.IsNullOrEmpty(webhook.SecretEnv))
                {
                    throw new InvalidConfigException($"{source}: query '{query.Name}' webhook has no secretEnv: webhooks are always signed, name the environment variable holding the HMAC key");
                }
            }
        }

        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ev in config.Events)
        {
            RequireIdentifier(ev.Name, $"{source}: event name");
            RequireIdentifier(ev.Table, $"{source}: event '{ev.Name}' table");
            if (!events.Add(ev.Name))
            {
                throw new InvalidConfigException($"{source}: event '{ev.Name}' is defined twice");
            }

            if (ev.Columns.Count == 0)
            {
                throw new InvalidConfigException($"{source}: event '{ev.Name}' has no columns");
            }

            foreach (var column in ev.Columns)
            {
                RequireIdentifier(column.Name, $"{source}: event '{ev.Name}' column");
                if (!EventTypes.Contains(column.Type))
                {
                    throw new InvalidConfigException($"{source}: event '{ev.Name}' column '{column.Name}' has type '{column.Type}'; use one of {string.Join(", ", EventTypes)}");
                }
            }
        }

        if (config.Auth.Writes is not ("Authenticated" or "Public"))
        {
            throw new InvalidConfigException($"{source}: auth.writes is '{config.Auth.Writes}'; use Authenticated or Public");
        }

        if (config.ValueShape is not ("Upstream" or "Numbers"))
        {
            throw new InvalidConfigException($"{source}: valueShape is '{config.ValueShape}'; use Upstream or Numbers");
        }

        if (config.Limits.MaxQueuedBytesPerConnection <= 0 || config.Limits.ResumeEpochs < 0 || config.Limits.MaxRequestBodyBytes <= 0 || config.Limits.MaxBatchRows <= 0)
        {
            throw new InvalidConfigException($"{source}: limits must be positive");
        }
    }

    private static void RequireIdentifier(string? value, string what)
    {
        if (value is null || !Identifier().IsMatch(value))
        {
            throw new InvalidConfigException($"{what} '{value}' is not a valid identifier: use lower-case letters, digits and '_' (^[a-z_][a-z0-9_]{{0,62}}$)");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
