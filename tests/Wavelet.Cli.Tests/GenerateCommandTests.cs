using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Wavelet.Api.V1Alpha1;
using Wavelet.Cli.Generate;

namespace Wavelet.Cli.Tests;

/// <summary>`wavelet generate`: typed clients whose types come from the columns the database reports for each query.</summary>
public sealed class GenerateCommandTests(RisingWaveFixture rw, ITestOutputHelper log) : IClassFixture<RisingWaveFixture>, IDisposable
{
    private const string TypeScriptVersion = "5.9.3";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private const string NumbersShape = "\n  dataPlane:\n    valueShape: Numbers\n";

    private string Manifest(string name) => Projects.Manifest(name, extraColumn: """
                - {name: at, type: timestamp}
                - {name: bonus, type: boolean}
        """, extraQuery: """
            - name: recent
              sql: SELECT player, max(at) AS last_played, bool_or(bonus) AS any_bonus, avg(score)::float8 AS mean, sum(score)::numeric AS exact, max(at) - min(at) AS span FROM game_events GROUP BY player
        """);

    [Fact]
    public async Task Typescript_client_from_a_pushed_project_has_the_catalog_types_and_type_checks_with_tsc()
    {
        _directory.Write("wavelet.yaml", Manifest(Projects.UniqueName("gents")));
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_directory.Path, "push", "--database-url", rw.Url)).Code);

        var generate = await Cli.RunAsync(_directory.Path, "generate", "--database-url", rw.Url, "--out", "src/wavelet");

        Assert.True(generate.Code == ExitCodes.Ok, generate.ToString());
        var code = await File.ReadAllTextAsync(_directory.Combine("src", "wavelet", "client.ts"));
        Assert.Contains("export interface LeaderboardRow {\n  player: string\n  total: string\n  games: string\n}", code, StringComparison.Ordinal);
        Assert.Contains("export interface RecentRow {\n  player: string\n  last_played: string\n  any_bonus: boolean\n  mean: number\n  exact: string\n  span: "
            + TypeScriptClientGenerator.IntervalType + "\n}", code, StringComparison.Ordinal);
        Assert.Contains("export interface GameEventsEvent {\n  player: string\n  score: number\n  at: string\n  bonus: boolean\n}", code, StringComparison.Ordinal);
        Assert.Contains("leaderboard: this.client.query<LeaderboardRow>('leaderboard'),", code, StringComparison.Ordinal);
        Assert.Contains("export declare function useWavelet(query: 'recent'): UseWaveletResult<RecentRow>", code, StringComparison.Ordinal);

        await TypeCheckAsync(_directory.Combine("src"));
    }

    [Fact]
    public async Task Typescript_client_of_a_project_with_value_shape_numbers_types_bigint_and_numeric_as_numbers()
    {
        _directory.Write("wavelet.yaml", Manifest(Projects.UniqueName("gentsn")) + NumbersShape);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_directory.Path, "push", "--database-url", rw.Url)).Code);

        var generate = await Cli.RunAsync(_directory.Path, "generate", "--database-url", rw.Url, "--out", "src/wavelet");

        Assert.True(generate.Code == ExitCodes.Ok, generate.ToString());
        var code = await File.ReadAllTextAsync(_directory.Combine("src", "wavelet", "client.ts"));
        Assert.Contains("export interface LeaderboardRow {\n  player: string\n  total: number\n  games: number\n}", code, StringComparison.Ordinal);
        Assert.Contains("  mean: number\n  exact: number\n", code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_database_generate_syncs_into_a_throwaway_local_engine_and_the_csharp_records_compile()
    {
        _directory.Write("wavelet.yaml", Manifest(Projects.UniqueName("gencs")));

        var generate = await Cli.RunAsync(_directory.Path, new Dictionary<string, string>(), "generate", "--lang", "csharp", "--namespace", "Game.Client", "--json");

        Assert.True(generate.Code == ExitCodes.Ok, generate.ToString());
        using var json = JsonDocument.Parse(generate.Out);
        Assert.Equal("a throwaway local engine", json.RootElement.GetProperty("columnsFrom").GetString());
        var code = await File.ReadAllTextAsync(_directory.Combine(".wavelet", "WaveletClient.cs"));
        Assert.Contains("public sealed record LeaderboardRow(\n    [property: JsonPropertyName(\"player\")] string? Player,\n    [property: JsonPropertyName(\"total\")] [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? Total,", code, StringComparison.Ordinal);
        Assert.Contains("[property: JsonPropertyName(\"last_played\")] DateTimeOffset? LastPlayed", code, StringComparison.Ordinal);
        Assert.Contains("public const string GameEvents = \"game_events\";", code, StringComparison.Ordinal);

        var assembly = Compile(code, """
            namespace Game.App
            {
                public static class Use
                {
                    public static long? Total(string json) => System.Text.Json.JsonSerializer.Deserialize<Game.Client.LeaderboardRow>(json)!.Total;
                }
            }
            """);
        var total = assembly.GetType("Game.App.Use")!.GetMethod("Total")!.Invoke(null, ["""{"player":"ada","total":"9007199254740993","games":"1"}"""]);
        Assert.Equal(9007199254740993L, total);
    }

    [Fact]
    public void Csharp_records_read_the_data_planes_row_json_in_either_value_shape()
    {
        ClientQuery Query() => new("kinds", [new("big", "bigint"), new("exact", "numeric"), new("day", "date"), new("at", "timestamp with time zone"),
            new("span", "interval"), new("blob", "bytea")]);
        // A row as RowValueWriter writes it (docs/api.md, Value shapes): Upstream first, then Numbers.
        const string upstream = """{"big":"9007199254740993","exact":"12.50","day":"2024-02-29T00:00:00.000Z","at":"2024-01-02T01:04:05.678Z","span":{"days":3,"hours":4,"milliseconds":1.5},"blob":{"type":"Buffer","data":[0,255,16]}}""";
        const string numbers = """{"big":9007199254740993,"exact":12.50,"day":"2024-02-29T00:00:00.000Z","at":"2024-01-02T01:04:05.678Z","span":{},"blob":{"type":"Buffer","data":[]}}""";
        const string app = """
            namespace Kinds.App
            {
                public static class Use
                {
                    public static string Read(string json)
                    {
                        var row = System.Text.Json.JsonSerializer.Deserialize<Kinds.Client.KindsRow>(json)!;
                        return string.Join("|", row.Big, row.Exact?.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                            row.At?.ToUnixTimeMilliseconds(), row.Span?.Days, row.Span?.Hours, row.Span?.Milliseconds?.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Convert.ToHexString(row.Blob!.Data!));
                    }
                }
            }
            """;

        foreach (var (shape, json, expected) in new[]
        {
            (ValueShapes.Upstream, upstream, "9007199254740993|12.50|2024-02-29|1704157445678|3|4|1.5|00FF10"),
            (ValueShapes.Numbers, numbers, "9007199254740993|12.50|2024-02-29|1704157445678||||"),
        })
        {
            var code = CSharpClientGenerator.Generate(new ClientModel("kinds", "wavelet.yaml", [Query()], [], shape), "Kinds.Client");
            var read = Compile(code, app).GetType("Kinds.App.Use")!.GetMethod("Read")!;
            Assert.Equal(expected, read.Invoke(null, [json]));
        }

        // valueShape Numbers has no strings to read; Upstream's strings are read only because of the attribute.
        Assert.DoesNotContain("JsonNumberHandling", CSharpClientGenerator.Generate(new ClientModel("kinds", "wavelet.yaml", [Query()], [], ValueShapes.Numbers), "Kinds.Client"), StringComparison.Ordinal);
    }

    /// <summary>Compiles the generated file and an app file beside it (no implicit usings: the generated file stands alone).</summary>
    private static System.Reflection.Assembly Compile(params string[] files)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Generated", files.Select(f => CSharpSyntaxTree.ParseText(f, new CSharpParseOptions(LanguageVersion.Latest))), references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)));
        return System.Reflection.Assembly.Load(stream.ToArray());
    }

    /// <summary>tsc --noEmit --strict over the generated client and a small app using it; skipped with a message without Node.</summary>
    private async Task TypeCheckAsync(string source)
    {
        if (Which("npm") is null || Which("node") is null)
        {
            log.WriteLine("SKIPPED the tsc check: Node.js and npm are not installed (apt-get install nodejs npm)");
            return;
        }

        using var tools = new TempDirectory("wavelet-tsc-");
        await RunAsync("npm", tools.Path, "install", "--no-audit", "--no-fund", "--silent", $"typescript@{TypeScriptVersion}");
        tools.Write("node_modules/@risingwave/wavelet-sdk/package.json", """{"name":"@risingwave/wavelet-sdk","version":"0.2.5","types":"index.d.ts","exports":{".":{"types":"./index.d.ts"},"./react":{"types":"./react.d.ts"}}}""");
        tools.Write("node_modules/@risingwave/wavelet-sdk/index.d.ts", SdkDeclarations.Index);
        tools.Write("node_modules/@risingwave/wavelet-sdk/react.d.ts", SdkDeclarations.React);
        File.Copy(Path.Combine(source, "wavelet", "client.ts"), tools.Write("src/wavelet/client.ts", ""), overwrite: true);
        tools.Write("src/app.ts", SdkDeclarations.App);
        var tsc = await RunAsync("node", tools.Path, "node_modules/typescript/bin/tsc", "--noEmit", "--strict", "--target", "es2022",
            "--module", "nodenext", "--moduleResolution", "nodenext", "src/app.ts", "src/wavelet/client.ts");
        log.WriteLine($"tsc: {tsc}");
    }

    private static async Task<string> RunAsync(string file, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(Which(file)!, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var text = (await stdout) + (await stderr);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
