// Runs the fuzz entry points (DecoderFuzzTargets) over the seed corpus and a few
// thousand deterministic mutations of it: the decoders must never throw.
// PG_WRITE_FUZZ_CORPUS=1 writes the corpus to fuzz/PostureGate.Ike.Fuzz/corpus (found above the test
// binaries, or given by PG_FUZZ_CORPUS_DIR).
using System.Net;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages;

public class FuzzCorpusTests
{
    /// <summary>The fixed key DecoderFuzzTargets decrypts with (AES-GCM-128, 20 zero octets).</summary>
    private static SkCipher FuzzCipher() => SkCipher.Create(
        new CipherSuite("fuzz", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256), new byte[20], []);

    private static IkeHeader Header(ExchangeType exchange, uint id, IkeHeaderFlags flags = IkeHeaderFlags.Initiator) =>
        new(StrongSwanMessages.SpiI, exchange == ExchangeType.IkeSaInit && flags == IkeHeaderFlags.Initiator ? 0 : StrongSwanMessages.SpiR,
            0, exchange, flags, id, 0);

    public static List<(string Name, byte[] Bytes)> OuterCorpus()
    {
        using var cipher = FuzzCipher();
        var corpus = new List<(string, byte[])>
        {
            ("ike_sa_init_req", StrongSwanMessages.IkeSaInitRequest().Encode()),
            ("ike_sa_init_cookie", new IkeMessage(Header(ExchangeType.IkeSaInit, 0, IkeHeaderFlags.Response),
                [new NotifyPayload(NotifyType.Cookie, new byte[36])]).Encode()),
            ("ike_sa_init_invalid_ke", new IkeMessage(Header(ExchangeType.IkeSaInit, 0, IkeHeaderFlags.Response),
                [new NotifyPayload(NotifyType.InvalidKePayload, [0, 31])]).Encode()),
            ("ike_auth_req1", StrongSwanMessages.IkeAuthRequest().Encode(cipher)),
            ("ike_auth_eap", new IkeMessage(Header(ExchangeType.IkeAuth, 2), [new EapPayload([2, 0, 0, 10, 1, .. "alice"u8])]).Encode(cipher)),
            ("ike_auth_rsp", new IkeMessage(Header(ExchangeType.IkeAuth, 5, IkeHeaderFlags.Response),
            [
                new AuthPayload(AuthMethod.SharedKeyMic, new byte[32]),
                new ConfigPayload(ConfigType.Reply, [ConfigAttribute.Address(ConfigAttributeType.InternalIp4Address, IPAddress.Parse("10.0.0.2"))]),
                new SaPayload([Proposal.ForEsp(1, StrongSwanMessages.AesCbc128Sha256 with { Prf = PrfAlgorithm.None }, 7)]),
                new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.FromPrefix(IPAddress.Parse("10.0.0.2"), 32)]),
                new TsPayload(PayloadType.TrafficSelectorResponder, [TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24)]),
            ]).Encode(cipher)),
            ("informational_delete", new IkeMessage(Header(ExchangeType.Informational, 6), [DeletePayload.ForIkeSa()]).Encode(cipher)),
            ("create_child_sa", new IkeMessage(Header(ExchangeType.CreateChildSa, 7),
                [NotifyPayload.ForEspSpi(NotifyType.RekeySa, 9), new SaPayload([Proposal.ForEsp(1, StrongSwanMessages.AesCbc128Sha256, 10)]),
                 new NoncePayload(new byte[32]), new KePayload(KeyExchangeMethod.Curve25519, new byte[32])]).Encode(cipher)),
        };
        var big = StrongSwanMessages.IkeAuthRequest();
        big.Payloads.Add(new CertPayload(CertEncoding.X509Signature, new byte[1500]));
        var fragments = IkeFragmenter.Fragment(big, cipher, 576);
        corpus.Add(("skf_first", fragments[0]));
        corpus.Add(("skf_last", fragments[^1]));
        corpus.Add(("udp4500_ike_sa_init", UdpEncapsulation.AddNonEspMarker(StrongSwanMessages.IkeSaInitRequest().Encode())));
        corpus.Add(("keepalive", [0xff]));
        return corpus;
    }

    public static List<(string Name, byte[] Bytes)> InnerCorpus()
    {
        static byte[] Chain(IEnumerable<IkePayload> payloads)
        {
            var list = payloads.ToList();
            var message = new IkeMessage(Header(ExchangeType.IkeAuth, 1), list).Encode();
            // The unencrypted encoding's chain is what SK carries; prefix the first type.
            return [(byte)list[0].Type, .. message.AsSpan(IkeHeader.Size)];
        }
        return
        [
            ("ike_auth_req1", Chain(StrongSwanMessages.IkeAuthRequestPayloads())),
            ("eap_success", Chain([new EapPayload([3, 4, 0, 4])])),
            ("cp_reply_v6", Chain([new ConfigPayload(ConfigType.Reply,
                [ConfigAttribute.Ip6WithPrefix(ConfigAttributeType.InternalIp6Address, IPAddress.Parse("fd00::2"), 64),
                 new ConfigAttribute((ConfigAttributeType)16400, [1])])])),
            ("delete_esp", Chain([DeletePayload.ForChildSas([1, 2, 3])])),
            ("certreq_cert", Chain([new CertReqPayload(CertEncoding.X509Signature, new byte[20]), new CertPayload(CertEncoding.X509Signature, [0x30, 0])])),
        ];
    }

    [Fact]
    public void OuterCorpus_ParsesAndRunsCleanly()
    {
        foreach (var (name, bytes) in OuterCorpus())
        {
            if (name is "keepalive" or "udp4500_ike_sa_init")
                Assert.NotEqual(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify(bytes));
            else
                Assert.True(IkeMessage.TryParse(bytes, out _, out var error), $"{name}: {error}");
            DecoderFuzzTargets.FuzzOuter(bytes);
        }
    }

    [Fact]
    public void InnerCorpus_RunsCleanly()
    {
        foreach (var (_, bytes) in InnerCorpus())
            DecoderFuzzTargets.FuzzInner(bytes);
    }

    [Fact]
    public void Mutations_NeverThrow()
    {
        var random = new Random(7296);
        var outer = OuterCorpus().Select(c => c.Bytes).ToList();
        var inner = InnerCorpus().Select(c => c.Bytes).ToList();
        for (var i = 0; i < 4000; i++)
        {
            DecoderFuzzTargets.FuzzOuter(Mutate(outer[random.Next(outer.Count)], random));
            DecoderFuzzTargets.FuzzInner(Mutate(inner[random.Next(inner.Count)], random));
        }
    }

    [Fact]
    public void CheckedInCorpus_RunsCleanly()
    {
        var root = FindCorpusDirectory();
        if (Environment.GetEnvironmentVariable("PG_WRITE_FUZZ_CORPUS") == "1" && root is not null)
        {
            foreach (var (kind, corpus) in new[] { ("outer", OuterCorpus()), ("inner", InnerCorpus()) })
                foreach (var (name, bytes) in corpus)
                    File.WriteAllBytes(Path.Combine(root, kind, name + ".bin"), bytes);
        }
        Assert.NotNull(root);
        var files = Directory.GetFiles(Path.Combine(root!, "outer"));
        Assert.NotEmpty(files);
        foreach (var file in files)
            DecoderFuzzTargets.FuzzOuter(File.ReadAllBytes(file));
        foreach (var file in Directory.GetFiles(Path.Combine(root!, "inner")))
            DecoderFuzzTargets.FuzzInner(File.ReadAllBytes(file));
    }

    /// <summary>Bit flips, random octets, length-field edits, truncation, duplication and splicing.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var rounds = random.Next(1, 4);
        for (var r = 0; r < rounds && bytes.Length > 0; r++)
        {
            var at = random.Next(bytes.Length);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes[at] = random.Next(2) == 0 ? (byte)0 : (byte)0xff; break;
                case 3: bytes = bytes[..at]; break;
                case 4: bytes = [.. bytes[..at], .. bytes[at..].Take(random.Next(1, 32)), .. bytes[at..]]; break;
                default: bytes = [.. bytes[..at], .. Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)), .. bytes[at..]]; break;
            }
        }
        return bytes;
    }

    /// <summary>fuzz/PostureGate.Ike.Fuzz/corpus above the test binaries, or PG_FUZZ_CORPUS_DIR.</summary>
    internal static string? FindCorpusDirectory()
    {
        if (Environment.GetEnvironmentVariable("PG_FUZZ_CORPUS_DIR") is { Length: > 0 } configured)
            return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fuzz", "PostureGate.Ike.Fuzz", "corpus");
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
