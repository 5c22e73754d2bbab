namespace Wavelet.Api.Tests;

/// <summary>
/// Every file under Invalid/ must be rejected, by the loader or the validator, with the messages its leading
/// "# expect: ..." comment lines name (each must appear in the error text).
/// </summary>
public class InvalidManifestTests
{
    private const string Folder = "tests/Wavelet.Api.Tests/Invalid";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryRoot.Combine(Folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_corpus_covers_the_rules() => Assert.True(Cases().Count >= 20, "expected at least 20 invalid manifests");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_manifest_is_rejected_with_its_expected_message(string file)
    {
        var text = RepositoryRoot.ReadAllText(Path.Combine(Folder, file));
        var expected = text.Split('\n').TakeWhile(l => l.StartsWith('#')).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => l["# expect: ".Length..].TrimEnd('\r')).ToList();
        Assert.True(expected.Count > 0, $"{file} needs at least one leading '# expect: <message>' line");

        string error;
        try
        {
            var manifests = ManifestLoader.Load(text, file);
            var project = Assert.Single(manifests.Projects);
            var problems = WaveletProjectValidator.Validate(project);
            Assert.True(problems.Count > 0, $"{file} was accepted");
            error = WaveletProjectValidator.Describe(project, problems);
            Assert.Equal(expected.Count, problems.Count);
        }
        catch (ManifestException e)
        {
            error = e.Message;
        }

        foreach (var message in expected)
        {
            Assert.True(error.Contains(message, StringComparison.Ordinal), $"{file}: expected\n  {message}\nin\n{error}");
        }
    }
}
