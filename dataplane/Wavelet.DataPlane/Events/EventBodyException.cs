namespace Wavelet.DataPlane.Events;

/// <summary>A write body that does not match its event; the message is returned to the client as is.</summary>
public sealed class EventBodyException : Exception
{
    public EventBodyException(string message)
        : base(message)
    {
    }

    public EventBodyException()
    {
    }

    public EventBodyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
