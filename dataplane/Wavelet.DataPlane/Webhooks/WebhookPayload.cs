using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Feed;

namespace Wavelet.DataPlane.Webhooks;

/// <summary>
/// The POST body: <c>{query, cursor, inserted, updated, deleted}</c> with the WebSocket diff's row shapes, unfiltered
/// (the receiver gets every row); null for an epoch without changes, which is not posted.
/// </summary>
public static class WebhookPayload
{
    public static byte[]? For(string query, long cursor, IReadOnlyList<Change> changes) => Messages.Changes(null, query, cursor, changes);
}
