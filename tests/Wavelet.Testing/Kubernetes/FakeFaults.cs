namespace Wavelet.Testing.Kubernetes;

/// <summary>Fault injection for the fake API server.</summary>
public sealed class FakeFaults
{
    private readonly object _gate = new();
    private readonly List<FailureRule> _rules = [];
    private readonly FakeKubernetesStore _store;

    internal FakeFaults(FakeKubernetesStore store) => _store = store;

    /// <summary>
    /// Answers the next <paramref name="count"/> requests (those matching <paramref name="match"/>, when given) with
    /// <paramref name="status"/>: a Status JSON whose message is <paramref name="body"/>, or <paramref name="body"/> as
    /// plain text when <paramref name="plainText"/> is set (as some proxies and the API server's 429s do).
    /// </summary>
    public void FailNext(int count, int status, string body, TimeSpan? retryAfter = null, bool plainText = false, Func<FakeRequest, bool>? match = null)
    {
        lock (_gate)
        {
            _rules.Add(new FailureRule(count, status, body, retryAfter, plainText, match));
        }
    }

    /// <summary>Ends every open watch stream normally (as a server restart or load balancer timeout would).</summary>
    public void CutWatches() => _store.CutWatches();

    /// <summary>Forgets the change history: watching or continuing a list from any earlier resourceVersion now gets 410.</summary>
    public void ExpireHistory() => _store.ExpireHistory();

    internal FailureRule? Take(FakeRequest request)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Remaining > 0 && (r.Match is null || r.Match(request)));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            if (rule.Remaining == 0)
            {
                _rules.Remove(rule);
            }

            return rule;
        }
    }

    internal sealed class FailureRule(int count, int status, string body, TimeSpan? retryAfter, bool plainText, Func<FakeRequest, bool>? match)
    {
        public int Remaining { get; set; } = count;
        public int Status { get; } = status;
        public string Body { get; } = body;
        public TimeSpan? RetryAfter { get; } = retryAfter;
        public bool PlainText { get; } = plainText;
        public Func<FakeRequest, bool>? Match { get; } = match;
    }
}
