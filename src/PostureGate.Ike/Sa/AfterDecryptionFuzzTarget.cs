// Fuzz entry point after decryption (issue 12 "Fuzzing"): a gateway and a client IkeSaManager in one
// process, joined by a queue, run the real RFC 7296 exchanges up to a chosen point; then the fuzzed
// octets become the plaintext of an SK payload (§3.14) encrypted with that SA's keys and go in
// through the gateway's public entry point, ProcessDatagram. So mutations pass the ICV and reach
// IKE_AUTH (IDi, AUTH, CP, SA, TS, notifies), EAP, CREATE_CHILD_SA, INFORMATIONAL and the handling
// of responses to the gateway's own requests, never only the decoders. Any exception, and any
// error-level log line (attacker input may cause at most a warning), is a finding.
//
// Input: [stage] [exchange] [first inner payload type] [inner payload chain …]
//   stage % 4: 0 = IKE_AUTH request 1 (instead of the client's), 1 = IKE_AUTH request 2 (the EAP
//   round), 2 = a request of an established SA, 3 = the response to the gateway's Delete request;
//   exchange % 4 + 34: IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL (stages 2 and 3).
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Ike.Sa;

public static class AfterDecryptionFuzzTarget
{
    /// <summary>What one input did: whether the exchanges before it completed, and what the gateway sent back.</summary>
    public sealed record Outcome(bool Reached, int GatewayAnswers);

    private static readonly IPAddress GatewayAddress = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress ClientAddress = IPAddress.Parse("198.51.100.2");

    /// <summary>The libFuzzer/AFL entry: throws on a finding.</summary>
    public static void Fuzz(ReadOnlySpan<byte> input) => _ = Run(input);

