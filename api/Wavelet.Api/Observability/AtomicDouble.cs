namespace Wavelet.Api.Observability;

/// <summary>A double updated lock-free with compare-and-swap.</summary>
internal struct AtomicDouble
{
    private long _bits;

    public readonly double Read() => BitConverter.Int64BitsToDouble(Volatile.Read(in _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double delta)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _bits);
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
            if (Interlocked.CompareExchange(ref _bits, next, seen) == seen)
            {
                return;
            }
        }
    }
}
