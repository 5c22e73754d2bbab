namespace Wavelet.Operator.Tests.Children;

/// <summary>spec.dataPlane.image is limited by the operator's policy: by default, the repository of its own image.</summary>
public sealed class ImagePolicyTests
{
    private const string Default = "ghcr.io/risingwavelabs/wavelet-dataplane:0.1.0";

    [Theory]
    [InlineData("ghcr.io/risingwavelabs/wavelet-dataplane:0.2.0", true)]
    [InlineData("ghcr.io/risingwavelabs/wavelet-dataplane@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("ghcr.io/risingwavelabs/wavelet-dataplane", true)]
    [InlineData("ghcr.io/risingwavelabs/wavelet-dataplane-evil:1", false)]
    [InlineData("evil.example/steal-secrets:latest", false)]
    [InlineData("ghcr.io/risingwavelabs/wavelet-dataplane.evil.example/x:1", false)]
    public void By_default_only_the_default_images_repository_is_allowed(string image, bool allowed) =>
        Assert.Equal(allowed, new ImagePolicy([], Default).IsAllowed(image));

    [Theory]
    [InlineData("registry.corp.example/wavelet/dataplane:1", true)]
    [InlineData("registry.corp.example:5000/wavelet/dataplane:1", false)]
    [InlineData("registry.corp.example.evil.io/wavelet/dataplane:1", false)]
    [InlineData("mirror.example:5000/dp:3", true)]
    [InlineData("mirror.example:5000/dp-other:3", false)]
    [InlineData(Default, false)]
    public void Prefixes_end_in_a_slash_and_repositories_match_whole(string image, bool allowed) =>
        Assert.Equal(allowed, new ImagePolicy(["registry.corp.example/", "mirror.example:5000/dp"], Default).IsAllowed(image));

    [Fact]
    public void A_star_allows_any_image() => Assert.True(new ImagePolicy(["*"], Default).IsAllowed("anything/at:all"));

    [Theory]
    [InlineData("r.io/a/b:1", "r.io/a/b")]
    [InlineData("r.io:5000/a/b", "r.io:5000/a/b")]
    [InlineData("r.io:5000/a/b:2@sha256:ff", "r.io:5000/a/b")]
    public void Repository_strips_tag_and_digest_but_not_a_registry_port(string image, string repository) =>
        Assert.Equal(repository, ImagePolicy.Repository(image));
}
