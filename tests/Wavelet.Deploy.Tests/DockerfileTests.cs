using System.Globalization;
using System.Xml.Linq;

namespace Wavelet.Deploy.Tests;

/// <summary>
/// The root Dockerfile builds both images (one target per app, sharing the source and runtime stages). Docker cannot
/// run on the project's machines, so what a build would need is checked from the files: every project and linked
/// source file an app compiles is inside a folder the source stage copies, and each target runs its own app.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly Dictionary<string, List<string>> Stages = ParseStages(RepositoryRoot.ReadAllText("Dockerfile"));

    [Theory]
    [InlineData("dataplane", "dataplane/Wavelet.DataPlane/Wavelet.DataPlane.csproj")]
    [InlineData("operator", "operator/Wavelet.Operator/Wavelet.Operator.csproj")]
    public void A_target_publishes_its_app_from_sources_holding_every_file_the_project_compiles(string target, string project)
    {
        var copied = Stages["source"].Where(l => l.StartsWith("COPY ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();
        foreach (var input in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }.Concat(ProjectInputs(project)))
        {
            Assert.True(copied.Any(c => c == input || (c.EndsWith('/') && input.StartsWith(c, StringComparison.Ordinal))),
                $"{project} needs {input}, which the Dockerfile's source stage does not copy ({string.Join(", ", copied)})");
        }

        Assert.Contains(Stages["publish-" + target], l => l.Contains($"dotnet publish {project} ", StringComparison.Ordinal));
        Assert.Contains($"COPY --from=publish-{target} /app ./", Stages[target]);
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{Path.GetFileNameWithoutExtension(project)}.dll\"]", Stages[target].Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_operator_image_exposes_the_charts_metrics_and_health_ports()
    {
        var values = (Dictionary<string, object?>)YamlValues.LoadFile(RepositoryRoot.Combine("charts", "wavelet-operator", "values.yaml"))!;
        var metricsPort = ((Dictionary<string, object?>)values["metrics"]!)["port"];
        var exposed = Stages["operator"].Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)).Split(' ')[1..];
        Assert.Equal(new[] { Convert.ToString(metricsPort, CultureInfo.InvariantCulture)!, Convert.ToString(values["healthPort"], CultureInfo.InvariantCulture)! }, exposed);
    }

    [Fact]
    public void There_is_one_Dockerfile()
    {
        Assert.False(File.Exists(RepositoryRoot.Combine("dataplane", "Dockerfile")));
        Assert.False(File.Exists(RepositoryRoot.Combine("operator", "Dockerfile")));
    }

    /// <summary>The instructions of each stage by its name, continuation lines joined.</summary>
    private static Dictionary<string, List<string>> ParseStages(string dockerfile)
    {
        var stages = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        var joined = dockerfile.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        foreach (var raw in joined)
        {
            var line = string.Join(' ', raw.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("FROM ", StringComparison.Ordinal))
            {
                current = [];
                stages[line.Split(" AS ")[^1]] = current;
            }

            current?.Add(line);
        }

        return stages;
    }

    /// <summary>Every csproj the project references (itself included) and every source file it links from elsewhere, repository-relative.</summary>
    private static IEnumerable<string> ProjectInputs(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(next)!;
            foreach (var item in XDocument.Load(RepositoryRoot.Combine(next)).Descendants())
            {
                var include = item.Attribute("Include")?.Value;
                if (include is null || !(item.Name.LocalName is "ProjectReference" || (item.Name.LocalName == "Compile" && include.StartsWith("..", StringComparison.Ordinal))))
                {
                    continue;
                }

                var path = Path.GetRelativePath(RepositoryRoot.Path, Path.GetFullPath(Path.Combine(RepositoryRoot.Path, directory, include.Replace('\\', '/')))).Replace('\\', '/');
                if (item.Name.LocalName == "ProjectReference")
                {
                    pending.Push(path);
                }
                else
                {
                    seen.Add(path);
                }
            }
        }

        return seen;
    }
}
