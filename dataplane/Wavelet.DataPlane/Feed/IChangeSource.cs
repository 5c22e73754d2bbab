using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// Follows one query's changes. Starts with a <see cref="SnapshotEvent"/>, then yields epochs in order, each exactly once;
/// recovers from errors itself and yields a new snapshot when it had to start over. Ends only on cancellation.
/// </summary>
public interface IChangeSource
{
    /// <param name="shape">How the rows it yields write their values as JSON.</param>
    IAsyncEnumerable<FeedEvent> FollowAsync(string schema, QueryConfig query, ValueShape shape, CancellationToken ct);
}
