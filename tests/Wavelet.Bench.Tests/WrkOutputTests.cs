using Wavelet.Bench.Load;

namespace Wavelet.Bench.Tests;

public class WrkOutputTests
{
    private const string Sample = """
        Running 10s test @ http://127.0.0.1:5000/v1/queries/q
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     2.10ms    1.02ms  45.30ms   90.00%
            Req/Sec    15.20k     1.10k   17.00k    70.00%
          Latency Distribution
             50%    1.90ms
             75%    2.40ms
             90%    3.10ms
             99%  850.00us
          302345 requests in 10.01s, 80.12MB read
          Socket errors: connect 0, read 2, write 0, timeout 1
          Non-2xx or 3xx responses: 4
        Requests/sec:  30204.50
        Transfer/sec:      8.00MB
        """;

    [Fact]
    public void Totals_percentiles_and_failures_are_parsed_with_units()
    {
        var result = WrkOutput.Parse(Sample);

        Assert.Equal("wrk", result.Tool);
        Assert.Equal(302_345, result.Requests);
        Assert.Equal(30_204.5, result.RequestsPerSecond);
        Assert.Equal(1.9, result.P50Ms);
        Assert.Equal(0.85, result.P99Ms);
        Assert.Equal(45.3, result.MaxMs);
        Assert.Equal(7, result.Failures);
    }

    [Fact]
    public void Output_without_totals_is_a_clear_error()
    {
        var error = Assert.Throws<FormatException>(() => WrkOutput.Parse("unable to connect to 127.0.0.1:1 Connection refused"));
        Assert.Contains("no request totals", error.Message, StringComparison.Ordinal);
    }
}
