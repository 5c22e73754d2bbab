namespace Wavelet.Testing.Tests.RisingWave;

/// <summary>Checks that the suites really talk to RisingWave when WAVELET_TEST_RISINGWAVE_URL is set.</summary>
public sealed class RealRisingWaveTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [RealRisingWaveFact]
    public async Task Configured_server_is_a_risingwave()
    {
        await using var db = await RwConnection.OpenAsync(rw);
        var version = (string)(await db.QueryAsync("SELECT version()"))[0][0]!;
        Assert.Contains("RisingWave", version, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Simulator_identifies_itself_like_risingwave()
    {
        await using var db = await RwConnection.OpenAsync(rw);
        Assert.Contains("RisingWave", db.Connection.ServerVersion, StringComparison.Ordinal);
    }
}
