namespace Wavelet.DataPlane.Config;

/// <summary>The config file cannot be used; the message says what is wrong and how to fix it.</summary>
public sealed class InvalidConfigException : Exception
{
    public InvalidConfigException(string message)
        : base(message)
    {
    }

    public InvalidConfigException()
    {
    }

    public InvalidConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
