using System.CommandLine;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wavelet.Cli.Project;

namespace Wavelet.Cli.Commands;

/// <summary>`wavelet init [dir]`: a starter WaveletProject file (with its Secrets) and the next steps.</summary>
public static partial class InitCommand
{
    public static Command Build(CliContext context)
    {
        var directory = new Argument<string>("dir")
        {
            Description = "Directory to create the project file in (created when missing)",
            DefaultValueFactory = _ => ".",
        };
        var name = new Option<string?>("--name") { Description = "Project name (metadata.name). Default: derived from the directory name" };
        var force = new Option<bool>("--force") { Description = $"Overwrite an existing {ProjectFile.DefaultFileName}" };
        var command = new Command("init", $"Create a starter {ProjectFile.DefaultFileName} (a WaveletProject with one event and one query) and print the next steps")
        {
            directory, name, force,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(context, () =>
            RunAsync(context, parse.GetValue(directory)!, parse.GetValue(name), parse.GetValue(force), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string directoryArgument, string? nameOption, bool force, CancellationToken ct)
    {
        var directory = context.ResolvePath(directoryArgument);
        var file = Path.Combine(directory, ProjectFile.DefaultFileName);
        var shown = Path.GetRelativePath(context.CurrentDirectory, file);
        if (File.Exists(file) && !force)
        {
            await context.Output.WriteLineAsync($"{shown} already exists; left unchanged (use --force to overwrite it).");
            return ExitCodes.Ok;
        }

        var name = nameOption ?? NameFrom(Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar)));
        if (!ResourceName().IsMatch(name))
        {
            throw new CliException($"--name \"{name}\" is not a valid project name: use lowercase letters, digits and '-', starting with a letter (at most 63 characters)", ExitCodes.Usage);
        }

        var text = Starter(name, DevSigningKey());
        ProjectFile.Parse(text, file, null); // the starter must pass the same validation as a user's file
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(file, text, ct);

        await context.Output.WriteLineAsync($"""
            Created {shown} (WaveletProject "{name}": event page_views, query page_counts).

            Next steps:
              1. Edit {shown}: events are tables your app writes to, queries are SQL whose results clients follow live.
              2. wavelet dev {shown}
                 runs it on this machine (RisingWave when one is found, else the local engine) and prints the URL,
                 a dev token and the dev console.
              3. wavelet generate {shown} --lang ts --out src/wavelet
                 writes a typed client for your app.
              4. When it is ready: wavelet push {shown} --database-url postgres://... (a RisingWave), or
                 kubectl apply -f {shown} (a cluster running the Wavelet operator; replace the Secret values first).
            """);
        return ExitCodes.Ok;
    }

    /// <summary>A lowercase DNS label from a directory name; "app" when nothing usable is left.</summary>
    internal static string NameFrom(string directoryName)
    {
        var name = NotLabel().Replace(directoryName.ToLowerInvariant(), "-").Trim('-');
        name = name.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-');
        name = name.Length > 40 ? name[..40].TrimEnd('-') : name;
        return name.Length == 0 ? "app" : name;
    }

    private static string DevSigningKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    private static string Starter(string name, string signingKey) => $"""
        # A Wavelet project: events are tables your app writes, queries are materialized views clients follow live.
        # wavelet dev {ProjectFile.DefaultFileName}    runs it locally; kubectl apply -f {ProjectFile.DefaultFileName} runs it on a cluster
        # with the Wavelet operator (replace both Secret values first). Field reference: docs/api.md.
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}-risingwave
        type: Opaque
        stringData:
          # RisingWave's URL. wavelet dev uses it when it answers, else starts RisingWave or the local engine.
          url: postgres://root@localhost:4566/dev
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}-jwt
        type: Opaque
        stringData:
          # HS256 key your backend signs client tokens with. Generated for development: replace it in production.
          key: {signingKey}
        ---
        apiVersion: wavelet.risingwave.com/v1alpha1
        kind: WaveletProject
        metadata:
          name: {name}
        spec:
          risingwave:
            connectionSecretRef:
              name: {name}-risingwave
              key: url
          events:
            - name: page_views
              columns:
                - name: page
                  type: string
                - name: user_id
                  type: string
                - name: viewed_at
                  type: timestamp
          queries:
            - name: page_counts
              sql: |
                SELECT page, COUNT(*) AS views, COUNT(DISTINCT user_id) AS visitors
                FROM page_views
                GROUP BY page
          auth:
            jwt:
              secretRef:
                name: {name}-jwt
                key: key
            writes: Authenticated

        """;

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotLabel();

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex ResourceName();
}
