// A gate with one connector fed by FakeEmsClient, a pinned token key, and collected audit lines.
using System.Buffers.Text;
using System.Net;
using System.Text;

namespace PostureGate.Posture.Tests;

internal sealed class GateFixture : IAsyncDisposable
{
    public const string Serial = "FCTEMS8826000120";
    public const string Tenant = "00000000000000000000000000000000";

    public GateFixture(int connectorId = 1, TimeSpan? callTimeout = null, TimeProvider? time = null, bool down = false, TimeSpan? delay = null)
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
        Verifier = new ZtnaTokenVerifier(Tokens.Keys, time: Time);
        Gate = new PostureGateKeeper(Store, [Connector], Verifier, auditSink: Audit, time: Time);
    }

    public TimeProvider Time { get; }
    public TestTokens Tokens { get; }
    public FakeEmsClient Ems { get; }
    public EmsConnectorSettings Settings { get; }
    public TagStore Store { get; }
    public EmsConnector Connector { get; }
    public ZtnaTokenVerifier Verifier { get; }
    public PostureGateKeeper Gate { get; }
    public CollectingAuditSink Audit { get; } = new();

    public async Task StartSyncedAsync()
    {
        Connector.Start();
        await Connector.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
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
        FortiClientConnect = fct,
        ZtnaToken = token is null ? null : Encoding.ASCII.GetBytes(token),
    };

    public async ValueTask DisposeAsync()
    {
        Gate.Dispose();
        await Connector.DisposeAsync();
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
