namespace Wavelet.DataPlane.Fanout;

/// <summary>Why the server closes a socket; a reference, so it is read whole from any thread.</summary>
public sealed record CloseReason(int Code, string Reason);
