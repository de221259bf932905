// A pool shared by several gateways (ISharedAddressPool, issue 16): the address is reserved after the
// post-authentication decision, off the receive loop, for the user's UID else EAP identity; a failed
// reservation is INTERNAL_ADDRESS_FAILURE (RFC 7296 §3.15.4) with the IKE SA kept, as exhaustion is.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class SharedAddressPoolTests
{
    private sealed class SharedPool : ISharedAddressPool
    {
        private readonly AddressPool _inner = new(Ipv4Range.Parse("192.0.2.200", "192.0.2.210"));
        private readonly Dictionary<string, IPAddress> _reserved = [];

        /// <summary>When set, the first reservation waits for it.</summary>
        public TaskCompletionSource? FirstWaits { get; set; }

        public bool Reachable { get; set; } = true;
        public List<(string Key, string Owner)> Asked { get; } = [];
        public List<string> Released { get; } = [];

        public long Capacity => _inner.Capacity;
        public int LeasedCount => _reserved.Count;

        public async ValueTask ReserveAsync(string key, string owner, CancellationToken ct)
        {
            lock (Asked)
                Asked.Add((key, owner));
            if (FirstWaits is { } wait)
            {
                FirstWaits = null;
                await wait.Task.WaitAsync(ct);
            }
            if (Reachable && _inner.Lease(key) is { } address)
            {
                lock (_reserved)
                    _reserved[key] = address;
            }
        }

        public IPAddress? Lease(string key)
        {
            lock (_reserved)
                return _reserved.GetValueOrDefault(key);
        }

        public bool Release(string key)
        {
            Released.Add(key);
            lock (_reserved)
                return _reserved.Remove(key) && _inner.Release(key);
        }

        public IPAddress? LeaseOf(string key) => Lease(key);
    }

    private sealed class UidHook : IPostAuthenticationHook
    {
        public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken)
        {
            context.SetFortiClientUid!("6108A9179A5C40D7BD57504E15114C1F");
            return ValueTask.FromResult<PostAuthenticationDecision>(PostAuthenticationDecision.Allowed);
        }
    }

    [Fact]
    public void The_reserved_address_is_the_one_the_client_gets_and_the_eap_identity_owns_it()
    {
        var pool = new SharedPool();
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { AddressPool = pool }));

        var result = h.Connect();

        Assert.True(result.Success, result.Error);
        Assert.Equal(IPAddress.Parse("192.0.2.200"), result.VirtualIp);
        Assert.NotNull(result.Child);
        Assert.Equal([("dialup_0", "alice")], pool.Asked);
    }

    [Fact]
    public void The_users_uid_owns_the_address_when_the_hook_names_one()
    {
        var pool = new SharedPool();
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { AddressPool = pool }), hook: new UidHook());

        Assert.True(h.Connect().Success);

        Assert.Equal([("dialup_0", "6108A9179A5C40D7BD57504E15114C1F")], pool.Asked);
    }

    [Fact]
    public void A_failed_reservation_is_internal_address_failure_and_the_ike_sa_stays()
    {
        var pool = new SharedPool { Reachable = false };
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { AddressPool = pool }));

        var result = h.Connect();

        Assert.True(result.Success, result.Error);
        Assert.Null(result.VirtualIp);
        Assert.Null(result.Child);
        Assert.Equal("INTERNAL_ADDRESS_FAILURE", result.ChildError);
        Assert.Empty(h.GatewayInstaller.Installed);
    }

    [Fact]
    public void A_denied_peer_reserves_nothing()
    {
        var pool = new SharedPool();
        var deny = new DenyHook();
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { AddressPool = pool }), hook: deny);

        Assert.False(h.Connect().Success);

        Assert.Empty(pool.Asked);
    }

    [Fact]
    public async Task A_slow_reservation_does_not_hold_up_other_peers()
    {
        var pool = new SharedPool { FirstWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var wait = pool.FirstWaits;
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { AddressPool = pool }));
        var slow = h.Client.InitiateAsync(ExchangeHarness.Alice() with { InitialContact = false });
        h.Network.Pump();
        Assert.False(slow.IsCompleted);

        var fast = h.Connect(ExchangeHarness.Alice(port: 700) with { Local = new(ExchangeHarness.ClientAddress, 700), InitialContact = false });
        Assert.True(fast.Success, fast.Error);
        Assert.Equal(IPAddress.Parse("192.0.2.200"), fast.VirtualIp);

        wait.SetResult();
        // The answer is sent from the reservation's continuation: wait for it (generous ceiling).
        for (var i = 0; i < 3000 && h.Network.Pending == 0; i++)
            await Task.Delay(10);
        h.Network.Pump();
        var result = await slow;
        Assert.True(result.Success, result.Error);
        Assert.Equal(IPAddress.Parse("192.0.2.201"), result.VirtualIp);
    }

    private sealed class DenyHook : IPostAuthenticationHook
    {
        public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<PostAuthenticationDecision>(new PostAuthenticationDecision.Deny(24, [], "denied"));
    }
}
