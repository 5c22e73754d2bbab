using Wavelet.Engine;
using Npgsql;

namespace Wavelet.Testing.RisingWave;

/// <summary>
/// xunit fixture: a simulator with 20 ms barriers, or a real RisingWave when WAVELET_TEST_RISINGWAVE_URL is set
/// (then <see cref="Simulator"/> is null: fault injection and the statement log exist only in the simulator).
/// </summary>
public sealed class RisingWaveFixture : IAsyncLifetime
{
    private readonly bool _simulatorOnly;

    public RisingWaveFixture()
        : this(simulatorOnly: false)
    {
    }

    private RisingWaveFixture(bool simulatorOnly) => _simulatorOnly = simulatorOnly;

    /// <summary>Always the simulator, even when a real RisingWave is configured: for fault-injection and statement-log tests.</summary>
    public static RisingWaveFixture SimulatorOnly() => new(simulatorOnly: true);

    public LocalEngine? Simulator { get; private set; }

    public bool IsSimulator => Simulator is not null;

    public string ConnectionString { get; private set; } = "";

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!_simulatorOnly && RealSystems.RisingWaveUrl is { } url)
        {
            Url = url;
            ConnectionString = RealSystems.ToConnectionString(url);
            return;
        }

        Simulator = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromMilliseconds(20) });
        ConnectionString = Simulator.ConnectionString;
        Url = Simulator.Url;
    }

    /// <summary>A data source configured as RisingWave needs: no type loading.</summary>
    public NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        return builder.Build();
    }

    /// <summary>Makes committed writes visible to cursors: a barrier in the simulator, FLUSH on RisingWave.</summary>
    public async Task FlushAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using var flush = new NpgsqlCommand("FLUSH", connection);
        await flush.ExecuteNonQueryAsync(ct);
    }

    public async Task DisposeAsync()
    {
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }
}
