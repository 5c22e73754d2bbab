namespace Wavelet.DataPlane.Tests;

public class SmokeTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(SmokeTests).Assembly.GetName().Name);
}
