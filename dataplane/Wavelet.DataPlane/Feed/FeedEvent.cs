using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Feed;

/// <summary>What a change source yields: a full snapshot replacing the state, or one epoch of changes.</summary>
public abstract record FeedEvent;

/// <summary>The MV's complete current rows (after FULL): subscribers get a fresh snapshot.</summary>
public sealed record SnapshotEvent(IReadOnlyList<Row> Rows) : FeedEvent;

/// <summary>All changes of one RisingWave epoch; <see cref="Timestamp"/> is its rw_timestamp (unix ms), the client cursor.</summary>
public sealed record EpochEvent(long Timestamp, IReadOnlyList<Change> Changes) : FeedEvent;

public sealed record Change(RowOp Op, Row Row);
