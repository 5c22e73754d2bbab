using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using LeaderElector = Wavelet.Operator.Kubernetes.LeaderElection.LeaderElector;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class LeaderElectorTests : FakeClusterTestBase
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private readonly List<Candidate> _candidates = [];

    public override async Task DisposeAsync()
    {
        foreach (var candidate in _candidates)
        {
            await candidate.StopAsync();
            candidate.Client.Dispose();
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task Of_two_candidates_exactly_one_leads_and_the_lease_uses_microtime()
    {
        var a = Start("pod-a");
        var b = Start("pod-b");

        await EventuallyWithClockAsync(() => a.Elector.IsLeader || b.Elector.IsLeader, Step, "someone leads");
        var (leader, follower) = a.Elector.IsLeader ? (a, b) : (b, a);

        // a few renew periods later the same one still leads and the other never did
        var until = Clock.GetUtcNow() + TimeSpan.FromSeconds(20);
        await EventuallyWithClockAsync(() => Clock.GetUtcNow() >= until, Step, "20 s of fake time pass");
        Assert.True(leader.Elector.IsLeader);
        Assert.False(follower.Elector.IsLeader);
        Assert.Equal(0, follower.Started);
        Assert.Equal(leader.Elector.Identity, follower.Elector.ObservedLeader);

        var lease = Server.GetObject("coordination.k8s.io", "leases", Ns, "wavelet-operator")!;
        Assert.Equal(leader.Elector.Identity, lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(15, lease["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"), lease["spec"]!["renewTime"]!.GetValue<string>());
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"), lease["spec"]!["acquireTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_leader_cannot_renew_it_stops_and_the_other_takes_over_after_the_lease_duration()
    {
        var a = Start("pod-a");
        await EventuallyWithClockAsync(() => a.Elector.IsLeader, Step, "pod-a leads");
        var b = Start("pod-b");
        await EventuallyWithClockAsync(() => b.Elector.ObservedLeader == "pod-a", Step, "pod-b sees pod-a leading");

        // pod-a's API calls now fail: it cannot renew
        Server.Faults.FailNext(100_000, 503, "network partition", match: r => r.BearerToken == "pod-a");
        var partitioned = Clock.GetUtcNow();

        await EventuallyWithClockAsync(() => !a.Elector.IsLeader && a.Stopped == 1, Step, "pod-a gives up leadership");
        Assert.True(a.LeadershipToken.IsCancellationRequested, "the leader's work token is cancelled when leadership is lost");
        Assert.InRange(Clock.GetUtcNow() - partitioned, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(13)); // ~RenewDeadline after the last renewal

        await EventuallyWithClockAsync(() => b.Elector.IsLeader, Step, "pod-b takes over");
        var takeover = Clock.GetUtcNow() - partitioned;
        Assert.InRange(takeover, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(15 + 2.4 + 0.5)); // lease duration after its last change, plus one retry
        var lease = Server.GetObject("coordination.k8s.io", "leases", Ns, "wavelet-operator")!;
        Assert.Equal("pod-b", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, lease["spec"]!["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Releasing_on_shutdown_hands_over_at_once()
    {
        var a = Start("pod-a");
        await EventuallyWithClockAsync(() => a.Elector.IsLeader, Step, "pod-a leads");
        var b = Start("pod-b");
        await EventuallyWithClockAsync(() => b.Elector.ObservedLeader == "pod-a", Step, "pod-b sees pod-a leading");

        await a.StopAsync();
        Assert.Equal(1, a.Stopped);
        var lease = Server.GetObject("coordination.k8s.io", "leases", Ns, "wavelet-operator")!;
        Assert.Equal("", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, lease["spec"]!["leaseDurationSeconds"]!.GetValue<int>());

        var released = Clock.GetUtcNow();
        await EventuallyWithClockAsync(() => b.Elector.IsLeader, Step, "pod-b takes over");
        Assert.True(Clock.GetUtcNow() - released <= TimeSpan.FromSeconds(2.4 + 0.2), "takeover within one retry period, not a lease duration");
    }

    [Fact]
    public async Task Lease_times_on_a_whole_second_still_carry_six_fractional_digits()
    {
        // metav1.MicroTime: the API server parses exactly six digits; KubernetesClient alone drops them on a whole second.
        var whole = new DateTime(2026, 7, 24, 14, 0, 2, DateTimeKind.Utc);
        var lease = new LeaseLock(Client, Ns, "micro", "pod-a");
        Assert.True(await lease.CreateAsync(new LeaderElectionRecord { HolderIdentity = "pod-a", LeaseDurationSeconds = 15, AcquireTime = whole, RenewTime = whole }));

        var spec = Server.GetObject("coordination.k8s.io", "leases", Ns, "micro")!["spec"]!;
        Assert.Equal("2026-07-24T14:00:02.000000Z", spec["renewTime"]!.GetValue<string>());
        Assert.Equal("2026-07-24T14:00:02.000000Z", spec["acquireTime"]!.GetValue<string>());
        Assert.Equal(whole, (await lease.GetAsync()).RenewTime);
    }

    [Fact]
    public void Timings_that_cannot_work_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new LeaderElector(new LeaderElectionConfig(new LeaseLock(Client, Ns, "l", "x"))
        {
            LeaseDuration = TimeSpan.FromSeconds(10),
            RenewDeadline = TimeSpan.FromSeconds(10),
        }));
        Assert.Contains("LeaseDuration", error.Message, StringComparison.Ordinal);
    }

    private Candidate Start(string identity)
    {
        var client = Server.CreateClient(token: identity);
        var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, Ns, "wavelet-operator", identity)), null, Clock, new Random(identity.Length));
        var candidate = new Candidate(client, elector);
        _candidates.Add(candidate);
        return candidate;
    }

    private sealed class Candidate
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public Candidate(k8s.Kubernetes client, LeaderElector elector)
        {
            Client = client;
            Elector = elector;
            elector.OnStartedLeading += token =>
            {
                Started++;
                LeadershipToken = token;
            };
            elector.OnStoppedLeading += () => Stopped++;
            _run = elector.RunAsync(_stop.Token);
        }

        public k8s.Kubernetes Client { get; }
        public LeaderElector Elector { get; }
        public int Started { get; private set; }
        public int Stopped { get; private set; }
        public CancellationToken LeadershipToken { get; private set; }

        public async Task StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }

            await _run.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
