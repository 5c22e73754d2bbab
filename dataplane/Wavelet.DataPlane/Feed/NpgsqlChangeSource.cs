using System.Runtime.CompilerServices;
using Npgsql;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.Resilience;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// Follows a RisingWave subscription through one subscription cursor on a dedicated unpooled connection.
/// Starts with FULL; after an error reconnects with backoff (a Polly retry pipeline, <see cref="ReopeningFollower"/>) and
/// declares SINCE the last applied epoch (inclusive, so that epoch is skipped); when RisingWave no longer has that epoch,
/// declares FULL and yields a fresh snapshot.
/// </summary>
public sealed class NpgsqlChangeSource : IChangeSource
{
    private readonly FeedOptions _options;
    private readonly DataPlaneMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<NpgsqlChangeSource> _logger;

    public NpgsqlChangeSource(FeedOptions options, DataPlaneMetrics metrics, TimeProvider clock, ILogger<NpgsqlChangeSource> logger)
    {
        _options = options;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
    }

    public async IAsyncEnumerable<FeedEvent> FollowAsync(string schema, QueryConfig query, ValueShape shape, [EnumeratorCancellation] CancellationToken ct)
    {
        var builder = new NpgsqlDataSourceBuilder(_options.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.CommandTimeout = Math.Max(30, (_options.FetchTimeoutSeconds * 4) + 10);
        builder.ConnectionStringBuilder.ApplicationName = $"wavelet-feed-{query.Name}";
        await using var dataSource = builder.Build();
        var position = new Position();
        var subscription = $"{Quote(schema)}.{Quote(query.Subscription)}";

        ValueTask OnLost(Exception? error, TimeSpan delay)
        {
            _metrics.FeedErrors.Add(1, DataPlaneMetrics.Query(query.Name));
            var tooOld = error is not null && RisingWaveErrors.MeansStartOver(error);
            position.NeedFull |= tooOld;
            if (tooOld)
            {
                _logger.FeedFailedStartingOver(query.Name, error?.Message, delay);
            }
            else
            {
                _logger.FeedFailedResuming(query.Name, error?.Message, position.LastEpoch, delay);
            }

            _metrics.FeedReconnects.Add(1, DataPlaneMetrics.Query(query.Name));
            return ValueTask.CompletedTask;
        }

        var events = ReopeningFollower.FollowAsync(
            token => ReadCursorAsync(dataSource, subscription, position, shape, token), _options.InitialBackoff, _options.MaxBackoff, _clock, OnLost, ct);
        await foreach (var next in events.WithCancellation(ct))
        {
            yield return next;
        }
    }

    /// <summary>One cursor from the current position until it fails; FETCHes that complete nothing and re-sent epochs are skipped.</summary>
    private async IAsyncEnumerable<FeedEvent> ReadCursorAsync(NpgsqlDataSource dataSource, string subscription, Position position, ValueShape shape, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cursor = new CursorReader(dataSource, subscription, position.NeedFull ? null : position.LastEpoch, _options, shape, _logger);
        while (true)
        {
            var next = await cursor.NextAsync(ct);
            if (next is null)
            {
                continue;
            }

            if (next is EpochEvent epoch)
            {
                if (position.LastEpoch is { } last && epoch.Timestamp <= last)
                {
                    continue; // SINCE is inclusive: this epoch was already applied
                }

                position.LastEpoch = epoch.Timestamp;
            }
            else
            {
                position.NeedFull = false;
            }

            yield return next;
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";



    /// <summary>Where the next cursor starts; read and written only by the feed's own enumeration.</summary>
    private sealed class Position
    {
        public long? LastEpoch { get; set; }

        public bool NeedFull { get; set; } = true;
    }
}
