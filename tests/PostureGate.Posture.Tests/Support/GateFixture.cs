// A gate with one connector fed by FakeEmsClient, a pinned token key, and collected audit lines.
using System.Buffers.Text;
using System.Net;
using System.Text;
using PostureGate.Admission;

namespace PostureGate.Posture.Tests;

internal sealed class GateFixture : IAsyncDisposable
{
    public const string Serial = "FCTEMS8826000120";
    public const string Tenant = "00000000000000000000000000000000";

    /// <param name="secondConnector">Adds fctems 2 (<see cref="Ems2"/>, <see cref="Connector2"/>), an EMS of its own signing with the same key.</param>
    public GateFixture(int connectorId = 1, TimeSpan? callTimeout = null, TimeProvider? time = null, bool down = false, TimeSpan? delay = null, bool secondConnector = false)
    {
        Time = time ?? TimeProvider.System;
        Tokens = new TestTokens(connectorId: connectorId);
        var p = Tokens.Rsa.ExportParameters(false);
        Ems = new FakeEmsClient
        {
            Serial = Serial,
            Down = down,
            Delay = delay ?? TimeSpan.Zero,
            Jwks = $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{Tokens.Kid}}","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"}]}""",
        };
        Settings = new EmsConnectorSettings
        {
            Id = connectorId,
            Name = "ems",
            Server = "127.0.0.1",
            SerialNumber = Serial,
            CertificateFingerprint = new string('0', 64),
            ApiKey = "k",
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(5),
            ReconnectDelayMin = TimeSpan.FromMilliseconds(20),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(100),
        };
        Store = new TagStore();
        Connector = new EmsConnector(Settings, Store.For(connectorId), Tokens.Keys, Ems, Time);
        if (secondConnector)
        {
            Ems2 = new FakeEmsClient { Serial = "FCTEMS0000000002", Jwks = Ems.Jwks };
            Connector2 = new EmsConnector(Settings with { Id = 2, Name = "ems2", SerialNumber = Ems2.Serial }, Store.For(2), Tokens.Keys, Ems2, Time);
        }
        Verifier = new ZtnaTokenVerifier(Tokens.Keys, time: Time);
        Gate = new PostureGateKeeper(Store, Connector2 is null ? [Connector] : [Connector, Connector2], Verifier, auditSink: Audit, time: Time);
    }

    public TimeProvider Time { get; }
    public TestTokens Tokens { get; }
    public FakeEmsClient Ems { get; }
    public EmsConnectorSettings Settings { get; }
    public TagStore Store { get; }
    public EmsConnector Connector { get; }
    public FakeEmsClient? Ems2 { get; }
    public EmsConnector? Connector2 { get; }
    public ZtnaTokenVerifier Verifier { get; }
    public PostureGateKeeper Gate { get; }
    public CollectingAuditSink Audit { get; } = new();

    public async Task StartSyncedAsync()
    {
        Connector.Start();
        await Connector.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The EMS dies (refuses, its push stream ends); returns once the connector has marked it lost (and armed its out-of-sync timer).</summary>
    public async Task LoseEmsAsync()
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnState(EmsConnector c)
        {
            if (c.State == ConnectorState.Lost)
                lost.TrySetResult();
        }
        Connector.StateChanged += OnState;
        try
        {
            Ems.Down = true;
            Ems.DropStream();
            await lost.Task.WaitAsync(Wait.Guard);
        }
        finally
        {
            Connector.StateChanged -= OnState;
        }
    }

    /// <summary>The EMS answers again; the clock moves in small steps (reconnect backoff) until the connector has resynced.</summary>
    public async Task RestoreEmsAsync(ManualTimeProvider time)
    {
        Ems.Down = false;
        var synced = Connector.WaitForSyncAsync();
        await Wait.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            return synced.IsCompleted;
        });
    }

    public static byte[] FctBody(string uid, string? ip, string serial = Serial, bool fctTags = true) =>
        FortiClientConnectBody.Build(new FortiClientConnectInfo
        {
            Uid = uid,
            Version = "1",
            FctVersion = "7.4.5.1949",
            Ip = ip is null ? null : IPAddress.Parse(ip),
            Macs = ["00-0c-29-2c-4d-d7"],
            Host = "DESKTOP-EMS-TAG-PH2",
            User = "tester",
            RegistrationStatus = 0,
            EmsSerial = serial,
            EmsTenantId = Tenant,
            SendsTagToken = fctTags,
        });

    public static PostureRequest Request(string[] tags, string peer, byte[]? fct = null, string? token = null, bool snCheck = true, string? ikeId = null, string instance = "dialup_0") => new()
    {
        Tunnel = "dialup",
        Instance = instance,
        Match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = tags, EmsSnCheck = snCheck },
        Peer = new IPEndPoint(IPAddress.Parse(peer), 4500),
        IkeIdAddress = ikeId is null ? null : IPAddress.Parse(ikeId),
        EapUser = "u1",
        FortiClientConnect = fct is null ? (ReadOnlyMemory<byte>?)null : fct, // a null byte[] would become an empty notify
        ZtnaToken = token is null ? (ReadOnlyMemory<byte>?)null : Encoding.ASCII.GetBytes(token),
    };

    public async ValueTask DisposeAsync()
    {
        Gate.Dispose();
        await Connector.DisposeAsync();
        if (Connector2 is not null)
            await Connector2.DisposeAsync();
        Tokens.Dispose();
    }
}

internal sealed class CollectingAuditSink : IAuditSink
{
    private readonly Lock _lock = new();
    private readonly List<PostureAuditRecord> _records = [];

    public IReadOnlyList<PostureAuditRecord> Records
    {
        get
        {
            lock (_lock)
                return [.. _records];
        }
    }

    public void Write(PostureAuditRecord record)
    {
        lock (_lock)
            _records.Add(record);
    }
}
