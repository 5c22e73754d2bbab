namespace Wavelet.Api.Tests;

public class RetentionAndNamesTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("24h", 86400)]
    [InlineData("7d", 604800)]
    [InlineData("1D", 86400)]
    public void Retention_parses_to_seconds(string text, long seconds)
    {
        var retention = Retention.Parse(text);
        Assert.Equal(seconds, retention.TotalSeconds);
        Assert.Equal(text.ToLowerInvariant(), retention.ToRisingWave());
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("24")]
    [InlineData("1 day")]
    [InlineData("1234567d")]
    public void Retention_rejects_other_forms(string text)
    {
        Assert.False(Retention.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => Retention.Parse(text));
        Assert.Contains("use a whole number and a unit s, m, h or d", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("_x", true)]
    [InlineData("game_events2", true)]
    [InlineData("2games", false)]
    [InlineData("Games", false)]
    [InlineData("game-events", false)]
    [InlineData("x\"; DROP TABLE y; --", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Identifiers(string? name, bool valid) => Assert.Equal(valid, WaveletNames.IsValidIdentifier(name));

    [Fact]
    public void Identifier_length_limit_is_63()
    {
        Assert.True(WaveletNames.IsValidIdentifier(new string('a', 63)));
        Assert.False(WaveletNames.IsValidIdentifier(new string('a', 64)));
    }

    [Fact]
    public void Quote_refuses_invalid_identifiers()
    {
        Assert.Equal("\"game_events\"", WaveletNames.Quote("game_events"));
        Assert.Throws<ArgumentException>(() => WaveletNames.Quote("a\"b"));
        Assert.True(WaveletNames.IsReserved("_wavelet_objects"));
        Assert.False(WaveletNames.IsReserved("wavelet"));
    }
}
