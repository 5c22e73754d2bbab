namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// Subscribers that see the same partitions, so they get the same bytes. Members know their index: removing one is a
/// swap with the last, O(1), so closed sockets leave without a scan of the others. Used under the hub's lock only.
/// </summary>
internal sealed class Cohort
{
    public Cohort(string key) => Key = key;

    public string Key { get; }

    public List<Subscriber> Members { get; } = [];

    public void Add(Subscriber subscriber)
    {
        subscriber.Cohort = this;
        subscriber.Index = Members.Count;
        Members.Add(subscriber);
    }

    /// <summary>Removes <paramref name="subscriber"/> when it is a member; true when it was.</summary>
    public bool Remove(Subscriber subscriber)
    {
        var index = subscriber.Index;
        if (!ReferenceEquals(subscriber.Cohort, this) || index >= Members.Count || !ReferenceEquals(Members[index], subscriber))
        {
            return false;
        }

        var last = Members[^1];
        Members[index] = last;
        last.Index = index;
        Members.RemoveAt(Members.Count - 1);
        subscriber.Cohort = null;
        return true;
    }
}
