using System.Runtime.CompilerServices;
using Npgsql;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// Follows a RisingWave subscription through one subscription cursor on a dedicated unpooled connection.
/// Starts with FULL; after an error reconnects with backoff and declares SINCE the last applied epoch (inclusive,
/// so that epoch is skipped); when RisingWave no longer has that epoch, declares FULL and yields a fresh snapshot.
/// </summary>
public sealed class NpgsqlChangeSource : IChangeSource
{
    private readonly FeedOptions _options;
    private readonly DataPlaneMetrics _metrics;
    private readonly ILogger<NpgsqlChangeSource> _logger;

    public NpgsqlChangeSource(FeedOptions options, DataPlaneMetrics metrics, ILogger<NpgsqlChangeSource> logger)
    {
        _options = options;
        _metrics = metrics;
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
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        long? lastEpoch = null;
        var needFull = true;
        var subscription = $"{Quote(schema)}.{Quote(query.Subscription)}";
        while (!ct.IsCancellationRequested)
        {
            var cursor = new CursorReader(dataSource, subscription, needFull ? null : lastEpoch, _options, shape, _logger);
            await using (cursor)
            {
                while (true)
                {
                    FeedEvent? next;
                    try
                    {
                        next = await cursor.NextAsync(ct);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        yield break;
                    }
#pragma warning disable CA1031 // every feed failure is counted, logged and retried with backoff
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        _metrics.FeedErrors.Add(1, DataPlaneMetrics.Query(query.Name));
                        var tooOld = RisingWaveErrors.MeansStartOver(e);
                        if (tooOld)
                        {
                            _logger.FeedFailedStartingOver(query.Name, e.Message);
                        }
                        else
                        {
                            _logger.FeedFailedResuming(query.Name, e.Message, lastEpoch);
                        }

                        needFull |= tooOld;
                        break;
                    }

                    if (next is null)
                    {
                        continue;
                    }

                    if (next is EpochEvent epoch)
                    {
                        if (lastEpoch is { } last && epoch.Timestamp <= last)
                        {
                            continue; // SINCE is inclusive: this epoch was already applied
                        }

                        lastEpoch = epoch.Timestamp;
                    }
                    else
                    {
                        needFull = false;
                    }

                    backoff.Reset();
                    yield return next;
                }
            }

            if (ct.IsCancellationRequested)
            {
                yield break;
            }

            _metrics.FeedReconnects.Add(1, DataPlaneMetrics.Query(query.Name));
            if (!await DelayAsync(backoff.Next(), ct))
            {
                yield break;
            }
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
