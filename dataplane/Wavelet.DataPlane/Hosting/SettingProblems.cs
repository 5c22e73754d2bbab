using System.Globalization;
using Microsoft.Extensions.Options;

namespace Wavelet.DataPlane.Hosting;

/// <summary>Collects what is wrong with one settings section, each problem naming the full key and what to use instead.</summary>
internal sealed class SettingProblems(string section)
{
    private readonly List<string> _problems = [];

    public ValidateOptionsResult Result => _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);

    public void AtLeast(string name, long value, long minimum)
    {
        if (value < minimum)
        {
            Add(name, value.ToString(CultureInfo.InvariantCulture), $"use at least {minimum.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public void NotNegative(string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            Add(name, Show(value), "use 00:00:00 or more");
        }
    }

    public void Positive(string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            Add(name, Show(value), "use more than 00:00:00, e.g. 00:00:01");
        }
    }

    /// <summary>A maximum must not be below the matching initial or default value.</summary>
    public void NotBelow(string name, IComparable value, string other, IComparable otherValue)
    {
        if (value.CompareTo(otherValue) < 0)
        {
            Add(name, Show(value), $"use at least {section}:{other} ({Show(otherValue)})");
        }
    }

    private void Add(string name, string value, string fix) => _problems.Add($"{section}:{name} is {value}; {fix}");

    private static string Show(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
