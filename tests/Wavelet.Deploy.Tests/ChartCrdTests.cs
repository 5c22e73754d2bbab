namespace Wavelet.Deploy.Tests;

public sealed class ChartCrdTests
{
    private const string CrdFile = "waveletprojects.wavelet.risingwave.com.yaml";

    [Fact]
    public void Chart_ships_exactly_the_generated_crd()
    {
        var generated = File.ReadAllText(RepositoryRoot.Combine("crds", CrdFile));
        var inChart = File.ReadAllText(RepositoryRoot.Combine("charts", "wavelet-operator", "crds", CrdFile));

        Assert.True(generated == inChart,
            $"charts/wavelet-operator/crds/{CrdFile} differs from crds/{CrdFile}; run: cp crds/{CrdFile} charts/wavelet-operator/crds/");
    }

    [Fact]
    public void Chart_crd_folder_holds_only_the_wavelet_crd()
    {
        var files = Directory.GetFiles(RepositoryRoot.Combine("charts", "wavelet-operator", "crds")).Select(Path.GetFileName);
        Assert.Equal([CrdFile], files);
    }
}
