using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// Follows one query's changes. Starts with a <see cref="SnapshotEvent"/>, then yields epochs in order, each exactly once;
/// recovers from errors itself and yields a new snapshot when it had to start over. Ends only on cancellation.
/// </summary>
public interface IChangeSource
{
    IAsyncEnumerable<FeedEvent> FollowAsync(string schema, QueryConfig query, CancellationToken ct);
}
