namespace Wavelet.Cli.Tests;

/// <summary>`wavelet init`: a starter project that is valid, pushes as it is, and is never overwritten by accident.</summary>
public sealed class InitCommandTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Init_writes_a_starter_that_validates_and_pushes_then_leaves_an_existing_file_alone()
    {
        var name = Projects.UniqueName("init");

        var init = await Cli.RunAsync(_directory.Path, "init", "my-app", "--name", name);

        Assert.True(init.Code == ExitCodes.Ok, init.ToString());
        Assert.Contains("wavelet dev my-app/wavelet.yaml", init.Out, StringComparison.Ordinal);
        var file = _directory.Combine("my-app", "wavelet.yaml");
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains($"name: {name}", text, StringComparison.Ordinal);

        var push = await Cli.RunAsync(_directory.Path, "push", "my-app/wavelet.yaml", "--database-url", rw.Url);
        Assert.True(push.Code == ExitCodes.Ok, push.ToString());
        Assert.Contains("CREATE  query         page_counts", push.Out, StringComparison.Ordinal);

        await File.AppendAllTextAsync(file, "# edited\n");
        var again = await Cli.RunAsync(_directory.Path, "init", "my-app");
        Assert.Equal(ExitCodes.Ok, again.Code);
        Assert.Contains("already exists", again.Out, StringComparison.Ordinal);
        Assert.EndsWith("# edited\n", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_derives_the_name_from_the_directory_and_rejects_an_invalid_one()
    {
        var init = await Cli.RunAsync(_directory.Path, "init", "My_Shop 2");
        Assert.True(init.Code == ExitCodes.Ok, init.ToString());
        Assert.Contains("name: my-shop-2", await File.ReadAllTextAsync(_directory.Combine("My_Shop 2", "wavelet.yaml")), StringComparison.Ordinal);

        var invalid = await Cli.RunAsync(_directory.Path, "init", "other", "--name", "Not Valid");
        Assert.Equal(ExitCodes.Usage, invalid.Code);
        Assert.False(File.Exists(_directory.Combine("other", "wavelet.yaml")));
    }
}