    public static Outcome Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 3)
            return new Outcome(false, 0);
        var stage = input[0] % 4;
        var exchange = (ExchangeType)(input[1] % 4 + 34);
        var firstInner = (PayloadType)input[2];
        // An SK payload's length is 16 bits (§3.2); keep room for IV, padding and ICV.
        var plaintext = input[3..Math.Min(input.Length, 60_000)].ToArray();

        var findings = new FindingLogger();
        var time = new FrozenTime();
        var wire = new Wire();
        using var gateway = new IkeSaManager([GatewayConfig()], wire, new InMemoryChildSaInstaller(),
            new IkeSaManagerOptions { Time = time, Logger = findings, RekeyJitter = 0 });
        using var client = new IkeSaManager([], wire, new InMemoryChildSaInstaller(),
            new IkeSaManagerOptions { Time = time, Logger = findings, RekeyJitter = 0 });
        wire.Hosts[GatewayAddress] = gateway;
        wire.Hosts[ClientAddress] = client;

        _ = client.InitiateAsync(ClientOptions());
        wire.Deliver(2); // IKE_SA_INIT request and response: keys on both sides
        if (stage >= 1)
            wire.Deliver(2); // IKE_AUTH 1 (IDi, CP, SA, TS) and the gateway's EAP request
        if (stage >= 2)
            wire.Deliver(64); // to the end of EAP: established
        wire.Queue.Clear(); // the client's own next message is replaced by the fuzzed one

        if (!client.TryGetBySpi(wire.SpiI, out var sa) || sa.Keys is null || (stage >= 2 && sa.State != IkeSaState.Established))
            return Finish(findings, new Outcome(false, 0));

        IkeHeader header;
        if (stage == 3)
        {
            // The gateway asks; the fuzzed message is the client's answer (§1.4, I flag: the original initiator).
            var instance = gateway.Snapshot().FirstOrDefault()?.Name;
            if (instance is null)
                return Finish(findings, new Outcome(false, 0));
            _ = gateway.DeleteAsync(instance, "fuzz");
            if (!wire.Queue.TryDequeue(out var request) || !IkeHeader.TryRead(request.Bytes, out var asked))
                return Finish(findings, new Outcome(false, 0));
            header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.Encrypted, exchange,
                IkeHeaderFlags.Initiator | IkeHeaderFlags.Response, asked.MessageId, 0);
        }
        else
        {
            var messageId = stage switch { 0 => 1u, 1 => 2u, _ => sa.NextRequestId };
            header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.Encrypted, stage >= 2 ? exchange : ExchangeType.IkeAuth,
                IkeHeaderFlags.Initiator, messageId, 0);
        }
        var datagram = Protect(header, firstInner, plaintext, sa.Keys.FromInitiator);
        var before = wire.SentBy(GatewayAddress);
        gateway.ProcessDatagram(datagram, new IPEndPoint(GatewayAddress, 500), new IPEndPoint(ClientAddress, 500));
        var answers = wire.SentBy(GatewayAddress) - before;
        wire.Deliver(64); // the client reads the answer, and whatever follows settles
        return Finish(findings, new Outcome(true, answers));
    }

    /// <summary>§3.14: header, SK generic header (Next Payload = the first inner type), IV, ciphertext, ICV.</summary>
    private static byte[] Protect(IkeHeader header, PayloadType firstInner, byte[] plaintext, SkCipher cipher)
    {
        var skLength = PayloadHeader.Size + cipher.GetProtectedLength(plaintext.Length);
        var buffer = new byte[IkeHeader.Size + skLength];
        new IkeMessage(header).WriteEncryptedHeaders(buffer, PayloadType.Encrypted, firstInner, skLength);
        cipher.Protect(buffer, IkeHeader.Size + PayloadHeader.Size, plaintext);
        return buffer;
    }

    private static Outcome Finish(FindingLogger findings, Outcome outcome) =>
        findings.Error is { } line ? throw new InvalidOperationException("error-level log line: " + line) : outcome;

    private static CipherSuite Phase1(string name) =>
        FortiOsProposals.TryGetPhase1(name, out var s) ? s : throw new InvalidOperationException(name);

    private static CipherSuite Phase2(string name) =>
        FortiOsProposals.TryGetPhase2(name, out var s) ? s : throw new InvalidOperationException(name);

    /// <summary>The interop lab's dial-up phase1: PSK, EAP-MSCHAPv2 for alice, a pool, split include; X25519 (cheap per input).</summary>
    private static IkePeerConfig GatewayConfig() => new()
    {
        Name = "dialup",
        Proposals = [Phase1("aes128-sha256"), Phase1("aes256gcm-prfsha384")],
        DhGroups = [KeyExchangeMethod.Curve25519],
        Psk = "lab-psk-0123456789"u8.ToArray(),
        LocalId = IkeIdentity.Fqdn("gw.pg.example"),
        EapEnabled = true,
        EapPasswordLookup = user => user == "alice" ? "alice-password" : null,
        AddressPool = new AddressPool(Ipv4Range.Parse("192.0.2.200", "192.0.2.210")),
        DnsServers = [IPAddress.Parse("203.0.113.53")],
        SplitInclude = [Ipv4Subnet.Parse("203.0.113.0/24")],
        Children = [new ChildConfig { Name = "DY", Proposals = [Phase2("aes128-sha256"), Phase2("aes256gcm")] }],
    };

    private static IkeInitiatorOptions ClientOptions() => new()
    {
        Config = GatewayConfig() with { Name = "fgt", LocalId = null, AddressPool = null, DnsServers = [], SplitInclude = [] },
        Local = new IPEndPoint(ClientAddress, 500),
        Remote = new IPEndPoint(GatewayAddress, 500),
        EapUser = "alice",
        EapPassword = "alice-password",
        RemoteIdentity = IkeIdentity.Fqdn("gw.pg.example"),
        RemoteTs = [Ipv4Subnet.Parse("203.0.113.0/24")],
    };

    /// <summary>Both managers' sender: a queue delivered on demand, bounded so nothing loops.</summary>
    private sealed class Wire : IIkeSender
    {
        public readonly Dictionary<IPAddress, IkeSaManager> Hosts = [];
        public readonly Queue<(byte[] Bytes, IPEndPoint From, IPEndPoint To)> Queue = new();
        private readonly Dictionary<IPAddress, int> _sent = [];

        /// <summary>The initiator SPI of the first IKE_SA_INIT the gateway answered.</summary>
        public ulong SpiI { get; private set; }

        public int SentBy(IPAddress address) => _sent.GetValueOrDefault(address);

        public void Send(ReadOnlyMemory<byte> ikeMessage, IPEndPoint local, IPEndPoint remote)
        {
            _sent[local.Address] = SentBy(local.Address) + 1;
            if (SpiI == 0 && local.Address.Equals(GatewayAddress) && IkeHeader.TryRead(ikeMessage.Span, out var h))
                SpiI = h.InitiatorSpi;
            Queue.Enqueue((ikeMessage.ToArray(), local, remote));
        }

        public void Deliver(int max)
        {
            for (var i = 0; i < max && Queue.TryDequeue(out var d); i++)
                if (Hosts.TryGetValue(d.To.Address, out var host))
                    host.ProcessDatagram(d.Bytes, d.To, d.From);
        }
    }

    /// <summary>Timers never fire: each input is one deterministic run, not a schedule.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Keeps the first error-level line; lower levels are what refused input is allowed to cause.</summary>
    private sealed class FindingLogger : ILogger
    {
        public string? Error { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
                Error ??= formatter(state, exception) + (exception is null ? "" : " " + exception);
        }
    }
}
