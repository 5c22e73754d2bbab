namespace Wavelet.Engine.Postgres;

/// <summary>No usable PostgreSQL server binaries; the message names the command that installs them.</summary>
public sealed class PostgresNotFoundException : Exception
{
    public PostgresNotFoundException()
    {
    }

    public PostgresNotFoundException(string message)
        : base(message)
    {
    }

    public PostgresNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
