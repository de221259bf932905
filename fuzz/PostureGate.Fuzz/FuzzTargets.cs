// The fuzz targets of issue 12 that take hostile input outside the IKE decoders: the
// configuration language, the EMS tag-rule language, FORTICLIENT_CONNECT bodies, EAP-MSCHAPv2
// packets (RFC 3748 §4, draft-kamath-pppext-eap-mschapv2 §2), ZTNA tokens (RFC 7515 compact JWS)
// the EMS's JSON request bodies, the TUN-side packet splitter (virtio-net header, RFC 9293 segmentation)
// and the ESP receive path after a valid ICV (AfterIcvFuzzTarget, RFC 4303). Each parser
// answers bad input with its refusal value; any exception is a finding.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using PostureGate.Config;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Offload;
using PostureGate.Ems.Api;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Model;
using PostureGate.Ems.Rules;
using PostureGate.Ike.Eap;
using PostureGate.Posture;

namespace PostureGate.Fuzz;

public delegate void FuzzTarget(ReadOnlySpan<byte> input);

public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, FuzzTarget> All = new Dictionary<string, FuzzTarget>
    {
        ["config"] = Config,
        ["rules"] = Rules,
        ["fcconnect"] = FortiClientConnect,
        ["mschapv2"] = MsChapV2,
        ["token"] = Token,
        ["tunsplit"] = TunSplit,
        ["emsjson"] = EmsJson,
        ["espicv"] = PostureGate.Esp.AfterIcvFuzzTarget.Fuzz,
    };

    /// <summary>The whole configuration pipeline: lexer, parser, schema, binder. Errors are diagnostics.</summary>
    public static void Config(ReadOnlySpan<byte> input) =>
        _ = ConfigLoader.Parse(Encoding.UTF8.GetString(input), "fuzz.conf");

    private static readonly JsonElement Facts = JsonDocument.Parse(
        """{"registered":true,"os":"windows","av":{"enabled":true,"version":7},"tags":["a","b"],"fct_version":"7.4.5"}""").RootElement;

    /// <summary>An EMS tag rule: parse (refusal: false with a column and a reason), then evaluate on fixed facts.</summary>
    public static void Rules(ReadOnlySpan<byte> input)
    {
        if (RuleExpression.TryParse(Encoding.UTF8.GetString(input), out var rule, out _))
            _ = rule!.Evaluate(Facts);
    }

    /// <summary>A FORTICLIENT_CONNECT notify body; a parsed one must print for the debug log.</summary>
    public static void FortiClientConnect(ReadOnlySpan<byte> input)
    {
        _ = FortiClientConnectBody.TryParse(input, out _, out _);
        _ = FortiClientConnectBody.ToDebugText(input);
    }

    /// <summary>An EAP packet and, for EAP-MSCHAPv2, its challenge or response fields.</summary>
    public static void MsChapV2(ReadOnlySpan<byte> input)
    {
        if (!EapPacket.TryParse(input, out var eap) || !MsChapV2Packet.TryParse(eap.TypeData, out var packet))
            return;
        _ = packet.TryReadChallenge(out _, out _);
        _ = packet.TryReadResponse(out _, out _, out _);
    }

    // One RSA key pinned for the whole run under kid "fuzz" (connector 1).
    private static readonly Lazy<ZtnaTokenVerifier> Verifier = new(() =>
    {
        var store = new PinnedKeyStore();
        store.Set(1, [new PinnedKeyStore.PinnedKey(1, "fuzz", new RsaSecurityKey(RSA.Create(2048)) { KeyId = "fuzz" })]);
        return new ZtnaTokenVerifier(store);
    });

    /// <summary>A ZTNA token; refusal is a TokenVerification with a TokenRefusal.</summary>
    public static void Token(ReadOnlySpan<byte> input) =>
        _ = Verifier.Value.VerifyAsync(input.ToArray(), "00000000000000000000000000000001").GetAwaiter().GetResult();

    [ThreadStatic] private static TunPacketSplitter? _splitter;
    [ThreadStatic] private static PacketBuffer[]? _buffers;

    /// <summary>A frame read from the TUN device (virtio-net header first), split into packets.</summary>
    public static void TunSplit(ReadOnlySpan<byte> input)
    {
        var splitter = _splitter ??= new TunPacketSplitter();
        var buffers = _buffers ??= [.. Enumerable.Range(0, 8).Select(_ => new PacketBuffer())];
        var length = Math.Min(input.Length, splitter.Frame.Length);
        input[..length].CopyTo(splitter.Frame);
        if (!splitter.Accept(length))
            return;
        foreach (var b in buffers)
            b.Offset = 64;
        while (splitter.Drain(buffers) > 0)
        {
        }
    }

    // As the EMS's minimal APIs read bodies: snake_case, an unknown member refused.
    private static readonly JsonSerializerOptions EmsJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>A client's register/report body, then an enrollment body with its CSR. The refusals:
    /// JsonException (the API answers 400) and the validators' false with a reason.</summary>
    public static void EmsJson(ReadOnlySpan<byte> input)
    {
        try
        {
            var report = JsonSerializer.Deserialize<EndpointReportRequest>(input, EmsJsonOptions);
            _ = EndpointReport.TryCreate(report, null, out _, out _);
        }
        catch (JsonException)
        {
        }
        try
        {
            if (JsonSerializer.Deserialize<EnrollRequest>(input, EmsJsonOptions) is { } enroll)
                _ = SigningRequest.TryParse(enroll.Csr, enroll.Uid ?? "", out _, out _);
        }
        catch (JsonException)
        {
        }
    }
}
